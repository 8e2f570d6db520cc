# The new version: the order of a when_all list is swapped (breaks).
from datetime import timedelta

from durabletask import task


def reserve(ctx: task.ActivityContext, item: str) -> str:
    return f"reserved {item}"


def charge(ctx: task.ActivityContext, item: str) -> str:
    return f"charged {item}"


def ship(ctx: task.ActivityContext, item: str) -> str:
    return f"shipped {item}"


def order(ctx: task.OrchestrationContext, item: str):
    done = yield task.when_all([ctx.call_activity(charge, input=item), ctx.call_activity(reserve, input=item)])
    shipped = yield ctx.call_activity(ship, input=done[0])
    return shipped


def register(worker) -> None:
    worker.add_orchestrator(order)
    for activity in (reserve, charge, ship):
        worker.add_activity(activity)
