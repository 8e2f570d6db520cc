"""Checks every fixed text must pass before it is handed back, as a compiler would check it.

- It compiles (``compile()``, not only ``ast.parse``: a ``yield`` in an ``async def`` or a
  ``return`` with a value in an async generator parse, and fail here).
- It has no finding that the text before it did not have (counted per code): a fix never
  trades one hazard for another, such as a ``workflow.uuid4()`` in a query handler (WFL905).
- Every name it reads is defined: a fix never leaves a reference to a name it did not import
  or bind.
"""

from __future__ import annotations

import builtins
import re
import symtable
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from wflint.source import parse

_BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__loader__",
                                        "__package__", "__builtins__", "__path__", "__annotations__",
                                        "__dict__", "__class__", "__qualname__", "__module__"}


def problem(before: str, after: str, path: str, old_codes: Iterable[str], new_codes: Iterable[str],
            fixed_codes: Iterable[str]) -> str:
    """Why ``after`` (the fixed text) cannot be handed back, or "" when it can."""
    try:
        tree = parse(after, path or "<fixed>")
        compile(tree, path or "<fixed>", "exec", dont_inherit=True)  # the compiler's own checks
    except (SyntaxError, ValueError) as exc:
        return f"the fixed code does not compile: {exc}"
    remaining = Counter(old_codes)
    remaining.subtract(Counter(fixed_codes))
    added = [code for code, count in Counter(new_codes).items() if count > max(remaining[code], 0)]
    if added:
        return f"the fix would add a finding ({', '.join(sorted(added))})"
    try:
        missing = undefined_names(after)
        if missing:  # the text before is analysed only when the fixed text reads any
            missing = missing - undefined_names(before)
    except (SyntaxError, ValueError, RecursionError):
        return ""
    if missing:
        return f"the fixed code reads undefined names: {', '.join(sorted(missing))}"
    return ""


@lru_cache(maxsize=4)
def undefined_names(text: str) -> frozenset[str]:
    """Names read somewhere in the module that no enclosing scope, the module or the builtins
    bind, by the compiler's own scope analysis (:mod:`symtable`): a method does not see its
    class's names, a comprehension has its own scope, a closure sees its function's. A star
    import makes every name possibly defined. (The text before a fix is checked against each
    fixed text, and the fixed text of one round is the text before the next: cached.)"""
    if _STAR_IMPORT.search(text):
        return frozenset()
    try:
        return _undefined_from_entries(text)
    except AttributeError:  # a Python whose compiler no longer exposes its tables' entries
        return _undefined_from_tables(text)


def _undefined_from_entries(text: str) -> frozenset[str]:
    """:func:`undefined_names` from the compiler's raw symbol-table entries (the public
    :mod:`symtable` wrapper looks up every symbol's child namespaces, which costs seconds on a
    module with thousands of functions)."""
    import _symtable

    top = _symtable.symtable(text, "<fixed>", "exec")
    binding = _symtable.DEF_LOCAL | _symtable.DEF_IMPORT
    global_scopes = (_symtable.GLOBAL_IMPLICIT, _symtable.GLOBAL_EXPLICIT)
    shift, mask, use = _symtable.SCOPE_OFF, _symtable.SCOPE_MASK, _symtable.USE
    module = {name for name, flags in top.symbols.items() if flags & binding}
    missing = {name for name, flags in top.symbols.items() if flags & use and not flags & binding}
    entries = list(top.children)
    while entries:
        entry = entries.pop()
        entries.extend(entry.children)
        for name, flags in entry.symbols.items():
            if flags & use and (flags >> shift) & mask in global_scopes and name not in module:
                missing.add(name)
    return frozenset(missing - _BUILTINS)


def _undefined_from_tables(text: str) -> frozenset[str]:
    """:func:`undefined_names` through the public :mod:`symtable` interface."""
    top = symtable.symtable(text, "<fixed>", "exec")
    module = {symbol.get_name() for symbol in top.get_symbols() if _binds(symbol)}
    missing: set[str] = set()
    tables = [top]
    while tables:
        table = tables.pop()
        tables.extend(table.get_children())
        at_module = table.get_type() == "module"
        for symbol in table.get_symbols():
            name = symbol.get_name()
            if not symbol.is_referenced() or name in _BUILTINS:
                continue
            if at_module and not _binds(symbol) or not at_module and symbol.is_global() and name not in module:
                missing.add(name)
    return frozenset(missing)


_STAR_IMPORT = re.compile(r"\bimport\s*\(?\s*\*")


def _binds(symbol: symtable.Symbol) -> bool:
    return symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace()
