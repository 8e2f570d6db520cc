"""The fan-out/fan-in orchestration, replay-safe."""
import logging
import random

from durabletask import task, worker

logger = logging.getLogger(__name__)


def get_work_items(ctx: task.ActivityContext, _) -> list[str]:
    return [f"item-{i}" for i in range(10)]


def process(ctx: task.ActivityContext, item: str) -> int:
    return len(item)


def fan_out_fan_in(ctx: task.OrchestrationContext, _):
    log = ctx.create_replay_safe_logger(logger)
    started = ctx.current_utc_datetime
    items = yield ctx.call_activity(get_work_items)
    sample = random.Random(ctx.new_uuid()).sample(items, 3)
    log.info("processing %d items", len(sample))
    results = yield task.when_all([ctx.call_activity(process, input=i) for i in sample])
    return {"total": sum(results), "started": started.isoformat()}


def main():
    with worker.TaskHubGrpcWorker() as w:
        w.add_orchestrator(fan_out_fan_in)
        w.add_activity(get_work_items)
        w.add_activity(process)
        w.start()
