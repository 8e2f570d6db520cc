"""Inline suppression: ``# noqa``, ``# noqa: CODES``, ``# wflint: ignore[CODES] reason``
and ``# wflint: skip-file``.

``# noqa`` follows flake8: codes match by prefix, and without codes (or with a space
before the colon) it silences every finding on its line. ``# wflint: ignore[...]``
applies to its own line, or, written alone on a line, to the line below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wflint.diagnostics import Diagnostic

_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)
_IGNORE = re.compile(r"#\s*wflint:\s*ignore\[(?P<codes>[^\]]*)\]", re.I)
_SKIP_FILE = re.compile(r"#\s*wflint:\s*skip-file\b", re.I)
_CODE = re.compile(r"[A-Z]+[0-9]*", re.I)


def skips_file(source: str) -> bool:
    return "skip-file" in source and _SKIP_FILE.search(source) is not None


def _codes(text: str | None) -> tuple[str, ...] | None:
    """``None`` for a blanket suppression, else the code prefixes named."""
    if text is None:
        return None
    return tuple(code.upper() for code in _CODE.findall(text))


def _suppressions(line: str) -> list[tuple[str, ...] | None]:
    found: list[tuple[str, ...] | None] = []
    if "#" not in line:
        return found
    for match in _NOQA.finditer(line):
        found.append(_codes(match.group("codes")))
    for match in _IGNORE.finditer(line):
        codes = _codes(match.group("codes"))
        found.append(codes if codes else None)
    return found


def _covers(suppressions: list[tuple[str, ...] | None], code: str) -> bool:
    for codes in suppressions:
        if codes is None or any(code.startswith(prefix) for prefix in codes):
            return True
    return False


def filter_suppressed(diagnostics: Iterable[Diagnostic], lines: list[str]) -> list[Diagnostic]:
    """Drop the findings silenced by a comment on their line (or an ignore line above)."""
    kept: list[Diagnostic] = []
    cache: dict[int, list[tuple[str, ...] | None]] = {}
    for diagnostic in diagnostics:
        index = diagnostic.line - 1
        if index not in cache:
            own = _suppressions(lines[index]) if 0 <= index < len(lines) else []
            above: list[tuple[str, ...] | None] = []
            if 1 <= index <= len(lines) and lines[index - 1].lstrip().startswith("#"):
                above = [s for m in _IGNORE.finditer(lines[index - 1])
                         for s in [_codes(m.group("codes")) or None]]
            cache[index] = own + above
        if not _covers(cache[index], diagnostic.code):
            kept.append(diagnostic)
    return kept
