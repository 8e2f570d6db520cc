from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.fixes.model import display_only
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.frameworks.model import Framework
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.walker import Walker

class AsyncWorkflow(Rule):
    """
    ## What it does
    Flags an `async def` workflow in Dapr, durabletask or Azure Durable Functions. One finding,
    on the `def` line.

    ## Why is this bad?
    These frameworks run a workflow by driving a generator: each `yield` hands a durable task
    to the engine. An `async def` function returns a coroutine instead. Dapr emits no action
    and the instance hangs forever; durabletask and Azure fail the orchestration because the
    coroutine cannot be serialised. (Temporal workflows are `async`, and DBOS accepts both.)

    ## Example
    ```python
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    async def order_wf(ctx: wf.DaprWorkflowContext, order):
        return await ctx.call_activity(save, input=order)

    @wfr.activity
    def save(ctx, order):
        return order
    ```

    ## Use instead
    ```python
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def order_wf(ctx: wf.DaprWorkflowContext, order):
        return (yield ctx.call_activity(save, input=order))

    @wfr.activity
    def save(ctx, order):
        return order
    ```

    ## Fix safety
    Display-only: turning an `async def` workflow into a generator (or, where the framework calls
    handlers synchronously and its commands block, into a plain function) changes every `await`
    in it and needs a person's review.
    """

    code = "WFL903"
    fix_availability = "display-only"
    message = "async def {where}: {effect}; {alternative}"

    def applies_to_framework(self, framework: Framework) -> bool:
        return bool(framework.async_effect)  # a framework that only drives generators
    follows_helpers = False

    def check_unit(self, unit: WorkflowUnit, walker: Walker) -> None:
        if unit.kind == "workflow" and isinstance(unit.node, ast.AsyncFunctionDef):
            alternative = walker.alternative(unit, self.code)
            shape = "a generator" if unit.framework.style == "generator" else "a plain function"
            walker.report(self, unit.node, self.message.format(
                where=walker.where(unit), effect=unit.framework.async_effect, alternative=alternative),
                display_only(f"Rewrite the workflow as {shape}", alternative))
