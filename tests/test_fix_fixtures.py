"""Fix invariants on every fixture, and the expected output of each fixable one.

For each fixture ``<case>.py``:

- ``--fix --unsafe-fixes`` gives exactly ``<case>.fixed.py`` when that file exists, and
  changes nothing when it does not;
- ``--fix`` alone gives ``<case>.safe.fixed.py`` when that file exists, and otherwise applies
  no unsafe fix;
- the fixed code parses, a second fix run changes nothing, every fixed finding is gone and no
  finding is added;
- ``wflint check --diff`` writes nothing.

``pytest --update-fixtures`` rewrites the expected outputs (review them like code).
"""

import ast
import shutil
from collections import Counter

import pytest
from click.testing import CliRunner

from harness import FIXTURES, checker_for, fixture_files, parse_annotations
from wflint.cli import main
from wflint.engine import FixMode
from wflint.source import decode_with_encoding

FILES = fixture_files()


def run_fix(path, unsafe):
    data = path.read_bytes()
    config = parse_annotations(data.decode("utf-8", errors="replace"))[2]
    checker = checker_for(config, path)
    return checker, checker.check_bytes(data, str(path), FixMode(unsafe=unsafe, write=False))


def expected_path(path, level):
    suffix = ".fixed.py" if level == "unsafe" else ".safe.fixed.py"
    return path.with_name(path.name[:-3] + suffix)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
@pytest.mark.parametrize("level", ["unsafe", "safe"])
def test_fix_output(path, level, request):
    _, outcome = run_fix(path, unsafe=level == "unsafe")
    assert outcome.error is None
    if outcome.original is None:  # not parsed (WFL001/WFL002 or no framework): never touched
        assert outcome.fixed_source is None
        return
    fixed = outcome.fixed_source
    own = expected_path(path, level)
    fallback = expected_path(path, "unsafe")
    if request.config.getoption("--update-fixtures"):
        default = outcome.original if level == "unsafe" or not fallback.exists() else fallback.read_text()
        if fixed != default:
            own.write_text(fixed)
        elif own.exists():
            own.unlink()
    expected = own if own.exists() else fallback if level == "safe" and fallback.exists() else None
    assert fixed == (expected.read_text() if expected else outcome.original), (
        f"{path}: the {level} fix output differs from {expected.name if expected else 'the input'}")
    if level == "safe":
        assert all(d.fix.applicability.value == "safe" for d in outcome.fixed)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fix_invariants(path):
    checker, outcome = run_fix(path, unsafe=True)
    if outcome.original is None:
        return
    fixed = outcome.fixed_source
    tree = ast.parse(fixed)
    names = [n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    original_names = [n.name for n in ast.walk(ast.parse(outcome.original))
                      if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    assert len(names) - len(set(names)) == len(original_names) - len(set(original_names)), \
        "a fix defined a function name twice"
    _, encoding, bom = decode_with_encoding(path.read_bytes())
    again = checker.check_bytes(fixed.encode(encoding), str(path), FixMode(unsafe=True, write=False))
    assert again.fixed_source == fixed, "a second fix run changed the file"
    before = Counter(d.code for d in checker.check_bytes(path.read_bytes(), str(path)).diagnostics)
    after = Counter(d.code for d in again.diagnostics)
    fixed_codes = Counter(d.code for d in outcome.fixed)
    remaining = before - fixed_codes
    assert not after - remaining, "fixing added a finding or left a fixed one behind"
    # WFL601 has no applicable fix; a loop stops being reported only when the fixes made its
    # deadline deterministic (time.time() became workflow time)
    assert set(remaining - after) <= {"WFL601"}, "a finding that was not fixed disappeared"
    assert not [d for d in again.diagnostics if d.fix and d.fix.edits
                and d.fix.applicability.value in ("safe", "unsafe")]


@pytest.mark.parametrize("path", [p for p in FILES if expected_path(p, "unsafe").exists()],
                         ids=lambda p: str(p.relative_to(FIXTURES)))
def test_diff_writes_nothing(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    before = copy.read_bytes()
    result = CliRunner().invoke(main, ["check", "--diff", "--unsafe-fixes", str(copy)])
    assert result.exit_code == 1
    assert result.output.startswith(f"--- {copy}\n+++ {copy}\n")
    assert copy.read_bytes() == before


def test_fixes_cover_most_findings_that_can_have_one():
    """Of the findings (fixtures and examples) whose code has an automatic fix somewhere,
    ``--fix --unsafe-fixes`` fixes at least 80%: the rest need a person (see the README's list
    of what stays manual)."""
    examples = sorted((FIXTURES.parents[1] / "examples").rglob("*.py"))
    counts: list[tuple[Counter, Counter]] = []
    fixable_codes: set[str] = set()
    for path in [*FILES, *examples]:
        checker, outcome = run_fix(path, unsafe=True)
        before = checker.check_bytes(path.read_bytes(), str(path)).diagnostics
        fixable_codes.update(d.code for d in before if d.fix is not None and d.fix.edits)
        counts.append((Counter(d.code for d in before), Counter(d.code for d in outcome.fixed)))
    total = sum(n for before, _ in counts for code, n in before.items() if code in fixable_codes)
    fixed = sum(min(n, after[code]) for before, after in counts for code, n in before.items()
                if code in fixable_codes)
    assert total > 250
    assert fixed / total >= 0.80, f"{fixed}/{total} fixed"
