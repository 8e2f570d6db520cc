"""The bundled examples: every planted hazard is found, and the clean counterparts stay clean."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from harness import check_fixture, parse_annotations
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


def test_check_examples_reports_every_planted_hazard():
    planted = sum(len(parse_annotations(p.read_text())[0]) for p in FILES)
    result = CliRunner().invoke(main, ["check", str(EXAMPLES)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": WFL" in line]
    assert len(lines) == planted
    assert not any("_clean.py" in line for line in lines)
    assert f"\nFound {planted} errors.\n" in result.output


def test_readme_sample_output_is_real():
    readme = (EXAMPLES.parent / "README.md").read_text()
    samples = [line for line in readme.splitlines() if line.startswith("examples/")]
    assert samples
    output = CliRunner().invoke(main, ["check", "examples"]).output.splitlines()
    for line in samples:
        assert line in output
