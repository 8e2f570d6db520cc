"""Temporal (temporalio): async methods of a @workflow.defn class."""

from wflint.frameworks import Framework

_ACTIVITY = ("move it into an activity and call it with"
             " await {ctx}.execute_activity(..., start_to_close_timeout=...)")

FRAMEWORK = Framework(
    name="temporal",
    title="Temporal",
    modules=("temporalio",),
    markers=(b"temporalio",),
    style="async",
    context="module",
    context_module="temporalio.workflow",
    default_context_name="workflow",
    workflow_class_decorators=("temporalio.workflow.defn",),
    activity_decorators=("temporalio.activity.defn",),
    activity_invocations=(
        "temporalio.workflow.execute_activity",
        "temporalio.workflow.start_activity",
        "temporalio.workflow.execute_local_activity",
        "temporalio.workflow.start_local_activity",
    ),
    handler_decorators={
        "temporalio.workflow.run": "run",
        "temporalio.workflow.signal": "signal",
        "temporalio.workflow.query": "query",
        "temporalio.workflow.update": "update",
        "temporalio.workflow.init": "init",
    },
    unrestricted_blocks=("temporalio.workflow.unsafe.sandbox_unrestricted",),
    alternatives={
        "*": _ACTIVITY,
        "WFL101": "use {ctx}.now() (aware UTC, replayed from history)",
        "WFL102": "use await {ctx}.sleep(seconds) (or await asyncio.sleep(seconds), a durable timer here)",
        "WFL201": "use {ctx}.random() (a deterministic random.Random), e.g. {ctx}.random().randint(a, b)",
        "WFL202": "use {ctx}.uuid4() (deterministic)",
        "WFL501": "use {ctx}.logger, which skips output during replay",
        "WFL502": "use {ctx}.logger, which skips output during replay",
        "WFL601": "call {ctx}.continue_as_new(state) when"
                  " {ctx}.info().is_continue_as_new_suggested()",
        "WFL701": _ACTIVITY,
    },
    call_alternatives={
        ("WFL101", "time.time"): "use {ctx}.time()",
        ("WFL101", "time.time_ns"): "use {ctx}.time_ns()",
        ("WFL101", "datetime.datetime.utcnow"): "use {ctx}.now().replace(tzinfo=None)",
        ("WFL101", "datetime.date.today"): "use {ctx}.now().date() (UTC date)",
        ("WFL201", "random.Random"): "use {ctx}.new_random()",
        ("WFL202", "uuid.uuid7"): "use {ctx}.uuid7() (deterministic)",
        ("WFL202", "uuid.uuid1"): "use {ctx}.uuid7() or {ctx}.uuid4() (deterministic)",
        ("WFL701", "asyncio.wait"): "use {ctx}.wait(...), which keeps a replayable order",
        ("WFL701", "asyncio.as_completed"): "use {ctx}.as_completed(...), which keeps a replayable order",
    },
)
