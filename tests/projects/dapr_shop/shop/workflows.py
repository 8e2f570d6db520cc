import dapr.ext.workflow as wf

from shop import deadline
from . import activities, config
from .cycle_a import ping
from .logs import logger

wfr = wf.WorkflowRuntime()
wfr.register_activity(activities.charge)


@wfr.workflow
def order_wf(ctx: wf.DaprWorkflowContext, order):
    due = deadline(24)  # expect: WFL101
    cfg = config.load_cfg("shop.json")  # expect: WFL301
    logger.info("order %s", order)  # expect: WFL501
    tick = ping(3)  # expect: WFL101
    receipt = activities.charge(ctx, order)  # expect: WFL902
    done = yield ctx.call_activity(activities.charge, input=order)  # ok: through the framework
    return [due, cfg, tick, receipt, done]
