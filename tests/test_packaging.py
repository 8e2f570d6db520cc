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


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "wflint check examples/" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci
