from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.scope import Scope, qualname, resolve_function
from wflint.fixes.model import display_only
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.walker import Walker

_ENDLESS_ITERATORS = frozenset({"itertools.count", "itertools.cycle", "itertools.repeat"})
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_GENERATOR_SHAPE = """\
# one iteration per instance; the state travels in the input
result = yield {ctx}.call_activity(step, input=state)
yield {ctx}.create_timer(...)
{ctx}.continue_as_new(new_state)
return"""
#: what the loop becomes, per framework (shown, never applied: the loop state must become input)
CONTINUE_AS_NEW = {
    "dapr": _GENERATOR_SHAPE,
    "durabletask": _GENERATOR_SHAPE,
    "azure": _GENERATOR_SHAPE,
    "temporal": """\
while True:
    ...
    if workflow.info().is_continue_as_new_suggested():
        workflow.continue_as_new(state)""",
}


class UnboundedLoop(Rule):
    """
    ## What it does
    Flags `while True:`, `while 1:`, `for _ in itertools.count()` and
    `for _ in itertools.cycle(...)` loops in workflow code whose body runs a durable operation
    (a yielded or awaited activity, timer, event or child workflow, or a DBOS step) and never
    calls continue-as-new inside the loop. Reported on the loop's first line.

    ## Why is this bad?
    Every durable operation adds events to the workflow's history, and a replay re-reads all
    of them. A workflow that loops forever grows its history without bound until replays get
    slow and the engine's history limits end the instance. Eternal workflows run one
    iteration per instance and restart themselves with continue-as-new.

    ## Example
    ```python
    from datetime import timedelta
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def monitor(ctx: wf.DaprWorkflowContext, job_id):
        while True:
            status = yield ctx.call_activity(check, input=job_id)
            if status == "done":
                return status
            yield ctx.create_timer(timedelta(minutes=5))

    @wfr.activity
    def check(ctx, job_id):
        return "done"
    ```

    ## Use instead
    ```python
    from datetime import timedelta
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def monitor(ctx: wf.DaprWorkflowContext, job_id):
        status = yield ctx.call_activity(check, input=job_id)
        if status == "done":
            return status
        yield ctx.create_timer(timedelta(minutes=5))
        ctx.continue_as_new(job_id)

    @wfr.activity
    def check(ctx, job_id):
        return "done"
    ```
    """

    code = "WFL601"
    message = "{call} loop in {where} repeats durable operations without continue-as-new, " \
              "so its history grows without bound; {alternative}"

    def check_loop(self, loop: ast.While | ast.For | ast.AsyncFor, unit: WorkflowUnit,
                   walker: Walker, scope: Scope) -> None:
        header = self._endless_header(loop, scope)
        if header is None:
            return
        durable = False
        for node in _loop_nodes(loop):
            if _is_continue_as_new(node, scope):
                return
            if not durable and self._is_durable(node, unit, walker, scope):
                durable = True
        if durable:
            alternative = walker.alternative(unit, self.code)
            fix = display_only("Run one iteration per instance, then continue as new", alternative,
                               suggestion=CONTINUE_AS_NEW.get(unit.framework.name, ""))
            walker.report(self, loop, self.message.format(
                call=header, where=walker.where(unit), alternative=alternative), fix)

    def _endless_header(self, loop: ast.While | ast.For | ast.AsyncFor, scope: Scope) -> str | None:
        if isinstance(loop, ast.While):
            test = loop.test
            if isinstance(test, ast.Constant) and test.value in (True, 1) and not isinstance(test.value, str):
                return f"while {test.value!r}:"
            return None
        iterator = loop.iter
        if isinstance(iterator, ast.Call) and qualname(iterator.func, scope) in _ENDLESS_ITERATORS:
            name = qualname(iterator.func, scope)
            if name == "itertools.repeat" and (len(iterator.args) > 1 or iterator.keywords):
                return None
            return f"for ... in {name}():"
        return None

    def _is_durable(self, node: ast.AST, unit: WorkflowUnit, walker: Walker, scope: Scope) -> bool:
        style = unit.framework.style
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return style in ("generator", "any")
        if isinstance(node, ast.Await):
            return style in ("async", "any")
        if isinstance(node, ast.Call) and unit.framework.name in ("dbos", "generic"):
            name = qualname(node.func, scope)
            if name is not None and name.startswith("dbos.DBOS."):
                return True
            if isinstance(node.func, ast.Name):
                target = resolve_function(node.func.id, scope)
                return target is not None and (target in walker.discovery.activities
                                               or walker.discovery.unit_for(target) is not None)
        return False


def _loop_nodes(loop: ast.While | ast.For | ast.AsyncFor):
    """Every node of the loop's body, not descending into nested functions or classes."""
    stack: list[ast.AST] = list(loop.body)
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, _NESTED):
                stack.append(child)


def _is_continue_as_new(node: ast.AST, scope: Scope) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr == "continue_as_new"
    if isinstance(func, ast.Name):
        name = qualname(func, scope)
        return name is not None and name.endswith(".continue_as_new")
    return False
