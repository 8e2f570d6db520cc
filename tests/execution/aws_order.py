# An AWS Lambda durable functions handler with hazards wflint fixes: logging and print (safe
# fixes), and the clock (datetime, arrow, pendulum), a uuid, a random draw, a sleep, an
# environment read, a helper's clock and a child context's clock (unsafe fixes: each becomes a
# step or a wait).
import logging
import os
import random
import time
import uuid
from datetime import datetime, timezone

import arrow
import pendulum
from aws_durable_execution_sdk_python import (DurableContext, StepContext, durable_execution, durable_step,
                                             durable_with_child_context)
from aws_durable_execution_sdk_python.config import Duration

logger = logging.getLogger("orders")


def pickup_day(days: int) -> str:
    return datetime.now(timezone.utc).isoformat()


@durable_with_child_context
def ship(child: DurableContext, item: str) -> str:
    return datetime.now(timezone.utc).isoformat()


@durable_step
def save(step_context: StepContext, data: dict) -> dict:
    return data


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:
    item = event["item"]
    started = datetime.now(timezone.utc)
    stamp = arrow.utcnow()
    paris = pendulum.now("Europe/Paris")
    logger.info("ordering %s", item)
    print("ordering", item)
    ref = str(uuid.uuid4())
    lucky = random.randint(1, 6)
    time.sleep(1)
    region = os.environ.get("WFLINT_TEST_REGION", "eu")
    window = pickup_day(2)
    shipped = context.run_in_child_context(ship(item))
    saved = context.step(save({"item": item, "region": region, "ref": ref, "lucky": lucky}))
    context.wait(Duration.from_seconds(1))
    return {"item": saved["item"], "region": saved["region"], "ref_length": len(saved["ref"]),
            "lucky": 1 <= saved["lucky"] <= 6, "helper": window.startswith("20"),
            "libraries": stamp.year >= 2020 and paris.year >= 2020,
            "clock": started.year >= 2020 and shipped.startswith("20")}
