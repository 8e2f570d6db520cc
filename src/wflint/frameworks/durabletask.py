"""Microsoft Durable Task (durabletask): generator orchestrators added to a worker."""

from wflint.frameworks import Framework
from wflint.frameworks._fixes import UNSAFE, UUID5, replay_guard, rewrite, timer, workflow_clock, IO_CODES, extraction

_ACTIVITY = "move it into an activity and call it with yield {ctx}.call_activity(...)"

FRAMEWORK = Framework(
    name="durabletask",
    title="Durable Task",
    modules=("durabletask",),
    markers=(b"durabletask",),
    style="generator",
    context="first",
    context_types=("durabletask.task.OrchestrationContext",),
    activity_context_types=("durabletask.task.ActivityContext",),
    registry_types=(
        "durabletask.worker.TaskHubGrpcWorker",
        "durabletask.azuremanaged.worker.DurableTaskSchedulerWorker",
    ),
    workflow_registrations=("add_orchestrator",),
    activity_registrations=("add_activity",),
    activity_invocations=("call_activity",),
    alternatives={
        "*": _ACTIVITY,
        "WFL101": "use {ctx}.current_utc_datetime (naive UTC, replayed from history;"
                  " .replace(tzinfo=timezone.utc) makes it aware)",
        "WFL102": "use yield {ctx}.create_timer(timedelta(seconds=...))",
        "WFL201": _ACTIVITY + ", or seed a generator with random.Random({ctx}.new_uuid())",
        "WFL202": "use {ctx}.new_uuid() (a deterministic uuid5 string)",
        "WFL501": "log through {ctx}.create_replay_safe_logger(logger)"
                  " or guard it with if not {ctx}.is_replaying:",
        "WFL502": "guard it with if not {ctx}.is_replaying:",
        "WFL601": "run one iteration per instance, then call {ctx}.continue_as_new(state)",
        "WFL701": "schedule activities and combine the yielded tasks with"
                  " task.when_all([...]) / task.when_any([...])",
        "WFL903": "write it as a generator: def with yield {ctx}.call_activity(...)",
    },
    call_alternatives={
        ("WFL101", "time.time"):
            "use {ctx}.current_utc_datetime.replace(tzinfo=timezone.utc).timestamp()",
        ("WFL101", "time.time_ns"):
            "use int({ctx}.current_utc_datetime.replace(tzinfo=timezone.utc).timestamp() * 1e9)",
        ("WFL101", "datetime.date.today"): "use {ctx}.current_utc_datetime.date() (UTC date)",
    },
    rewrites={
        **extraction("WFL201", *IO_CODES),
        **workflow_clock(
            "{ctx}.current_utc_datetime",
            "{ctx}.current_utc_datetime.replace(tzinfo={timezone}.utc)",
            "{ctx}.current_utc_datetime.replace(tzinfo={timezone}.utc).astimezone({tz})",
            "{ctx}.current_utc_datetime.replace(tzinfo={timezone}.utc).timestamp()"),
        **replay_guard(),
        **timer("yield {ctx}.create_timer({timedelta}(seconds={arg0}))"),
        **{f"WFL202:uuid.{fn}": rewrite("{uuid}.UUID({ctx}.new_uuid())", UNSAFE, "ctx", note=UUID5)
           for fn in ("uuid1", "uuid4", "uuid6", "uuid7")},
        **{f"WFL202:uuid.{fn}:str": rewrite("{ctx}.new_uuid()", UNSAFE, "ctx", note=UUID5, target="str")
           for fn in ("uuid1", "uuid4", "uuid6", "uuid7")},
    },
)
