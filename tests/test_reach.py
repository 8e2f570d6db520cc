"""Which workflow modules a named file can reach into (the pre-commit case: only a helper is
staged), read from import lines."""

from wflint.prefilter import markers_for
from wflint.reach import reaching_modules

MARKERS = markers_for(None, ())
#: a module that declares a workflow (the prefilter lets it through), before what a test adds
WORKFLOW_HEAD = ("import dapr.ext.workflow as wf\nwfr = wf.WorkflowRuntime()\n\n\n@wfr.workflow\n"
                 "def flow(ctx):\n    yield ctx.create_timer(1)\n\n\n")


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_direct_relative_and_transitive_importers(tmp_path, monkeypatch):
    write(tmp_path, {
        "app/__init__.py": "",
        "app/util.py": "def f():\n    return 1\n",
        "app/helpers.py": "from .util import f\n\ndef g():\n    return f()\n",
        "app/flows.py": WORKFLOW_HEAD + "from app.helpers import g\n",
        "app/direct.py": WORKFLOW_HEAD + "from app import util\n",
        "app/parenthesised.py": WORKFLOW_HEAD + "from app.util import (\n    f,\n)\n",
        "app/unrelated.py": WORKFLOW_HEAD + "import app.helpers_extra\n",
        "app/no_workflows.py": "from app.util import f\n",
    })
    monkeypatch.chdir(tmp_path)
    assert reaching_modules(["app/util.py"], str(tmp_path), MARKERS) == [
        "app/direct.py", "app/flows.py", "app/parenthesised.py"]


def test_a_module_named_like_a_package_is_not_reached_through_its_submodules(tmp_path, monkeypatch):
    write(tmp_path, {"dapr.py": "x = 1\n", "flow.py": WORKFLOW_HEAD + "from dapr.ext.workflow import when_all\n"})
    monkeypatch.chdir(tmp_path)
    assert reaching_modules(["dapr.py"], str(tmp_path), MARKERS) == []


def test_files_outside_the_root_or_ignored_by_git_are_not_scanned(tmp_path, monkeypatch):
    write(tmp_path, {"proj/app/util.py": "x = 1\n", "proj/app/flow.py": WORKFLOW_HEAD + "import app.util\n",
                     "proj/generated/flow.py": WORKFLOW_HEAD + "import app.util\n",
                     "proj/.gitignore": "generated/\n", "elsewhere/util.py": "x = 1\n"})
    (tmp_path / "proj" / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "proj")
    assert reaching_modules(["app/util.py"], str(tmp_path / "proj"), MARKERS) == ["app/flow.py"]
    assert reaching_modules([str(tmp_path / "elsewhere" / "util.py")], str(tmp_path / "proj"), MARKERS) == []


def test_relative_imports_reach_what_they_do_not_spell(tmp_path, monkeypatch):
    """``from .. import x`` and ``from .sub import y`` import the package above without
    spelling its name: a package is reached through its submodules, whatever the number of
    modules a hop looks for."""
    write(tmp_path, {
        "app/__init__.py": "",
        "app/core/__init__.py": "",
        "app/core/clock.py": "def now():\n    return 1\n",
        "app/flows/__init__.py": "",
        "app/flows/up.py": WORKFLOW_HEAD + "from .. import settings\n",
        "app/settings.py": "x = 1\n",
        "app/core/flow.py": WORKFLOW_HEAD + "from .clock import now\n",
        "app/core/other.py": WORKFLOW_HEAD + "from . import clock\n",
    })
    monkeypatch.chdir(tmp_path)
    assert reaching_modules(["app/__init__.py"], str(tmp_path), MARKERS) == [
        "app/core/flow.py", "app/core/other.py", "app/flows/up.py"]
    assert reaching_modules(["app/core/__init__.py"], str(tmp_path), MARKERS) == [
        "app/core/flow.py", "app/core/other.py"]
    # many names in one hop: the import lines of every file are read, with the same answer
    many = {f"app/core/m{n}.py": "x = 1\n" for n in range(12)}
    write(tmp_path, many)
    assert reaching_modules([*many, "app/core/__init__.py"], str(tmp_path), MARKERS) == [
        "app/core/flow.py", "app/core/other.py"]
