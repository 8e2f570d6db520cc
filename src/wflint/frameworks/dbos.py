"""DBOS (dbos): @DBOS.workflow() functions whose steps are checkpointed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wflint.frameworks.model import Framework, attribute_use
from wflint.frameworks._fixes import DISPLAY, UNSAFE, extraction, rewrite
from wflint.fixes.model import VERSION_GATE_NOTE

if TYPE_CHECKING:
    from wflint.fixes.extract import Plan, Toolkit
    from wflint.fixes.model import ImportRequest
    from wflint.fixes.site import FixSite

_STEP_NOTE = "adds a checkpointed step: " + VERSION_GATE_NOTE
_RUN_STEP = rewrite('{DBOS}.run_step({"name": "{name}"}, {func}{rest})', UNSAFE, note=_STEP_NOTE,
                    async_template='await {DBOS}.run_step_async({"name": "{name}"}, {func}{rest})',
                    plain_template="{DBOS}.run_step(None, {func}{rest})")

_STEP = "move it into a @DBOS.step() function or wrap it in DBOS.run_step({\"name\": ...}, fn, ...)"


def plan_extraction(kit: Toolkit, site: FixSite, name: str, body: str, free: list[str],
                    imports: list[ImportRequest], discarded: bool) -> Plan | str:
    dbos = kit.symbol(site, "dbos", "DBOS", imports)
    return kit.Plan(kit.function([f"@{dbos}.step()"], name, list(free), [], body, discarded,
                                 is_async=False),
                    f"{name}({', '.join(free)})")


FRAMEWORK = Framework(
    name="dbos",
    title="DBOS",
    gate_template="{ctx}.patch({id})",
    gates=("dbos.DBOS.patch", "dbos.DBOS.patch_async"),
    gate_retirements=("dbos.DBOS.deprecate_patch", "dbos.DBOS.deprecate_patch_async"),
    app_version_hashed=True,
    app_version_settings=("application_version", "DBOS__APPVERSION"),
    app_version_upgrades=("enable_patching", "auto_upgrade"),
    app_version_advice=("keep workers of the old version running until its workflows finish, or fork them "
                        "to the new version (DBOS.fork_workflow(..., application_version=)); to replay "
                        "them on new code instead, set application_version in the DBOS config and gate "
                        "changes with DBOS.patch"),
    compat_advice=("gate the new code with if DBOS.patch(\"<new id>\"): and keep the old code in the "
                   "else branch"),
    replay_error=("recovery fails with DBOSUnexpectedStepError (with a fixed application_version or "
                  "enable_patching; by default the new version never recovers them at all)"),
    modules=("dbos",),
    markers=(b"dbos",),
    style="any",
    context="module",
    context_module="dbos.DBOS",
    default_context_name="DBOS",
    workflow_decorators=("dbos.DBOS.workflow",),
    declaration_shapes={b"workflow": attribute_use("workflow")},  # a method of the DBOS class
    activity_decorators=("dbos.DBOS.step", "dbos.DBOS.transaction", "dbos.DBOS.communicator"),
    activity_decorator_attrs=("transaction",),
    activity_invocations=("dbos.DBOS.run_step", "dbos.DBOS.run_step_async"),
    commands={"dbos.DBOS.run_step": "step", "dbos.DBOS.run_step_async": "step",
              "dbos.DBOS.sleep": "timer", "dbos.DBOS.sleep_async": "timer",
              "dbos.DBOS.start_workflow": "child", "dbos.DBOS.start_workflow_async": "child",
              "dbos.DBOS.recv": "event", "dbos.DBOS.recv_async": "event",
              "dbos.DBOS.send": "signal", "dbos.DBOS.send_async": "signal"},
    api=("dbos.DBOS.",),
    replays_code=False,
    step_runner="dbos.DBOS.run_step",
    extract=plan_extraction,
    activity_noun="step",
    json_boundary=False,
    alternatives={
        "*": _STEP,
        "WFL102": "use {ctx}.sleep(seconds) (or await {ctx}.sleep_async(seconds) in an async workflow)",
        "WFL601": "bound the loop, or run each iteration as its own workflow with {ctx}.create_schedule(...)",
        "WFL701": "start concurrent work with {ctx}.start_workflow(...) or a queue",
    },
    call_alternatives={
        ("WFL701", "asyncio.wait"): "use {ctx}.asyncio_wait(...), which checkpoints the order",
        ("WFL701", "asyncio.as_completed"): "use {ctx}.asyncio_wait(...), which checkpoints the order",
    },
    rewrites={
        **extraction("WFL301", "WFL302", "WFL303", "WFL304", "WFL305"),
        "WFL101:*": _RUN_STEP,
        "WFL201:*": _RUN_STEP,
        "WFL201:random.shuffle": rewrite("", DISPLAY, title="Shuffle in a step",
                                         note="an in-place shuffle is not checkpointed: use "
                                              "DBOS.run_step({\"name\": \"sample\"}, random.sample, x, len(x))"),
        "WFL202:*": _RUN_STEP,
        "WFL401:*": _RUN_STEP,
        "WFL402:*": _RUN_STEP,
        "WFL102:time.sleep": rewrite("{DBOS}.sleep({arg0})", UNSAFE, "statement", note=VERSION_GATE_NOTE,
                                     async_template="await {DBOS}.sleep_async({arg0})"),
        "WFL102:asyncio.sleep": rewrite("{DBOS}.sleep_async({arg0})", UNSAFE, note=VERSION_GATE_NOTE),
        "WFL701:asyncio.wait": rewrite("{DBOS}.asyncio_wait({args})", UNSAFE,
                                       note="it records a checkpointed step; " + VERSION_GATE_NOTE),
    },
)
