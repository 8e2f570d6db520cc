# A Temporal workflow with hazards wflint fixes: the clock (datetime, time, arrow, pendulum), the
# logger, print, asyncio.wait and asyncio.as_completed (safe fixes), and a uuid, a random draw, a
# sleep and an environment read (unsafe fixes).
import asyncio
import logging
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from temporalio import activity, workflow

with workflow.unsafe.imports_passed_through():  # the sandbox cannot re-import pendulum
    import arrow
    import pendulum

logger = logging.getLogger("orders")
CEST = timezone(timedelta(hours=2), "CEST")


@dataclass
class Receipt:
    """Built in the workflow: its default factory runs there (the fix passes the field)."""
    placed: datetime = field(default_factory=datetime.utcnow)


@activity.defn
async def save(data: dict) -> dict:
    return data


def invoice_number() -> str:
    return f"INV-{uuid.uuid4().hex[:8]}"


@workflow.defn
class Order:
    @workflow.run
    async def run(self, item: str) -> dict:
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
        nanos = time.time_ns()
        logger.info("ordering %s", item)
        print("ordering", item)
        ref = str(uuid.uuid4())
        with open("order.txt") as handle:
            note = handle.read().strip()
        number = invoice_number()
        lucky = random.randint(1, 6)
        time.sleep(0.1)
        region = os.environ.get("WFLINT_TEST_REGION", "eu")
        saving = workflow.start_activity(save, {"item": item, "region": region, "ref": ref,
                                                "lucky": lucky},
                                         start_to_close_timeout=timedelta(seconds=10))
        done, _ = await asyncio.wait([saving])
        saved = done.pop().result()
        checking = workflow.start_activity(save, {"item": item},
                                           start_to_close_timeout=timedelta(seconds=10))
        for next_done in asyncio.as_completed([checking]):
            checked = await next_done
        return {"item": checked["item"], "region": saved["region"], "ref_length": len(saved["ref"]),
                "note": note == "fragile",
                "helper": number.startswith("INV-"),
                "lucky": 1 <= saved["lucky"] <= 6,
                "libraries": all(moment.year >= 2020 for moment in (
                    arrow_utc, arrow_utc_now, arrow_paris, pendulum_utc, pendulum_paris, day_utc, day_paris)),
                "clock": receipt.placed.year >= 2020 and started.year >= 2020 and stamp.year >= 2020 and paris.year >= 2020
                and epoch > 0 and nanos > 0}
