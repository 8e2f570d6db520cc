"""Multi-module projects: helpers across modules, registrations across modules, inference.

Each folder under tests/projects is a small project; its files carry the same inline
annotations as the fixtures, and the whole folder is checked in one run (as the CLI does), so
that a file's findings can depend on the others.
"""

from pathlib import Path

import pytest

from harness import parse_annotations
from wflint.config import Settings
from wflint.engine import Checker

PROJECTS = Path(__file__).parent / "projects"


def check_project(root: Path, monkeypatch):
    monkeypatch.chdir(root)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    checker = Checker(Settings())
    checker.prepare(files)
    return {path: checker.check_path(path) for path in files}


@pytest.mark.parametrize("root", sorted(p for p in PROJECTS.iterdir() if p.is_dir()),
                         ids=lambda p: p.name)
def test_project_annotations(root, monkeypatch):
    outcomes = check_project(root, monkeypatch)
    problems = []
    for path, outcome in outcomes.items():
        assert outcome.error is None, outcome.error
        expected = sorted((e.line, e.code) for e in parse_annotations((root / path).read_text())[0])
        found = sorted((d.line, d.code) for d in outcome.diagnostics)
        if expected != found:
            problems.append(f"{path}: expected {expected}, found {found}")
    assert not problems, "\n".join(problems)


def test_helper_findings_carry_the_chain(monkeypatch):
    outcomes = check_project(PROJECTS / "dapr_shop", monkeypatch)
    messages = {d.line: d.message for d in outcomes["shop/workflows.py"].diagnostics}
    assert "via deadline() -> _now() -> _clock() at shop/timeutil.py:13" in messages[14]
    assert "via load_cfg() -> read() at shop/config.py:9" in messages[15]
    assert "via ping() -> pong() -> ping() at shop/cycle_a.py:6" in messages[17] or \
        "via ping() at shop/cycle_a.py:6" in messages[17]


def test_unreached_modules_are_not_parsed(monkeypatch, tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "wf.py").write_text(
        "import dapr.ext.workflow as wf\nfrom pkg import used\n"
        "wfr = wf.WorkflowRuntime()\n@wfr.workflow\ndef w(ctx):\n    yield used.f()\n")
    (tmp_path / "pkg" / "used.py").write_text("import time\ndef f():\n    return time.time()\n")
    (tmp_path / "pkg" / "unused.py").write_text("def g(:\n")
    monkeypatch.chdir(tmp_path)
    checker = Checker(Settings())
    checker.prepare(["pkg/wf.py"])
    [finding] = checker.check_path("pkg/wf.py").diagnostics
    assert finding.code == "WFL101" and "via f() at pkg/used.py:3" in finding.message
    loaded = {name for name, module in checker.project._modules.items() if module is not None}
    assert "pkg.unused" not in loaded


def test_a_module_that_defines_no_such_class_is_not_parsed_for_a_construction(monkeypatch, tmp_path):
    """``other.Stamp()`` constructs a class only if pkg/other.py has a ``class Stamp``: it
    merely binds the name to another module's class, so it is not parsed; pkg/models.py
    defines the class constructed."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "wf.py").write_text(
        "import dapr.ext.workflow as wf\nfrom pkg import models, other\n"
        "wfr = wf.WorkflowRuntime()\n@wfr.workflow\ndef w(ctx):\n"
        "    a = models.Stamp()\n    b = other.Stamp()\n    yield ctx.call_activity(act, input=[a, b])\n"
        "@wfr.activity\ndef act(ctx, x):\n    return x\n")
    (tmp_path / "pkg" / "models.py").write_text(
        "import time\nclass Stamp:\n    def __init__(self):\n        self.at = time.time()\n")
    (tmp_path / "pkg" / "other.py").write_text("from pkg import models\nStamp = models.Stamp\n")
    monkeypatch.chdir(tmp_path)
    checker = Checker(Settings())
    checker.prepare(["pkg/wf.py"])
    found = checker.check_path("pkg/wf.py").diagnostics
    assert [(d.line, d.code) for d in found] == [(6, "WFL101")]
    assert "pkg/models.py:4" in found[0].message
    loaded = {name for name, module in checker.project._modules.items() if module is not None}
    assert "pkg.models" in loaded and "pkg.other" not in loaded
    assert any(path.endswith("other.py") for path in checker.project.touched)  # still a dependency


def test_single_files_find_their_own_package_roots(monkeypatch):
    """Checking files one by one (the Python API, an editor) must not depend on which file
    came first: each file's package root joins the project when it is checked."""
    examples = Path(__file__).parents[1] / "examples"
    monkeypatch.chdir(examples.parent)
    checker = Checker(Settings())
    checker.check_path("examples/azure/function_app.py")
    found = checker.check_path("examples/dbos/reports/workflow.py").diagnostics
    assert sorted(d.code for d in found) == ["WFL101", "WFL301"]


def test_every_registration_and_invocation_of_every_framework_marks_a_module():
    """The first pass reads registrations from a module only if its source may hold one; what
    to look for comes from the framework tables, so no registering call and no invocation of
    another module's function as an activity is missed."""
    from wflint.analysis.project import registers_or_invokes
    from wflint.frameworks import FRAMEWORKS

    for framework in FRAMEWORKS.values():
        for entry in (*framework.workflow_registrations, *framework.activity_registrations):
            call = ".".join(entry.split(".")[-2:]) if "." in entry else f"runtime.{entry}"
            assert registers_or_invokes(f"{call}(flows.order)\n".encode()), (framework.name, entry)
        for entry in framework.activity_invocations:
            call = ".".join(entry.split(".")[-2:]) if "." in entry else f"ctx.{entry}"
            options = '{"name": "fetch"}, ' if "run_step" in entry else ""
            other = f"    x = {call}({options}steps.fetch, url)\n".encode()
            imported = f"from app.steps import fetch\n\n    x = {call}({options}fetch, url)\n".encode()
            local = f"def fetch(url):\n    pass\n\n    x = {call}({options}fetch, url)\n".encode()
            assert registers_or_invokes(other) and registers_or_invokes(imported), (framework.name, entry)
            assert not registers_or_invokes(local), (framework.name, entry)
            # an imported name only counts whole: ``fetch_all`` and ``prefetch`` are not ``fetch``
            partly = local.replace(b"def fetch(", b"from app.steps import (prefetch, fetch_all)\ndef fetch(")
            assert not registers_or_invokes(partly), (framework.name, entry)
        if framework.worker_types:
            assert registers_or_invokes(b"Worker(client, activities=[steps.fetch])")
