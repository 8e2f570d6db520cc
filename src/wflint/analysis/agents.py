"""The code an agent runner called from a workflow runs in place: the tools, hooks, guardrails
and callables of the agent it starts (and of the agents it hands off to or uses as tools).

Agents are found by what they were built from, as other objects are: an ``Agent(...)`` call in
the runner's argument, or the one value of a local, module-level or imported variable (also
through ``agent.clone(...)``). What cannot be settled that way is not followed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from wflint.analysis.construction import class_at
from wflint.analysis.scope import Scope, binding_scope, imported_name, qualname
from wflint.frameworks.agents import AGENTS, CALLABLE, GUARDRAILS, HOOKS, RUNNERS, TOOLS, AgentSDK

if TYPE_CHECKING:
    from wflint.analysis.project import Project
    from wflint.analysis.scope import ModuleInfo

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
#: (expression, scope) -> the project function it names and whether it is an activity or step
Resolve = Callable[[ast.expr, Scope], "tuple[ModuleInfo, FunctionNode, bool] | None"]
_MAX_AGENTS = 32


def runner_sdk(name: str | None) -> AgentSDK | None:
    """The agent SDK whose runner ``name`` is."""
    return RUNNERS.get(name) if name else None


def agent_code(sdk: AgentSDK, call: ast.Call, scope: Scope, project: Project | None,
               resolve: Resolve) -> list[tuple[ModuleInfo, FunctionNode, str]]:
    """(module, function, role) for every function the runner ``call`` runs in place."""
    found: list[tuple[ModuleInfo, FunctionNode, str]] = []
    seen: set[int] = set()
    walker = _AgentCode(sdk, project, resolve, found, seen)
    if call.args:
        walker.agent(call.args[0], scope)
    for keyword in call.keywords:
        if keyword.arg == "starting_agent":
            walker.agent(keyword.value, scope)
        elif keyword.arg in sdk.runner_fields:
            walker.field(sdk.runner_fields[keyword.arg], keyword.value, scope)
    unique: dict[int, tuple[ModuleInfo, FunctionNode, str]] = {}
    for entry in found:
        unique.setdefault(id(entry[1]), entry)
    return list(unique.values())


class _AgentCode:
    def __init__(self, sdk: AgentSDK, project: Project | None, resolve: Resolve,
                 found: list, seen: set[int]) -> None:
        self.sdk = sdk
        self.project = project
        self.resolve = resolve
        self.found = found
        self.seen = seen

    def agent(self, expr: ast.expr, scope: Scope) -> None:
        built = self._built(expr, scope, 0)
        if built is None:
            return
        call, where = built
        if id(call) in self.seen or len(self.seen) >= _MAX_AGENTS:
            return
        self.seen.add(id(call))
        for keyword in call.keywords:
            kind = self.sdk.agent_fields.get(keyword.arg or "")
            if kind is not None:
                self.field(kind, keyword.value, where)

    def field(self, kind: str, value: ast.expr, scope: Scope) -> None:
        if kind == HOOKS:
            self._hooks(value, scope)
        elif kind == CALLABLE:
            self._function(value, scope, "callable", require=None)
        elif isinstance(value, (ast.List, ast.Tuple)):
            for item in value.elts:
                if kind == TOOLS:
                    self._tool(item, scope)
                elif kind == AGENTS:
                    self._handoff(item, scope)
                elif kind == GUARDRAILS:
                    self._guardrail(item, scope)

    # -- the pieces -------------------------------------------------------------------------

    def _tool(self, item: ast.expr, scope: Scope) -> None:
        if isinstance(item, ast.Call):
            name = qualname(item.func, scope)
            if name in self.sdk.tool_decorators and item.args:  # function_tool(fn, ...)
                self._function(item.args[0], scope, "tool", require=None)
            elif isinstance(item.func, ast.Attribute) and item.func.attr == self.sdk.as_tool_method:
                self.agent(item.func.value, scope)  # another agent run as a tool
                for keyword in item.keywords:
                    if keyword.arg == "custom_output_extractor":
                        self._function(keyword.value, scope, "tool", require=None)
            return  # anything else (activity_as_tool(fn), a hosted tool) runs elsewhere
        self._function(item, scope, "tool", require=self.sdk.tool_decorators)

    def _handoff(self, item: ast.expr, scope: Scope) -> None:
        if isinstance(item, ast.Call) and qualname(item.func, scope) in self.sdk.handoff_calls:
            if item.args:
                self.agent(item.args[0], scope)
            for keyword in item.keywords:
                if keyword.arg == "agent":
                    self.agent(keyword.value, scope)
                elif keyword.arg in self.sdk.handoff_callables:
                    self._function(keyword.value, scope, "handoff callback", require=None)
            return
        self.agent(item, scope)

    def _guardrail(self, item: ast.expr, scope: Scope) -> None:
        if isinstance(item, ast.Call) and qualname(item.func, scope) in self.sdk.guardrail_types:
            for keyword in item.keywords:
                if keyword.arg == self.sdk.guardrail_keyword:
                    self._function(keyword.value, scope, "guardrail", require=None)
            if item.args:
                self._function(item.args[0], scope, "guardrail", require=None)
            return
        self._function(item, scope, "guardrail", require=self.sdk.guardrail_decorators)

    def _hooks(self, value: ast.expr, scope: Scope) -> None:
        built = self._value(value, scope, 0)
        if built is None or not isinstance(built[0], ast.Call):
            return
        call, where = built
        found = class_at(call.func, where, qualname(call.func, where), self.project)
        if found is None:
            return
        module, cls = found
        for item in cls.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                    item.name.startswith(self.sdk.hook_prefix):
                self.found.append((module, item, "hook"))

    def _function(self, expr: ast.expr, scope: Scope, role: str,
                  require: frozenset[str] | None) -> None:
        target = self.resolve(expr, scope)
        if target is None:
            return
        module, function, is_activity = target
        if is_activity:
            return  # an activity or step: recorded, not run in place
        if require is not None and not any(_decorated_by(d, module.scope, require)
                                           for d in function.decorator_list):
            return
        self.found.append((module, function, role))

    # -- values ---------------------------------------------------------------------------

    def _built(self, expr: ast.expr, scope: Scope, depth: int) -> tuple[ast.Call, Scope] | None:
        """The ``Agent(...)`` call an expression evaluates to."""
        found = self._value(expr, scope, depth)
        if found is None:
            return None
        value, where = found
        if not isinstance(value, ast.Call):
            return None
        if qualname(value.func, where) in self.sdk.agent_types:
            return value, where
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr == self.sdk.clone_method and depth < 4:
            return self._built(func.value, where, depth + 1)
        return None

    def _value(self, expr: ast.expr, scope: Scope, depth: int) -> tuple[ast.expr, Scope] | None:
        """The one expression a name (local, module-level or imported) was assigned."""
        if depth > 4:
            return None
        if isinstance(expr, ast.Name):
            owner = binding_scope(expr.id, scope)
            if owner is not None and owner.binding_kinds(expr.id) == 1:
                values = owner.values.get(expr.id, [])
                if len(values) == 1 and owner.stores.get(expr.id, 0) == 1:
                    return self._value(values[0], owner, depth + 1)
            imported = imported_name(expr.id, scope)
            return self._imported(imported, depth) if imported else None
        if isinstance(expr, ast.Attribute):
            name = qualname(expr, scope)
            return self._imported(name, depth) if name and not name.endswith("()") else None
        return expr, scope

    def _imported(self, name: str, depth: int) -> tuple[ast.expr, Scope] | None:
        if self.project is None:
            return None
        found = self.project.split(name)
        if found is None:
            return None
        module, local = found
        if "." in local:
            return None
        return self._value(ast.Name(id=local, ctx=ast.Load()), module.scope, depth + 1)


def _decorated_by(decorator: ast.expr, scope: Scope, names: frozenset[str]) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return qualname(target, scope) in names

