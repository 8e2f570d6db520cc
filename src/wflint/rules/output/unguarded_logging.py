from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from dataclasses import replace

from wflint.fixes.model import WRAP, Applicability, Fix, display_only
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.frameworks.model import Framework
    from wflint.fixes.site import FixSite

#: the keyword arguments a stdlib logging call takes
_STDLIB_KEYWORDS = frozenset({"exc_info", "stack_info", "stacklevel", "extra"})
#: the methods Temporal's workflow.logger (a logging.LoggerAdapter) has
ADAPTER_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})

#: why output in a branch that only runs on replay gets no fix
REPLAY_ONLY = ("this code only runs while the workflow replays: a replay guard (or a replay-safe "
               "logger) would silence it for good")

LEVELS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log")
#: objects that are loggers, as qualified names of what they are bound to
LOGGERS = (
    "logging", "logging.root", "logging.getLogger()", "logging.Logger()",
    "structlog.get_logger()", "structlog.getLogger()", "structlog.stdlib.get_logger()",
    "structlog.get_logger().bind()", "loguru.logger",
)


class UnguardedLogging(Rule):
    """
    ## What it does
    Flags logging in workflow code that is not replay-safe: the `logging.info()`-style module
    functions, methods of loggers from `logging.getLogger(...)` (created at module level or
    locally), `structlog` loggers and `loguru`'s `logger`.

    Not flagged: calls under a replay guard — `if not ctx.is_replaying:` alone or in a
    conjunction, after an early `if ctx.is_replaying: return`, through a local or a predicate
    helper holding the flag, or inside a helper called under one; calls that can only run after
    the workflow's last durable call, on a path that ends it (they run once, in the final
    episode); loggers made by durabletask's `ctx.create_replay_safe_logger(...)`, and Temporal's
    `workflow.logger`. DBOS is exempt: it re-executes a workflow only to recover from a crash.

    ## Why is this bad?
    Every replay runs the workflow code again from the start, so every log line is written
    again each time the workflow wakes up: logs fill with duplicates that look like repeated
    work. It does not change decisions, hence a warning.

    ## Example
    ```python
    import logging
    import dapr.ext.workflow as wf

    log = logging.getLogger(__name__)
    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def ship(ctx: wf.DaprWorkflowContext, order):
        log.info("shipping %s", order)
        yield ctx.call_activity(send, input=order)

    @wfr.activity
    def send(ctx, order):
        return order
    ```

    ## Use instead
    ```python
    import logging
    import dapr.ext.workflow as wf

    log = logging.getLogger(__name__)
    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def ship(ctx: wf.DaprWorkflowContext, order):
        if not ctx.is_replaying:
            log.info("shipping %s", order)
        yield ctx.call_activity(send, input=order)

    @wfr.activity
    def send(ctx, order):
        return order
    ```

    ## Fix safety
    Safe: `if not ctx.is_replaying:` around the call (Dapr, durabletask, Azure; consecutive
    guarded lines share one block), or a stdlib logger call rewritten to `workflow.logger`
    (Temporal): the first execution logs the same, and no command is added. Unsafe: a
    structlog or loguru call without keyword arguments rewritten to `workflow.logger` (a stdlib
    logger formats differently). Display-only: such a call with keyword arguments, a method
    `workflow.logger` lacks, a call that is part of a larger statement, and code that only runs
    while the workflow replays (a guard would silence it for good).
    """

    code = "WFL501"
    fix_availability = "sometimes"
    message = "{call} logs again on every replay of {where}; {alternative}"
    calls = {f"{logger}.{level}": None for logger in LOGGERS for level in LEVELS}
    calls.update({f"loguru.logger.{level}": None for level in ("trace", "success")})

    def applies_to_framework(self, framework: Framework) -> bool:
        return framework.replays_code  # output repeats only where the code replays

    def fix(self, site: FixSite, qualname: str | None, **values: str) -> Fix | None:
        if site.replay_only:
            return display_only("Remove the call, or move it out of the replay branch", REPLAY_ONLY)
        call = site.node
        entry = site.unit.framework.rewrite_for(self.code, qualname)
        replaces_logger = entry is not None and entry.kind != WRAP  # e.g. with workflow.logger
        if replaces_logger and isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            if call.func.attr not in ADAPTER_METHODS:
                return display_only("Log through workflow.logger",
                                    f"workflow.logger has no '{call.func.attr}' method")
            if not (qualname or "").startswith("logging"):
                # structlog and loguru: other call conventions than a stdlib logger's
                extra = sorted(k.arg or "**" for k in call.keywords if k.arg not in _STDLIB_KEYWORDS)
                if extra:
                    return display_only("Log through workflow.logger",
                                        "workflow.logger is a stdlib logger: it takes no keyword "
                                        f"arguments such as {', '.join(extra)}; rewrite the call by hand")
                fix = super().fix(site, qualname)
                if fix is not None and fix.edits:
                    return replace(fix, applicability=Applicability.UNSAFE,
                                   note="a stdlib logger formats the message with %-style arguments, "
                                        "not as this logger did")
                return fix
        return super().fix(site, qualname)
