"""Which calls in workflow code are durable commands (they add to the workflow's history)."""

from __future__ import annotations

import ast

from wflint.analysis.scope import Scope, qualname

#: methods of a generator framework's context that schedule a durable task
CONTEXT_TASKS = frozenset({
    "call_activity", "call_activity_with_retry", "call_child_workflow", "call_sub_orchestrator",
    "call_sub_orchestrator_with_retry", "call_http", "call_entity", "create_timer",
    "wait_for_external_event",
})
#: combinators whose result is a task to yield
COMBINATORS = frozenset({
    "dapr.ext.workflow.when_all", "dapr.ext.workflow.when_any",
    "dapr.ext.workflow.dapr_workflow_context.when_all", "dapr.ext.workflow.dapr_workflow_context.when_any",
    "durabletask.task.when_all", "durabletask.task.when_any",
})
CONTEXT_COMBINATORS = frozenset({"task_all", "task_any"})
#: Temporal's coroutines that must be awaited
TEMPORAL_COROUTINES = frozenset(f"temporalio.workflow.{name}" for name in (
    "execute_activity", "execute_local_activity", "execute_child_workflow", "start_child_workflow",
    "sleep", "wait_condition", "execute_activity_method", "execute_local_activity_method",
    "execute_activity_class", "execute_local_activity_class",
))
#: waits on the workflow's own state: a command only with a timeout (which starts a timer)
WAIT_ON_STATE = frozenset({"temporalio.workflow.wait_condition"})
TEMPORAL_DURABLE = TEMPORAL_COROUTINES | frozenset({
    "temporalio.workflow.start_activity", "temporalio.workflow.start_local_activity",
    "asyncio.sleep",
})


def is_context_task(call: ast.Call, ctx: str | None, scope: Scope) -> bool:
    """``ctx.call_activity(...)``, ``ctx.create_timer(...)``, ``when_all([...])``, ``ctx.task_all``."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == ctx:
        return func.attr in CONTEXT_TASKS or func.attr in CONTEXT_COMBINATORS
    return qualname(func, scope) in COMBINATORS


def is_durable(call: ast.Call, framework: str, ctx: str | None, scope: Scope) -> bool:
    if framework == "temporal":
        return qualname(call.func, scope) in TEMPORAL_DURABLE
    return is_context_task(call, ctx, scope)


#: the framework APIs through which code can add to a workflow's history
_FRAMEWORK_APIS = ("temporalio.workflow.", "dbos.DBOS.", "dapr.ext.workflow.", "durabletask.")


def is_framework_call(call: ast.Call, scope: Scope) -> bool:
    """A call of a workflow framework's own API (``workflow.start_activity(...)``,
    ``DBOS.start_workflow(...)``), or of a method of a workflow context (``ctx.call_activity``)."""
    name = qualname(call.func, scope)
    if name is not None and name.startswith(_FRAMEWORK_APIS):
        return not name.startswith(("temporalio.workflow.logger", "temporalio.workflow.info",
                                    "temporalio.workflow.now", "temporalio.workflow.time",
                                    "temporalio.workflow.unsafe", "temporalio.workflow.in_workflow"))
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in CONTEXT_TASKS
