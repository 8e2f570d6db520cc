"""The flake8 plugin, driven through the real flake8 (a test dependency only)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("flake8", reason="flake8 is in the test extra")  # never skipped under .ci/run

ROOT = Path(__file__).parent.parent
FILE_CODES = re.compile(r": WFL00[12] ")  # syntax and decoding errors are flake8's own E999/E902


def flake8(*args, cwd=ROOT, input=None):
    return subprocess.run([sys.executable, "-m", "flake8", "--isolated", *args], cwd=cwd,
                          capture_output=True, text=True, input=input)


def wflint(*args, cwd=ROOT, input=None):
    return subprocess.run([sys.executable, "-m", "wflint", "check", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, input=input)


def finding_lines(output):
    """Finding lines without wflint's fix markers ([*]/[!] tell what ``wflint --fix`` would do)."""
    return sorted(re.sub(r" \[[*!]\] ", " ", line) for line in output.splitlines()
                  if ": WFL" in line and not FILE_CODES.search(line))


def test_registered_under_flake8_extension_as_wfl():
    from importlib.metadata import entry_points

    (entry,) = [e for e in entry_points(group="flake8.extension") if e.value.startswith("wflint")]
    assert entry.name == "WFL" and entry.value == "wflint.flake8_plugin:WflintChecker"
    assert "wflint: " in flake8("--version").stdout


@pytest.mark.parametrize("target", ["tests/fixtures", "examples"])
def test_flake8_reports_what_wflint_reports(target):
    ours = wflint(target)
    theirs = flake8("--select", "WFL", target)
    assert ours.returncode == theirs.returncode == 1, theirs.stderr
    expected = finding_lines(ours.stdout)
    assert len(expected) > 30
    assert finding_lines(theirs.stdout) == expected


def test_syntax_errors_are_flake8s_e999():
    result = flake8("--select", "WFL,E999", "tests/fixtures/WFL001")
    assert "missing_colon.py:7:35: E999 SyntaxError: expected ':'" in result.stdout
    assert ": WFL" not in result.stdout


def test_stdin_with_display_name_and_noqa(tmp_path):
    source = (ROOT / "examples" / "dapr" / "order_workflow.py").read_text()
    result = flake8("--select", "WFL", "--stdin-display-name", "app/wf.py", "-", cwd=tmp_path,
                    input=source)
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("app/wf.py:") for line in lines)
    assert lines == [l.replace("examples/dapr/order_workflow.py", "app/wf.py")
                     for l in finding_lines(wflint("examples/dapr/order_workflow.py").stdout)]
    first_line = int(lines[0].split(":")[1])
    silenced = source.splitlines()
    silenced[first_line - 1] += "  # noqa: WFL"
    again = flake8("--select", "WFL", "-", cwd=tmp_path, input="\n".join(silenced) + "\n")
    assert len(again.stdout.splitlines()) == len(lines) - 1


def test_wflint_configuration_applies(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.wflint]\nignore = ["WFL5"]\n')
    (tmp_path / "wf.py").write_text((ROOT / "examples" / "dapr" / "order_workflow.py").read_text())
    result = flake8("--select", "WFL", "wf.py", cwd=tmp_path)
    assert "WFL101" in result.stdout and "WFL501" not in result.stdout
    assert finding_lines(result.stdout) == finding_lines(wflint("wf.py", cwd=tmp_path).stdout)


def test_flake8_ignore_and_select_prefixes(tmp_path):
    (tmp_path / "wf.py").write_text((ROOT / "examples" / "dapr" / "order_workflow.py").read_text())
    assert flake8("--select", "WFL", "--extend-ignore", "WFL", "wf.py", cwd=tmp_path).returncode == 0
    only_clock = flake8("--select", "WFL1", "wf.py", cwd=tmp_path).stdout
    assert only_clock and all(": WFL1" in line for line in only_clock.splitlines())


def test_bad_wflint_configuration_is_reported_not_a_crash(tmp_path):
    (tmp_path / "wflint.toml").write_text("selekt = 1\n")
    (tmp_path / "wf.py").write_text((ROOT / "examples" / "dapr" / "order_workflow.py").read_text())
    result = flake8("--select", "WFL", "wf.py", cwd=tmp_path)
    assert "wf.py:1:1: WFL002 wflint configuration error:" in result.stdout
    assert "unknown key 'selekt'" in result.stdout and "Traceback" not in result.stderr
