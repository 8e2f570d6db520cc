# The new version: two activities swap places (breaks).
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
    charged = yield ctx.call_activity(charge, input=item)
    yield ctx.create_timer(timedelta(seconds=1))
    reserved = yield ctx.call_activity(reserve, input=charged)
    return charged
