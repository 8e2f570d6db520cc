"""Azure Durable Functions (azure.durable_functions): generator orchestrators on a function app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wflint.frameworks.model import ActivityCall, Framework
from wflint.frameworks._fixes import (GENERATOR_ETERNAL, IO_CODES, UNSAFE, UUID5, extraction, replay_guard, rewrite,
                                      seeded, timer, workflow_clock)

if TYPE_CHECKING:
    from wflint.fixes.extract import Plan, Toolkit
    from wflint.fixes.model import ImportRequest
    from wflint.fixes.site import FixSite

_APPS = (
    "azure.durable_functions.DFApp",
    "azure.durable_functions.Blueprint",
    "azure.durable_functions.decorators.durable_app.DFApp",
    "azure.durable_functions.decorators.durable_app.Blueprint",
    "azure.functions.FunctionApp",
    "azure.functions.Blueprint",
)
_ACTIVITY = "move it into an activity and call it with yield {ctx}.call_activity(...)"


def plan_extraction(kit: Toolkit, site: FixSite, name: str, body: str, free: list[str],
                    imports: list[ImportRequest], discarded: bool) -> Plan | str:
    app = kit.registry_text(site)
    if app is None:
        return "no function app to declare the new activity on"
    sent, rebuilt = kit.conversions(site, free, imports)
    value, unpack = kit.packed(free, "args", sent)
    param = free[0] if len(free) == 1 else "args" if free else "_input"
    ctx = site.unit.ctx_name
    call = f"yield {ctx}.call_activity({name}" + (f", {value})" if value else ")")
    return kit.Plan(kit.function([f'@{app}.activity_trigger(input_name="{param}")'], name, [param],
                                 [unpack, *rebuilt], body, discarded), call)


def _refusal(unit) -> str:
    if unit.registration is not None:
        return "a function.json (V1) orchestrator needs its activity declared in function.json"
    return ""


FRAMEWORK = Framework(
    name="azure",
    title="Azure Durable Functions",
    version_attribute="version",
    start_version_files=(("host.json", "extensions.durableTask.defaultVersion"),),
    compat_advice=("branch on the orchestration's version (context.version) and bump the default "
                   "version in the same change"),
    replay_error="the orchestration fails with \"Non-Deterministic workflow detected\"",
    recorded_names="casefold",
    modules=("azure.durable_functions", "azure.functions"),
    markers=(b"durable_functions",),
    style="generator",
    context="named",
    default_context_name="context",
    context_types=(
        "azure.durable_functions.DurableOrchestrationContext",
        "azure.durable_functions.models.DurableOrchestrationContext",
        "azure.durable_functions.models.DurableOrchestrationContext.DurableOrchestrationContext",
    ),
    registry_types=_APPS,
    workflow_decorator_attrs=("orchestration_trigger", "durable_openai_agent_orchestrator"),
    activity_decorator_attrs=("activity_trigger",),
    workflow_registrations=("azure.durable_functions.Orchestrator.create",),
    activity_invocations=("call_activity", "call_activity_with_retry"),
    commands={"call_activity": "activity", "call_activity_with_retry": "activity",
              "call_sub_orchestrator": "child", "call_sub_orchestrator_with_retry": "child",
              "call_http": "http", "call_entity": "entity", "create_timer": "timer",
              "wait_for_external_event": "event"},
    combinators=("task_all", "task_any"),
    clocks=("current_utc_datetime",),
    replay_flags=("is_replaying",),
    activity_call=ActivityCall("yield {ctx}.call_activity({name}, ...)", "yield", "{ctx}.call_activity({name}{input})",
                               ", {value}", leading=0),
    async_effect="Azure Durable Functions only drives generators, so the orchestration fails",
    continue_as_new_example=GENERATOR_ETERNAL,
    extract=plan_extraction,
    extract_refusal=_refusal,
    datetime_clock="current_utc_datetime",
    alternatives={
        "*": _ACTIVITY,
        "WFL101": "use {ctx}.current_utc_datetime (aware UTC, replayed from history)",
        "WFL102": "use yield {ctx}.create_timer({ctx}.current_utc_datetime + timedelta(seconds=...))",
        "WFL201": _ACTIVITY + ", or seed a generator with random.Random({ctx}.new_uuid())",
        "WFL202": "use {ctx}.new_uuid() (str) or {ctx}.new_guid() (uuid.UUID), both deterministic",
        "WFL302": _ACTIVITY + ", or use yield {ctx}.call_http(method, url) for plain HTTP",
        "WFL501": "guard it with if not {ctx}.is_replaying:",
        "WFL502": "guard it with if not {ctx}.is_replaying:",
        "WFL601": "run one iteration per instance, then call {ctx}.continue_as_new(state)",
        "WFL701": "schedule activities and combine the yielded tasks with"
                  " {ctx}.task_all([...]) / {ctx}.task_any([...])",
        "WFL903": "write it as a generator: def with yield {ctx}.call_activity(...)",
    },
    call_alternatives={
        ("WFL101", "datetime.datetime.utcnow"):
            "use {ctx}.current_utc_datetime.replace(tzinfo=None)",
        ("WFL101", "time.time"): "use {ctx}.current_utc_datetime.timestamp()",
        ("WFL101", "time.time_ns"): "use int({ctx}.current_utc_datetime.timestamp() * 1e9)",
        ("WFL101", "datetime.date.today"): "use {ctx}.current_utc_datetime.date() (UTC date)",
    },
    rewrites={
        **extraction("WFL201", *IO_CODES),
        **workflow_clock(
            "{ctx}.current_utc_datetime.replace(tzinfo=None)",
            "{ctx}.current_utc_datetime",
            "{ctx}.current_utc_datetime.astimezone({tz})",
            "{ctx}.current_utc_datetime.timestamp()"),
        **replay_guard(),
        **seeded("{ctx}.new_uuid()", "draw", note=UUID5),
        **timer("yield {ctx}.create_timer({ctx}.current_utc_datetime + {timedelta}(seconds={arg0}))"),
        **{f"WFL202:uuid.{fn}": rewrite("{ctx}.new_guid()", UNSAFE, "ctx", "draw", note=UUID5)
           for fn in ("uuid1", "uuid4", "uuid6", "uuid7")},
        **{f"WFL202:uuid.{fn}:str": rewrite("{ctx}.new_uuid()", UNSAFE, "ctx", "draw", note=UUID5, target="str")
           for fn in ("uuid1", "uuid4", "uuid6", "uuid7")},
    },
)
