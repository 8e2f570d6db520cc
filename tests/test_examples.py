"""The bundled examples: every planted hazard is found, and the clean counterparts stay clean."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from harness import check_fixture, parse_annotations
from wflint.codes import CATALOG
from wflint.cli import main
from wflint.frameworks import SELECTABLE

EXAMPLES = Path(__file__).parents[1] / "examples"
FILES = sorted(EXAMPLES.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_annotations_hold(path):
    assert check_fixture(path) == []


@pytest.mark.parametrize("framework", SELECTABLE)
def test_each_framework_has_hazards_and_a_clean_counterpart(framework):
    files = sorted((EXAMPLES / framework).glob("*.py"))
    clean = [f for f in files if f.stem.endswith("_clean")]
    hazardous = [f for f in files if not f.stem.endswith("_clean")]
    assert clean and hazardous
    for path in clean:
        assert parse_annotations(path.read_text())[0] == []
    for path in hazardous:
        assert parse_annotations(path.read_text())[0], f"{path} plants no hazard"


WARNING_CODES = {entry.code for entry in CATALOG if entry.severity == "warning"}


def test_check_examples_reports_every_planted_hazard():
    planted = sum(len(parse_annotations(p.read_text())[0]) for p in FILES)
    result = CliRunner().invoke(main, ["check", str(EXAMPLES)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": WFL" in line]
    assert len(lines) == planted
    assert not any("_clean.py" in line for line in lines)
    warnings = sum(1 for line in lines if line.split(": ")[1].split(" ")[0] in WARNING_CODES)
    assert warnings  # the examples plant output hazards (warnings) too
    assert f"\nFound {planted - warnings} errors and {warnings} warnings.\n" in result.output


def test_readme_sample_output_is_real():
    readme = (EXAMPLES.parent / "README.md").read_text()
    samples = [line for line in readme.splitlines() if line.startswith("examples/")]
    assert samples
    output = CliRunner().invoke(main, ["check", "examples"]).output.splitlines()
    for line in samples:
        assert line in output


def test_fixing_the_examples(tmp_path):
    """--fix --unsafe-fixes on the examples: the code parses, a second run changes nothing,
    every fixed finding is gone, nothing new appears, and what remains has no applicable fix."""
    import ast
    import shutil

    from wflint.config import Settings
    from wflint.engine import Checker

    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    checker = Checker(Settings())
    before = {p: [d.code for d in checker.check_path(str(p)).diagnostics] for p in copy.rglob("*.py")}
    result = CliRunner().invoke(main, ["check", "--fix", "--unsafe-fixes", str(copy)])
    assert result.exit_code == 1  # display-only suggestions remain
    fixed_count = int(result.output.rsplit("(", 1)[1].split(" fixed")[0])
    assert fixed_count >= 15
    snapshot = {p: p.read_text() for p in copy.rglob("*.py")}
    for text in snapshot.values():
        ast.parse(text)
    again = CliRunner().invoke(main, ["check", "--fix", "--unsafe-fixes", str(copy)])
    assert {p: p.read_text() for p in copy.rglob("*.py")} == snapshot
    assert "(0 fixed," in again.output
    removed = 0
    bounded = 0
    for path in copy.rglob("*.py"):
        after = [d for d in checker.check_path(str(path)).diagnostics]
        assert all(d.fix is None or not d.fix.edits for d in after)
        remaining = sorted(d.code for d in after)
        original = sorted(before[path])
        assert set(remaining) <= set(original)
        removed += len(original) - len(remaining)
        # WFL601 has no applicable fix: a loop stops being reported only because the fixes
        # gave it a deterministic bound (a deadline now read from workflow time)
        bounded += original.count("WFL601") - remaining.count("WFL601")
    assert bounded == 1
    assert removed == fixed_count + bounded


def test_the_readme_sample_output_is_the_real_output():
    """The Quick start shows the first lines and the summary of `wflint check examples/`, in the
    order the command prints them."""
    readme = (EXAMPLES.parent / "README.md").read_text()
    start = readme.index("finds them:\n\n```\n") + len("finds them:\n\n```\n")
    sample = readme[start:readme.index("```", start)].splitlines()
    head, tail = sample[:sample.index("...")], sample[sample.index("...") + 1:]
    import os

    previous = os.getcwd()
    os.chdir(EXAMPLES.parent)
    try:
        output = CliRunner().invoke(main, ["check", "examples/"]).output.splitlines()
    finally:
        os.chdir(previous)
    assert head and output[:len(head)] == head
    assert tail and output[-len(tail):] == tail
