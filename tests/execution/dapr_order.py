# A Dapr workflow with hazards wflint fixes: the clock (datetime, time, arrow, pendulum), logging
# and print (safe fixes), and a uuid, a random draw, a sleep and an environment read (unsafe fixes).
import logging
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import arrow
import pendulum
import dapr.ext.workflow as wf

logger = logging.getLogger("orders")
CEST = timezone(timedelta(hours=2), "CEST")


@dataclass
class Receipt:
    """Built in the workflow: its default factory runs there (the fix passes the field)."""
    placed: datetime = field(default_factory=datetime.utcnow)
wfr = wf.WorkflowRuntime()


def carrier_for(country: str) -> str:
    return os.environ.get(f"WFLINT_TEST_CARRIER_{country.upper()}", "dhl")


def reserve(ctx, item):
    """A step of the workflow, driven with yield from: its clock is fixed inside it."""
    reserved_at = datetime.utcnow()
    reserved = yield ctx.call_activity(save, input={"item": item, "at": reserved_at.isoformat()})
    return reserved


@wfr.workflow(name="order")
def order(ctx: wf.DaprWorkflowContext, item):
    started = datetime.utcnow()
    stamp = datetime.now(timezone.utc)
    paris = datetime.now(CEST)
    epoch = time.time()
    receipt = Receipt()
    arrow_utc = arrow.utcnow()
    arrow_utc_now = arrow.now(timezone.utc)
    arrow_paris = arrow.now(CEST)
    pendulum_utc = pendulum.now(timezone.utc)
    pendulum_paris = pendulum.now(CEST)
    day_utc = pendulum.today(timezone.utc)
    day_paris = pendulum.today(CEST)
    logger.info("ordering %s", item)
    print("ordering", item)
    ref = str(uuid.uuid4())
    dice = random.Random()
    with open("order.txt") as handle:
        note = handle.read().strip()
    carrier = carrier_for("de")
    lucky = random.randint(1, 6)
    time.sleep(0.1)
    region = os.environ.get("WFLINT_TEST_REGION", "eu")
    reservation = yield from reserve(ctx, item)
    saved = yield ctx.call_activity(save, input={"item": item, "region": region, "ref": ref,
                                                 "lucky": lucky})
    print("ordered", saved["item"])
    return {"item": saved["item"], "region": saved["region"], "ref_length": len(saved["ref"]),
            "note": note == "fragile",
            "dice": 1 <= dice.randint(1, 6) <= 6,
            "helper": carrier == "dhl" and reservation["item"] == item,
            "lucky": 1 <= saved["lucky"] <= 6,
            "libraries": all(moment.year >= 2020 for moment in (
                arrow_utc, arrow_utc_now, arrow_paris, pendulum_utc, pendulum_paris, day_utc, day_paris)),
            "clock": receipt.placed.year >= 2020 and started.year >= 2020 and stamp.year >= 2020 and paris.year >= 2020
            and epoch > 0}


@wfr.activity(name="save")
def save(ctx, data):
    return data
