"""The workflow modules a set of changed files can reach into.

wflint reports a helper's hazard at the workflow's call site, so when only a helper module is
named (a pre-commit run on the staged files), the workflows that call into it must be checked
too. This finds them: the project's modules that may hold workflow code (the byte prefilter)
and import a named module, directly or through other project modules that do (a few levels),
read from their import lines without parsing them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from wflint.config import DEFAULT_EXCLUDES, Excluder
from wflint.prefilter import Markers
from wflint.source import module_name

#: how many import hops from a workflow module to the named file are followed
_MAX_HOPS = 3
#: up to how many module names a file's bytes are searched for before its import lines are
#: read (each search scans the whole file; past a few names, reading the imports is cheaper)
_FEW_WORDS = 8
#: a relative import, which may name a module without spelling it (``from .. import x``)
_RELATIVE = re.compile(rb"\bfrom[ \t]+\.")


def reaching_modules(named: list[str], root: str, markers: Markers,
                     excluder: Excluder | None = None) -> list[str]:
    """The files under ``root`` that may hold workflow code and import one of ``named`` (or a
    module that does), in sorted order, without the named files themselves. Each file is
    read once; its import lines are read when its bytes may import a module of a hop (they
    spell its name, or hold a relative import)."""
    root = os.path.abspath(root)
    inside = [path for path in named if os.path.abspath(path).startswith(root + os.sep)]
    frontier = {name for path in inside for name in _names(path, root)}
    if not frontier:
        return []
    given = {os.path.normpath(os.path.abspath(path)) for path in named}
    files = [path for path in _python_files(root, excluder)
             if os.path.normpath(os.path.abspath(path)) not in given]
    packages = {name for path in inside if os.path.basename(path) == "__init__.py"
                for name in _names(path, root)}
    reached: dict[str, bool] = {}  # path -> may hold workflow code
    imports: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    texts: dict[str, bytes] = {}  # each file is read once, whatever the number of hops
    for _ in range(_MAX_HOPS):
        words = {name.rpartition(".")[2].encode() for name in frontier}
        within = frontier & packages  # imports of their submodules count too
        step: dict[str, bool] = {}
        for path in files:
            if path in reached:
                continue
            data = texts.get(path)
            if data is None:
                try:
                    with open(path, "rb") as handle:
                        data = texts[path] = handle.read()
                except OSError:
                    continue
            found = imports.get(path)
            if found is None:
                if len(words) <= _FEW_WORDS and not any(word in data for word in words) \
                        and not _RELATIVE.search(data):
                    continue  # cannot import a module of this hop
                found = imports[path] = _import_keys(_imported(data, path))
            names, parents = found
            if not frontier.isdisjoint(names) or not within.isdisjoint(parents):
                step[path] = markers.match(data)
        if not step:
            break
        reached.update(step)
        frontier = {name for path in step for name in _names(path, root)}
        packages = {name for path in step if os.path.basename(path) == "__init__.py"
                    for name in _names(path, root)}
    return sorted(path for path, workflows in reached.items() if workflows)


def _names(path: str, root: str) -> set[str]:
    """The dotted names a file may be imported by: as its packages make it, and as its path
    under the root (or under ``src/``) spells it, for namespace packages."""
    absolute = os.path.abspath(path)
    names = {module_name(absolute)}
    relative = os.path.relpath(absolute, root).removesuffix(".py").replace(os.sep, ".")
    relative = relative.removesuffix(".__init__")
    names.add(relative)
    if relative.startswith("src."):
        names.add(relative[4:])
    names.discard("")
    return names


def _import_keys(found: tuple[set[str], set[str]]) -> tuple[frozenset[str], frozenset[str]]:
    """What imports ``found`` (modules, and names taken from a module) reach: every module or
    name imported, which reaches a module file as itself (``import app.util``, ``from app.util
    import f``, ``from app import util``); and every package above them, which a package is
    also reached through (its submodules)."""
    modules, names = found
    imported = frozenset((*modules, *names))
    parents = set()
    for name in imported:
        dot = name.find(".")
        while dot != -1:
            parents.add(name[:dot])
            dot = name.find(".", dot + 1)
    return imported, frozenset(parents)


#: an import list (searched by its literal ``import``, which is fast), and what may precede it
#: on its line: nothing (``import a, b``) or ``from base`` (``from base import a, b``)
_IMPORTED = re.compile(rb"import[ \t]+(\([^)]*\)|[^\n#;]+)")
_FROM_BASE = re.compile(rb"[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+")
_INDENT = re.compile(rb"[ \t]*")


def _imported(data: bytes, path: str) -> tuple[set[str], set[str]]:
    """The modules a file imports and the names it takes from modules (``base.name``), read
    from its import lines (relative imports resolved against its own name); a cheap read that
    needs no parse."""
    package: str | None = None  # this file's package, found only for a relative import
    modules: set[str] = set()
    names: set[str] = set()
    for match in _IMPORTED.finditer(data):
        start = match.start()
        head = data[data.rfind(b"\n", 0, start) + 1:start]
        if _INDENT.fullmatch(head):
            if match.group(1).startswith(b"("):
                continue  # not a plain import
            for part in match.group(1).decode("utf-8", "replace").replace("\\", "").split(","):
                name = part.split(" as ")[0].strip()
                if name:
                    modules.add(name)
            continue
        found = _FROM_BASE.fullmatch(head)
        if found is None:
            continue  # ``import`` inside a line of something else
        base = found.group(1).decode("utf-8", "replace")
        level = len(base) - len(base.lstrip("."))
        base = base[level:]
        if level:
            if package is None:
                own = module_name(os.path.abspath(path))
                package = own if os.path.basename(path) == "__init__.py" else own.rpartition(".")[0]
            parts = package.split(".") if package else []
            parts = parts[:len(parts) - (level - 1)] if level > 1 else parts
            base = ".".join(filter(None, [*parts, base]))
        modules.add(base)
        listed = match.group(1).decode("utf-8", "replace").strip("()\n ").replace("\\", "")
        for part in listed.split(","):
            name = part.split(" as ")[0].strip()
            if name and name != "*":
                names.add(f"{base}.{name}" if base else name)
    return modules, names


def _python_files(root: str, excluder: Excluder | None) -> list[str]:
    """The project's Python files, walked as ``check`` walks a directory (its excludes, and
    what git ignores)."""
    from wflint.files import GitIgnored, _walk

    excluder = excluder or Excluder(DEFAULT_EXCLUDES, Path(root))
    top = os.path.relpath(root)
    return sorted(path for path in _walk(top, excluder, GitIgnored(top)) if path.endswith(".py"))
