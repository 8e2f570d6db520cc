"""Checks every fixed text must pass before it is handed back, as a compiler would check it.

- It compiles (``compile()``, not only ``ast.parse``: a ``yield`` in an ``async def`` or a
  ``return`` with a value in an async generator parse, and fail here).
- It has no finding that the text before it did not have (counted per code): a fix never
  trades one hazard for another, such as a ``workflow.uuid4()`` in a query handler (WFL905).
- Every name it reads is defined: a fix never leaves a reference to a name it did not import
  or bind.
"""

from __future__ import annotations

import ast
import builtins
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__loader__",
                                        "__package__", "__builtins__", "__path__", "__annotations__",
                                        "__dict__", "__class__", "__qualname__", "__module__"}
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
           ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def problem(before: str, after: str, path: str, old_codes: Iterable[str], new_codes: Iterable[str],
            fixed_codes: Iterable[str]) -> str:
    """Why ``after`` (the fixed text) cannot be handed back, or "" when it can."""
    try:
        tree = ast.parse(after, path or "<fixed>")
        compile(tree, path or "<fixed>", "exec", dont_inherit=True)  # the compiler's own checks
    except (SyntaxError, ValueError) as exc:
        return f"the fixed code does not compile: {exc}"
    remaining = Counter(old_codes)
    remaining.subtract(Counter(fixed_codes))
    added = [code for code, count in Counter(new_codes).items() if count > max(remaining[code], 0)]
    if added:
        return f"the fix would add a finding ({', '.join(sorted(added))})"
    try:
        missing = undefined_names(tree) - _undefined_in(before)
    except SyntaxError:
        return ""
    if missing:
        return f"the fixed code reads undefined names: {', '.join(sorted(missing))}"
    return ""


@lru_cache(maxsize=4)
def _undefined_in(text: str) -> frozenset[str]:
    """:func:`undefined_names` of a text (the text before a fix is checked against each try)."""
    return frozenset(undefined_names(ast.parse(text)))


def undefined_names(tree: ast.Module) -> set[str]:
    """Names read somewhere in the module that no enclosing scope, the module or the builtins
    bind (a star import makes every name possibly defined)."""
    if any(isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
           for node in ast.walk(tree)):
        return set()
    missing: set[str] = set()
    _visit(tree, [_bound(tree)], missing)
    return missing


def _visit(node: ast.AST, scopes: list[set[str]], missing: set[str]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.ClassDef):
            for part in (*child.decorator_list, *child.bases, *(k.value for k in child.keywords)):
                _check(part, scopes, missing)
            class_scopes = [*scopes, _bound(child)]
            for item in child.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    # a method's header sees the class body's names; its body does not
                    _function(item, class_scopes, scopes, missing)
                else:
                    _visit(ast.Module(body=[item], type_ignores=[]), class_scopes, missing)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _function(child, scopes, scopes, missing)
        elif isinstance(child, _SCOPES):
            _visit(child, [*scopes, _bound(child)], missing)
        else:
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load) and \
                    child.id not in _BUILTINS and not any(child.id in scope for scope in scopes):
                missing.add(child.id)
            _visit(child, scopes, missing)


def _function(function: ast.FunctionDef | ast.AsyncFunctionDef, header: list[set[str]],
              outer: list[set[str]], missing: set[str]) -> None:
    args = function.args
    for part in (*function.decorator_list, *args.defaults, *(d for d in args.kw_defaults if d)):
        _check(part, header, missing)
    inner = [*outer, _bound(function)]
    for statement in function.body:
        _visit(ast.Module(body=[statement], type_ignores=[]), inner, missing)


def _check(expr: ast.expr, scopes: list[set[str]], missing: set[str]) -> None:
    _visit(ast.Expression(body=expr), scopes, missing)


def _bound(node: ast.AST) -> set[str]:
    """Every name a scope binds (parameters, assignments, imports, definitions, globals)."""
    names: set[str] = set()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = node.args
        names.update(a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))
        if args.vararg:
            names.add(args.vararg.arg)
        if args.kwarg:
            names.add(args.kwarg.arg)
    body = node.body if isinstance(getattr(node, "body", None), list) else \
        [node.body] if isinstance(node, ast.Lambda) else []
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        body = [g for g in node.generators]
    stack: list[ast.AST] = list(body)
    while stack:
        current = stack.pop()
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(current.name)
            stack.extend(getattr(current, "decorator_list", ()))
            continue
        if isinstance(current, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            if isinstance(current, ast.Lambda):
                continue
            # comprehension targets are local to it, but a walrus inside binds here
            for inner in ast.walk(current):
                if isinstance(inner, ast.NamedExpr) and isinstance(inner.target, ast.Name):
                    names.add(inner.target.id)
            continue
        if isinstance(current, ast.Name) and not isinstance(current.ctx, ast.Load):
            names.add(current.id)
        elif isinstance(current, (ast.Import, ast.ImportFrom)):
            for alias in current.names:
                names.add(alias.asname or alias.name.partition(".")[0])
        elif isinstance(current, (ast.Global, ast.Nonlocal)):
            names.update(current.names)
        elif isinstance(current, ast.ExceptHandler) and current.name:
            names.add(current.name)
        elif isinstance(current, (ast.MatchAs, ast.MatchStar)) and current.name:
            names.add(current.name)
        elif isinstance(current, ast.MatchMapping) and current.rest:
            names.add(current.rest)
        elif isinstance(current, ast.arg):
            continue
        stack.extend(ast.iter_child_nodes(current))
    return names
