"""AWS Lambda durable functions (aws_durable_execution_sdk_python): a handler decorated with
``@durable_execution`` runs again from the start after every wait or failure, and every
``context.step(...)`` returns its checkpointed result on the way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wflint.fixes.model import VERSION_GATE_NOTE, WRAP
from wflint.frameworks._fixes import DISPLAY, IO_CODES, SAFE, UNSAFE, extraction, rewrite
from wflint.frameworks.model import ActivityCall, Framework

if TYPE_CHECKING:
    from wflint.fixes.extract import Plan, Toolkit
    from wflint.fixes.model import ImportRequest
    from wflint.fixes.site import FixSite

_SDK = "aws_durable_execution_sdk_python"
#: each public name is importable from the package and from the module that defines it
_HANDLERS = (f"{_SDK}.durable_execution", f"{_SDK}.execution.durable_execution")
_CHILDREN = tuple(f"{_SDK}{where}.{name}" for where in ("", ".context")
                  for name in ("durable_with_child_context", "durable_parallel_branch"))
_STEPS = tuple(f"{_SDK}{where}.{name}" for where in ("", ".context")
               for name in ("durable_step", "durable_wait_for_callback"))
_STEP = "run it in a step: {ctx}.step(lambda _: ..., name=...)"
_SHORT_WAIT = "the SDK refuses waits under a second"


def plan_extraction(kit: Toolkit, site: FixSite, name: str, body: str, free: list[str],
                    imports: list[ImportRequest], discarded: bool) -> Plan | str:
    """An expression runs inline as a step (``context.step(lambda _: ..., name="...")``: the
    closure reads the workflow's locals, only the result is checkpointed); statements moved
    whole become a ``@durable_step`` function called through ``context.step``."""
    ctx = site.unit.ctx_name
    if "\n" not in body and not discarded:
        return kit.Plan("", f'{ctx}.step(lambda _: {body}, name="{name}")')
    step = kit.symbol(site, _SDK, "durable_step", imports)
    definition = kit.function([f"@{step}"], name, ["step_context", *free], [], body, discarded)
    return kit.Plan(definition, f"{ctx}.step({name}({', '.join(free)}))")


FRAMEWORK = Framework(
    name="aws",
    title="AWS Lambda durable functions",
    compat_advice="deploy it as a new function version: executions stay on the version they started on",
    replay_error=("nothing is raised: each operation silently receives the checkpoint recorded at "
                  "its position"),
    modules=(_SDK,),
    markers=(_SDK.encode(),),
    style="any",
    context="named",
    default_context_name="context",
    context_positions={name: -1 for name in _HANDLERS},
    context_types=(f"{_SDK}.DurableContext", f"{_SDK}.context.DurableContext"),
    activity_context_types=(f"{_SDK}.StepContext", f"{_SDK}.types.StepContext"),
    workflow_decorators=(*_HANDLERS, *_CHILDREN),
    activity_decorators=_STEPS,
    activity_invocations=("step",),
    symbols={"Duration": (f"{_SDK}.config", "Duration")},
    commands={"step": "step", "wait": "timer", "wait_for_callback": "event",
              "wait_for_condition": "wait", "create_callback": "event", "invoke": "child",
              "map": "child", "parallel": "child", "run_in_child_context": "child"},
    commands_block=True,
    api=(f"{_SDK}.",),
    replay_flags=("is_replaying",),
    activity_call=ActivityCall("{ctx}.step({name}(...))", "", "{ctx}.step({name}({input}))",
                               "{value}", "{values}",
                               effect="it only builds the step, which never runs"),
    async_effect=("the SDK calls handlers synchronously, so an async def handler returns a "
                  "coroutine that never runs"),
    activity_noun="step",
    extract=plan_extraction,
    alternatives={
        "*": _STEP,
        "WFL102": "use {ctx}.wait(Duration.from_seconds(seconds)), which suspends the function",
        "WFL305": "wait for the value with {ctx}.wait_for_callback(...) or take it in the event",
        "WFL501": "log through {ctx}.logger, which skips replayed logs, or guard it with "
                  "if not {ctx}.is_replaying():",
        "WFL502": "guard it with if not {ctx}.is_replaying(): or log through {ctx}.logger",
        "WFL903": "write it as a plain def: its steps and waits block until they are done",
        "WFL601": "bound the loop: every turn's steps and waits stay in the execution's history",
        "WFL701": "fan out with {ctx}.map(...) or {ctx}.parallel(...)",
    },
    rewrites={
        **extraction("WFL101", "WFL201", "WFL202", *IO_CODES),
        "WFL102:time.sleep": rewrite("{ctx}.wait({Duration}.from_seconds({arg0}))", UNSAFE, "ctx",
                                     "statement", note=f"{VERSION_GATE_NOTE}; {_SHORT_WAIT}"),
        "WFL102:time.sleep:short": rewrite("", DISPLAY, title="Wait at least a second",
                                           note=_SHORT_WAIT),
        **{code: rewrite("if not {ctx}.is_replaying():", SAFE, "ctx", "statement", kind=WRAP,
                         title="Guard with `if not {ctx}.is_replaying():`")
           for code in ("WFL501:*", "WFL502:*")},
    },
)
