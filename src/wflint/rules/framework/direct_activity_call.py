from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.durable import is_durable
from wflint.analysis.scope import Scope
from wflint.analysis.walker import ACTIVITY
from wflint.fixes.model import REPLACE, VERSION_GATE_NOTE, Applicability, Edit, Fix, display_only
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.frameworks.model import Framework
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.walker import Guard, Walker

class DirectActivityCall(Rule):
    """
    ## What it does
    Flags calling an activity function directly (`charge(ctx, order)`) in workflow code instead
    of through the framework (`yield ctx.call_activity(charge, input=order)`). One finding at the
    call; the activity's own hazards are not reported again. DBOS is exempt: calling a
    `@DBOS.step()` function is how DBOS runs a step.

    ## Why is this bad?
    Called directly, the activity runs inline inside the workflow: its result is not recorded,
    it runs again on every replay, and its side effects (payments, e-mails) repeat.

    ## Example
    ```python
    from durabletask import task

    def checkout(ctx: task.OrchestrationContext, order):
        receipt = charge(ctx, order)
        return receipt

    def charge(ctx: task.ActivityContext, order):
        return {"charged": order}
    ```

    ## Use instead
    ```python
    from durabletask import task

    def checkout(ctx: task.OrchestrationContext, order):
        receipt = yield ctx.call_activity(charge, input=order)
        return receipt

    def charge(ctx: task.ActivityContext, order):
        return {"charged": order}
    ```

    ## Fix safety
    Unsafe: scheduling the activity adds a durable command to the workflow's history.
    """

    code = "WFL902"
    fix_availability = "sometimes"
    message = "{call} calls the activity '{name}' directly in {where}: {effect}; use {instead}"

    def applies_to_framework(self, framework: Framework) -> bool:
        return framework.activity_call is not None  # else activities are called directly

    def __init__(self) -> None:
        #: calls handed to a durable command as its argument (``context.step(reserve(x))``
        #: builds the step the command runs), in the unit being walked
        self._handed: set[int] = set()

    def check_unit(self, unit: WorkflowUnit, walker: Walker) -> None:
        self._handed.clear()

    def check_call(self, call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope,
                   guard: Guard) -> None:
        callee = walker.callee_name(call, scope)
        if is_durable(call, unit.framework, unit.ctx_name, scope, callee):
            self._handed.update(id(a) for a in (*call.args, *(k.value for k in call.keywords))
                                if isinstance(a, ast.Call))
            return
        if id(call) in self._handed:
            return
        target = walker.target(call.func, scope, callee)
        if target is None or target.kind != ACTIVITY:
            return
        how = unit.framework.activity_call
        assert how is not None
        ctx = unit.ctx_name or unit.framework.default_context_name
        name = ast.unparse(call.func)
        instead = how.advice.format(ctx=ctx, name=name)
        walker.report(self, call, self.message.format(call=f"{name}()", name=name,
                                                      where=walker.where(unit), effect=how.effect,
                                                      instead=instead),
                      self._fix(call, unit, walker, scope, name, ctx))

    def _fix(self, call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope, name: str,
             ctx: str) -> Fix:
        site = walker.site(call, unit, scope)
        how = unit.framework.activity_call
        assert how is not None
        title = "Call it through the framework"
        if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
            return display_only(title, "the call passes keyword or starred arguments")
        args = [site.text(a) for a in call.args]
        if how.keyword == "await" and not (site.directly_in_workflow and site.is_async):
            return display_only(title, "await needs the call to be directly in an async def")
        if how.keyword == "yield" and not (site.directly_in_workflow and unit.kind == "workflow"):
            return display_only(title, "yield needs the call to be directly in the workflow generator")
        values = args[how.leading:]
        if len(values) > 1 and not how.several:
            return display_only(title, "the activity takes more arguments than one input")
        passed = "" if not values else how.one.format(value=values[0]) if len(values) == 1 else \
            how.several.format(values=", ".join(values))
        imports: list = []
        code = site.render(how.template, imports, ctx=ctx, name=name).replace("{input}", passed)
        if how.keyword == "yield" or how.keyword == "await" and not site.awaited():
            code = f"{how.keyword} {code}"
        if code.startswith(("await ", "yield ")) and not site._whole_value(call):
            code = f"({code})"
        return Fix(Applicability.UNSAFE, title, (Edit(REPLACE, *site.char_range(call), code),),
                   tuple(imports), VERSION_GATE_NOTE)
