"""Dapr Workflow (dapr.ext.workflow): generator workflows on a WorkflowRuntime."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wflint.frameworks.model import ActivityCall, Framework, attribute_use
from wflint.frameworks._fixes import (GENERATOR_ETERNAL, IO_CODES, NAIVE_UTC_ALTERNATIVES, NAIVE_UTC_CALL_ALTERNATIVES,
                                      extraction, naive_utc_rewrites, seeded)

if TYPE_CHECKING:
    from wflint.fixes.extract import Plan, Toolkit
    from wflint.fixes.model import ImportRequest
    from wflint.fixes.site import FixSite

_RUNTIMES = ("dapr.ext.workflow.WorkflowRuntime", "dapr.ext.workflow.workflow_runtime.WorkflowRuntime")
_ACTIVITY = "move it into an activity and call it with yield {ctx}.call_activity(...)"


def plan_extraction(kit: Toolkit, site: FixSite, name: str, body: str, free: list[str],
                    imports: list[ImportRequest], discarded: bool) -> Plan | str:
    runtime = kit.registry_text(site)
    if runtime is None:
        return "no WorkflowRuntime to register the new activity with"
    sent, rebuilt = kit.conversions(site, free, imports)
    value, unpack = kit.packed(free, "args", sent)
    params = ["ctx"] + ([free[0]] if len(free) == 1 else ["args"] if free else [])
    ctx = site.unit.ctx_name
    call = f"yield {ctx}.call_activity({name}" + (f", input={value})" if value else ")")
    registered = kit.registered_name(site, name)
    named = f', name="{registered}"' if registered != name else ""
    definition = kit.function([], name, params, [unpack, *rebuilt], body, discarded)
    if site.unit.registration is not None:
        return kit.Plan(definition, call, f"{runtime}.register_activity({name}{named})")
    decorator = f"@{runtime}.activity(name={named[7:]})" if named else f"@{runtime}.activity"
    return kit.Plan(decorator + "\n" + definition, call)


FRAMEWORK = Framework(
    name="dapr",
    title="Dapr Workflow",
    gate_template="{ctx}.is_patched({id})",
    retry_keywords=("retry_policy",),
    retry_timing_keywords=("first_retry_interval", "backoff_coefficient", "max_retry_interval"),
    gate_order_recorded=True,
    gates=("is_patched",),
    compat_advice=("gate the new code with if ctx.is_patched(\"<new id>\"): and keep the old code in "
                   "the else branch"),
    replay_error="the SDK raises NonDeterminismError and the workflow fails",
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
    workflow_invocations=("call_child_workflow", "schedule_new_workflow"),
    declaration_shapes={b"workflow": attribute_use("workflow")},
    commands={"call_activity": "activity", "call_child_workflow": "child", "create_timer": "timer",
              "wait_for_external_event": "event"},
    combinators=("dapr.ext.workflow.when_all", "dapr.ext.workflow.when_any",
                 "dapr.ext.workflow.dapr_workflow_context.when_all",
                 "dapr.ext.workflow.dapr_workflow_context.when_any"),
    api=("dapr.ext.workflow.",),
    clocks=("current_utc_datetime",),
    replay_flags=("is_replaying",),
    activity_call=ActivityCall("yield {ctx}.call_activity({name}, input=...)", "yield", "{ctx}.call_activity({name}{input})",
                               ", input={value}", leading=1),
    async_effect="Dapr Workflow only drives generators, so the instance never completes",
    continue_as_new_example=GENERATOR_ETERNAL,
    extract=plan_extraction,
    datetime_clock="current_utc_datetime",
    alternatives={
        "*": _ACTIVITY,
        **NAIVE_UTC_ALTERNATIVES,
        "WFL201": _ACTIVITY + " (Dapr has no public deterministic random API)",
        "WFL202": "create the id in an activity and call it with yield {ctx}.call_activity(...)"
                  " (Dapr has no public deterministic UUID API)",
        "WFL501": "guard it with if not {ctx}.is_replaying:",
        "WFL701": "schedule activities and combine the yielded tasks with"
                  " dapr.ext.workflow.when_all([...]) / when_any([...])",
    },
    call_alternatives=NAIVE_UTC_CALL_ALTERNATIVES,
    rewrites={
        **extraction("WFL201", "WFL202", *IO_CODES),
        **naive_utc_rewrites(),
        **seeded("{ctx}.instance_id", note="seeded from the instance id: other numbers, the same on "
                                           "every replay (and the same for every such generator "
                                           "of an instance)"),
    },
)
