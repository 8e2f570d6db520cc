"""A Temporal subscription workflow with hazards (see subscription_clean.py)."""
import asyncio
import logging
import random
from datetime import datetime, timedelta

import httpx
from temporalio import activity, workflow

log = logging.getLogger(__name__)


@activity.defn
async def charge(customer: str) -> bool:
    async with httpx.AsyncClient() as client:  # ok: activities do the I/O
        return (await client.post("https://billing.example/charge", json={"c": customer})).is_success


def renewal_date() -> datetime:
    return datetime.now() + timedelta(days=30)


@workflow.defn
class Subscription:
    def __init__(self) -> None:
        self.cancelled = False

    @workflow.run
    async def run(self, customer: str) -> None:
        while True:  # expect: WFL601
            ok = await workflow.execute_activity(charge, customer, start_to_close_timeout=timedelta(seconds=30))
            log.info("charged %s: %s", customer, ok)  # expect: WFL501
            jitter = random.uniform(0, 60)  # expect: WFL201
            until = renewal_date()  # expect: WFL101
            await asyncio.sleep(jitter)  # ok: asyncio.sleep is a durable timer in Temporal
            await workflow.wait_condition(lambda: self.cancelled, timeout=until - workflow.now())
            if self.cancelled:
                return

    @workflow.signal
    def cancel(self) -> None:
        print("cancelling")  # expect: WFL502
        self.cancelled = True

    @workflow.query
    def next_charge_in(self) -> float:
        return (renewal_date() - datetime.now()).total_seconds()  # ok: queries may read the clock
