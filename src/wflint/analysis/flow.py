"""Where a value goes, and what can still run after a statement.

Two small flow analyses over one function's syntax tree, computed only when a rule needs
them:

- :func:`escape` — whether the value an expression produces leaves a region of statements
  (a replay-guarded block, or a whole helper): kept in a local that nothing outside reads,
  returned, or stored where it outlives the region (an object from outside, a global, the
  workflow's history, an exception).
- :class:`Episodes` — whether the workflow can still suspend (``yield`` a durable task,
  ``await``) after a statement. Code after which it cannot runs only once, in the final
  episode, and is not repeated by replay.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from wflint.analysis.scope import Scope

#: where a value goes, from the most harmless up
NOWHERE = 0   # discarded, or kept in locals nothing outside the region reads
RETURNED = 1  # returned from the function
STORED = 2    # kept beyond the region: an outer object, a global, history, an exception

#: methods that put their argument into the object they are called on
_KEEPING_METHODS = frozenset({
    "append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft",
    "put", "put_nowait", "push", "__setitem__",
})
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def parent_map(root: ast.AST | None) -> dict[int, ast.AST]:
    """Each node under ``root`` (by ``id``) mapped to its parent."""
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(root) if root is not None else ():
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    return parents


def own_expressions(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The expression parts of a statement, not the statements nested in it."""
    for field in stmt._fields:
        if field in _BLOCK_FIELDS:
            continue
        value = getattr(stmt, field, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST) and not isinstance(item, ast.stmt):
                    yield item
        elif isinstance(value, ast.AST) and not isinstance(value, ast.stmt):
            yield value


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of a block, nested blocks included, not entering nested functions."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _NESTED):
            continue
        for field in _BLOCK_FIELDS:
            block = getattr(node, field, None)
            if block:
                for item in reversed(block):
                    if isinstance(item, ast.stmt):
                        stack.append(item)
                    else:  # an except handler or a match case holds a block
                        stack.extend(reversed(item.body))


def _path(root: ast.AST, target: ast.AST) -> list[ast.AST] | None:
    """The nodes from ``root`` down to ``target`` (both included), within one statement."""
    stack: list[tuple[ast.AST, list[ast.AST]]] = [(root, [root])]
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt) and child is not target:
                continue
            stack.append((child, [*path, child]))
    return None


def _root(target: ast.expr) -> ast.expr:
    while isinstance(target, (ast.Attribute, ast.Subscript, ast.Starred)):
        target = target.value
    return target


def _flatten(targets) -> Iterator[ast.expr]:
    for target in targets:
        if isinstance(target, (ast.Tuple, ast.List)):
            yield from _flatten(target.elts)
        else:
            yield target


class _Sinks:
    """Accumulates where a value goes: the locals it reaches and the worst place it ends in."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.names: set[str] = set()
        self.worst = NOWHERE

    def end(self, where: int) -> None:
        self.worst = max(self.worst, where)

    def local(self, name: str) -> bool:
        scope = self.scope
        return (not scope.is_module and name not in scope.globals and name not in scope.nonlocals
                and name not in scope.params and name in scope.stores)

    def into(self, targets) -> None:
        for target in _flatten(targets):
            root = _root(target)
            if isinstance(root, ast.Name) and self.local(root.id):
                self.names.add(root.id)
            else:
                self.end(STORED)


def _follow(node: ast.AST, stmt: ast.stmt, sinks: _Sinks) -> None:
    """Where the value of ``node`` (an expression inside ``stmt``) goes."""
    path = _path(stmt, node)
    if path is None:
        sinks.end(STORED)
        return
    for parent, child in zip(reversed(path[:-1]), reversed(path[1:])):
        if isinstance(parent, (ast.Yield, ast.YieldFrom, ast.Await, ast.Lambda)):
            sinks.end(STORED)  # into the workflow's history, or captured for later
            return
        if isinstance(parent, ast.NamedExpr) and child is parent.value:
            sinks.into([parent.target])
        elif isinstance(parent, ast.Call) and child is not parent.func:
            func = parent.func
            if isinstance(func, ast.Attribute) and func.attr in _KEEPING_METHODS:
                sinks.into([func.value])
                return
        if parent is stmt:
            break
    if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        sinks.into(targets)
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        if node is not stmt.target:
            sinks.into([stmt.target])
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        sinks.into([item.optional_vars for item in stmt.items if item.optional_vars is not None])
    elif isinstance(stmt, ast.Return):
        sinks.end(RETURNED)
    elif isinstance(stmt, (ast.Expr, ast.If, ast.While, ast.Assert, ast.Delete, ast.Match)):
        pass  # discarded, or decides only what runs inside the region
    else:
        sinks.end(STORED)


def escape(node: ast.expr, stmt: ast.stmt, region: list[ast.stmt], scope: Scope,
           read_outside: frozenset[str]) -> int:
    """Where the value of ``node`` ends, seen from the region of statements it is in.

    ``read_outside`` are the names the function reads outside the region: a local the value
    reaches that is read there lets it out."""
    sinks = _Sinks(scope)
    _follow(node, stmt, sinks)
    if sinks.worst == STORED or not sinks.names:
        return sinks.worst
    done: set[str] = set()
    flat = [s for s in statements(region)]
    while sinks.names - done:
        if sinks.names & read_outside:
            return STORED
        pending = sinks.names - done
        done |= pending
        for inner in flat:
            if isinstance(inner, _NESTED):
                if any(isinstance(n, ast.Name) and n.id in pending for n in ast.walk(inner)):
                    return STORED  # captured by a function defined in the region
                continue
            for part in own_expressions(inner):
                for name in ast.walk(part):
                    if isinstance(name, ast.Name) and name.id in pending and \
                            isinstance(name.ctx, ast.Load):
                        _follow(name, inner, sinks)
                        if sinks.worst == STORED:
                            return STORED
    if sinks.names & read_outside:
        return STORED
    return sinks.worst


def names_read_outside(function: ast.AST, region: list[ast.stmt]) -> frozenset[str]:
    """The names ``function`` reads anywhere but inside ``region``."""
    skip = {id(stmt) for stmt in region}
    found: set[str] = set()
    body = function.body if isinstance(function.body, list) else [function.body]
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if id(node) in skip:
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            found.add(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(found)


# -- episodes -----------------------------------------------------------------------------

class Episodes:
    """Whether a workflow function can still suspend after a statement.

    ``style`` is the framework's: a generator workflow suspends at ``yield``, an async one at
    ``await`` (and ``async for`` / ``async with``). Where a command blocks instead, its call on
    the context ``ctx`` (one of ``methods``) is where the function may stop and later run again
    from the start."""

    def __init__(self, function: ast.FunctionDef | ast.AsyncFunctionDef, style: str,
                 ctx: str | None = None, methods: frozenset[str] = frozenset()) -> None:
        self._ctx = ctx
        self._methods = methods
        self.function = function
        kinds: tuple[type, ...] = ()
        if style in ("generator", "any"):
            kinds += (ast.Yield, ast.YieldFrom)
        if style in ("async", "any"):
            kinds += (ast.Await, ast.AsyncFor, ast.AsyncWith)
        self._kinds = kinds
        self._suspends: dict[int, bool] = {}
        self._parents: dict[int, tuple[ast.AST, list, int]] = {}
        self._index(function)

    def _index(self, owner: ast.AST) -> None:
        stack: list[ast.AST] = [owner]
        while stack:
            node = stack.pop()
            for field in _BLOCK_FIELDS:
                block = getattr(node, field, None)
                if not block or not isinstance(block, list):
                    continue
                for index, item in enumerate(block):
                    if isinstance(item, ast.stmt):
                        self._parents[id(item)] = (node, block, index)
                        if not isinstance(item, _NESTED):
                            stack.append(item)
                    elif isinstance(item, (ast.excepthandler, ast.match_case)):
                        self._parents[id(item)] = (node, block, index)
                        stack.append(item)

    def suspends(self, node: ast.AST) -> bool:
        """``node`` contains a suspension point (not counting nested functions)."""
        key = id(node)
        found = self._suspends.get(key)
        if found is None:
            found = False
            stack = [node]
            while stack:
                current = stack.pop()
                if isinstance(current, self._kinds) or self._blocking_command(current):
                    found = True
                    break
                stack.extend(child for child in ast.iter_child_nodes(current)
                             if not isinstance(child, _NESTED))
            self._suspends[key] = found
        return found

    def _blocking_command(self, node: ast.AST) -> bool:
        if not self._methods or not isinstance(node, ast.Call):
            return False
        func = node.func
        return isinstance(func, ast.Attribute) and func.attr in self._methods and \
            isinstance(func.value, ast.Name) and func.value.id == self._ctx

    def final(self, stmt: ast.stmt, node: ast.AST | None = None) -> bool:
        """``stmt`` runs only in the final episode: no path from it suspends again before the
        function ends. ``node`` is the call in it that matters: suspensions in its own arguments
        (``print(await child)``) come before it."""
        if id(stmt) not in self._parents:
            return False
        if self.suspends(stmt) and not (isinstance(stmt, ast.Expr) and stmt.value is node):
            return False
        return not self._after(stmt, False)

    # -- can anything after this suspend? --------------------------------------------------

    def _after(self, node: ast.AST, raising: bool) -> bool:
        """Something that runs after ``node`` completes normally can suspend. ``raising``: code
        that may raise has run since the statement asked about (an enclosing ``try`` can then
        continue in a handler)."""
        parent, block, index = self._parents[id(node)]
        for stmt in block[index + 1:]:
            if self.suspends(stmt):
                return True
            raising = raising or _may_raise(stmt)
            if isinstance(stmt, (ast.Return, ast.Raise, ast.Break, ast.Continue)):
                return self._leave(parent, block, type(stmt), raising)
        return self._leave(parent, block, None, raising)

    def _leave(self, owner: ast.AST, block: list, how: type | None, raising: bool) -> bool:
        """Control leaves ``block`` of ``owner``: normally (None), or by return/raise/break/continue."""
        if owner is self.function:
            return False
        if isinstance(owner, _NESTED):
            return True  # code of a nested function runs whenever it is called
        if isinstance(owner, ast.excepthandler):
            return self._leave_try(self._parents[id(owner)][0], "handlers", how, raising)
        if isinstance(owner, ast.match_case):
            match = self._parents[id(owner)][0]
            if how is None:
                return self._after(match, raising)
            return self._leave(*self._parents[id(match)][:2], how, raising)
        if isinstance(owner, (ast.For, ast.AsyncFor, ast.While)):
            if block is owner.body:
                if how is ast.Break:
                    return self._after(owner, raising)
                if how in (None, ast.Continue):
                    # the loop runs again, then ends through its else block
                    if self.suspends(owner):
                        return True
                    return self._after(owner, raising)
            elif how is None:
                return self._after(owner, raising)
            return self._leave(*self._parents[id(owner)][:2], how, raising)
        if isinstance(owner, ast.Try) or type(owner).__name__ == "TryStar":
            field = "body" if block is owner.body else "orelse" if block is owner.orelse else "finalbody"
            return self._leave_try(owner, field, how, raising)
        # if, with, match: the block ends where the statement ends
        if how is None:
            return self._after(owner, raising)
        return self._leave(*self._parents[id(owner)][:2], how, raising)

    def _leave_try(self, owner, field: str, how: type | None, raising: bool) -> bool:
        if field in ("body", "handlers", "orelse") and self.suspends_block(owner.finalbody):
            return True
        if field == "body":
            if (raising or how is ast.Raise) and \
                    any(self.suspends_block(handler.body) for handler in owner.handlers):
                return True  # what ran may raise into a handler that suspends
            if how is None and self.suspends_block(owner.orelse):
                return True
            if how is ast.Raise and owner.handlers:
                return self._after(owner, raising)  # a handler may swallow it
        if how is None:
            return self._after(owner, raising)
        return self._leave(*self._parents[id(owner)][:2], how, raising)

    def suspends_block(self, block: list[ast.stmt]) -> bool:
        return any(self.suspends(stmt) for stmt in block)


def _may_raise(stmt: ast.stmt) -> bool:
    """A statement that can raise in practice: it calls, indexes or reads attributes (names,
    literals and arithmetic on them are taken not to)."""
    if isinstance(stmt, (ast.Raise, ast.Assert)):
        return True
    return any(isinstance(node, (ast.Call, ast.Subscript, ast.Attribute, ast.Await, ast.Yield,
                                 ast.YieldFrom))
               for node in ast.walk(stmt))
