# The version in flight: a failed attempt is retried.
from datetime import timedelta

import dapr.ext.workflow as wf

wfr = wf.WorkflowRuntime()
attempts = {"charge": 0}


@wfr.activity
def reserve(ctx, item: str) -> str:
    return f"reserved {item}"


@wfr.activity
def charge(ctx, item: str) -> str:
    attempts["charge"] += 1
    if attempts["charge"] == 1:
        raise RuntimeError("the payment service is busy")
    return f"charged {item}"


@wfr.workflow
def order(ctx: wf.DaprWorkflowContext, item: str):
    reserved = yield ctx.call_activity(reserve, input=item)
    charged = yield ctx.call_activity(charge, input=reserved,
                                      retry_policy=wf.RetryPolicy(first_retry_interval=timedelta(seconds=0.1),
                                                                  max_number_of_attempts=3))
    return charged
