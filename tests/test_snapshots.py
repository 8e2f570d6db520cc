"""What users read, pinned per fixture: every finding's message and its fix, shown as the diff
that fix alone makes (or, for a display-only fix, its reason and suggestion).

``tests/snapshots/<code>/<case>.snap`` holds one fixture's findings in one reviewable file, so a
change to any framework's advice, message or rewrite shows up as a diff in review.
``pytest --update-fixtures`` rewrites them (review them like code).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from harness import FIXTURES, checker_for, fixture_files, parse_annotations
from wflint.fixes.apply import apply_fixes

SNAPSHOTS = Path(__file__).parent / "snapshots"
FILES = fixture_files()


def snapshot_path(path: Path) -> Path:
    relative = path.relative_to(FIXTURES)
    return SNAPSHOTS / relative.parent / (relative.name[:-3] + ".snap")


def render(path: Path) -> str:
    """The snapshot text of one fixture: paths relative to the fixtures, so that it is the
    same on every machine."""
    data = path.read_bytes()
    config = parse_annotations(data.decode("utf-8", errors="replace"))[2]
    outcome = checker_for(config, path).check_bytes(data, str(path))
    assert outcome.error is None, outcome.error
    source = outcome.original if outcome.original is not None else \
        data.decode("utf-8", errors="replace")
    shown = path.relative_to(FIXTURES).as_posix()
    out: list[str] = []
    for finding in sorted(outcome.diagnostics, key=lambda d: d.sort_key):
        out.append(f"{finding.code} {shown}:{finding.line}:{finding.col}")
        out.append(f"  {_relative(finding.message)}")
        out.extend(_fix_lines(finding.fix, source))
        out.append("")
    return "\n".join(out) if out else "(no findings)\n"


def _relative(text: str) -> str:
    return text.replace(str(FIXTURES) + "/", "").replace(str(FIXTURES), "")


def _fix_lines(fix, source: str) -> list[str]:
    if fix is None:
        return ["  no fix"]
    lines = [f"  fix ({fix.applicability.value}): {_relative(fix.title)}"]
    if fix.note:
        lines.append(f"    note: {_relative(fix.note)}")
    if not fix.edits:
        lines.extend(f"    | {_relative(line)}" for line in fix.suggestion.splitlines())
        return lines
    fixed, applied = apply_fixes(source, [fix])
    if not applied:
        return [*lines, "    (does not apply on its own)"]
    diff = difflib.unified_diff(source.splitlines(), fixed.splitlines(), lineterm="", n=1)
    lines.extend(f"    {line}".rstrip() for line in list(diff)[2:])
    return lines


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_snapshot(path, request):
    text = render(path)
    expected = snapshot_path(path)
    if request.config.getoption("--update-fixtures") or not expected.exists():
        if not request.config.getoption("--update-fixtures"):
            pytest.fail(f"no snapshot for {path.name}: run pytest --update-fixtures and review it")
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8"), (
        f"{path.relative_to(FIXTURES)}: findings or fixes differ from {expected.relative_to(SNAPSHOTS)}")


def test_every_snapshot_has_its_fixture():
    cases = {snapshot_path(path) for path in FILES}
    stale = [p for p in SNAPSHOTS.rglob("*.snap") if p not in cases]
    assert not stale, f"snapshots without a fixture: {stale}"
