# The version in flight: a failed attempt is retried.
from datetime import timedelta

from durabletask import task

attempts = {"charge": 0}


def reserve(ctx: task.ActivityContext, item: str) -> str:
    return f"reserved {item}"


def charge(ctx: task.ActivityContext, item: str) -> str:
    attempts["charge"] += 1
    if attempts["charge"] == 1:
        raise RuntimeError("the payment service is busy")
    return f"charged {item}"


def order(ctx: task.OrchestrationContext, item: str):
    reserved = yield ctx.call_activity(reserve, input=item)
    charged = yield ctx.call_activity(charge, input=reserved,
                                      retry_policy=task.RetryPolicy(first_retry_interval=timedelta(seconds=0.1),
                                                                    max_number_of_attempts=3))
    return charged


def register(worker) -> None:
    worker.add_orchestrator(order)
    for activity in (reserve, charge):
        worker.add_activity(activity)
