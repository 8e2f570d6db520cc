"""Inline suppression: ``# noqa``, ``# noqa: CODES``, ``# wflint: ignore[CODES] reason``
and ``# wflint: skip-file``.

``# noqa`` follows flake8: codes match by prefix, and without codes (or with a space
before the colon) it silences every finding on its line. ``# wflint: ignore[...]``
applies to its own line, or, written alone on a line, to the line below.

A suppression on the line of a hazard inside a helper also silences the reports of that
hazard at the workflows' call sites (the walker asks :func:`covers`). A suppression that names
wflint codes and silences nothing, in workflow code wflint has checked, is reported as
WFL003 (unused-suppression): a code that is not found there (a typo, another rule's code, a
hazard since removed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from wflint.diagnostics import Diagnostic

NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)
_IGNORE = re.compile(r"#\s*wflint:\s*ignore\[(?P<codes>[^\]]*)\]", re.I)
_SKIP_FILE = re.compile(r"#\s*wflint:\s*skip-file\b", re.I)
_CODE = re.compile(r"[A-Z]+[0-9]*", re.I)
#: the code of an unused suppression
UNUSED = "WFL003"


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
    for match in NOQA.finditer(line):
        found.append(_codes(match.group("codes")))
    for match in _IGNORE.finditer(line):
        codes = _codes(match.group("codes"))
        found.append(codes if codes else None)
    return found


def _above(lines: list[str], index: int) -> list[tuple[str, ...] | None]:
    """The ``# wflint: ignore[...]`` comments alone on the line above line ``index`` (0-based)."""
    if 1 <= index <= len(lines) and lines[index - 1].lstrip().startswith("#"):
        return [_codes(m.group("codes")) or None for m in _IGNORE.finditer(lines[index - 1])]
    return []


def _covers(suppressions: list[tuple[str, ...] | None], code: str) -> bool:
    for codes in suppressions:
        if codes is None or any(code.startswith(prefix) for prefix in codes):
            return True
    return False


def covers(lines: list[str], line: int, code: str) -> bool:
    """Whether a comment silences ``code`` on ``line`` (1-based) of a text split into ``lines``."""
    index = line - 1
    own = _suppressions(lines[index]) if 0 <= index < len(lines) else []
    return _covers(own + _above(lines, index), code)


def filter_suppressed(diagnostics: Iterable[Diagnostic], lines: list[str]) -> list[Diagnostic]:
    """Drop the findings silenced by a comment on their line (or an ignore line above)."""
    kept: list[Diagnostic] = []
    cache: dict[int, list[tuple[str, ...] | None]] = {}
    for diagnostic in diagnostics:
        index = diagnostic.line - 1
        if index not in cache:
            own = _suppressions(lines[index]) if 0 <= index < len(lines) else []
            cache[index] = own + _above(lines, index)
        if not _covers(cache[index], diagnostic.code):
            kept.append(diagnostic)
    return kept


def unused_suppressions(path: str, diagnostics: list[Diagnostic], lines: list[str],
                        judged: Callable[[int], bool], enabled: Callable[[str], bool]
                        ) -> list[Diagnostic]:
    """WFL003 for each wflint code a comment names that silences no finding of ``diagnostics``
    (all the findings, before suppression). Only lines ``judged`` (workflow code wflint has
    checked) count, blanket suppressions and other tools' codes are never reported, and a
    code none of whose rules is ``enabled`` cannot be judged."""
    by_line: dict[int, set[str]] = {}
    for diagnostic in diagnostics:
        by_line.setdefault(diagnostic.line, set()).add(diagnostic.code)
    found: list[Diagnostic] = []
    for index, text in enumerate(lines):
        if "#" not in text or ("wflint" not in text and "noqa" not in text.lower()):
            continue
        alone = text.lstrip().startswith("#")
        for match in (*NOQA.finditer(text), *_IGNORE.finditer(text)):
            codes = _codes(match.group("codes"))
            if not codes:
                continue  # a blanket suppression: other tools may rely on it
            target = index + 2 if alone and match.re is _IGNORE else index + 1
            if not judged(target):
                continue
            present = by_line.get(target, set())
            unused = [code for code in codes if code.startswith("WFL") and enabled(code)
                      and not any(found_code.startswith(code) for found_code in present)]
            if not unused:
                continue
            column = len(text[:match.start()].encode("utf-8")) + 1
            end = len(text[:match.end()].encode("utf-8")) + 1
            where = "the next line" if target != index + 1 else "this line"
            names = ", ".join(unused)
            if present:
                advice = f"{where} reports {', '.join(sorted(present))}: name that code instead"
            else:
                advice = f"nothing is reported on {where}: remove it"
            found.append(Diagnostic(path, index + 1, column, UNUSED,
                                    f"unused suppression of {names}; {advice}",
                                    "warning", index + 1, end))
    return found
