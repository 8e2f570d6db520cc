"""Dapr Workflow (dapr.ext.workflow): generator workflows on a WorkflowRuntime."""

from wflint.frameworks import Framework
from wflint.frameworks._fixes import workflow_clock, replay_guard, timer, IO_CODES, extraction

_RUNTIMES = ("dapr.ext.workflow.WorkflowRuntime", "dapr.ext.workflow.workflow_runtime.WorkflowRuntime")
_ACTIVITY = "move it into an activity and call it with yield {ctx}.call_activity(...)"

FRAMEWORK = Framework(
    name="dapr",
    title="Dapr Workflow",
    modules=("dapr.ext.workflow",),
    markers=(b"dapr",),
    style="generator",
    context="first",
    context_types=(
        "dapr.ext.workflow.DaprWorkflowContext",
        "dapr.ext.workflow.dapr_workflow_context.DaprWorkflowContext",
        "dapr.ext.workflow.workflow_context.WorkflowContext",
        "dapr.ext.workflow.WorkflowContext",
    ),
    activity_context_types=(
        "dapr.ext.workflow.WorkflowActivityContext",
        "dapr.ext.workflow.workflow_activity_context.WorkflowActivityContext",
    ),
    registry_types=_RUNTIMES,
    workflow_decorator_attrs=("workflow", "versioned_workflow"),
    activity_decorator_attrs=("activity",),
    workflow_registrations=("register_workflow", "register_versioned_workflow"),
    activity_registrations=("register_activity",),
    activity_invocations=("call_activity",),
    alternatives={
        "*": _ACTIVITY,
        "WFL101": "use {ctx}.current_utc_datetime (naive UTC, replayed from history;"
                  " .replace(tzinfo=timezone.utc) makes it aware)",
        "WFL102": "use yield {ctx}.create_timer(timedelta(seconds=...))",
        "WFL201": _ACTIVITY + " (Dapr has no public deterministic random API)",
        "WFL202": "create the id in an activity and call it with yield {ctx}.call_activity(...)"
                  " (Dapr has no public deterministic UUID API)",
        "WFL501": "guard it with if not {ctx}.is_replaying:",
        "WFL502": "guard it with if not {ctx}.is_replaying:",
        "WFL601": "run one iteration per instance, then call {ctx}.continue_as_new(state)",
        "WFL701": "schedule activities and combine the yielded tasks with"
                  " dapr.ext.workflow.when_all([...]) / when_any([...])",
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
        **extraction("WFL201", "WFL202", *IO_CODES),
        **workflow_clock(
            "{ctx}.current_utc_datetime",
            "{ctx}.current_utc_datetime.replace(tzinfo={timezone}.utc)",
            "{ctx}.current_utc_datetime.replace(tzinfo={timezone}.utc).astimezone({tz})",
            "{ctx}.current_utc_datetime.replace(tzinfo={timezone}.utc).timestamp()"),
        **replay_guard(),
        **timer("yield {ctx}.create_timer({timedelta}(seconds={arg0}))"),
    },
)
