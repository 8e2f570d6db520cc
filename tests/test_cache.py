"""The result cache: warm runs give the cold run's answer, and anything that changes the answer
invalidates what it must."""

import json
import os
import textwrap

import pytest
from click.testing import CliRunner

from wflint.cli import main

WORKFLOW = textwrap.dedent("""\
    import dapr.ext.workflow as wf
    from app.helpers import stamp

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def w(ctx):
        yield ctx.call_activity(save, input=stamp())

    @wfr.activity
    def save(ctx, value):
        return value
""")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("WFLINT_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "flows.py").write_text(WORKFLOW)
    (tmp_path / "app" / "helpers.py").write_text("import time\n\ndef stamp():\n    return time.time()\n")
    (tmp_path / "app" / "plain.py").write_text("x = 1\n")
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, ["check", *args])


def test_warm_run_gives_the_same_answer_and_writes_a_tagged_cache(project):
    cold = run("app")
    cache = project / ".wflint_cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text().endswith("*\n")
    warm = run("app")
    assert cold.output == warm.output and "WFL101" in warm.output
    assert warm.exit_code == cold.exit_code == 1


def test_warm_run_does_not_read_unchanged_files(project, monkeypatch):
    run("app")
    opened = []
    real_open = open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    run("app")
    assert not [p for p in opened if p.endswith(".py")]


def test_a_changed_helper_invalidates_its_caller(project):
    assert "WFL101" in run("app").output
    helpers = project / "app" / "helpers.py"
    helpers.write_text("import uuid\n\ndef stamp():\n    return str(uuid.uuid4())\n")
    os.utime(helpers, ns=(1, 1))  # a different stamp whatever the clock's resolution
    output = run("app").output
    assert "WFL202" in output and "WFL101" not in output


def test_a_changed_file_is_checked_again(project):
    run("app")
    flows = project / "app" / "flows.py"
    flows.write_text(WORKFLOW.replace("stamp()", "1"))
    assert run("app").output == "All checks passed!\n"


def test_changed_settings_use_another_cache(project):
    assert "WFL101" in run("app").output
    assert run("--ignore", "WFL101", "app").output == "All checks passed!\n"


def test_a_corrupt_cache_is_ignored_and_rewritten(project):
    cold = run("app").output
    [entry_file] = (project / ".wflint_cache").rglob("*.json")
    entry_file.write_text("{ not json")
    assert run("app").output == cold
    json.loads(entry_file.read_text())  # rewritten
    data = json.loads(entry_file.read_text())
    for entry in data["files"].values():
        entry["diagnostics"] = "garbage"
    entry_file.write_text(json.dumps(data))
    assert run("app").output == cold
    for entry in data["files"].values():
        entry["diagnostics"] = [{"no": "fields"}]
        entry["deps"] = [["x", "y", "z"]]
    entry_file.write_text(json.dumps(data))
    assert run("app").output == cold


def test_no_cache_neither_reads_nor_writes(project):
    run("--no-cache", "app")
    assert not (project / ".wflint_cache").exists()


def test_clean_removes_the_cache(project):
    run("app")
    result = CliRunner().invoke(main, ["clean"])
    assert result.exit_code == 0 and result.output == "Removed the wflint cache.\n"
    assert not (project / ".wflint_cache").exists()


def test_a_touched_but_identical_file_is_still_a_hit(project, monkeypatch):
    run("app")
    flows = project / "app" / "flows.py"
    os.utime(flows, ns=(5, 5))  # new stamp, same content: the content hash decides
    calls = []
    import wflint.engine as engine

    real = engine.Checker.analyse

    def counting(self, *args):
        calls.append(args[2])
        return real(self, *args)

    monkeypatch.setattr(engine.Checker, "analyse", counting)
    assert "WFL101" in run("app").output
    assert calls == []


def test_a_helper_of_a_helper_invalidates_every_workflow_that_reaches_it(project):
    """Two workflow modules call one helper, which calls a helper in a third module. What the
    first module's analysis worked out about the helpers is reused for the second, and the
    second still depends on every file it came from: when the innermost helper changes, both
    are checked again (a warm run gives the cold run's answer)."""
    flow = WORKFLOW.replace("from app.helpers import stamp", "from app.middle import stamp")
    (project / "app" / "flows.py").write_text(flow)
    (project / "app" / "other.py").write_text(flow.replace("def w(", "def other("))
    (project / "app" / "middle.py").write_text("from app.helpers import clock\n\n"
                                               "def stamp():\n    return clock()\n")
    (project / "app" / "helpers.py").write_text("def clock():\n    return 1\n")
    assert run("app").exit_code == 0  # nothing reaches a hazard yet
    (project / "app" / "helpers.py").write_text("import time\n\ndef clock():\n    return time.time()\n")
    warm = run("app")
    cold = run("--no-cache", "app")
    assert warm.output == cold.output
    assert "app/flows.py" in warm.output and "app/other.py" in warm.output
