"""The pre-commit manifest and the Quick start stay what the README and SPEC promise."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_pre_commit_manifest():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "- id: wflint" in text
    assert "entry: wflint check --force-exclude" in text
    assert "language: python" in text
    assert "types_or: [python, pyi]" in text
    assert "require_serial: true" in text
    assert "- id: wflint-compat" in text and "entry: wflint compat" in text


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "wflint check examples/" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci


def test_readme_fixing_examples_are_real():
    """Each "before" block of the README's Fixing section fixes into the "after" block below it."""
    from click.testing import CliRunner

    from wflint.cli import main

    section = (ROOT / "README.md").read_text().split("## Fixing", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    pairs = [(b, a) for b, a in zip(blocks[::2], blocks[1::2], strict=True)]
    assert len(pairs) == 6  # one per framework
    for before, after in pairs:
        assert before.startswith("# before\n") and after.startswith("# after")
        source = before.split("\n", 1)[1]
        result = CliRunner().invoke(main, ["check", "--fix", "--unsafe-fixes", "-"], input=source)
        assert result.stdout == after.split("\n", 1)[1]
