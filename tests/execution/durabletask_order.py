# A durabletask orchestration with hazards wflint fixes: the clock (datetime, time, arrow,
# pendulum), output (safe fixes), and a uuid, a sleep and an environment read (unsafe fixes).
import logging
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import arrow
import pendulum
from durabletask import task

logger = logging.getLogger("orders")
CEST = timezone(timedelta(hours=2), "CEST")


@dataclass
class Receipt:
    """Built in the workflow: its default factory runs there (the fix passes the field)."""
    placed: datetime = field(default_factory=datetime.utcnow)


def cutoff_for(hours):
    return datetime.utcnow() + timedelta(hours=hours)


def reserve(ctx, item):
    """A step of the workflow, driven with yield from: its clock is fixed inside it."""
    reserved_at = datetime.utcnow()
    reserved = yield ctx.call_activity(save, input={"item": item, "at": reserved_at.isoformat()})
    return reserved


def order(ctx: task.OrchestrationContext, item):
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
    cutoff = cutoff_for(24)
    time.sleep(0.2)
    region = os.getenv("WFLINT_TEST_REGION", "eu")
    reservation = yield from reserve(ctx, item)
    saved = yield ctx.call_activity(save, input={"item": item, "region": region, "ref": ref})
    print("ordered", saved["item"])
    return {"item": saved["item"], "region": saved["region"], "ref_length": len(saved["ref"]),
            "note": note == "fragile",
            "dice": 1 <= dice.randint(1, 6) <= 6,
            "helper": cutoff.year >= 2020 and reservation["item"] == item,
            "libraries": all(moment.year >= 2020 for moment in (
                arrow_utc, arrow_utc_now, arrow_paris, pendulum_utc, pendulum_paris, day_utc, day_paris)),
            "clock": receipt.placed.year >= 2020 and started.year >= 2020 and stamp.year >= 2020 and paris.year >= 2020
            and epoch > 0}


def save(ctx, data):
    return data


def register(w):
    w.add_orchestrator(order)
    w.add_activity(save)
