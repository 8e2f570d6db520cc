"""The replay flag: which conditions say that the workflow is, or is not, replaying.

A *replay guard* is a condition that must hold for code to run and that can only hold on the
first execution: ``not ctx.is_replaying``, alone or in a conjunction
(``if session_id and not ctx.is_replaying:``), as an early exit (``if ctx.is_replaying:
return``), through a local (``replaying = getattr(ctx, "is_replaying", False)``), through a
one-level predicate helper (``def _is_replaying(ctx): return bool(ctx.is_replaying)``) or
through a helper's parameter that the caller fills only when not replaying
(``_publish(sid if not ctx.is_replaying else None)`` with ``if not sid: return`` inside).

Two questions are asked of a condition, and they are not each other's negation:

- :meth:`ReplayFlags.live_when_true` — when the condition is true, the workflow is not
  replaying (the ``if`` body is guarded);
- :meth:`ReplayFlags.true_when_replaying` — whenever the workflow replays, the condition is
  true (the ``else`` branch, and the code after an early exit taken on it, are guarded).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from wflint.analysis.scope import Scope, binding_scope, qualname, recording, replay, resolve_function
from wflint.frameworks import FRAMEWORKS

#: what a name or a value says about the replay flag
FLAG = "flag"   # true whenever the workflow replays (``ctx.is_replaying``)
LIVE = "live"   # true only when the workflow does not replay (``not ctx.is_replaying``)

#: functions that return the replay flag (``workflow.unsafe.is_replaying()``)
REPLAY_FLAG_CALLS = frozenset(flag for fw in FRAMEWORKS.values() for flag in fw.replay_flags if "." in flag)
#: attributes of a context that hold it (``ctx.is_replaying``)
_FLAG_ATTRIBUTES = frozenset(flag for fw in FRAMEWORKS.values() for flag in fw.replay_flags if "." not in flag)
#: calls that are true exactly when the code runs inside a workflow
IN_WORKFLOW_CALLS = frozenset(name for fw in FRAMEWORKS.values() for name in fw.in_workflow_calls)
_NO_TOKENS: Mapping[str, str] = {}


def _falsy_constant(expr: ast.expr | None) -> bool:
    return expr is None or (isinstance(expr, ast.Constant) and not expr.value)


class ReplayFlags:
    """Answers questions about the replay flag in conditions, with a cache of predicate helpers.

    ``tokens`` maps parameter names to :data:`FLAG` or :data:`LIVE` when the caller of a helper
    passed such a value in."""

    def __init__(self, project=None) -> None:
        self.project = project
        self._predicates: dict[tuple[int, int, int], str | None] = {}
        #: the project files each remembered predicate was worked out from
        self._paths: dict[tuple[int, int, int], frozenset[str]] = {}
        self._active: set[tuple[int, str]] = set()

    # -- the two questions -------------------------------------------------------------

    def live_when_true(self, test: ast.expr, scope: Scope,
                       tokens: Mapping[str, str] = _NO_TOKENS, depth: int = 0) -> bool:
        """``test`` can only be true when the workflow is not replaying."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.true_when_replaying(test.operand, scope, tokens, depth)
        if isinstance(test, ast.BoolOp):
            parts = (self.live_when_true(v, scope, tokens, depth) for v in test.values)
            return any(parts) if isinstance(test.op, ast.And) else all(parts)
        compared = _compared_with_bool(test)
        if compared is not None:
            operand, truth = compared
            return (self.live_when_true(operand, scope, tokens, depth) if truth
                    else self.true_when_replaying(operand, scope, tokens, depth))
        return self.atom(test, scope, tokens, depth) == LIVE

    def true_when_replaying(self, test: ast.expr, scope: Scope,
                            tokens: Mapping[str, str] = _NO_TOKENS, depth: int = 0) -> bool:
        """``test`` is true whenever the workflow replays (false only on the first execution)."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.live_when_true(test.operand, scope, tokens, depth)
        if isinstance(test, ast.BoolOp):
            parts = (self.true_when_replaying(v, scope, tokens, depth) for v in test.values)
            return any(parts) if isinstance(test.op, ast.Or) else all(parts)
        compared = _compared_with_bool(test)
        if compared is not None:
            operand, truth = compared
            return (self.true_when_replaying(operand, scope, tokens, depth) if truth
                    else self.live_when_true(operand, scope, tokens, depth))
        return self.atom(test, scope, tokens, depth) == FLAG

    def only_when_replaying(self, test: ast.expr, scope: Scope,
                            tokens: Mapping[str, str] = _NO_TOKENS, negated: bool = False) -> bool:
        """``test`` (or, with ``negated``, its negation) can only be true while the workflow
        replays: ``if ctx.is_replaying:``, or the ``else`` of ``if not ctx.is_replaying:``."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.only_when_replaying(test.operand, scope, tokens, not negated)
        if isinstance(test, ast.BoolOp):
            conjunction = isinstance(test.op, ast.And) != negated  # De Morgan under negation
            parts = (self.only_when_replaying(v, scope, tokens, negated) for v in test.values)
            return any(parts) if conjunction else all(parts)
        compared = _compared_with_bool(test)
        if compared is not None:
            operand, truth = compared
            return self.only_when_replaying(operand, scope, tokens, negated != (not truth))
        return not negated and self.atom(test, scope, tokens) == FLAG

    def exits_on_replay(self, test: ast.expr, scope: Scope,
                        tokens: Mapping[str, str] = _NO_TOKENS) -> bool:
        """An early exit on ``test`` leaves the rest of the block to the first execution: the
        test holds whenever the workflow replays, or it is a conjunction with the flag itself
        (``if ctx.is_replaying and not force: return``), a replay policy the author chose."""
        if self.true_when_replaying(test, scope, tokens):
            return True
        return (isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And)
                and any(self.true_when_replaying(v, scope, tokens) for v in test.values))

    def mentions(self, test: ast.expr, scope: Scope, tokens: Mapping[str, str] = _NO_TOKENS) -> bool:
        """``test`` reads the replay flag somewhere (a branch on it)."""
        for node in ast.walk(test):
            if isinstance(node, (ast.Attribute, ast.Call, ast.Name)) and \
                    self.atom(node, scope, tokens, 0) is not None:
                return True
        return False

    # -- atoms -------------------------------------------------------------------------

    def atom(self, expr: ast.expr, scope: Scope, tokens: Mapping[str, str] = _NO_TOKENS,
             depth: int = 0) -> str | None:
        """:data:`FLAG`, :data:`LIVE` or None for a single value."""
        if isinstance(expr, ast.Attribute):
            return FLAG if expr.attr in _FLAG_ATTRIBUTES else None
        if isinstance(expr, ast.Name):
            if expr.id in tokens:
                return tokens[expr.id]
            return self._local(expr.id, scope, tokens, depth)
        if isinstance(expr, ast.Call):
            return self._call(expr, scope, tokens, depth)
        return None

    def _call(self, call: ast.Call, scope: Scope, tokens: Mapping[str, str], depth: int) -> str | None:
        func = call.func
        builtin = qualname(func, scope) if isinstance(func, ast.Name) else None
        if builtin == "builtins.getattr" and len(call.args) >= 2:
            name = call.args[1]
            if isinstance(name, ast.Constant) and name.value in _FLAG_ATTRIBUTES:
                return FLAG
            return None
        if builtin == "builtins.bool" and len(call.args) == 1:
            return self._value(call.args[0], scope, tokens, depth)
        if not call.args and not call.keywords:
            if isinstance(func, ast.Attribute) and func.attr in _FLAG_ATTRIBUTES:
                return FLAG  # ``ctx.is_replaying()`` where the flag is a method
            if isinstance(func, ast.Name) and self._local(func.id, scope, tokens, depth) == FLAG:
                return FLAG  # ``value()`` where ``value = getattr(ctx, "is_replaying")``
            if qualname(func, scope) in REPLAY_FLAG_CALLS:
                return FLAG
        if depth == 0:
            return self._predicate(func, scope)
        return None

    def _value(self, expr: ast.expr, scope: Scope, tokens: Mapping[str, str], depth: int) -> str | None:
        """What a whole expression (not only an atom) says: FLAG, LIVE or None."""
        if self.true_when_replaying(expr, scope, tokens, depth):
            return FLAG
        if self.live_when_true(expr, scope, tokens, depth):
            return LIVE
        return None

    def _local(self, name: str, scope: Scope, tokens: Mapping[str, str], depth: int) -> str | None:
        """A local every binding of which is a flag value (or every one a negated flag)."""
        owner = binding_scope(name, scope)
        if owner is None or owner.is_module or name in owner.params:
            return None
        values = owner.values.get(name)
        key = (id(owner), name)
        if not values or len(values) != owner.stores.get(name, 0) or key in self._active:
            return None
        self._active.add(key)
        try:
            kinds = {self._value(value, owner, tokens, depth) for value in values}
        finally:
            self._active.discard(key)
        return kinds.pop() if len(kinds) == 1 else None

    def _predicate(self, func: ast.expr, scope: Scope) -> str | None:
        """A one-level predicate helper: every ``return`` gives the flag (or its negation), or a
        falsy constant (the helper's fallback when the flag cannot be read)."""
        found = self._function(func, scope)
        if found is None:
            return None
        module, function = found
        key = (module.serial, function.lineno, function.col_offset)
        if key in self._predicates:
            replay(self.project, self._paths.get(key))  # the files it was worked out from
            return self._predicates[key]
        self._predicates[key] = None
        inner = module.scope_of(function, module.scope)
        kinds: set[str | None] = set()
        with recording(self.project) as paths:
            for node in _returns(function.body):
                if _falsy_constant(node.value):
                    continue
                kinds.add(self._value(node.value, inner, _NO_TOKENS, 1))
        self._paths[key] = frozenset(paths)
        result = kinds.pop() if len(kinds) == 1 else None
        self._predicates[key] = result
        return result

    def _function(self, func: ast.expr, scope: Scope):
        if isinstance(func, ast.Name):
            local = resolve_function(func.id, scope)
            if local is not None:
                return scope.module, local
        if self.project is not None:
            name = qualname(func, scope)
            if name is not None and not name.endswith("()"):
                return self.project.function(name)
        return None

    # -- running inside a workflow ---------------------------------------------------------

    @staticmethod
    def in_workflow(test: ast.expr, scope: Scope) -> bool | None:
        """True: the test holds only inside a workflow (``workflow.in_workflow()``); False: only
        outside one (``not workflow.in_workflow()``); None: it says nothing about that."""
        negated = False
        while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            negated = not negated
            test = test.operand
        if isinstance(test, ast.Call) and not test.args and qualname(test.func, scope) in IN_WORKFLOW_CALLS:
            return not negated
        return None


def _compared_with_bool(test: ast.expr) -> tuple[ast.expr, bool] | None:
    """``x == True`` / ``x is False`` / ``x != True``: (x, whether the test means ``x``)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    right = test.comparators[0]
    if not (isinstance(right, ast.Constant) and isinstance(right.value, bool)):
        return None
    op = test.ops[0]
    if isinstance(op, (ast.Eq, ast.Is)):
        return test.left, right.value
    if isinstance(op, (ast.NotEq, ast.IsNot)):
        return test.left, not right.value
    return None


def _returns(body: list[ast.stmt]):
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            yield node
            continue
        if isinstance(node, ast.stmt) or isinstance(node, ast.excepthandler):
            stack.extend(child for child in ast.iter_child_nodes(node)
                         if isinstance(child, (ast.stmt, ast.excepthandler)))


def falsy_when_replaying(arg: ast.expr, flags: ReplayFlags, scope: Scope,
                         tokens: Mapping[str, str] = _NO_TOKENS) -> str | None:
    """What an argument tells the callee: LIVE when it is only truthy on the first execution
    (``sid if not ctx.is_replaying else None``, ``not ctx.is_replaying``), FLAG when it is the
    flag itself."""
    if isinstance(arg, ast.IfExp):
        if flags.live_when_true(arg.test, scope, tokens) and _falsy_constant(arg.orelse):
            return LIVE
        if flags.true_when_replaying(arg.test, scope, tokens) and _falsy_constant(arg.body):
            return LIVE
        return None
    if isinstance(arg, (ast.Constant, ast.Lambda)):
        return None
    if flags.true_when_replaying(arg, scope, tokens):
        return FLAG
    if flags.live_when_true(arg, scope, tokens):
        return LIVE
    return None
