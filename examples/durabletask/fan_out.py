"""A durabletask fan-out/fan-in orchestration with hazards (see fan_out_clean.py)."""
import asyncio
import logging
import random
from datetime import datetime

from durabletask import task, worker

logger = logging.getLogger(__name__)


def get_work_items(ctx: task.ActivityContext, _) -> list[str]:
    return [f"item-{i}" for i in range(10)]


def process(ctx: task.ActivityContext, item: str) -> int:
    return len(item)


def pick_sample(items):
    return random.sample(items, 3)


def fan_out_fan_in(ctx: task.OrchestrationContext, _):
    started = datetime.now()  # expect: WFL101
    items = yield ctx.call_activity(get_work_items)
    sample = pick_sample(items)  # expect: WFL201
    logger.info("processing %d items", len(sample))  # expect: WFL501
    results = yield task.when_all([ctx.call_activity(process, input=i) for i in sample])
    asyncio.run(asyncio.sleep(0))  # expect: WFL701, WFL102
    return {"total": sum(results), "started": started.isoformat()}


async def async_orchestrator(ctx: task.OrchestrationContext, _):  # expect: WFL903
    return "durabletask cannot run this"


def main():
    with worker.TaskHubGrpcWorker() as w:
        w.add_orchestrator(fan_out_fan_in)
        w.add_orchestrator(async_orchestrator)
        w.add_activity(get_work_items)
        w.add_activity(process)
        w.start()
