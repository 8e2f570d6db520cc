# The new version: the change goes into a new named version; instances in flight keep theirs (safe).
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
    charged = yield ctx.call_activity(charge, input=reserved)
    return charged


@wfr.versioned_workflow(name="order", version_name="v2", is_latest=True)
def order_v2(ctx: wf.DaprWorkflowContext, item: str):
    reserved = yield ctx.call_activity(reserve, input=item)
    yield ctx.call_activity(ship, input=reserved)
    yield ctx.create_timer(timedelta(seconds=1))
    charged = yield ctx.call_activity(charge, input=reserved)
    return charged
