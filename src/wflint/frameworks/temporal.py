"""Temporal (temporalio): async methods of a @workflow.defn class."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from wflint.frameworks.model import CLASS_DEFINITION, ActivityCall, Framework
from wflint.frameworks._fixes import IO_CODES, SAFE, UNSAFE, extraction, rewrite, workflow_clock
from wflint.fixes.model import VERSION_GATE_NOTE, WRAP
from wflint.stdlib import RANDOM_FUNCTIONS

if TYPE_CHECKING:
    from wflint.fixes.extract import Plan, Toolkit
    from wflint.fixes.model import ImportRequest
    from wflint.fixes.site import FixSite

_NOT_MONOTONIC = "workflow time replaces a monotonic clock"
_SHIFTS_STREAM = ("it draws from the workflow's deterministic stream, so in-flight instances "
                  "see every later workflow.random()/uuid4() value shift on replay")

_ACTIVITY = ("move it into an activity and call it with"
             " await {ctx}.execute_activity(..., start_to_close_timeout=...)")


_WORKER = "temporalio.worker.Worker"


def plan_extraction(kit: Toolkit, site: FixSite, name: str, body: str, free: list[str],
                    imports: list[ImportRequest], discarded: bool) -> Plan | str:
    activity = kit.symbol(site, "temporalio", "activity", imports)
    workflow = kit.symbol(site, "temporalio", "workflow", imports)
    timedelta = kit.symbol(site, "datetime", "timedelta", imports)
    sent, rebuilt = kit.conversions(site, free, imports)
    values = [sent.get(n, n) for n in free]
    if len(values) == 1:
        arguments = f", {values[0]}"
    elif values:
        arguments = ", args=[" + ", ".join(values) + "]"
    else:
        arguments = ""
    call = (f"await {workflow}.execute_activity({name}{arguments}, "
            f"start_to_close_timeout={timedelta}(seconds=30))")
    # code that awaits needs an async activity; anything else may block, so it runs in a sync
    # activity on the worker's activity_executor rather than on its event loop
    is_async = bool(re.search(r"\bawait\b|\basync\s+(with|for)\b", body))
    plan = kit.Plan(kit.function([f"@{activity}.defn"], name, list(free), rebuilt, body, discarded,
                                   is_async=is_async), call)
    worker = _worker(kit, site)
    if worker is None:
        plan.note = f"add {name} to the Worker's activities" + (
            "" if is_async else " (a sync activity needs the Worker's activity_executor=...)")
    else:
        plan.extra = (worker, _worker_with(kit, site, worker, name, is_async, imports))
    return plan


def _worker(kit: Toolkit, site: FixSite) -> ast.Call | None:
    """The one ``Worker(..., activities=[...])`` of the workflow's module."""
    scope = site.module.scope
    # the names a call of Worker can end in: its own, or a module-level import or variable
    tails = frozenset({"Worker", *scope.imports, *scope.stores})
    named: dict[str, bool] = {}  # whether a called name stands for the Worker
    found = []
    for call in site.module.calls_named(tails):
        func = call.func
        if isinstance(func, ast.Name):
            if func.id not in named:
                named[func.id] = kit.resolve(func, scope) == _WORKER
            if not named[func.id]:
                continue
        elif not (isinstance(func, ast.Attribute) and func.attr == "Worker"
                  and kit.resolve(func, scope) == _WORKER):
            continue  # (an attribute's qualified name ends in the attribute's own name)
        if any(k.arg == "activities" and isinstance(k.value, (ast.List, ast.Tuple))
               for k in call.keywords):
            found.append(call)
    return found[0] if len(found) == 1 else None


def _worker_with(kit: Toolkit, site: FixSite, worker: ast.Call, name: str, is_async: bool,
                 imports: list[ImportRequest]) -> str:
    """The Worker call with the new activity in its list (and, for a sync activity, an
    ``activity_executor`` when it has none)."""
    parts = [site.text(argument) for argument in worker.args]
    has_executor = any(k.arg == "activity_executor" for k in worker.keywords)
    for keyword in worker.keywords:
        if keyword.arg == "activities":
            parts.append(f"activities={_with_element(site, keyword.value, name)}")
        else:
            parts.append(site.text(keyword) if keyword.arg is None else
                         f"{keyword.arg}={site.text(keyword.value)}")
    if not is_async and not has_executor:
        executor = kit.symbol(site, "concurrent.futures", "ThreadPoolExecutor", imports)
        parts.append(f"activity_executor={executor}()")
    return f"{site.text(worker.func)}({', '.join(parts)})"


def _with_element(site: FixSite, sequence: ast.List | ast.Tuple, name: str) -> str:
    items = [site.text(element) for element in sequence.elts] + [name]
    opening, closing = ("[", "]") if isinstance(sequence, ast.List) else ("(", ",)" if len(items) == 1 else ")")
    return opening + ", ".join(items) + closing


FRAMEWORK = Framework(
    name="temporal",
    title="Temporal",
    gate_template="{ctx}.patched({id})",
    pinning=("versioning_behavior", "PINNED"),
    gates=("temporalio.workflow.patched",),
    gate_retirements=("temporalio.workflow.deprecate_patch",),
    compat_advice=("gate the new code with if workflow.patched(\"<new id>\"): and keep the old code in "
                   "the else branch"),
    replay_error=("the workflow task fails with [TMPRL1100] Nondeterminism error and retries until "
                  "the code is fixed"),
    modules=("temporalio",),
    markers=(b"temporalio",),
    style="async",
    context="module",
    context_module="temporalio.workflow",
    default_context_name="workflow",
    workflow_class_decorators=("temporalio.workflow.defn",),
    # workflows are classes: ``defn`` counts unless it is an activity's, and a Worker's
    # ``workflows=`` declares one in place only where the module defines a class
    declaration_shapes={b"defn": rb"(?<!activity\.)\bdefn\b", b"workflows=": CLASS_DEFINITION,
                        b"activities=": CLASS_DEFINITION},
    activity_decorators=("temporalio.activity.defn",),
    activity_invocations=(
        "temporalio.workflow.execute_activity",
        "temporalio.workflow.start_activity",
        "temporalio.workflow.execute_local_activity",
        "temporalio.workflow.start_local_activity",
    ),
    worker_types=("temporalio.worker.Worker", "temporalio.worker.Replayer"),
    handler_decorators={
        "temporalio.workflow.run": "run",
        "temporalio.workflow.signal": "signal",
        "temporalio.workflow.query": "query",
        "temporalio.workflow.update": "update",
        "temporalio.workflow.init": "init",
    },
    unrestricted_blocks=("temporalio.workflow.unsafe.sandbox_unrestricted",),
    workflow_only_api=("temporalio.workflow.",),
    compared_keywords=(("activity", "activity_id"), ("child", "id")),
    command_variants={f"temporalio.workflow.{name}": "local activity" for name in (
        "execute_local_activity", "execute_local_activity_method", "execute_local_activity_class",
        "start_local_activity")},
    commands={
        **{f"temporalio.workflow.{name}": "activity" for name in (
            "execute_activity", "execute_local_activity", "execute_activity_method",
            "execute_local_activity_method", "execute_activity_class", "execute_local_activity_class",
            "start_activity", "start_local_activity")},
        "temporalio.workflow.execute_child_workflow": "child",
        "temporalio.workflow.start_child_workflow": "child",
        "temporalio.workflow.sleep": "timer",
        "asyncio.sleep": "timer",
        "temporalio.workflow.wait_condition": "wait",
    },
    coroutines=tuple(f"temporalio.workflow.{name}" for name in (
        "execute_activity", "execute_local_activity", "execute_child_workflow", "start_child_workflow",
        "sleep", "wait_condition", "execute_activity_method", "execute_local_activity_method",
        "execute_activity_class", "execute_local_activity_class")),
    state_waits=("temporalio.workflow.wait_condition",),
    api=("temporalio.workflow.",),
    api_without_commands=tuple(f"temporalio.workflow.{name}" for name in (
        "logger", "info", "now", "time", "unsafe", "in_workflow")),
    clocks=("temporalio.workflow.now", "temporalio.workflow.time", "temporalio.workflow.time_ns"),
    replay_flags=("temporalio.workflow.unsafe.is_replaying",
                  "temporalio.workflow.unsafe.is_replaying_history_events"),
    in_workflow_calls=("temporalio.workflow.in_workflow", "temporalio.workflow.unsafe.in_sandbox"),
    draws=tuple(f"temporalio.workflow.{name}" for name in ("random", "uuid4", "uuid7", "new_random",
                                                           "random_seed")),
    activity_call=ActivityCall(
        "await {ctx}.execute_activity({name}, ..., start_to_close_timeout=...)", "await",
        "{ctx}.execute_activity({name}{input}, start_to_close_timeout={timedelta}(seconds=30))",
        ", {value}", ", args=[{values}]"),
    continue_as_new_example="""\
while True:
    ...
    if workflow.info().is_continue_as_new_suggested():
        workflow.continue_as_new(state)""",
    sandbox_decorator="temporalio.workflow.defn",
    sandbox_opt_outs=("UnsandboxedWorkflowRunner",),
    extract=plan_extraction,
    datetime_clock="temporalio.workflow.now",
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
    rewrites={
        **extraction("WFL201", *IO_CODES),
        **workflow_clock("{workflow}.now().replace(tzinfo=None)", "{workflow}.now()",
                         "{workflow}.now().astimezone({tz})", "{workflow}.time()"),
        "WFL101:time.time_ns": rewrite("{workflow}.time_ns()", SAFE),
        **{f"WFL101:time.{fn}": rewrite("{workflow}.time()", UNSAFE, note=_NOT_MONOTONIC)
           for fn in ("monotonic", "perf_counter", "process_time", "thread_time")},
        **{f"WFL101:time.{fn}_ns": rewrite("{workflow}.time_ns()", UNSAFE, note=_NOT_MONOTONIC)
           for fn in ("monotonic", "perf_counter", "process_time", "thread_time")},
        "WFL102:time.sleep": rewrite("await {workflow}.sleep({arg0})", UNSAFE, "await", "statement",
                                     note=VERSION_GATE_NOTE),
        **{f"WFL201:random.{fn}": rewrite("{workflow}.random().{name}({args})", UNSAFE, "draw",
                                          note=_SHIFTS_STREAM)
           for fn in RANDOM_FUNCTIONS if fn not in ("seed", "getstate", "setstate")},
        "WFL201:random.Random": rewrite("{workflow}.new_random()", UNSAFE, "draw", note=_SHIFTS_STREAM),
        "WFL201:random.SystemRandom": rewrite("{workflow}.new_random()", UNSAFE, "draw",
                                              note="a deterministic generator replaces the system's; "
                                                   + _SHIFTS_STREAM),
        "WFL202:uuid.uuid4": rewrite("{workflow}.uuid4()", UNSAFE, "draw", note=_SHIFTS_STREAM),
        "WFL202:uuid.uuid7": rewrite("{workflow}.uuid7()", UNSAFE, "draw", note=_SHIFTS_STREAM),
        **{f"WFL202:uuid.{fn}": rewrite("{workflow}.uuid7()", UNSAFE, "draw",
                                        note="a deterministic uuid7 replaces a host-based uuid; "
                                             + _SHIFTS_STREAM)
           for fn in ("uuid1", "uuid6")},
        "WFL501:*": rewrite("{workflow}.logger.{method}({args})", SAFE,
                            title="Log through `{workflow}.logger`"),
        "WFL502:*": rewrite("if not {workflow}.unsafe.is_replaying():", SAFE, "statement", kind=WRAP,
                            title="Guard with `if not {workflow}.unsafe.is_replaying():`"),
        "WFL701:asyncio.wait": rewrite("{workflow}.wait({args})", SAFE),
        "WFL701:asyncio.as_completed": rewrite("{workflow}.as_completed({args})", SAFE),
    },
)
