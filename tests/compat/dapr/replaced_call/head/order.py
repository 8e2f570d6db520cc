# The new version: the last call runs another activity (breaks).
from datetime import timedelta

import dapr.ext.workflow as wf

wfr = wf.WorkflowRuntime()


@wfr.activity
def reserve(ctx, item: str) -> str:
    return f"reserved {item}"


@wfr.activity
def charge(ctx, item: str) -> str:
    return f"charged {item}"


@wfr.activity
def ship(ctx, item: str) -> str:
    return f"shipped {item}"


@wfr.workflow
def order(ctx: wf.DaprWorkflowContext, item: str):
    reserved = yield ctx.call_activity(reserve, input=item)
    yield ctx.create_timer(timedelta(seconds=1))
    charged = yield ctx.call_activity(ship, input=reserved)
    return charged
