"""Files in, findings out: read, prefilter, decode, parse, discover workflows, walk, suppress.

The detection pass uses the standard library's ``ast``: it is the fastest parser
that serves (libcst's concrete tree with metadata costs several times more), and
nothing in detection needs the concrete syntax. libcst is loaded only to apply
fixes, astroid only for inference.
"""

from __future__ import annotations

import ast
import codecs
import contextlib
import io
import os
import re
import sys
import tokenize
from dataclasses import dataclass, field

from wflint.analysis.discovery import discover, enabled_frameworks
from wflint.analysis.scope import ModuleInfo
from wflint.analysis.walker import Walker
from wflint.codes import BY_CODE
from wflint.config import Settings
from wflint.diagnostics import Diagnostic
from wflint.prefilter import markers_for, may_contain_workflows
from wflint.rules import load_rules
from wflint.rules.base import HazardIndex
from wflint.suppression import filter_suppressed, skips_file

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.M)
#: the line breaks Python's tokenizer knows (``str.splitlines`` knows more, and would shift lines)
_NEWLINE = re.compile(r"\r\n|\r|\n")
_PARSE_RECURSION_LIMIT = 10_000
_WALK_RECURSION_LIMIT = 50_000


@dataclass
class FileOutcome:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: an internal error: reported on stderr, and the run exits 2
    error: str | None = None


class Checker:
    """The rules, hazard index and prefilter for one configuration, built once per run."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rules = load_rules(settings.codes)
        self.index = HazardIndex(self.rules, dict(settings.nondeterministic), settings.deterministic)
        self.markers = markers_for(settings.frameworks, settings.workflow_decorators)

    # -- files -----------------------------------------------------------------------------

    def check_path(self, path: str) -> FileOutcome:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if os.path.isdir(path):
                reason = "is a directory"
            return self._outcome(path, [self._file_error(path, "WFL002", f"cannot read file: {reason}")])
        return self.check_bytes(data, path)

    def check_bytes(self, data: bytes, path: str) -> FileOutcome:
        """Check one file's content; ``path`` is what findings are reported under."""
        try:
            return self._check(data, path)
        except RecursionError:
            return self._outcome(path, [self._file_error(
                path, "WFL001", "code is nested too deeply to analyse")])
        except Exception as exc:  # an internal error must not stop the other files
            return FileOutcome(path, [], f"{type(exc).__name__}: {exc}")

    def _check(self, data: bytes, path: str) -> FileOutcome:
        if b"\x00" in data:
            return self._outcome(path, [self._file_error(path, "WFL002", "file contains a NUL byte")])
        try:
            source = decode(data)
        except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
            return self._outcome(path, [self._file_error(path, "WFL002", f"cannot decode file: {_reason(exc)}")])
        if not may_contain_workflows(data, self.markers) or skips_file(source):
            return FileOutcome(path)
        try:
            tree = _parse(source, path)
        except SyntaxError as exc:
            return self._outcome(path, [_syntax_error(path, exc)])
        except (RecursionError, MemoryError):
            return self._outcome(path, [self._file_error(path, "WFL001", "code is nested too deeply to parse")])
        with _deep_recursion(_WALK_RECURSION_LIMIT):
            diagnostics = self.analyse(tree, source, path)
        return self._outcome(path, diagnostics, source)

    def analyse(self, tree: ast.Module, source: str, path: str) -> list[Diagnostic]:
        settings = self.settings
        module = ModuleInfo(tree, module_name(path), path, source)
        frameworks = enabled_frameworks(module, settings.frameworks, settings.workflow_decorators)
        if not frameworks:
            return []
        discovery = discover(module, frameworks, settings.workflow_decorators, settings.activity_decorators)
        if not discovery.units:
            return []
        return Walker(module, discovery, self.index, path).run()

    # -- filtering -------------------------------------------------------------------------

    def _outcome(self, path: str, diagnostics: list[Diagnostic], source: str | None = None) -> FileOutcome:
        ignored = self.settings.ignored_codes_for(path)
        kept = [d for d in diagnostics if d.code in self.settings.codes and d.code not in ignored]
        if kept and source is not None:
            kept = filter_suppressed(kept, _NEWLINE.split(source))
        kept = sorted(set(kept), key=lambda d: d.sort_key + (d.message,))
        return FileOutcome(path, kept)

    @staticmethod
    def _file_error(path: str, code: str, message: str, line: int = 1, col: int = 1) -> Diagnostic:
        return Diagnostic(path, line, col, code, message, BY_CODE[code].severity, line, col)


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


def decode(data: bytes) -> str:
    """Decode Python source as the interpreter would: BOM, coding cookie, else UTF-8."""
    if data.startswith(codecs.BOM_UTF8) or _COOKIE.search(data, 0, _second_line_end(data)):
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
        return text[1:] if text.startswith("\ufeff") else text
    return data.decode("utf-8")


def _second_line_end(data: bytes) -> int:
    first = data.find(b"\n")
    if first < 0:
        return len(data)
    second = data.find(b"\n", first + 1)
    return len(data) if second < 0 else second


def _parse(source: str, path: str) -> ast.Module:
    with _deep_recursion(_PARSE_RECURSION_LIMIT):
        return ast.parse(source, filename=path)


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


def module_name(path: str) -> str:
    """The dotted module name of a file, from the packages (``__init__.py``) around it."""
    absolute = os.path.abspath(path)
    directory, filename = os.path.split(absolute)
    stem = filename.rsplit(".", 1)[0]
    parts = [] if stem == "__init__" else [stem]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.append(package)
        if not package:
            break
    return ".".join(reversed(parts))
