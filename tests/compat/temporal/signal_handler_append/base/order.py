# The version in flight.
from datetime import timedelta

from temporalio import activity, workflow


@activity.defn
async def reserve(item: str) -> str:
    return f"reserved {item}"


@activity.defn
async def charge(item: str) -> str:
    return f"charged {item}"


@activity.defn
async def ship(item: str) -> str:
    return f"shipped {item}"


@workflow.defn
class Order:
    def __init__(self) -> None:
        self.approved = False

    @workflow.signal
    async def approve(self, item: str) -> None:
        await workflow.execute_activity(reserve, item, start_to_close_timeout=timedelta(seconds=5))
        self.approved = True

    @workflow.run
    async def run(self, item: str) -> str:
        await workflow.wait_condition(lambda: self.approved)
        reserved = await workflow.execute_activity(reserve, item, start_to_close_timeout=timedelta(seconds=5))
        await workflow.sleep(1)
        return await workflow.execute_activity(charge, reserved, start_to_close_timeout=timedelta(seconds=5))


#: the signals the test run sends after starting the workflow
SIGNALS = [("approve", "book")]
