"""--write-baseline / --baseline: adopt wflint in legacy code, fail only on new findings."""

import json
import textwrap

import pytest
from click.testing import CliRunner

from wflint.baseline import Baseline, BaselineError, line_hash
from wflint.cli import main

LEGACY = textwrap.dedent("""\
    import time
    import uuid
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def order_wf(ctx, order):
        started = time.time()
        key = uuid.uuid4()
        yield ctx.call_activity(save, input=[started, str(key)])

    @wfr.activity
    def save(ctx, data):
        return data
""")


def run(*args):
    return CliRunner().invoke(main, list(args))


def codes(output):
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in output.splitlines() if ": WFL" in line]


@pytest.fixture
def legacy(tmp_path, monkeypatch):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "orders.py").write_text(LEGACY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_write_baseline_records_findings_and_exits_0(legacy):
    result = run("check", "--write-baseline", "wflint-baseline.json", "app")
    assert result.exit_code == 0, result.output
    data = json.loads((legacy / "wflint-baseline.json").read_text())
    assert data["version"] == 1
    assert [(f["path"], f["code"]) for f in data["findings"]] == [
        ("app/orders.py", "WFL101"), ("app/orders.py", "WFL202")]
    assert all(len(f["hash"]) == 16 for f in data["findings"])


def test_baseline_hides_recorded_findings(legacy):
    run("check", "--write-baseline", "wflint-baseline.json", "app")
    result = run("check", "--baseline", "wflint-baseline.json", "app")
    assert result.exit_code == 0
    assert "All checks passed!" in result.output


def test_new_findings_are_reported(legacy):
    run("check", "--write-baseline", "wflint-baseline.json", "app")
    source = (legacy / "app" / "orders.py").read_text()
    source = source.replace("    key = uuid.uuid4()\n",
                            "    key = uuid.uuid4()\n    other = uuid.uuid1()\n")
    (legacy / "app" / "orders.py").write_text(source)
    result = run("check", "--baseline", "wflint-baseline.json", "app")
    assert result.exit_code == 1
    assert codes(result.output) == ["WFL202"]
    assert "app/orders.py:11:" in result.output  # the new line, not the recorded one


def test_unrelated_edits_do_not_invalidate_the_baseline(legacy):
    run("check", "--write-baseline", "wflint-baseline.json", "app")
    source = (legacy / "app" / "orders.py").read_text()
    # lines added above, the hazard lines re-indented: the same findings, on other lines
    source = "# a new header comment\n\n" + source.replace(
        "    started = time.time()\n", "    if True:\n        started = time.time()\n")
    (legacy / "app" / "orders.py").write_text(source)
    result = run("check", "--baseline", "wflint-baseline.json", "app")
    assert result.exit_code == 0, result.output


def test_a_second_identical_finding_is_new(legacy):
    run("check", "--write-baseline", "wflint-baseline.json", "app")
    source = (legacy / "app" / "orders.py").read_text()
    source = source.replace("    started = time.time()\n",
                            "    started = time.time()\n    started = time.time()\n")
    (legacy / "app" / "orders.py").write_text(source)
    result = run("check", "--baseline", "wflint-baseline.json", "app")
    assert codes(result.output) == ["WFL101"]


def test_baseline_works_from_another_directory(legacy, monkeypatch):
    run("check", "--write-baseline", "wflint-baseline.json", "app")
    monkeypatch.chdir(legacy / "app")
    result = run("check", "--baseline", "../wflint-baseline.json", "orders.py")
    assert result.exit_code == 0, result.output


def test_baseline_applies_to_every_output_format(legacy):
    run("check", "--write-baseline", "b.json", "app")
    result = run("check", "--baseline", "b.json", "--output-format", "json", "app")
    assert json.loads(result.output) == []


@pytest.mark.parametrize("content, message", [
    (None, "baseline file not found"),
    ("{not json", "invalid JSON at line 1"),
    ('{"version": 7, "findings": []}', "not a wflint baseline"),
    ('{"version": 1, "findings": [{"path": "x.py"}]}', "malformed finding"),
])
def test_bad_baseline_is_exit_2(legacy, content, message):
    if content is not None:
        (legacy / "b.json").write_text(content)
    result = run("check", "--baseline", "b.json", "app")
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_write_baseline_cannot_combine_with_fix(legacy):
    assert run("check", "--write-baseline", "b.json", "--fix", "app").exit_code == 2


def test_line_hash_ignores_whitespace_only():
    assert line_hash("WFL101", "    x = time.time()") == line_hash("WFL101", "x=time.time()  ")
    assert line_hash("WFL101", "x = time.time()") != line_hash("WFL202", "x = time.time()")
    assert line_hash("WFL101", "x = time.time()") != line_hash("WFL101", "y = time.time()")


def test_load_rejects_non_objects(tmp_path):
    (tmp_path / "b.json").write_text("[]")
    with pytest.raises(BaselineError):
        Baseline.load(tmp_path / "b.json")
