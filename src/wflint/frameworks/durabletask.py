"""Microsoft Durable Task (durabletask): generator orchestrators added to a worker."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.frameworks.model import ActivityCall, Framework
from wflint.frameworks._fixes import (GENERATOR_ETERNAL, IO_CODES, NAIVE_UTC_ALTERNATIVES, NAIVE_UTC_CALL_ALTERNATIVES,
                                      UNSAFE, UUID5, extraction, naive_utc_rewrites, rewrite, seeded)

if TYPE_CHECKING:
    from wflint.fixes.extract import Plan, Toolkit
    from wflint.fixes.model import ImportRequest
    from wflint.fixes.site import FixSite

_ACTIVITY = "move it into an activity and call it with yield {ctx}.call_activity(...)"


def plan_extraction(kit: Toolkit, site: FixSite, name: str, body: str, free: list[str],
                    imports: list[ImportRequest], discarded: bool) -> Plan | str:
    registration = site.unit.registration
    if registration is None or not isinstance(registration.func, ast.Attribute):
        return "no worker.add_orchestrator(...) call to add the new activity beside"
    worker = site.text(registration.func.value)
    sent, rebuilt = kit.conversions(site, free, imports)
    value, unpack = kit.packed(free, "args", sent)
    params = ["ctx", free[0] if len(free) == 1 else "args" if free else "_input"]
    ctx = site.unit.ctx_name
    call = f"yield {ctx}.call_activity({name}" + (f", input={value})" if value else ")")
    return kit.Plan(kit.function([], name, params, [unpack, *rebuilt], body, discarded), call,
                    f"{worker}.add_activity({name})")


FRAMEWORK = Framework(
    name="durabletask",
    title="Durable Task",
    version_attribute="version",
    start_versions=("default_version", "schedule_new_orchestration.version"),
    retry_keywords=("retry_policy",),
    retry_timing_keywords=("first_retry_interval", "backoff_coefficient", "max_retry_interval"),
    compat_advice=("branch on the orchestration's version (ctx.version) and bump the default version in "
                   "the same change"),
    replay_error="the orchestration fails with NonDeterminismError",
    ignores_unreached_tail=True,
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
    workflow_invocations=("call_sub_orchestrator", "call_sub_orchestrator_with_retry", "schedule_new_orchestration"),
    commands={"call_activity": "activity", "call_sub_orchestrator": "child", "create_timer": "timer",
              "wait_for_external_event": "event", "call_entity": "entity"},
    combinators=("durabletask.task.when_all", "durabletask.task.when_any"),
    api=("durabletask.",),
    clocks=("current_utc_datetime",),
    replay_flags=("is_replaying",),
    activity_call=ActivityCall("yield {ctx}.call_activity({name}, input=...)", "yield", "{ctx}.call_activity({name}{input})",
                               ", input={value}", leading=1),
    async_effect="Durable Task only drives generators, so the orchestration fails",
    continue_as_new_example=GENERATOR_ETERNAL,
    extract=plan_extraction,
    datetime_clock="current_utc_datetime",
    alternatives={
        "*": _ACTIVITY,
        **NAIVE_UTC_ALTERNATIVES,
        "WFL201": _ACTIVITY + ", or seed a generator with random.Random({ctx}.new_uuid())",
        "WFL202": "use {ctx}.new_uuid() (a deterministic uuid5 string)",
        "WFL501": "log through {ctx}.create_replay_safe_logger(logger)"
                  " or guard it with if not {ctx}.is_replaying:",
        "WFL701": "schedule activities and combine the yielded tasks with"
                  " task.when_all([...]) / task.when_any([...])",
    },
    call_alternatives=NAIVE_UTC_CALL_ALTERNATIVES,
    rewrites={
        **extraction("WFL201", *IO_CODES),
        **naive_utc_rewrites(),
        **seeded("{ctx}.new_uuid()", "draw", note=UUID5),
        **{f"WFL202:uuid.{fn}": rewrite("{uuid}.UUID({ctx}.new_uuid())", UNSAFE, "ctx", "draw", note=UUID5)
           for fn in ("uuid1", "uuid4", "uuid6", "uuid7")},
        **{f"WFL202:uuid.{fn}:str": rewrite("{ctx}.new_uuid()", UNSAFE, "ctx", "draw", note=UUID5, target="str")
           for fn in ("uuid1", "uuid4", "uuid6", "uuid7")},
    },
)
