"""The subscription workflow, replay-safe, continuing as new each period."""
from datetime import timedelta

import httpx
from temporalio import activity, workflow


@activity.defn
async def charge(customer: str) -> bool:
    async with httpx.AsyncClient() as client:
        return (await client.post("https://billing.example/charge", json={"c": customer})).is_success


@workflow.defn
class Subscription:
    def __init__(self) -> None:
        self.cancelled = False

    @workflow.run
    async def run(self, customer: str) -> None:
        ok = await workflow.execute_activity(charge, customer, start_to_close_timeout=timedelta(seconds=30))
        workflow.logger.info("charged %s: %s", customer, ok)
        jitter = workflow.random().uniform(0, 60)
        until = workflow.now() + timedelta(days=30, seconds=jitter)
        await workflow.wait_condition(lambda: self.cancelled, timeout=until - workflow.now())
        if not self.cancelled:
            workflow.continue_as_new(customer)

    @workflow.signal
    def cancel(self) -> None:
        workflow.logger.info("cancelling")
        self.cancelled = True
