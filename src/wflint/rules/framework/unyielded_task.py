from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.durable import is_context_task
from wflint.analysis.scope import Scope, qualname
from wflint.fixes.model import REPLACE, Applicability, Edit, Fix, display_only
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.frameworks.model import Framework
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.walker import Guard, Walker


class UnyieldedTask(Rule):
    """
    ## What it does
    Flags a durable call whose task is thrown away: `ctx.call_activity(...)`,
    `call_child_workflow`, `call_sub_orchestrator`, `call_http`, `call_entity`, `create_timer`,
    `wait_for_external_event`, and `when_all`/`when_any`/`task_all`/`task_any` as a bare
    statement in a generator workflow; in Temporal, a `workflow.execute_activity(...)`,
    `execute_child_workflow`, `start_child_workflow`, `sleep` or `wait_condition` coroutine that
    is never awaited. An entry point that returns such a task (`return context.task_all(tasks)`
    in an orchestrator that never yields) is flagged too: the engine takes the task object as
    the output. A helper that returns a task to a caller that yields it is fine.

    ## Why is this bad?
    The workflow does not wait for the task: a timer does not delay anything, an activity's
    failure goes unnoticed, and the code after it runs before the result exists. In Temporal
    the coroutine never even starts.

    ## Example
    ```python
    from datetime import timedelta
    import azure.durable_functions as df

    app = df.DFApp()

    @app.orchestration_trigger(context_name="context")
    def reminder(context: df.DurableOrchestrationContext):
        context.create_timer(context.current_utc_datetime + timedelta(hours=1))
        return (yield context.call_activity("remind", None))
    ```

    ## Use instead
    ```python
    from datetime import timedelta
    import azure.durable_functions as df

    app = df.DFApp()

    @app.orchestration_trigger(context_name="context")
    def reminder(context: df.DurableOrchestrationContext):
        yield context.create_timer(context.current_utc_datetime + timedelta(hours=1))
        return (yield context.call_activity("remind", None))
    ```

    ## Fix safety
    Unsafe: the workflow now waits for the task, which changes when the code after it runs.
    """

    code = "WFL901"
    fix_availability = "sometimes"
    message = "{call} creates a durable task that {where} never {verb}; {verb_cmd} it"
    returned_message = ("{call} creates a durable task that {where} returns without {verb} it: the "
                        "engine gets the task object as the output and its work is never awaited")

    def applies_to_framework(self, framework: Framework) -> bool:
        # commands are tasks to yield or coroutines to await
        return framework.style in ("generator", "async") and bool(framework.commands)

    def check_statement(self, stmt: ast.stmt, unit: WorkflowUnit, walker: Walker, scope: Scope,
                        guard: Guard) -> None:
        if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Call):
            self._returned(stmt.value, unit, walker, scope)
            return
        if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
            return
        call = stmt.value
        if not _is_task(call, unit, scope):
            return
        temporal = unit.framework.style == "async"  # commands are coroutines to await
        keyword = "await" if temporal else "yield"
        site = walker.site(call, unit, scope)
        allowed = site.directly_in_workflow and (site.is_async if temporal else unit.kind == "workflow")
        title = f"{keyword.capitalize()} the task"
        if allowed:
            fix = Fix(Applicability.UNSAFE, title,
                      (Edit(REPLACE, *site.char_range(call), f"{keyword} {site.text(call)}"),),
                      note="the workflow now waits for the task")
        else:
            fix = display_only(title, f"{keyword} needs the call to be directly in the workflow body")
        text = f"{ast.unparse(call.func)}()"
        verbs = ("awaits", "await") if temporal else ("yields", "yield")
        walker.report(self, call, self.message.format(call=text, where=walker.where(unit),
                                                      verb=verbs[0], verb_cmd=verbs[1]), fix)

    def _returned(self, call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope) -> None:
        """``return context.task_all(tasks)`` in an orchestrator: the engine gets the task object
        as the workflow's output and never runs it (a helper returning a task to a caller that
        yields it is fine, so only entry points count)."""
        if not unit.is_entry or not _is_task(call, unit, scope):
            return
        asynchronous = unit.framework.style == "async"
        site = walker.site(call, unit, scope)
        if not site.directly_in_workflow:
            return
        keyword = "await" if asynchronous else "yield"
        if asynchronous and not site.is_async:
            fix = display_only(f"Return the {keyword}ed result", "await needs an async def workflow")
        else:
            fix = Fix(Applicability.UNSAFE, f"Return the {keyword}ed result",
                      (Edit(REPLACE, *site.char_range(call), f"({keyword} {site.text(call)})"),),
                      note="the workflow now waits for the task and returns its result")
        walker.report(self, call, self.returned_message.format(
            call=f"{ast.unparse(call.func)}()", where=walker.where(unit), verb=f"{keyword}ing"), fix)


def _is_task(call: ast.Call, unit: WorkflowUnit, scope: Scope) -> bool:
    """A durable task the workflow must wait for: a command coroutine (async frameworks) or a
    task of the context or a combinator (generator frameworks)."""
    if unit.framework.style == "async":
        return qualname(call.func, scope) in unit.framework.coroutines
    return is_context_task(call, unit.framework, unit.ctx_name, scope)
