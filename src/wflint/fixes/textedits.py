"""A fix as plain text edits, for consumers that speak ranges (SARIF, the language server).

A fix is applied to the whole source by the fix engine (so imports, indentation and new
activities come out exactly as ``--fix`` writes them), and the result is compared with the
original line by line: each run of changed lines becomes one edit.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

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
    has no edits or does not apply (the code changed since it was found)."""
    if not fix.edits:
        return []
    from wflint.fixes.apply import apply_fixes

    try:
        fixed, applied = apply_fixes(source, [fix])
    except Exception:  # the source no longer parses: nothing to offer
        return []
    if not applied or fixed == source:
        return []
    before = source.splitlines(keepends=True)
    after = fixed.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [LineEdit(i1, i2, "".join(after[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
