# The new version: the child workflow gets another id (breaks): the engine compares it.
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
class Ship:
    @workflow.run
    async def run(self, item: str) -> str:
        return await workflow.execute_activity(ship, item, start_to_close_timeout=timedelta(seconds=5))


@workflow.defn
class Order:
    @workflow.run
    async def run(self, item: str) -> str:
        reserved = await workflow.execute_activity(reserve, item, start_to_close_timeout=timedelta(seconds=5))
        await workflow.sleep(1)
        shipped = await workflow.execute_child_workflow(Ship.run, reserved, id=f"shipment-{item}")
        await workflow.sleep(1)
        return await workflow.execute_activity(charge, shipped, start_to_close_timeout=timedelta(seconds=5))
