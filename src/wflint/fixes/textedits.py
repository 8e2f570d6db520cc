"""A fix as plain text edits, for consumers that speak ranges (SARIF, the language server).

A fix is applied to the whole source by the fix engine (so imports, indentation and new
activities come out exactly as ``--fix`` writes them), and the result is compared with the
original line by line: each run of changed lines becomes one edit.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, replace

from wflint.fixes.model import Fix


@dataclass(frozen=True)
class LineEdit:
    """Replace lines ``start`` to ``end`` (0-based, ``end`` exclusive) with ``text``
    (whole lines, each ending with its line break; empty to delete them)."""

    start: int
    end: int
    text: str


def line_edits(source: str, fix: Fix) -> list[LineEdit]:
    """The edits that turn ``source`` into ``source`` with ``fix`` applied; [] when the fix
    has no edits or does not apply (the code changed since it was found).

    Only the part of the module the fix touches is handed to the fix engine (see
    :func:`_segments`): a quick fix in a long module costs what the edited statements cost."""
    if not fix.edits:
        return []
    found = _segmented_edits(source, fix)
    return found if found is not None else _whole_edits(source, fix)


def _whole_edits(source: str, fix: Fix) -> list[LineEdit]:
    from wflint.fixes.apply import apply_fixes

    try:
        fixed, applied = apply_fixes(source, [fix])
    except Exception:  # the source no longer parses: nothing to offer
        return []
    if not applied or fixed == source:
        return []
    return _diff(source.splitlines(keepends=True), fixed.splitlines(keepends=True), 0)


def _diff(before: list[str], after: list[str], offset: int) -> list[LineEdit]:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [LineEdit(offset + i1, offset + i2, "".join(after[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


#: the statement that stands for the code left out between two parts of a segmented module
_GAP = "__wflint_gap_{}__ = None\n"


def _segmented_edits(source: str, fix: Fix) -> list[LineEdit] | None:
    """:func:`line_edits` computed on the module's header (everything up to its last top-level
    import) and the top-level statements the edits fall in, with the code between them left
    out: each gap becomes a placeholder statement, so inserted code lands on the right side
    of it and imports still go where the whole module would put them. None when the fix
    cannot be placed that way (an edit outside any top-level statement, a module that does not
    parse); the caller then uses the whole module."""
    from wflint.fixes.apply import apply_fixes

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = source.splitlines(keepends=True)
    parts = _segments(tree, fix, len(lines))
    if parts is None:
        return None
    kept = parts
    reduced: list[str] = []
    shift: list[tuple[int, int, int]] = []  # (original first line, reduced first line, count)
    #: the blank lines put before each placeholder: as many as follow the part in the module,
    #: so the fix engine sees the same spacing after it (where imports are added, for one)
    blanks: list[int] = []
    for number, (start, end) in enumerate(kept):
        if number:
            previous_end = kept[number - 1][1]
            count = 0
            while previous_end + count < len(lines) and not lines[previous_end + count].strip():
                count += 1
            blanks.append(count)
            reduced.extend(["\n"] * count)
            reduced.append(_GAP.format(number))
        shift.append((start, len(reduced), end - start))
        reduced.extend(lines[start:end])
    if reduced and not reduced[-1].endswith(("\n", "\r")):
        reduced[-1] += "\n"

    def moved(position: tuple[int, int]) -> tuple[int, int]:
        line, col = position
        for first, at, count in shift:
            if first < line <= first + count:
                return (line - first + at, col)
        raise LookupError(position)

    try:
        edits = tuple(replace(e, start=moved(e.start), end=moved(e.end)) for e in fix.edits)
    except LookupError:
        return None
    outside = _names_outside(tree, kept)
    try:
        fixed, applied = apply_fixes("".join(reduced), [replace(fix, edits=edits)], outside)
    except Exception:
        return None
    if not applied:
        return None
    after = fixed.splitlines(keepends=True)
    markers = [after.index(_GAP.format(n)) if _GAP.format(n) in after else -1
               for n in range(1, len(kept))]
    if any(m < 0 for m in markers) or markers != sorted(markers):
        return None
    ends = []
    for marker, count in zip(markers, blanks):
        if any(line.strip() for line in after[marker - count:marker]):
            return None  # the spacing put before a placeholder did not stay
        ends.append(marker - count)
    starts = [0, *(marker + 1 for marker in markers)]
    ends.append(len(after))
    found: list[LineEdit] = []
    for number, (start, end) in enumerate(kept):
        found += _diff(lines[start:end], after[starts[number]:ends[number]], start)
    return found


def _segments(tree, fix: Fix, total: int) -> list[tuple[int, int]] | None:
    """The 0-based line ranges [start, end) to keep: the header, then each top-level statement
    an edit falls in together with the blank lines and comments above it."""
    body = tree.body
    spans = []
    previous_end = 0
    for statement in body:
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        end = statement.end_lineno or statement.lineno
        spans.append((previous_end, first - 1, end))  # gap start, statement start, end (0-based)
        previous_end = end
    header = 0
    for index, statement in enumerate(body):
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            header = index + 1
    header_end = spans[header - 1][2] if header else 0
    wanted: set[int] = set()
    for edit in fix.edits:
        for line in (edit.start[0], edit.end[0]):
            index = next((i for i, (_, first, end) in enumerate(spans) if first < line <= end), None)
            if index is None:
                return None  # in a comment or blank line between statements
            wanted.add(index)
    parts: list[tuple[int, int]] = [(0, header_end)] if header_end else []
    for index in sorted(i for i in wanted if i >= header):
        gap, _, end = spans[index]
        if parts and parts[-1][1] >= gap:
            parts[-1] = (parts[-1][0], end)
        else:
            parts.append((gap, end))
    if not parts or parts[-1][1] > total:
        return None
    return parts


def _names_outside(tree, kept: list[tuple[int, int]]) -> frozenset[str]:
    """Names the left-out code reads (and words its strings use): their imports must stay."""
    found: set[str] = set()
    for statement in tree.body:
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        if any(start < first <= end for start, end in kept):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                found.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                found.add(node.value.id)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.update(re.findall(r"[A-Za-z_]\w*", node.value))
    return frozenset(found)
