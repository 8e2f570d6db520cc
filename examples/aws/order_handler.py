"""An AWS Lambda durable function with hazards (see order_handler_clean.py)."""
import os
import time
import uuid
from datetime import datetime, timezone

import requests
from aws_durable_execution_sdk_python import DurableContext, StepContext, durable_execution, durable_step


@durable_step
def reserve_stock(step_context: StepContext, order: dict) -> dict:
    return requests.post(os.environ["STOCK_URL"], json=order, timeout=10).json()  # ok: a step


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:
    order_id = str(uuid.uuid4())  # expect: WFL202
    received = datetime.now(timezone.utc).isoformat()  # expect: WFL101
    print("processing order", order_id)  # expect: WFL502
    reservation = context.step(reserve_stock(event))
    if not reservation.get("confirmed"):
        time.sleep(30)  # expect: WFL102
        reservation = context.step(reserve_stock(event))
    region = os.environ.get("AWS_REGION", "us-east-1")  # expect: WFL401
    context.logger.info("order reserved")  # ok: the context's logger skips replayed logs
    return {"order": order_id, "received": received, "region": region, **reservation}
