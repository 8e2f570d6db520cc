"""Inline expectations for fixture files, and the checker that runs them.

Annotations (one convention for every fixture and example):

- ``code()  # expect: WFL101`` — this line must produce WFL101 (several: ``WFL101, WFL202``;
  a column: ``WFL101@9``, 1-based as printed);
- ``# expect-next-line: WFL101`` alone on a line — for the line below it;
- ``code()  # expect: WFL101 (unsafe)`` — ...and its fix has that applicability (``safe``,
  ``unsafe``, ``display-only`` or ``no-fix``);
- ``code()  # ok: reason`` — this line must produce nothing;
- ``# wflint-config: key = value`` lines at the top — configuration (TOML) for this file.

Every line without an ``expect`` must produce nothing, so ``ok`` documents the near misses
and unannotated lines are checked too.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from wflint.config import _validate, resolve_settings
from wflint.engine import Checker

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures"
_EXPECT = re.compile(r"#\s*expect(?P<next>-next-line)?:\s*(?P<codes>WFL.*)$")
_OK = re.compile(r"#\s*ok:\s*\S")
_CONFIG = re.compile(r"^#\s*wflint-config:\s*(?P<toml>.*)$")
_CODE = re.compile(r"(WFL\d{3})(?:@(\d+))?(?:\s*\((safe|unsafe|display-only|no-fix)\))?")


@dataclass(frozen=True)
class Expectation:
    line: int
    code: str
    col: int | None = None
    fix: str | None = None


def parse_annotations(text: str) -> tuple[list[Expectation], set[int], str]:
    expectations: list[Expectation] = []
    ok_lines: set[int] = set()
    config_lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        config = _CONFIG.match(line.strip())
        if config:
            config_lines.append(config.group("toml"))
        match = _EXPECT.search(line)
        if match:
            target = number + 1 if match.group("next") else number
            for code, col, fix in _CODE.findall(match.group("codes")):
                expectations.append(Expectation(target, code, int(col) if col else None, fix or None))
        if _OK.search(line):
            ok_lines.add(number)
    return expectations, ok_lines, "\n".join(config_lines)


def checker_for(config_toml: str, path: Path) -> Checker:
    file_config = None
    if config_toml:
        file_config = _validate(path, tomllib.loads(config_toml), "wflint-config")
    return Checker(resolve_settings(file_config))


def check_fixture(path: Path) -> list[str]:
    """Problems with one fixture: missing or unexpected findings. Empty means it passes."""
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    expectations, ok_lines, config = parse_annotations(text)
    outcome = checker_for(config, path).check_bytes(data, str(path))
    problems: list[str] = []
    if outcome.error:
        problems.append(f"internal error: {outcome.error}")
    found = Counter((d.line, d.code) for d in outcome.diagnostics)
    wanted = Counter((e.line, e.code) for e in expectations)
    for (line, code), count in sorted((wanted - found).items()):
        problems.append(f"missing: line {line}: {code} (x{count})")
    for line, code in sorted(found - wanted):
        extra = [d.message for d in outcome.diagnostics if d.line == line and d.code == code]
        problems.append(f"unexpected: line {line}: {code}: {extra[0]}")
    for e in expectations:
        if e.col is not None and not any(d.line == e.line and d.code == e.code and d.col == e.col
                                         for d in outcome.diagnostics):
            problems.append(f"wrong column: line {e.line}: {e.code} expected at column {e.col}")
    for e in expectations:
        if e.fix is None:
            continue
        levels = {(d.fix.applicability.value if d.fix else "no-fix") for d in outcome.diagnostics
                  if d.line == e.line and d.code == e.code}
        if e.fix not in levels:
            problems.append(f"wrong fix: line {e.line}: {e.code} expected a {e.fix} fix, got {sorted(levels)}")
    for line in sorted(ok_lines):
        if any(d.line == line for d in outcome.diagnostics):
            problems.append(f"ok line {line} produced a finding")
    return problems


def fixture_files() -> list[Path]:
    """The fixtures (expected fix outputs, ``*.fixed.py``, are not fixtures themselves)."""
    return sorted(p for p in FIXTURES.rglob("*.py") if not p.name.endswith(".fixed.py"))
