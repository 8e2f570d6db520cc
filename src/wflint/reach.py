"""The workflow modules a set of changed files can reach into.

wflint reports a helper's hazard at the workflow's call site, so when only a helper module is
named (a pre-commit run on the staged files), the workflows that call into it must be checked
too. This finds them: the project's modules that may hold workflow code (the byte prefilter)
and import a named module, directly or through other project modules that do (a few levels).
"""

from __future__ import annotations

import ast
import os

from wflint.source import decode, module_name

#: how many import hops from a workflow module to the named file are followed
_MAX_HOPS = 3
_SKIPPED_DIRECTORIES = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env",
                                  "node_modules", "__pycache__", "build", "dist", "site-packages"})


def reaching_modules(named: list[str], root: str, markers: tuple[bytes, ...],
                     excluded=None) -> list[str]:
    """The files under ``root`` that may hold workflow code and import one of ``named`` (or a
    module that does), in sorted order, without the named files themselves."""
    targets = {module_name(os.path.abspath(path)) for path in named}
    targets.discard("")
    if not targets:
        return []
    given = {os.path.normpath(os.path.abspath(path)) for path in named}
    imports: dict[str, tuple[set[str], bool]] = {}  # path -> (imported modules, may hold workflows)
    for path in _python_files(root, excluded):
        if os.path.normpath(os.path.abspath(path)) in given:
            continue
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        if not any(name.rpartition(".")[2].encode() in data for name in targets) and \
                not any(marker in data for marker in markers):
            continue  # neither a possible importer of a named module nor workflow code
        found = _imported(data, path)
        if found is not None:
            imports[path] = (found, any(marker in data for marker in markers))
    reached: set[str] = set()
    frontier = set(targets)
    for _ in range(_MAX_HOPS):
        step = {path for path, (names, _) in imports.items() if path not in reached
                and any(_imports(name, target) for name in names for target in frontier)}
        if not step:
            break
        reached |= step
        frontier = {module_name(os.path.abspath(path)) for path in step}
    return sorted(path for path in reached if imports[path][1])


def _imports(name: str, target: str) -> bool:
    return name == target or name.startswith(target + ".")


def _imported(data: bytes, path: str) -> set[str] | None:
    """Every module a file imports (relative imports resolved against its own name)."""
    try:
        tree = ast.parse(decode(data))
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        return None
    own = module_name(os.path.abspath(path))
    package = own if os.path.basename(path) == "__init__.py" else own.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                parts = parts[:len(parts) - (node.level - 1)] if node.level > 1 else parts
                base = ".".join(filter(None, [*parts, base]))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _python_files(root: str, excluded) -> list[str]:
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories
                                   if d not in _SKIPPED_DIRECTORIES and not d.startswith(".")
                                   and not (excluded and excluded(os.path.join(directory, d))))
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.relpath(os.path.join(directory, name))
                if not (excluded and excluded(path)):
                    found.append(path)
    return found
