from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.scope import Scope
from wflint.fixes.model import REPLACE, VERSION_GATE_NOTE, Applicability, Edit, Fix, display_only
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.walker import Guard, Walker

_INSTEAD = {
    "dapr": "yield {ctx}.call_activity({name}, input=...)",
    "durabletask": "yield {ctx}.call_activity({name}, input=...)",
    "azure": "yield {ctx}.call_activity({name}, ...)",
    "temporal": "await {ctx}.execute_activity({name}, ..., start_to_close_timeout=...)",
}


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
    message = ("{call} calls the activity '{name}' directly in {where}: it runs inline on every "
               "replay and its result is not recorded; use {instead}")
    frameworks = frozenset({"dapr", "durabletask", "azure", "temporal"})

    def check_call(self, call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope,
                   guard: Guard) -> None:
        target = walker.target(call.func, scope)
        if target is None or target[2] != "activity":
            return
        fw = unit.framework.name
        ctx = unit.ctx_name or unit.framework.default_context_name
        name = ast.unparse(call.func)
        instead = _INSTEAD[fw].format(ctx=ctx, name=name)
        walker.report(self, call, self.message.format(call=f"{name}()", name=name,
                                                      where=walker.where(unit), instead=instead),
                      self._fix(call, unit, walker, scope, name, ctx))

    def _fix(self, call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope, name: str,
             ctx: str) -> Fix:
        site = walker.site(call, unit, scope)
        fw = unit.framework.name
        title = "Call it through the framework"
        if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
            return display_only(title, "the call passes keyword or starred arguments")
        args = [site.text(a) for a in call.args]
        if fw == "temporal":
            if not (site.directly_in_workflow and site.is_async):
                return display_only(title, "await needs the call to be directly in an async def")
            imports: list = []
            timedelta = site.render("{timedelta}", imports)
            passed = f", {args[0]}" if len(args) == 1 else (f", args=[{', '.join(args)}]" if args else "")
            code = f"{ctx}.execute_activity({name}{passed}, start_to_close_timeout={timedelta}(seconds=30))"
            if not site.awaited():
                code = f"await {code}"
        else:
            if not (site.directly_in_workflow and unit.kind == "workflow"):
                return display_only(title, "yield needs the call to be directly in the workflow generator")
            imports = []
            value = args[-1] if args and (fw == "azure" or len(args) == 2) else None
            if len(args) > 2 or (fw == "azure" and len(args) > 1):
                return display_only(title, "the activity takes more arguments than one input")
            passed = "" if value is None else (f", {value}" if fw == "azure" else f", input={value}")
            code = f"yield {ctx}.call_activity({name}{passed})"
        if code.startswith(("await ", "yield ")) and not site._whole_value(call):
            code = f"({code})"
        return Fix(Applicability.UNSAFE, title, (Edit(REPLACE, *site.char_range(call), code),),
                   tuple(imports), VERSION_GATE_NOTE)
