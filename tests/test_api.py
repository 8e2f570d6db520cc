"""The Python API: wflint.check_source / check_paths / fix_source and the types they return."""

import dataclasses
import subprocess
import sys
import textwrap

import pytest

import wflint
from wflint import Applicability, CheckError, ConfigError, Diagnostic, check_paths, check_source, fix_source

SOURCE = textwrap.dedent("""\
    import random
    import time
    from temporalio import workflow

    @workflow.defn
    class Greeter:
        @workflow.run
        async def run(self, name: str) -> str:
            started = time.time()
            return f"{name} {started} {random.random()}"
""")


def test_check_source_returns_typed_diagnostics():
    found = check_source(SOURCE, path="app/greeter.py")
    assert [type(d) for d in found] == [Diagnostic, Diagnostic]
    clock, rand = found
    assert (clock.code, clock.path, clock.line, clock.col, clock.end_line, clock.end_col) == \
        ("WFL101", "app/greeter.py", 9, 19, 9, 30)
    assert clock.severity == "error" and clock.name == "wall-clock"
    assert "reads the wall clock in workflow 'Greeter.run'" in clock.message
    assert clock.url.endswith("docs/rules/WFL101.md")
    assert rand.code == "WFL201" and rand.fix.applicability is Applicability.UNSAFE
    assert rand.fix.edits[0].content == "workflow.random().random()"
    assert {f.name for f in dataclasses.fields(Diagnostic)} >= {
        "code", "message", "path", "line", "col", "end_line", "end_col", "severity", "fix"}


def test_check_source_accepts_bytes_with_a_coding_cookie():
    data = ("# -*- coding: latin-1 -*-\n" + SOURCE.replace('f"{name}', 'f"é{name}')).encode("latin-1")
    assert [d.code for d in check_source(data, path="g.py")] == ["WFL101", "WFL201"]


def test_check_source_syntax_error_is_wfl001():
    found = check_source("from temporalio import workflow\n@workflow.defn\nclass W:\n    def broken(:\n",
                         path="b.py")
    assert [(d.code, d.line) for d in found] == [("WFL001", 4)]


def test_config_mapping_selects_rules():
    assert [d.code for d in check_source(SOURCE, config={"select": ["WFL2"]})] == ["WFL201"]
    assert check_source(SOURCE, config={"frameworks": ["dapr"]}) == []


def test_config_mapping_is_validated():
    with pytest.raises(ConfigError, match="unknown key 'selekt'"):
        check_source(SOURCE, config={"selekt": ["WFL1"]})
    with pytest.raises(ConfigError, match="unknown rule code or prefix 'XYZ1'"):
        check_source(SOURCE, config={"ignore": ["XYZ1"]})
    with pytest.raises(ConfigError):
        check_source(SOURCE, config=42)


def test_config_file_path_and_discovery(tmp_path):
    (tmp_path / "wflint.toml").write_text('ignore = ["WFL101"]\n')
    assert [d.code for d in check_source(SOURCE, config=tmp_path / "wflint.toml")] == ["WFL201"]
    # config=None finds the file above the path, as the command line does
    assert [d.code for d in check_source(SOURCE, path=tmp_path / "pkg" / "g.py")] == ["WFL201"]


def test_check_paths_matches_the_command_line(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "greeter.py").write_text(SOURCE)
    (tmp_path / "pkg" / "plain.py").write_text("import time\nprint(time.time())\n")
    monkeypatch.chdir(tmp_path)
    found = check_paths(["pkg"])
    assert [(d.path, d.code) for d in found] == [("pkg/greeter.py", "WFL101"), ("pkg/greeter.py", "WFL201")]
    cli = subprocess.run([sys.executable, "-m", "wflint", "check", "--no-cache", "pkg"],
                         capture_output=True, text=True)
    assert [line.split(": ")[0] for line in cli.stdout.splitlines() if ": WFL" in line] == \
        [f"{d.path}:{d.line}:{d.col}" for d in found]


def test_check_paths_missing_path_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.py"):
        check_paths([tmp_path / "nope.py"])


def test_check_paths_reports_internal_errors_without_losing_other_files(tmp_path, monkeypatch):
    from wflint.engine import Checker

    (tmp_path / "a.py").write_text(SOURCE)
    (tmp_path / "b.py").write_text(SOURCE)
    real = Checker.analyse

    def failing(self, tree, source, path, module=None):
        if path.endswith("a.py"):
            raise RuntimeError("boom")
        return real(self, tree, source, path, module)

    monkeypatch.setattr(Checker, "analyse", failing)
    with pytest.raises(CheckError) as info:
        check_paths([tmp_path / "a.py", tmp_path / "b.py"])
    assert list(info.value.errors) == [str(tmp_path / "a.py")]
    assert "RuntimeError: boom" in str(info.value)
    assert [d.code for d in info.value.diagnostics] == ["WFL101", "WFL201"]


def test_fix_source_applies_safe_fixes_only_unless_unsafe():
    fixed, remaining = fix_source(SOURCE, path="g.py")
    assert "started = workflow.time()" in fixed and "import time" not in fixed
    # a deterministic draw shifts the stream in-flight instances replay: unsafe
    assert [d.code for d in remaining] == ["WFL201"] and "random.random()" in fixed
    fixed, remaining = fix_source(SOURCE, path="g.py", unsafe=True)
    assert "workflow.random().random()" in fixed and remaining == []
    local_clock = SOURCE.replace("time.time()", "datetime.now()").replace(
        "import time\n", "from datetime import datetime\n")
    fixed, remaining = fix_source(local_clock, path="g.py")
    assert [d.code for d in remaining] == ["WFL101", "WFL201"]  # local time becomes UTC: unsafe
    assert "datetime.now()" in fixed
    fixed, remaining = fix_source(local_clock, path="g.py", unsafe=True)
    assert "datetime.now()" not in fixed and remaining == []


def test_import_wflint_is_cheap():
    code = ("import sys, wflint; assert 'wflint.engine' not in sys.modules; "
            "wflint.check_source; assert 'wflint.api' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_public_names():
    assert set(wflint.__all__) <= set(dir(wflint))
    with pytest.raises(AttributeError):
        wflint.no_such_name  # noqa: B018


_WORKER_MODULE = '''\
import httpx
import temporalio.worker
from temporalio import workflow
{imports}


@workflow.defn
class Poll:
    @workflow.run
    async def run(self, url: str) -> str:
        return httpx.get(url).text


async def main(client, registry) -> None:
    registry.Client(client)
    await {worker}(client, task_queue="poll", workflows=[Poll], activities=[]).run()
'''


@pytest.mark.parametrize("imports, worker", [
    ("from temporalio.worker import Worker", "Worker"),
    ("from temporalio.worker import Worker as Runner", "Runner"),
    ("from temporalio.client import Client", "temporalio.worker.Worker"),
])
def test_an_extracted_activity_joins_the_worker_however_the_worker_is_spelled(imports, worker):
    """Moving a hazard into an activity adds it to the module's one Worker, found by what the
    callee resolves to: a name, an alias or a dotted path (and not an attribute that merely
    shares an imported name, such as ``registry.Client``)."""
    fixed, _ = fix_source(_WORKER_MODULE.format(imports=imports, worker=worker), "poll.py", unsafe=True)
    assert "activities=[get_activity], activity_executor=" in fixed, fixed


def test_a_worker_of_another_module_is_not_the_temporal_worker():
    source = _WORKER_MODULE.format(imports="from myapp import Worker", worker="Worker")
    fixed, _ = fix_source(source, "poll.py", unsafe=True)
    assert "def get_activity" in fixed and "activities=[]" in fixed, fixed
