# A durabletask orchestration with hazards wflint fixes: clock, uuid, sleep, and an env read to extract.
import os
import time
import uuid
from datetime import datetime

from durabletask import task


def order(ctx: task.OrchestrationContext, item):
    started = datetime.utcnow()
    ref = str(uuid.uuid4())
    time.sleep(1)
    region = os.getenv("WFLINT_TEST_REGION", "eu")
    saved = yield ctx.call_activity(save, input={"item": item, "ref": ref, "region": region,
                                                 "started": started.isoformat()})
    return saved


def save(ctx, data):
    return data


def register(w):
    w.add_orchestrator(order)
    w.add_activity(save)
