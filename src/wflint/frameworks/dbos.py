"""DBOS (dbos): @DBOS.workflow() functions whose steps are checkpointed."""

from wflint.frameworks import Framework

_STEP = "move it into a @DBOS.step() function or wrap it in DBOS.run_step({\"name\": ...}, fn, ...)"

FRAMEWORK = Framework(
    name="dbos",
    title="DBOS",
    modules=("dbos",),
    markers=(b"dbos",),
    style="any",
    context="module",
    context_module="dbos.DBOS",
    default_context_name="DBOS",
    workflow_decorators=("dbos.DBOS.workflow",),
    activity_decorators=("dbos.DBOS.step", "dbos.DBOS.transaction", "dbos.DBOS.communicator"),
    activity_decorator_attrs=("transaction",),
    activity_invocations=("dbos.DBOS.run_step", "dbos.DBOS.run_step_async"),
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
)
