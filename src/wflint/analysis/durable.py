"""Which calls in workflow code are durable commands (they add to the workflow's history).

What each framework's commands are is data of its :class:`~wflint.frameworks.model.Framework`
(``commands``, ``combinators``, ``coroutines``, ``state_waits``, ``api``); this module only
matches calls against it.
"""

from __future__ import annotations

import ast

from wflint.analysis.scope import Scope, qualname
from wflint.frameworks import FRAMEWORKS
from wflint.frameworks.model import Framework

#: combinators of every framework whose result is a task (``when_all([...])``)
COMBINATORS = frozenset(name for fw in FRAMEWORKS.values() for name in fw.combinators if "." in name)
#: waits on the workflow's own state: a command only with a timeout (which starts a timer)
STATE_WAITS = frozenset(name for fw in FRAMEWORKS.values() for name in fw.state_waits)
_API = tuple(prefix for fw in FRAMEWORKS.values() for prefix in fw.api)
_API_WITHOUT_COMMANDS = tuple(prefix for fw in FRAMEWORKS.values() for prefix in fw.api_without_commands)


#: a callee's name not worked out yet (None is a name that could not be resolved)
UNKNOWN = object()


def is_context_task(call: ast.Call, framework: Framework, ctx: str | None, scope: Scope,
                    name: object = UNKNOWN) -> bool:
    """``ctx.call_activity(...)``, ``ctx.create_timer(...)``, ``when_all([...])``, ``ctx.task_all``.
    ``name``: the callee's qualified name, when the caller has it."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == ctx:
        return func.attr in framework.context_methods
    return (qualname(func, scope) if name is UNKNOWN else name) in COMBINATORS


def is_durable(call: ast.Call, framework: Framework, ctx: str | None, scope: Scope,
               name: object = UNKNOWN) -> bool:
    """The call is one of the framework's durable commands or combinators (``name``: the
    callee's qualified name, when the caller has it)."""
    if framework.context == "module":
        callee = qualname(call.func, scope) if name is UNKNOWN else name
        return framework.command_kind(callee) is not None  # type: ignore[arg-type]
    return is_context_task(call, framework, ctx, scope, name)


def is_framework_call(call: ast.Call, scope: Scope, framework: Framework) -> bool:
    """A call of a workflow framework's own API (``workflow.start_activity(...)``,
    ``DBOS.start_workflow(...)``), or of a command method of ``framework``'s context on any
    receiver (``self.ctx.call_activity``)."""
    name = qualname(call.func, scope)
    if name is not None and name.startswith(_API):
        return not name.startswith(_API_WITHOUT_COMMANDS)
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in framework.command_methods
