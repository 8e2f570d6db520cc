from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.durable import is_durable, is_framework_call
from wflint.analysis.flow import own_expressions, statements
from wflint.analysis.scope import Scope, qualname
from wflint.fixes.model import REPLACE, Applicability, Edit, Fix
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.walker import Guard, Walker

SET_TYPES = frozenset({"builtins.set()", "builtins.frozenset()"})
_SET_OPERATORS = (ast.BitOr, ast.BitAnd, ast.Sub, ast.BitXor)
_SET_METHODS = frozenset({"union", "intersection", "difference", "symmetric_difference", "copy"})
#: calls whose result depends on the order their argument iterates in
_ORDERING_CALLS = frozenset({"builtins.list", "builtins.tuple", "builtins.enumerate", "builtins.zip",
                             "builtins.iter", "builtins.dict.fromkeys"})


def is_set(expr: ast.expr, scope: Scope) -> bool:
    """Whether ``expr`` is certainly a set: a literal, a comprehension, a set(...) call, a set
    operation with a set on one side, or a name bound only to sets."""
    if isinstance(expr, (ast.Set, ast.SetComp)):
        return True
    if isinstance(expr, ast.Call):
        if qualname(expr.func, scope) in ("builtins.set", "builtins.frozenset"):
            return True
        func = expr.func
        return isinstance(func, ast.Attribute) and func.attr in _SET_METHODS and is_set(func.value, scope)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, _SET_OPERATORS):
        return is_set(expr.left, scope) or is_set(expr.right, scope)
    if isinstance(expr, (ast.Name, ast.Attribute)):
        return qualname(expr, scope) in SET_TYPES
    return False


class SetIteration(Rule):
    """
    ## What it does
    Flags iterating a `set` or `frozenset` in workflow code — a set literal or comprehension, a
    `set(...)` call, a set operation (`a | b`, `a & b`, `a - b`, `a ^ b`) or a name bound to one —
    in a `for` loop, a comprehension, or `list()`, `tuple()`, `enumerate()`, `zip()`, `iter()`,
    `dict.fromkeys()` and `str.join()`. `sorted(...)`, `len`, `in`, `sum`, `min` and `max` do not
    depend on the order and are fine.

    Not flagged: iterations whose order cannot matter — a set comprehension, a dict
    comprehension keyed by the element, and a `for` loop whose body only inserts into sets or
    dicts (`aliases.setdefault(name, name)`, `index[name] = ...`, `seen.add(name)`) or makes
    calls, whose results it discards, that issue no durable command.

    ## Why is this bad?
    The iteration order of a set of strings depends on `PYTHONHASHSEED`, which differs between
    worker processes. Activities scheduled in set order are scheduled in another order on
    replay, and the workflow no longer matches its history.

    ## Example
    ```python
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def notify_all(ctx: wf.DaprWorkflowContext, users):
        for user in set(users):
            yield ctx.call_activity(notify, input=user)

    @wfr.activity
    def notify(ctx, user):
        return user
    ```

    ## Use instead
    ```python
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def notify_all(ctx: wf.DaprWorkflowContext, users):
        for user in sorted(set(users)):
            yield ctx.call_activity(notify, input=user)

    @wfr.activity
    def notify(ctx, user):
        return user
    ```

    ## Fix safety
    Unsafe: `sorted(...)` needs items that can be compared, and it changes the order the first
    run used.
    """

    code = "WFL801"
    fix_availability = "sometimes"
    message = ("iterating the set {call} in {where} follows hash order, which differs between "
               "worker processes; iterate sorted({call}) instead")

    def check_iteration(self, iterable: ast.expr, owner: ast.AST, unit: WorkflowUnit,
                        walker: Walker, scope: Scope) -> None:
        if is_set(iterable, scope) and not _order_free(owner, unit, walker, scope):
            self._report(iterable, unit, walker, scope)

    def check_call(self, call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope,
                   guard: Guard) -> None:
        func = call.func
        joins = (isinstance(func, ast.Attribute) and func.attr == "join"
                 and isinstance(func.value, ast.Constant) and isinstance(func.value.value, str))
        if not call.args:
            return  # nothing is iterated
        callee = None if joins else walker.callee_name(call, scope)
        if not joins and callee not in _ORDERING_CALLS:
            return
        whole_list = callee == "builtins.list" and len(call.args) == 1 and not call.keywords
        for argument in call.args:
            if is_set(argument, scope):
                # list(s) becomes sorted(s), which is already a list
                self._report(argument, unit, walker, scope, call if whole_list else None)

    def _report(self, node: ast.expr, unit: WorkflowUnit, walker: Walker, scope: Scope,
                replaced: ast.expr | None = None) -> None:
        site = walker.site(node, unit, scope)
        text = site.text(node)
        target = replaced or node
        fix = Fix(Applicability.UNSAFE, f"Iterate `sorted({text})`",
                  (Edit(REPLACE, *site.char_range(target), f"sorted({text})"),),
                  note="sorted() needs items that can be compared, and the order changes")
        shown = text if len(text) <= 40 else text[:37] + "..."
        walker.report(self, node, self.message.format(call=shown, where=walker.where(unit)), fix)


#: methods that insert into (or remove from) a set or dict by key: order does not show
_KEYED_METHODS = frozenset({"add", "discard", "remove", "setdefault", "update", "pop", "__setitem__"})
#: methods that keep the order they are called in
_ORDERED_METHODS = frozenset({"append", "extend", "insert", "appendleft", "extendleft", "write",
                              "writelines", "put", "put_nowait", "push", "send", "sendall"})


def _order_free(owner: ast.AST, unit: WorkflowUnit, walker: Walker, scope: Scope) -> bool:
    """Whether the order in which ``owner`` (a loop or comprehension) visits items can show."""
    if isinstance(owner, ast.SetComp):
        return True
    if isinstance(owner, ast.DictComp):
        targets = {n.id for g in owner.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        return isinstance(owner.key, ast.Name) and owner.key.id in targets
    if not isinstance(owner, (ast.For, ast.AsyncFor)) or isinstance(owner, ast.AsyncFor):
        return False
    assigned: set[str] = set()
    for stmt in statements(owner.body):
        if isinstance(stmt, (ast.Pass, ast.Continue, ast.If)):
            pass
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            if not _independent_call(stmt.value, unit, walker, scope):
                return False
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, ast.Subscript):
                    continue  # keyed insertion
                if isinstance(target, ast.Name):
                    assigned.add(target.id)  # a temporary of this turn
                    continue
                return False
        else:
            return False
        for node in own_expressions(stmt):
            if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr)) for n in ast.walk(node)):
                return False
            for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
                if is_durable(call, unit.framework, unit.ctx_name, scope) or \
                        is_framework_call(call, scope, unit.framework):
                    return False
    if assigned:
        # a temporary read after the loop keeps the last turn's value: the order shows
        loop_ids = {id(n) for n in ast.walk(owner)}
        function = scope.node
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and node.id in assigned and id(node) not in loop_ids:
                return False
    return True


def _independent_call(call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope) -> bool:
    """A call, whose result is discarded, that puts nothing in order and issues no durable
    command (itself or, for a project function or method, anything it calls)."""
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr in _KEYED_METHODS:
            return True
        if func.attr in _ORDERED_METHODS:
            return False
    if is_durable(call, unit.framework, unit.ctx_name, scope) or is_framework_call(call, scope, unit.framework):
        return False
    found = walker.callee(call, scope)
    if found is not None:
        return not walker.issues_commands(found[1], found[0], unit)
    return True
