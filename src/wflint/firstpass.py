"""The first pass of a run: read every file once, settle what cannot hold workflow code, and
collect the project's registrations before any file is analysed.

What it keeps for the second pass (a file's bytes and decoded text, the module it already
parsed, the cache entry that still holds) is handed out once, by :meth:`FirstPass.take`, so
nothing is read or parsed twice and nothing outlives its file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wflint.analysis.project import ExternalRegistration, Project, registers_or_invokes
from wflint.analysis.scope import ModuleInfo
from wflint.cache import Cache, findings, is_settled, stamp
from wflint.source import module_name

from wflint.outcome import FileOutcome

if TYPE_CHECKING:
    import ast


@dataclass
class Leftover:
    """What the first pass kept of one file for the second."""

    data: bytes | None = None
    source: str | None = None
    module: ModuleInfo | None = None
    #: the file's cache entry, when it still holds (its findings may still be reused)
    entry: dict | None = None


class FirstPass:
    def __init__(self, cache: Cache | None) -> None:
        self.cache = cache
        #: files whose outcome is known without analysing them
        self.settled: dict[str, FileOutcome] = {}
        #: files with a usable cache entry that are not settled (they may hold workflows)
        self.cached: dict[str, dict] = {}
        self._contents: dict[str, tuple[bytes, str]] = {}
        self._parsed: dict[str, ModuleInfo] = {}
        #: what each file contributed to the project's registrations, for its cache entry
        self._contributed: dict[str, tuple[list, list]] = {}

    def run(self, project: Project, paths: list[str],
            precheck: Callable[[bytes, str], FileOutcome | str],
            parse: Callable[[str, str], ast.Module]) -> None:
        """Read ``paths``: ``precheck(data, path)`` settles a file or gives its source;
        ``parse(source, path)`` parses the files that register workflows or activities."""
        cache = self.cache
        for path in paths:
            entry = cache.get(path) if cache is not None else None
            diagnostics = findings(entry) if entry is not None else None
            if entry is not None and diagnostics is not None:
                if is_settled(entry):
                    self.settled[path] = FileOutcome(path, diagnostics)
                    continue
                for name, framework in entry.get("registrations", []):
                    project.registrations[name] = ExternalRegistration(name, framework)
                project.activities.update(entry.get("activities", []))
                self.cached[path] = entry
                continue
            file_stamp = stamp(path)
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue  # the second pass reports it
            early = precheck(data, path)
            if not isinstance(early, str):
                self.settled[path] = early
                if cache is not None and file_stamp is not None:
                    cache.put_settled(path, file_stamp, data, early.diagnostics)
                continue
            self._contents[path] = (data, early)
            if not registers_or_invokes(data):
                continue
            name = module_name(path)
            module = project.loaded(path, name, early)  # loaded already, as another's helper
            parsed_here = module is None
            if module is None:
                try:
                    tree = parse(early, path)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    continue
                module = ModuleInfo(tree, name, path, early)
                project.adopt(module)
            before = (set(project.registrations), set(project.activities))
            project.collect_registrations(module)
            contributed = (sorted([n, project.registrations[n].framework]
                                  for n in set(project.registrations) - before[0]),
                           sorted(set(project.activities) - before[1]))
            self._contributed[path] = contributed
            if parsed_here and not any(contributed):
                # it registers only its own workflows: its tree is not kept through the first
                # pass (the second parses it again, in parallel), which bounds memory
                project.drop(module)
            else:
                self._parsed[path] = module

    def take(self, path: str) -> Leftover:
        """What the first pass kept of ``path`` (each part handed out once)."""
        data, source = self._contents.pop(path, (None, None))
        return Leftover(data, source, self._parsed.pop(path, None), self.cached.pop(path, None))

    def contributed(self, path: str) -> tuple[list, list]:
        """The registrations and activities ``path`` added to the project."""
        return self._contributed.get(path, ([], []))
