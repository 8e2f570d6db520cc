# An Azure Durable Functions orchestrator with hazards wflint fixes: the clock (datetime, time,
# arrow, pendulum) and logging (safe fixes), and a uuid, a sleep and an environment read (unsafe
# fixes).
import logging
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import arrow
import pendulum
import azure.durable_functions as df

app = df.DFApp()
CEST = timezone(timedelta(hours=2), "CEST")


@dataclass
class Receipt:
    """Built in the workflow: its default factory runs there (the fix passes the field)."""
    placed: datetime = field(default_factory=datetime.utcnow)


def pickup_window(hours: int) -> tuple[str, str]:
    start = datetime.utcnow()
    return start.isoformat(), (start + timedelta(hours=hours)).isoformat()


def reserve(context, item):
    """A step of the workflow, driven with yield from: its clock is fixed inside it."""
    reserved_at = datetime.utcnow()
    reserved = yield context.call_activity("save", {"item": item, "at": reserved_at.isoformat()})
    return reserved


@app.orchestration_trigger(context_name="context")
def order(context: df.DurableOrchestrationContext):
    item = context.get_input()
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
    logging.info("ordering %s", item)
    print("ordering", item)
    ref = str(uuid.uuid4())
    window = pickup_window(4)
    time.sleep(0.1)
    region = os.environ.get("WFLINT_TEST_REGION", "eu")
    reservation = yield from reserve(context, item)
    saved = yield context.call_activity("save", {"item": item, "region": region, "ref": ref})
    logging.info("ordered %s", saved["item"])
    return {"item": saved["item"], "region": saved["region"], "ref_length": len(saved["ref"]),
            "helper": isinstance(window, tuple) and len(window) == 2 and reservation["item"] == item,
            "libraries": all(moment.year >= 2020 for moment in (
                arrow_utc, arrow_utc_now, arrow_paris, pendulum_utc, pendulum_paris, day_utc, day_paris)),
            "clock": receipt.placed.year >= 2020 and started.year >= 2020 and stamp.year >= 2020 and paris.year >= 2020
            and epoch > 0}


@app.activity_trigger(input_name="data")
def save(data: dict) -> dict:
    return data
