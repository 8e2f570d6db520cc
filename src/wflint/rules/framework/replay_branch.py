from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.durable import is_durable
from wflint.analysis.scope import Scope
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.frameworks.model import Framework
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.walker import Guard, Walker


class ReplayBranch(Rule):
    """
    ## What it does
    Flags a durable call — an activity, a timer, a child workflow, an external event — under a
    branch on the replay flag (`if not ctx.is_replaying:`, `if ctx.is_replaying: ... else:`,
    after an early `if ctx.is_replaying: return`, `workflow.unsafe.is_replaying()`). Reported at
    each durable call.

    ## Why is this bad?
    The replay flag is for side effects that must not repeat, such as logs. A durable command
    issued only on the first run (or only on replay) makes the command sequence of the replay
    differ from the history, and the engine fails the instance with a non-determinism error.

    ## Example
    ```python
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def audit(ctx: wf.DaprWorkflowContext, order):
        if not ctx.is_replaying:
            yield ctx.call_activity(record, input=order)
        return order

    @wfr.activity
    def record(ctx, order):
        return order
    ```

    ## Use instead
    ```python
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def audit(ctx: wf.DaprWorkflowContext, order):
        yield ctx.call_activity(record, input=order)
        return order

    @wfr.activity
    def record(ctx, order):
        return order
    ```
    """

    code = "WFL904"
    message = ("{call} is a durable command under a branch on the replay flag in {where}: the "
               "replay issues other commands than the history holds; run it unconditionally")

    def applies_to_framework(self, framework: Framework) -> bool:
        return bool(framework.replay_flags)

    def check_call(self, call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope,
                   guard: Guard) -> None:
        if guard.branch and is_durable(call, unit.framework, unit.ctx_name, scope,
                                       walker.callee_name(call, scope)):
            walker.report(self, call, self.message.format(call=f"{ast.unparse(call.func)}()",
                                                          where=walker.where(unit)))
