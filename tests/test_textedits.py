"""Fixes as line edits (what SARIF, rdjson and the language server's quick fixes carry) are
computed on the part of the module a fix touches; on every fixture they are exactly the edits
computed on the whole module."""

from __future__ import annotations

from pathlib import Path

import pytest

from wflint.api import check_source
from wflint.fixes.textedits import _segmented_edits, _whole_edits, line_edits

FIXTURES = sorted(p for p in (Path(__file__).parent / "fixtures").rglob("*.py")
                  if not p.name.endswith(".fixed.py") and p.parent.name not in ("WFL001", "WFL002"))


def applied(source: str, edits) -> str:
    """The source with line edits applied (as an editor applies them: all against the original)."""
    lines = source.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        lines[edit.start:edit.end] = [edit.text] if edit.text else []
    return "".join(lines)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_segmented_edits_equal_whole_module_edits(path):
    source = path.read_text(encoding="utf-8")
    for finding in check_source(source, path=str(path)):
        if finding.fix is None or not finding.fix.edits:
            continue
        whole = applied(source, _whole_edits(source, finding.fix))
        segmented = _segmented_edits(source, finding.fix)
        if segmented is not None:
            assert applied(source, segmented) == whole, (finding.line, finding.code, finding.fix.title)
        assert applied(source, line_edits(source, finding.fix)) == whole


def test_most_fixes_are_computed_on_a_segment():
    """The segmented path is the one taken, not a fallback that always gives up."""
    taken = total = 0
    for path in FIXTURES[::7]:
        source = path.read_text(encoding="utf-8")
        for finding in check_source(source, path=str(path)):
            if finding.fix is not None and finding.fix.edits:
                total += 1
                taken += _segmented_edits(source, finding.fix) is not None
    assert total and taken / total > 0.9, (taken, total)


def test_a_quick_fix_in_a_long_module_edits_only_its_statement():
    parts = ["import time\n\nfrom temporalio import workflow\n\n"]
    for index in range(300):
        parts.append(f"\n\n@workflow.defn\nclass Flow{index}:\n    @workflow.run\n"
                     f"    async def run(self) -> float:\n        return time.time()\n")
    source = "".join(parts)
    finding = [f for f in check_source(source, path="long.py") if f.code == "WFL101"][150]
    edits = line_edits(source, finding.fix)
    assert len(edits) == 1 and edits[0].start == finding.line - 1
    assert edits[0].text == "        return workflow.time()\n"
