"""The order handler, replay-safe: every non-deterministic value comes from a step."""
import os
import uuid
from datetime import datetime, timezone

import requests
from aws_durable_execution_sdk_python import DurableContext, StepContext, durable_execution, durable_step
from aws_durable_execution_sdk_python.config import Duration


@durable_step
def reserve_stock(step_context: StepContext, order: dict) -> dict:
    return requests.post(os.environ["STOCK_URL"], json=order, timeout=10).json()


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:
    order_id = context.step(lambda _: str(uuid.uuid4()), name="order_id")
    received = context.step(lambda _: datetime.now(timezone.utc).isoformat(), name="received")
    if not context.is_replaying():
        print("processing order", order_id)
    reservation = context.step(reserve_stock(event))
    if not reservation.get("confirmed"):
        context.wait(Duration.from_seconds(30))
        reservation = context.step(reserve_stock(event))
    region = context.step(lambda _: os.environ.get("AWS_REGION", "us-east-1"), name="region")
    context.logger.info("order reserved")
    return {"order": order_id, "received": received, "region": region, **reservation}
