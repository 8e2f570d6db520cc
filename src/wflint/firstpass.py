"""The first pass of a run: read every file once, settle what cannot hold workflow code, and
collect the project's registrations before any file is analysed.

What it keeps for the second pass (a file's bytes and decoded text, the module it already
parsed, the cache entry that still holds) is handed out once, by :meth:`FirstPass.take`, so
nothing is read or parsed twice and nothing outlives its file.
"""

from __future__ import annotations

from collections.abc import Callable
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wflint.analysis.project import Project, registers_or_invokes
from wflint.analysis.scope import ModuleInfo
from wflint.cache import Cache, findings, is_settled, stamp

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


#: how much source text the first pass may keep parsed for the second, in all (a parsed tree
#: takes about 35 times its text): within it a file is parsed once; past it, twice
KEEP_BUDGET = 3_000_000


class FirstPass:
    def __init__(self, cache: Cache | None, keep_budget: int = KEEP_BUDGET) -> None:
        self.cache = cache
        #: files whose outcome is known without analysing them
        self.settled: dict[str, FileOutcome] = {}
        #: files with a usable cache entry that are not settled (they may hold workflows)
        self.cached: dict[str, dict] = {}
        self._contents: dict[str, tuple[bytes, str]] = {}
        self._parsed: dict[str, ModuleInfo] = {}
        #: what each file registers, for its cache entry
        self._contributed: dict[str, tuple[list, list]] = {}
        #: how much more source text may be kept parsed
        self.budget = keep_budget
        #: files settled but still to collect registrations from: bytes, text and stamp
        self._registering: dict[str, tuple[bytes, str, list[int] | None]] = {}

    def lookup(self, project: Project, paths: list[str]) -> list[str]:
        """Settle the files whose cache entry still holds (restoring what they register);
        the others, in order, are to be read."""
        cache = self.cache
        if cache is None:
            return list(paths)
        fresh = []
        for path in paths:
            entry = cache.get(path)
            diagnostics = findings(entry) if entry is not None else None
            if entry is None or diagnostics is None:
                fresh.append(path)
            elif is_settled(entry):
                self.settled[path] = FileOutcome(path, diagnostics)
            else:
                project.add_registrations(entry.get("registrations", []), entry.get("activities", []))
                self.cached[path] = entry
        return fresh

    def screen(self, paths: list[str], precheck: Callable[[bytes, str], FileOutcome | str],
               registering: Callable[[bytes], str | None] = lambda data: None) -> list[str]:
        """Read ``paths`` and settle what their bytes settle: ``precheck(data, path)`` settles
        a file or gives its source; ``registering(data)``: the source of a file ``precheck``
        settles (it declares no workflow) that may still register workflows or activities
        other modules declare. Returns the files whose registrations are to be collected,
        in order."""
        cache = self.cache
        wanted = []
        for path in paths:
            file_stamp = stamp(path)
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue  # the second pass reports it
            early = precheck(data, path)
            if not isinstance(early, str):
                self.settled[path] = early
                source = None if early.diagnostics else registering(data)
                if source is not None and registers_or_invokes(data):
                    # a worker module: nothing to analyse, but what it registers counts
                    self._registering[path] = (data, source, file_stamp)
                    wanted.append(path)
                elif cache is not None and file_stamp is not None:
                    cache.put_settled(path, file_stamp, data, early.diagnostics)
                continue
            self._contents[path] = (data, early)
            if registers_or_invokes(data):
                wanted.append(path)
        return wanted

    def collect(self, project: Project, paths: list[str],
                parse: Callable[[str, str], ast.Module]) -> None:
        """Collect what ``paths`` (as :meth:`screen` gave them) register: ``parse(source,
        path)`` parses each."""
        cache = self.cache
        for path in paths:
            registering = self._registering.pop(path, None)
            if registering is None:
                self._collect(project, path, self._contents[path][1], parse, keep=True)
                continue
            data, source, file_stamp = registering
            self._collect(project, path, source, parse, keep=False)
            if cache is not None and file_stamp is not None:
                registrations, activities = self.contributed(path)
                cache.put_analysed(path, file_stamp, hashlib.sha256(data).hexdigest(), [], [], [],
                                   registrations, activities)

    def _collect(self, project: Project, path: str, source: str,
                 parse: Callable[[str, str], ast.Module], keep: bool) -> None:
        """What one file registers; ``keep``: the file is analysed next, and its tree serves
        the second pass while the budget lasts."""
        name = project.module_name(path)
        module = project.loaded(path, name, source)  # loaded already, as another's helper
        parsed_here = module is None
        if module is None:
            try:
                tree = parse(source, path)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return
            module = ModuleInfo(tree, name, path, source)
            project.adopt(module)
        self._contributed[path] = project.collect_registrations(module)
        if parsed_here and not (keep and len(source) <= self.budget):
            project.drop(module)  # parsed again in the second pass, if it needs it
        elif keep:
            if parsed_here:
                self.budget -= len(source)
            self._parsed[path] = module

    def absorb(self, other: dict) -> None:
        """What another process's first pass found of its files (see :meth:`found`)."""
        self.settled.update(other["settled"])
        self._contributed.update(other["contributed"])

    def found(self, paths: list[str]) -> dict:
        """What this pass found of ``paths`` that another process needs: the files it settled
        and what each registers."""
        return {"settled": {path: self.settled[path] for path in paths if path in self.settled},
                "contributed": {path: self._contributed[path] for path in paths
                                if path in self._contributed}}

    def release(self) -> None:
        """Let go of every file's kept bytes, text and tree (other processes analyse them; a
        file analysed here after all is read again)."""
        self._contents.clear()
        self._parsed.clear()

    def take(self, path: str) -> Leftover:
        """What the first pass kept of ``path`` (each part handed out once)."""
        data, source = self._contents.pop(path, (None, None))
        return Leftover(data, source, self._parsed.pop(path, None), self.cached.pop(path, None))

    def contributed(self, path: str) -> tuple[list, list]:
        """What ``path`` registers: workflows (``[name, framework]``) and activities."""
        return self._contributed.get(path, ([], []))
