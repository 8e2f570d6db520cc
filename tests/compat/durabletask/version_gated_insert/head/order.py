# The new version: the inserted activity runs only for instances of version 2, which new instances start with (safe).
from datetime import timedelta

from durabletask import task
from durabletask.client import TaskHubGrpcClient


def reserve(ctx: task.ActivityContext, item: str) -> str:
    return f"reserved {item}"


def charge(ctx: task.ActivityContext, item: str) -> str:
    return f"charged {item}"


def ship(ctx: task.ActivityContext, item: str) -> str:
    return f"shipped {item}"


def order(ctx: task.OrchestrationContext, item: str):
    reserved = yield ctx.call_activity(reserve, input=item)
    yield ctx.create_timer(ctx.current_utc_datetime + timedelta(seconds=0.2))
    if ctx.version == "2":
        yield ctx.call_activity(ship, input=reserved)
    charged = yield ctx.call_activity(charge, input=reserved)
    return charged


def register(worker) -> None:
    worker.add_orchestrator(order)
    for activity in (reserve, charge, ship):
        worker.add_activity(activity)


def client(address: str) -> TaskHubGrpcClient:
    """The client new instances are started with: they get its default version."""
    return TaskHubGrpcClient(host_address=address, default_version="2")
