from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.scope import Scope
from wflint.frameworks import FRAMEWORKS
from wflint.rules.base import Rule
from wflint.rules.state.global_state import MUTATING_METHODS

if TYPE_CHECKING:
    from wflint.frameworks.model import Framework
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.walker import Guard, Walker


def _on_self(target: ast.expr) -> bool:
    node = target
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
        if isinstance(node, ast.Name) and node.id == "self":
            return True
    return False


class ReadOnlyHandlerEffect(Rule):
    """
    ## What it does
    In a Temporal `@workflow.query` handler or an update validator, flags drawing from the
    workflow's deterministic stream — `workflow.random()`, `workflow.uuid4()`,
    `workflow.uuid7()`, `workflow.new_random()` — and mutating the workflow's state (`self.x = ...`,
    `self.items.append(...)`, `del self.cache[k]`). Reading the clock there is fine.

    ## Why is this bad?
    Queries and validators run outside the workflow's history: they are not replayed. A draw
    from the shared random stream there shifts every later `workflow.random()` or
    `workflow.uuid4()` value of the workflow, so the next replay computes other values; a state
    change there exists on one worker only.

    ## Example
    ```python
    from temporalio import workflow

    @workflow.defn
    class Cart:
        def __init__(self) -> None:
            self.items: list[str] = []
            self.views = 0

        @workflow.run
        async def run(self) -> None:
            await workflow.wait_condition(lambda: len(self.items) > 3)

        @workflow.query
        def contents(self) -> list[str]:
            self.views += 1
            return self.items
    ```

    ## Use instead
    ```python
    from temporalio import workflow

    @workflow.defn
    class Cart:
        def __init__(self) -> None:
            self.items: list[str] = []

        @workflow.run
        async def run(self) -> None:
            await workflow.wait_condition(lambda: len(self.items) > 3)

        @workflow.query
        def contents(self) -> list[str]:
            return list(self.items)
    ```
    """

    code = "WFL905"
    message = ("{call} in {where}, a read-only handler, shifts or changes workflow state that "
               "replay does not reproduce; move it into the run method, a signal or an update")
    calls = {name: None for framework in FRAMEWORKS.values() for name in framework.draws}

    def applies_to_framework(self, framework: Framework) -> bool:
        return bool({"query", "validator"} & set(framework.handler_decorators.values()))

    def applies_to(self, unit: WorkflowUnit) -> bool:
        return unit.kind in ("query", "validator")

    def check_statement(self, stmt: ast.stmt, unit: WorkflowUnit, walker: Walker, scope: Scope,
                        guard: Guard) -> None:
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
            targets = [stmt.target]
        elif isinstance(stmt, ast.Delete):
            targets = stmt.targets
        else:
            return
        for target in targets:
            if _on_self(target):
                walker.report(self, target, self.message.format(
                    call=ast.unparse(target), where=walker.where(unit)))

    def check_call(self, call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope,
                   guard: Guard) -> None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in MUTATING_METHODS and _on_self(func):
            walker.report(self, call, self.message.format(call=f"{ast.unparse(func)}()",
                                                          where=walker.where(unit)))
