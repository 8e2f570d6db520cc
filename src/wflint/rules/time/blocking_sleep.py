from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.fixes.site import FixSite


class BlockingSleep(Rule):
    """
    ## What it does
    Flags sleeps that are not durable timers: `time.sleep()`, `asyncio.sleep()` outside
    Temporal, and waits on `threading.Event` / `threading.Condition` objects.

    ## Why is this bad?
    A blocking sleep holds the worker thread, is not recorded in history and is repeated on
    every replay; a long one trips deadlock detection (Temporal) or stalls the orchestrator.
    A durable timer is recorded once and survives worker restarts.

    In Temporal, `asyncio.sleep()` is itself a durable timer and is not flagged.

    ## Example
    ```python
    import time
    from durabletask import task

    def retry_wf(ctx: task.OrchestrationContext, order):
        yield ctx.call_activity(charge, input=order)
        time.sleep(30)
        yield ctx.call_activity(charge, input=order)

    def charge(ctx, order):
        return order
    ```

    ## Use instead
    ```python
    from datetime import timedelta
    from durabletask import task

    def retry_wf(ctx: task.OrchestrationContext, order):
        yield ctx.call_activity(charge, input=order)
        yield ctx.create_timer(timedelta(seconds=30))
        yield ctx.call_activity(charge, input=order)

    def charge(ctx, order):
        return order
    ```

    ## Fix safety
    Unsafe: a durable timer (`yield ctx.create_timer(...)`, `await workflow.sleep(...)`,
    `DBOS.sleep(...)`) adds a command to history, so in-flight instances need a version gate.
    Display-only where the timer cannot be yielded or awaited in place: a nested function, a
    helper, part of a larger statement, or an `async def` in a framework that only drives
    generators.
    """

    code = "WFL102"
    fix_availability = "sometimes"
    replay_guardable = False
    message = "{call} sleeps without a durable timer in {where}; {alternative}"
    calls = {
        "time.sleep": None,
        "asyncio.sleep": None,  # a durable timer where the framework says so (Temporal)
        "threading.Event().wait": None,
        "threading.Condition().wait": None,
        "threading.Condition().wait_for": None,
    }

    def shape(self, site: FixSite) -> str:
        """``fresh`` for a wait on an event built in place (``threading.Event().wait(5)``):
        nothing can set it, so it only sleeps; ``short`` for a constant under a second."""
        call = site.node
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
                isinstance(call.func.value, ast.Call) and len(call.args) == 1 and not call.keywords:
            return "fresh"
        if isinstance(call, ast.Call) and len(call.args) == 1 and isinstance(call.args[0], ast.Constant) \
                and isinstance(call.args[0].value, (int, float)) and call.args[0].value < 1:
            return "short"  # under a second, which some durable timers refuse
        return ""
