"""Files in, findings out: read, prefilter, decode, parse, discover workflows, walk, suppress.

The detection pass uses the standard library's ``ast``: it is the fastest parser
that serves (libcst's concrete tree with metadata costs several times more), and
nothing in detection needs the concrete syntax. libcst is loaded only to apply
fixes.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import hashlib
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wflint.analysis.discovery import discover, enabled_frameworks
from wflint.analysis.project import Project, project_roots
from wflint.analysis.scope import ModuleInfo
from wflint.cache import Cache, findings, stamp
from wflint.codes import BY_CODE
from wflint.config import Settings
from wflint.diagnostics import Diagnostic
from wflint.firstpass import FirstPass
from wflint.frameworks import FRAMEWORKS
from wflint.outcome import FileOutcome
from wflint.prefilter import markers_for, may_contain_workflows
from wflint.source import decode, decode_with_encoding, decodes_plainly, parse, share, split_lines
from wflint.suppression import UNUSED, filter_suppressed, skips_file, unused_suppressions

if TYPE_CHECKING:
    from wflint.analysis.walker import Walker
    from wflint.fixes.helper import Fixes
    from wflint.rules.base import HazardIndex

_PARSE_RECURSION_LIMIT = 10_000
_WALK_RECURSION_LIMIT = 50_000


@dataclass(frozen=True)
class FixMode:
    """How to fix: which applicability levels, and whether to write the files."""

    unsafe: bool = False
    write: bool = True


#: fewer files than this to read are not worth starting worker processes for
_PARALLEL_THRESHOLD = 16


def _fork_context():
    """The ``fork`` start method: worker processes inherit the prepared checker by forking
    (where the platform cannot fork, the run is sequential). Imported only for a run that
    starts workers."""
    import multiprocessing

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


#: the cycle collector's thresholds for a command-line run (see collect_rarely)
_RUN_GC_THRESHOLDS = (50_000, 20, 20)


def collect_rarely() -> None:
    """Let the cycle collector run rarely, for a process that checks files and exits.

    A run allocates millions of tree nodes. Each file's tree is freed by reference counting
    when the file is done (its scopes are released, see ``ModuleInfo.release``), so almost
    nothing is left for the cycle collector to find; but at the default thresholds its full
    passes walk every live tree of the project again and again, which took about 40 % of a
    run on real repositories. Long-lived embedders (the language server, the API) keep
    Python's defaults."""
    gc.set_threshold(*_RUN_GC_THRESHOLDS)


def _lean(outcome: FileOutcome, fix: FixMode | None) -> FileOutcome:
    """Without fixing, a file without findings needs no text in the result (it is not sent
    back from a worker, nor kept until the end of the run)."""
    if fix is None and not outcome.diagnostics:
        outcome.original = None
    return outcome


class Checker:
    """The rules, hazard index and prefilter for one configuration, built once per run."""

    def __init__(self, settings: Settings, cache: Cache | None = None) -> None:
        self.settings = settings
        self.cache = cache
        #: what the first pass settled and kept (see firstpass); empty until ``prepare``
        self.first = FirstPass(cache)
        self.markers = markers_for(settings.frameworks, settings.workflow_decorators)
        #: the enabled rules' merged index and the fix builder (see ``_walking``)
        self._index: HazardIndex | None = None
        self._fixes: Fixes | None = None
        #: ``--ignore-noqa`` turns this off: suppression comments are then ignored
        self.honour_suppressions = True
        #: files open in an editor (absolute path -> text), read instead of the disk
        self._buffers: dict[str, str] = {}
        self._roots: list[str] = []
        #: per file being checked: the line ranges of the workflow code walked (where an unused
        #: suppression can be told)
        self._checked: dict[str, _Walked] = {}
        self.project: Project | None = None
        #: the worker processes sharing this run, and the prepared files not checked yet
        self._crew = None
        self._unchecked: set[str] = set()

    def prepare(self, paths: list[str], jobs: int = 1) -> None:
        """The first pass of a run over ``paths``: set up the project (its import roots, and the
        workflows registered in one module but defined in another) and read every file once.
        Files that cannot contain workflow code are settled here; the others keep their bytes
        (and, within a budget, their trees) for the second pass, so no file is read twice.
        With ``jobs`` > 1 and enough files, worker processes share both passes (see crew)."""
        self.close()
        self.project = self._new_project(paths)
        self.first = FirstPass(self.cache)
        self._unchecked = set(paths)
        first = self.first
        fresh = first.lookup(self.project, paths)
        wanted = first.screen(fresh, self._precheck, self._registering)
        # left to do: files to analyse, and settled files whose registrations are collected
        work = sum(1 for path in fresh if path not in first.settled) + \
            sum(1 for path in wanted if path in first.settled)
        context = _fork_context() if jobs > 1 and work >= _PARALLEL_THRESHOLD else None
        if context is not None:
            from wflint.crew import Crew

            first.budget //= jobs  # each worker keeps its part of the budget
            _ = self.project.roots  # worked out once, before the workers share them
            self._walking()  # (so is the rules' index)
            self._crew = Crew(context, self, wanted, jobs)
            first.release()  # the workers hold what was read; this process reads again if needed
        else:
            self.collect_share(wanted)

    def collect_share(self, paths: list[str]) -> dict:
        """Collect what ``paths`` register (files the first pass screened, in this process);
        returns what another process needs of it (see FirstPass.found)."""
        assert self.project is not None
        self.first.collect(self.project, paths, _parse)
        return self.first.found(paths)

    def check_paths(self, paths: list[str], fix: FixMode | None = None) -> list[FileOutcome]:
        """Check files (after ``prepare``), in the worker processes ``prepare`` started, if any.

        Files the first pass settled cost nothing more; the rest are analysed. The outcome does
        not depend on the number of workers: each file's findings are computed the same way,
        and the caller sorts them."""
        settled = self.first.settled
        pending = [p for p in paths if (p not in settled or self._registered_here(p))
                   and p not in self.first.cached]
        outcomes = {p: self.check_path(p, fix) for p in paths if p not in pending}
        if self._crew is not None:
            outcomes.update(self._crew.check(pending, fix))
        else:
            for path in pending:
                outcomes[path] = self.check_one(path, fix)
        self._unchecked.difference_update(paths)
        if not self._unchecked:
            self.close()  # every prepared file is done: the workers are not needed any more
        if self.cache is not None and fix is None:
            for path in paths:
                self._remember(path, outcomes[path])
            self.cache.save()
        return [outcomes[p] for p in paths]

    def check_one(self, path: str, fix: FixMode | None = None) -> FileOutcome:
        """``check_path``, keeping no text of a file without findings when not fixing."""
        return _lean(self.check_path(path, fix), fix)

    def close(self) -> None:
        """Stop the worker processes of the last ``prepare``, if any are left."""
        if self._crew is not None:
            self._crew.close()
            self._crew = None

    def _remember(self, path: str, outcome: FileOutcome) -> None:
        if outcome.error is not None or outcome.stamp is None or self.cache is None:
            return
        registrations, activities = self.first.contributed(path)
        self.cache.put_analysed(path, outcome.stamp, outcome.sha, outcome.diagnostics, outcome.deps,
                                self._registered_names(path), registrations, activities)

    def forget_project(self, buffers: dict[str, str] | None = None, roots: list[str] | None = None) -> None:
        """Read helper modules afresh on the next check (an editor's files change on disk);
        ``buffers``: the text of files open in the editor, by absolute path, read instead of
        the disk; ``roots``: more directories absolute imports may start from (an editor's
        workspace folders)."""
        self.project = None
        self._buffers = dict(buffers or {})
        self._roots = list(roots or [])

    def _new_project(self, paths: list[str]) -> Project:
        settings = self.settings
        paths, extra = list(paths), list(self._roots)

        def roots() -> list[str]:
            found = project_roots(paths)
            return found + [root for root in extra if root not in found]

        project = Project(roots, settings.frameworks, settings.workflow_decorators,
                          settings.activity_decorators)
        project.buffers = self._buffers
        return project

    def _registered_here(self, path: str) -> bool:
        return bool(self._registered_names(path))

    def _registered_names(self, path: str) -> list[str]:
        """The workflows other modules register from this file (part of its cache key)."""
        if self.project is None or not self.project.registrations:
            return []
        return [r.qualname for r in self.project.registered_from(self.project.module_name(path))]

    # -- files -----------------------------------------------------------------------------

    def check_path(self, path: str, fix: FixMode | None = None) -> FileOutcome:
        settled = self.first.settled.pop(path, None)
        if settled is not None and not self._registered_here(path):
            return settled
        kept = self.first.take(path)
        entry = kept.entry
        if entry is not None and fix is None and entry.get("registered") == self._registered_names(path):
            diagnostics = findings(entry)
            if diagnostics is not None:
                return FileOutcome(path, diagnostics)  # no stamp: nothing new to remember
        data, source, module = kept.data, kept.source, kept.module
        file_stamp = stamp(path)
        if self.project is not None:
            self.project.touched = set()
        try:
            if data is None:
                with open(path, "rb") as handle:
                    data = handle.read()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if os.path.isdir(path):
                reason = "is a directory"
            return self._outcome(path, [self._file_error(path, "WFL002", f"cannot read file: {reason}")])
        outcome = self.check_bytes(data, path, fix, source=source, module=module)
        outcome.stamp = file_stamp
        outcome.sha = hashlib.sha256(data).hexdigest()
        if self.project is not None:
            here = os.path.abspath(path)
            outcome.deps = sorted(p for p in self.project.touched if p != here)
        if fix is not None and fix.write and outcome.changed and outcome.error is None:
            from wflint.fixes.writer import write_atomic

            try:
                _, encoding, bom = decode_with_encoding(data)
                write_atomic(path, outcome.fixed_source or "", encoding, bom)
                if self.project is not None:
                    self.project.forget(path)
            except (OSError, UnicodeError) as exc:
                outcome.error = f"cannot write the fixed file: {exc}"
        return outcome

    def check_bytes(self, data: bytes, path: str, fix: FixMode | None = None, *,
                    source: str | None = None, module: ModuleInfo | None = None) -> FileOutcome:
        """Check one file's content; ``path`` is what findings are reported under.
        With ``fix``, also run the fix loop (writing nothing: see ``check_path``).
        ``source`` and ``module``: what the first pass already decoded and parsed."""
        try:
            outcome = self._check(data, path, source, module, shared=fix is not None)
            if fix is not None and outcome.original is not None:
                return self._fix(outcome, path, fix)
            return outcome
        except RecursionError:
            return self._outcome(path, [self._file_error(
                path, "WFL001", "code is nested too deeply to analyse")])
        except Exception as exc:  # an internal error must not stop the other files
            return FileOutcome(path, [], f"{type(exc).__name__}: {exc}")

    def check_text(self, source: str, path: str, fix: FixMode | None = None) -> FileOutcome:
        """Check source text that is already decoded (an editor buffer, flake8's lines): the
        same as ``check_bytes`` but without decoding, so a coding cookie is not re-applied."""
        data = source.encode("utf-8", "surrogatepass")
        checked = self._precheck(data, path, self._registered_here(path), source)
        if isinstance(checked, FileOutcome):
            return checked
        return self.check_bytes(data, path, fix, source=source)

    def _precheck(self, data: bytes, path: str, registered: bool = False,
                  source: str | None = None) -> FileOutcome | str:
        """The file's source, or its outcome when it is settled without parsing: unreadable
        (WFL002), or not possibly workflow code (the prefilter), or skipped by a comment.
        ``source``: the text when it is already decoded (then ``data`` is its UTF-8 form)."""
        if b"\x00" in data:
            return self._outcome(path, [self._file_error(path, "WFL002", "file contains a NUL byte")])
        candidate = registered or may_contain_workflows(data, self.markers)
        if not candidate and source is None and decodes_plainly(data):
            return FileOutcome(path)  # nothing to report, and decoding cannot fail
        if source is None:
            try:
                source = decode(data)
            except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
                return self._outcome(path, [self._file_error(path, "WFL002", f"cannot decode file: {_reason(exc)}")])
        if not candidate or skips_file(source):
            return FileOutcome(path)
        return source

    def _registering(self, data: bytes) -> str | None:
        """The source of a file that declares no workflow code but mentions a framework with
        one of its markers, so may register workflows or activities declared elsewhere (a
        worker's module); None for any other file."""
        if b"\x00" in data or not self.markers.mentions(data):
            return None
        try:
            source = decode(data)
        except (SyntaxError, UnicodeDecodeError, LookupError):
            return None
        return None if skips_file(source) else source

    def _check(self, data: bytes, path: str, source: str | None = None,
               module: ModuleInfo | None = None, shared: bool = False) -> FileOutcome:
        """``shared``: the file is about to be fixed, and the fix loop reuses its tree."""
        if source is None:
            checked = self._precheck(data, path, self._registered_here(path))
            if isinstance(checked, FileOutcome):
                return checked
            source = checked
        if module is None or module.source != source:
            module = self.project.loaded(path, self.project.module_name(path), source) if self.project else None
        if module is not None:
            tree = module.tree
            if shared:
                share(source, tree)
        else:
            try:
                tree = _parse(source, path, shared)
            except SyntaxError as exc:
                return self._outcome(path, [_syntax_error(path, exc)])
            except (RecursionError, MemoryError):
                return self._outcome(path, [self._file_error(path, "WFL001", "code is nested too deeply to parse")])
        with _deep_recursion(_WALK_RECURSION_LIMIT):
            diagnostics = self.analyse(tree, source, path, module)
        outcome = self._outcome(path, diagnostics, source)
        outcome.original = source
        return outcome

    def _diagnose(self, source: str, path: str) -> list[Diagnostic] | None:
        """Findings for a source text, or None when it does not parse."""
        try:
            tree = _parse(source, path, shared=True)
        except (SyntaxError, RecursionError, MemoryError):
            return None
        with _deep_recursion(_WALK_RECURSION_LIMIT):
            diagnostics = self.analyse(tree, source, path)
        return self._outcome(path, diagnostics, source).diagnostics

    def _fix(self, outcome: FileOutcome, path: str, mode: FixMode) -> FileOutcome:
        """The fix loop over one file's findings (see fixes.loop)."""
        from wflint.fixes.loop import FixLoop

        result = FixLoop(self._diagnose, mode.unsafe).run(outcome.original or "", path,
                                                          outcome.diagnostics)
        outcome.diagnostics = result.remaining
        outcome.fixed = result.fixed
        outcome.fixed_source = result.source
        return outcome

    def analyse(self, tree: ast.Module, source: str, path: str,
                module: ModuleInfo | None = None) -> list[Diagnostic]:
        """Findings for a parsed file (``module``: the first pass's parse of it, reused)."""
        if self.project is None:
            self.project = self._new_project([path])
        else:
            self.project.include(path)
        if module is None:
            module = ModuleInfo(tree, self.project.module_name(path), path, source)
        module.project = self.project
        try:
            return self._walk(module, path)
        finally:
            if not self.project.keeps(module):
                module.release()  # its tree is freed now, not by the garbage collector

    def _walk(self, module: ModuleInfo, path: str) -> list[Diagnostic]:
        settings, project = self.settings, self.project
        assert project is not None
        external = tuple((r.qualname.rpartition(".")[2], r.framework)
                         for r in project.registered_from(module.name))
        frameworks = enabled_frameworks(module, settings.frameworks, settings.workflow_decorators)
        frameworks += tuple(FRAMEWORKS[f] for _, f in external if FRAMEWORKS[f] not in frameworks)
        if not frameworks:
            return []
        discovery = discover(module, frameworks, settings.workflow_decorators,
                             settings.activity_decorators, external)
        if not discovery.units:
            return []
        project.remember_discovery(module, discovery)
        self._checked[path] = _Walked.of(discovery)
        try:
            walker, index, fixes = self._walking()
            return walker(module, discovery, index, fixes, path, project).run()
        finally:
            project.remember_discovery(module, None)  # this module's tree is not kept

    def _walking(self) -> tuple[type[Walker], HazardIndex, Fixes]:
        """The walker, the enabled rules' merged index and the fix builder, loaded and built
        on first use: a run that the cache or the prefilter settles never imports the rules,
        the walker or the fixes (about 20 ms of every start)."""
        from wflint.analysis.walker import Walker

        if self._index is None or self._fixes is None:
            from wflint.fixes.helper import Fixes
            from wflint.rules import load_rules
            from wflint.rules.base import HazardIndex

            settings = self.settings
            self._index = HazardIndex(load_rules(settings.codes), dict(settings.nondeterministic),
                                      settings.deterministic)
            self._fixes = Fixes()
        return Walker, self._index, self._fixes

    # -- filtering -------------------------------------------------------------------------

    def _outcome(self, path: str, diagnostics: list[Diagnostic], source: str | None = None) -> FileOutcome:
        ignored = self.settings.ignored_codes_for(path)
        codes = self.settings.codes
        kept = [d for d in diagnostics if d.code in codes and d.code not in ignored]
        checked = self._checked.pop(path, None)
        if not self.honour_suppressions:
            checked = None
        if source is not None and (kept or checked) and self.honour_suppressions:
            lines = split_lines(source)
            unused = []
            if checked and UNUSED in codes and UNUSED not in ignored:
                def enabled(prefix: str) -> bool:
                    return any(code.startswith(prefix) and code not in ignored for code in codes)

                unused = unused_suppressions(path, kept, lines, checked.__contains__,
                                             enabled)
            kept = filter_suppressed(kept, lines) + filter_suppressed(unused, lines)
        kept = sorted(set(kept), key=lambda d: d.sort_key + (d.message,))
        return FileOutcome(path, kept)

    @staticmethod
    def _file_error(path: str, code: str, message: str, line: int = 1, col: int = 1) -> Diagnostic:
        return Diagnostic(path, line, col, code, message, BY_CODE[code].severity, line, col)


@dataclass(frozen=True)
class _Walked:
    """The lines of the workflow functions the walker reported in place, without the functions
    nested in them that run elsewhere (activities, steps)."""

    ranges: tuple[tuple[int, int], ...]
    elsewhere: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, discovery) -> _Walked:
        ranges = tuple((unit.node.lineno, unit.node.end_lineno or unit.node.lineno)
                       for unit in discovery.units)
        elsewhere = tuple((node.lineno, node.end_lineno or node.lineno) for node in discovery.activities
                          if any(start <= node.lineno <= end for start, end in ranges))
        return cls(ranges, elsewhere)

    def __contains__(self, line: int) -> bool:
        return any(start <= line <= end for start, end in self.ranges) and \
            not any(start <= line <= end for start, end in self.elsewhere)


@contextlib.contextmanager
def _deep_recursion(limit: int):
    """Let parsing and the walker follow very deep expressions (a 3,000-term ``a + b + ...``).

    The parser's tree conversion uses small C frames, so a limit of 10,000 is safe there. From
    Python 3.11 on, Python-to-Python calls do not consume the C stack, so the walker may go
    deeper; before that the default limit stays and such code is reported as WFL001.
    """
    previous = sys.getrecursionlimit()
    if limit > previous and (limit <= _PARSE_RECURSION_LIMIT or sys.version_info >= (3, 11)):
        sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _parse(source: str, path: str, shared: bool = False) -> ast.Module:
    """The file's tree; ``shared``: a text the fix loop also parses to apply and verify a fix
    (one tree serves them all), where a plain check keeps no tree past its file."""
    with _deep_recursion(_PARSE_RECURSION_LIMIT):
        return parse(source, path) if shared else ast.parse(source, filename=path)


def _syntax_error(path: str, exc: SyntaxError) -> Diagnostic:
    line = exc.lineno or 1
    col = exc.offset or 1
    message = f"cannot parse: {exc.msg}"
    return Diagnostic(path, line, max(col, 1), "WFL001", message, "error", line, max(col, 1))


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"invalid {exc.encoding} byte at offset {exc.start}"
    if isinstance(exc, SyntaxError):
        return exc.msg
    return str(exc)
