"""What a fix leaves unused: the imports whose names the edited code no longer reads, found
on Python's own tree (both engines of :mod:`wflint.fixes.apply` and
:mod:`wflint.fixes.concrete` use them)."""

from __future__ import annotations

import ast
import re


def read_names(tree: ast.AST) -> set[str]:
    """The names code reads: plain names and the objects of attribute reads (``time`` in
    ``time.time()``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            names.add(node.value.id)
    return names


def alias_keys(node) -> list[tuple[str, str | None, str | None]]:
    """(module, name or None, alias) of each name an import statement binds."""
    if isinstance(node, ast.Import):
        return [(alias.name, None, alias.asname) for alias in node.names]
    if node.level or not node.module:
        return []
    return [(node.module, alias.name, alias.asname) for alias in node.names]


def imports_binding(tree: ast.Module, names: set[str]) -> list[tuple[str, str | None, str | None]]:
    """The module-level imports that bind one of ``names``, as :func:`orphaned_imports` names
    them."""
    found = []
    if not names:
        return found
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            for key in alias_keys(statement):
                module, name, alias = key
                local = alias or (name if name is not None else module.partition(".")[0])
                if local in names:
                    found.append(key)
    return found


def orphaned_imports(before: str, after: str) -> list[tuple[str, str | None, str | None]]:
    """Imports that the edits left unused: their names were read before and are read nowhere
    now (at module level, or inside a function: ``import time`` in the workflow whose only
    ``time.time()`` became ``ctx.current_utc_datetime``). Imports that were already unused are
    not the fixes' business and stay."""
    try:
        old_tree, new_tree = ast.parse(before), ast.parse(after)
    except SyntaxError:
        return []
    lost = read_names(old_tree) - read_names(new_tree)
    orphaned = []
    inside_functions = [node for function in ast.walk(old_tree)
                        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                        for node in ast.walk(function)]
    for statement in (*old_tree.body, *inside_functions):  # module level, and inside functions
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                local = alias.asname or alias.name.partition(".")[0]
                if local in lost:
                    orphaned.append((alias.name, None, alias.asname))
        elif isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module:
            for alias in statement.names:
                if (alias.asname or alias.name) in lost:
                    orphaned.append((statement.module, alias.name, alias.asname))
    return orphaned


def is_nested_import(line: str) -> bool:
    return line[:1] in (" ", "\t") and line.lstrip().startswith(("import ", "from "))


def mentioned(name: str, strings: list[str]) -> bool:
    """A string names it: it is the name (an ``__all__`` entry) or uses it (``"time.struct_time"``)."""
    used = re.compile(r"(?<![\w.])" + re.escape(name) + r"[.\[]")
    return any(text == name or used.search(text) for text in strings)


def string_constants(code: str):
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]
