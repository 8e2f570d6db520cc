from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.scope import ModuleInfo, Scope, binding_scope
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.walker import Guard, Walker

#: methods that change the object they are called on
MUTATING_METHODS = frozenset({
    "append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault",
    "add", "discard", "difference_update", "intersection_update", "symmetric_difference_update",
    "sort", "reverse", "appendleft", "extendleft", "popleft", "rotate",
})


def module_object(name: str, scope: Scope) -> bool:
    """``name`` is a module-level variable (not an import, function or class) seen from ``scope``."""
    owner = binding_scope(name, scope)
    if owner is None or not owner.is_module:
        return False
    return (name in owner.stores and name not in owner.imports and name not in owner.functions
            and name not in owner.classes)


def _root_name(target: ast.expr) -> ast.Name | None:
    node = target
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node if isinstance(node, ast.Name) else None


class GlobalState(Rule):
    """
    ## What it does
    Flags each mutation of module-level state in workflow code: assignment or augmented
    assignment to a name declared `global`, item or attribute assignment (or `del`) on a
    module-level object, and mutating method calls on one (`append`, `update`, `pop`, `add`,
    `clear`, ...). The `global` statement itself is not a finding.

    Not flagged in a Temporal workflow that runs in the sandbox: the sandbox gives every run
    (and replay) its own fresh copy of the workflow's module. It is flagged with
    `@workflow.defn(sandboxed=False)` and in modules that use `UnsandboxedWorkflowRunner`.

    ## Why is this bad?
    Module state lives in the worker process, not in the workflow's history. A replay — on
    this worker after a restart, or on another worker — starts from different module state,
    and several workflow instances on one worker share and corrupt each other's values.

    ## Example
    ```python
    from durabletask import task

    processed = []

    def batch(ctx: task.OrchestrationContext, items):
        for item in items:
            yield ctx.call_activity(handle, input=item)
            processed.append(item)
        return len(processed)

    def handle(ctx, item):
        return item
    ```

    ## Use instead
    ```python
    from durabletask import task

    def batch(ctx: task.OrchestrationContext, items):
        processed = []
        for item in items:
            yield ctx.call_activity(handle, input=item)
            processed.append(item)
        return len(processed)

    def handle(ctx, item):
        return item
    ```
    """

    code = "WFL803"
    message = ("{call} changes module-level state in {where}; that state is not in the workflow's "
               "history and is shared by every instance on the worker: keep it in workflow locals "
               "(or the workflow's own object) and pass it in the input")

    def check_statement(self, stmt: ast.stmt, unit: WorkflowUnit, walker: Walker, scope: Scope,
                        guard: Guard) -> None:
        if _sandboxed(unit, walker.module):
            return
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
            targets = [stmt.target] if not isinstance(stmt, ast.AnnAssign) or stmt.value else []
        elif isinstance(stmt, ast.Delete):
            targets = stmt.targets
        else:
            return
        for target in _flatten(targets):
            if isinstance(target, ast.Name):
                if target.id in scope.globals:
                    self._report(target, target.id, unit, walker)
            else:
                root = _root_name(target)
                if root is not None and module_object(root.id, scope):
                    self._report(target, ast.unparse(target), unit, walker)

    def check_call(self, call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope,
                   guard: Guard) -> None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in MUTATING_METHODS and \
                not _sandboxed(unit, walker.module):
            root = _root_name(func.value)
            if root is not None and module_object(root.id, scope):
                self._report(call, f"{ast.unparse(func)}()", unit, walker)

    def _report(self, node: ast.AST, text: str, unit: WorkflowUnit, walker: Walker) -> None:
        walker.report(self, node, self.message.format(call=text, where=walker.where(unit)))


def _sandboxed(unit: WorkflowUnit, module: ModuleInfo) -> bool:
    """A Temporal workflow that runs in the sandbox, which re-imports the workflow's module for
    every run (and replay): its module state is the run's own. Not so with
    ``@workflow.defn(sandboxed=False)``, nor in a module that uses ``UnsandboxedWorkflowRunner``."""
    framework = unit.framework
    if not framework.sandbox_decorator or unit.class_name is None:
        return False
    if any(module.uses_name(name) for name in framework.sandbox_opt_outs):
        return False
    classes = module.scope.classes.get(unit.class_name)
    if not classes or len(classes) != 1:
        return False
    cls = classes[0]
    for decorator in cls.decorator_list:
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == "sandboxed" and not (isinstance(keyword.value, ast.Constant)
                                                       and keyword.value.value is True):
                    return False
    return True



def _flatten(targets):
    for target in targets:
        if isinstance(target, (ast.Tuple, ast.List)):
            yield from _flatten(target.elts)
        elif isinstance(target, ast.Starred):
            yield from _flatten([target.value])
        else:
            yield target
