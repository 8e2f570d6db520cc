from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.flow import parent_map
from wflint.analysis.scope import binding_scope
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.analysis.scope import Scope

#: what may be done with a container keyed by identities without exposing them
_KEYED_METHODS = frozenset({"add", "discard", "remove", "get", "pop", "setdefault", "__contains__"})
_CONTAINER_METHODS = _KEYED_METHODS | {"clear", "values", "copy"}


class IdentityHash(Rule):
    """
    ## What it does
    Flags `id(...)` and `hash(...)` in workflow code whose value is ordered, formatted, stored,
    returned or sent to an activity or child workflow.

    Not flagged: an identity that only keys a set or dict local to the function, used for
    membership within one execution (`if id(node) in seen: continue; seen.add(id(node))`, a
    visited set while walking a graph or an exception chain), and comparing two identities.

    ## Why is this bad?
    `id()` is a memory address, different in every process, and `hash()` of a `str` or `bytes`
    is salted per process (`PYTHONHASHSEED`). A replay on another worker computes other values,
    so any decision, key or activity input derived from them diverges.

    ## Example
    ```python
    from temporalio import workflow

    @workflow.defn
    class Shard:
        @workflow.run
        async def run(self, customer: str) -> int:
            return hash(customer) % 16
    ```

    ## Use instead
    ```python
    import hashlib
    from temporalio import workflow

    @workflow.defn
    class Shard:
        @workflow.run
        async def run(self, customer: str) -> int:
            return int(hashlib.sha256(customer.encode()).hexdigest(), 16) % 16
    ```

    ## Fix safety
    Unsafe: `hash(value)` becomes a number derived from `hashlib.sha256` of the value's text,
    the same in every process but not the number `hash()` gave (and a value whose `str()` shows
    its address stays unstable). `id()` has no automatic fix: an identity has no stable
    equivalent.
    """

    code = "WFL802"
    fix_availability = "sometimes"
    message = ("{call} differs between processes (object identity or salted hashing) in {where}; "
               "use a stable value such as hashlib.sha256 of the data")
    calls = {"builtins.id": None, "builtins.hash": None}

    def accepts(self, node: ast.Call, statement: ast.stmt | None, scope: Scope) -> bool:
        function = scope.node
        if statement is None or scope.is_module:
            return True
        return not _membership_only(node, function, scope)


def _membership_only(call: ast.Call, function: ast.AST, scope: Scope) -> bool:
    """The identity ``call`` computes only keys a function-local container (or is compared with
    another identity), directly or through a local that is used only that way."""
    return _keys_only(call, parent_map(function), scope, function, depth=0)


def _keys_only(node: ast.expr, parents: dict[int, ast.AST], scope: Scope, function: ast.AST,
               depth: int) -> bool:
    parent = parents.get(id(node))
    if isinstance(parent, ast.Compare):
        if parent.left is node and all(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops):
            return all(_local_container(c, scope) for c in parent.comparators)
        operands = [parent.left, *parent.comparators]
        return all(isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)) for op in parent.ops) \
            and all(_is_identity(o) for o in operands)
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is node and \
            isinstance(parent.func, ast.Attribute) and parent.func.attr in _KEYED_METHODS:
        return _local_container(parent.func.value, scope)
    if isinstance(parent, ast.Subscript) and parent.slice is node:
        return _local_container(parent.value, scope)
    if isinstance(parent, ast.Assign) and depth == 0 and len(parent.targets) == 1 and \
            isinstance(parent.targets[0], ast.Name):
        # ``key = id(node)``, then only ``key in seen`` / ``seen.add(key)``
        name = parent.targets[0].id
        if binding_scope(name, scope) is not scope or name in scope.params or scope.stores.get(name) != 1:
            return False
        uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name
                and isinstance(n.ctx, ast.Load)]
        return all(_keys_only(use, parents, scope, function, 1) for use in uses)
    return False


def _is_identity(expr: ast.expr) -> bool:
    return (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name)
            and expr.func.id in ("id", "hash"))


def _local_container(expr: ast.expr, scope: Scope) -> bool:
    """A container bound in a function (not module state, not an attribute) whose every use
    keeps the identities inside: membership, keyed access, ``len``, clearing, its values."""
    if not isinstance(expr, ast.Name):
        return False
    owner = binding_scope(expr.id, scope)
    if owner is None or owner.is_module:
        return False
    root = owner.node
    parents = parent_map(root)
    for node in ast.walk(root):
        if not (isinstance(node, ast.Name) and node.id == expr.id and isinstance(node.ctx, ast.Load)):
            continue
        use = parents.get(id(node))
        if isinstance(use, ast.Compare) and node in use.comparators:
            continue
        if isinstance(use, ast.Attribute) and use.attr in _CONTAINER_METHODS:
            continue
        if isinstance(use, ast.Subscript) and use.value is node:
            continue
        if isinstance(use, ast.Call) and isinstance(use.func, ast.Name) and use.func.id == "len":
            continue
        return False
    return True
