"""The pre-commit hooks, end to end with the real pre-commit: the manifest validates, the hook
fails on a workflow hazard and passes once it is fixed, ``args: [--fix]`` fixes the file, a
staged helper alone still blocks the commit at the workflow that calls it, and the compat hook
blocks an edit that breaks instances in flight.

The hook repository is a fresh commit of this working tree (what ``pre-commit try-repo`` does
with uncommitted changes), so the test checks the code under test, committed or not.
pre-commit builds the hook's virtualenv with pip: the test needs the package index.
"""

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")  # never skipped under .ci/run

ROOT = Path(__file__).parent.parent
GIT_IDENTITY = ["-c", "user.name=wflint tests", "-c", "user.email=tests@wflint.invalid",
                "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]

HAZARD = textwrap.dedent("""\
    import logging
    import time
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()
    logger = logging.getLogger(__name__)

    @wfr.workflow
    def order_workflow(ctx, order):
        logger.info("order %s", order)
        started = time.time()
        yield ctx.call_activity(save, input=started)

    @wfr.activity
    def save(ctx, data):
        return data
""")


def git(*args, cwd):
    subprocess.run(["git", *GIT_IDENTITY, *args], cwd=cwd, check=True, capture_output=True)


def pre_commit(*args, cwd, env):
    return subprocess.run([sys.executable, "-m", "pre_commit", *args, "--color", "never"],
                          cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """A git repository holding this working tree (tracked and untracked, not ignored files)."""
    repo = tmp_path_factory.mktemp("hook") / "wflint"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "wflint under test", cwd=repo)
    return repo


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    environment = dict(os.environ)
    environment["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    for name in ("PRE_COMMIT_COLOR", "PRE_COMMIT", "WFLINT_NO_CACHE"):
        environment.pop(name, None)
    return environment


@pytest.fixture
def project(tmp_path):
    git("init", "-q", cwd=tmp_path)
    (tmp_path / "orders.py").write_text(HAZARD)
    git("add", "orders.py", cwd=tmp_path)
    return tmp_path


def test_manifest_validates(env):
    result = pre_commit("validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"), cwd=ROOT, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_try_repo_fails_on_the_finding_then_passes_once_fixed(hook_repo, project, env):
    started = time.perf_counter()
    result = pre_commit("try-repo", str(hook_repo), "wflint", "--all-files", cwd=project, env=env)
    first = time.perf_counter() - started
    assert result.returncode == 1, result.stdout + result.stderr
    assert "wflint..." in result.stdout and "Failed" in result.stdout
    assert "orders.py:11:15: WFL101 " in result.stdout
    assert "orders.py:10:5: WFL501 " in result.stdout

    fixed = HAZARD.replace("    logger.info(\"order %s\", order)\n",
                           "    if not ctx.is_replaying:\n        logger.info(\"order %s\", order)\n")
    (project / "orders.py").write_text(fixed.replace("time.time()", "ctx.current_utc_datetime.timestamp()"))
    git("add", "orders.py", cwd=project)
    started = time.perf_counter()
    result = pre_commit("try-repo", str(hook_repo), "wflint", "--all-files", cwd=project, env=env)
    second = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    print(f"\npre-commit try-repo: {first:.1f} s with the hook environment build, {second:.1f} s after")


def test_fix_args_rewrite_the_file(hook_repo, project, env):
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, check=True,
                          capture_output=True, text=True).stdout.strip()
    (project / ".pre-commit-config.yaml").write_text(textwrap.dedent(f"""\
        repos:
        -   repo: {hook_repo}
            rev: {head}
            hooks:
            -   id: wflint
                args: [--fix]
    """))
    assert pre_commit("validate-config", ".pre-commit-config.yaml", cwd=project, env=env).returncode == 0
    result = pre_commit("run", "--all-files", cwd=project, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    fixed = (project / "orders.py").read_text()
    assert "    if not ctx.is_replaying:\n        logger.info(" in fixed
    assert "started = ctx.current_utc_datetime" in fixed and "time.time()" not in fixed
    git("add", "orders.py", cwd=project)
    again = pre_commit("run", "--all-files", cwd=project, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout


HELPER = "def format_money(amount):\n    return f'${amount}'\n"
CALLER = textwrap.dedent("""\
    import dapr.ext.workflow as wf

    from app.util import format_money

    wfr = wf.WorkflowRuntime()


    @wfr.workflow
    def order_workflow(ctx, order):
        label = format_money(order)
        yield ctx.call_activity(charge, input=label)


    @wfr.activity
    def charge(ctx, label):
        return label
""")


@pytest.fixture
def helper_project(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "util.py").write_text(HELPER)
    (tmp_path / "app" / "workflows.py").write_text(CALLER)
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-q", "-m", "clean", cwd=tmp_path)
    return tmp_path


def test_a_staged_helper_blocks_the_commit_naming_the_workflow(hook_repo, helper_project, env):
    """Only the helper is staged: the hook still reports its new hazard, at the workflow's call
    site, naming both files."""
    (helper_project / "app" / "util.py").write_text(
        "import time\n\n\n" + HELPER.replace("    return", "    time.sleep(1)\n    return"))
    git("add", "app/util.py", cwd=helper_project)
    result = pre_commit("try-repo", str(hook_repo), "wflint", cwd=helper_project, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "app/workflows.py:10:13: WFL102" in result.stdout
    assert "via format_money() at app/util.py:5" in result.stdout


def test_the_compat_hook_blocks_an_edit_that_breaks_instances_in_flight(hook_repo, helper_project, env):
    workflows = helper_project / "app" / "workflows.py"
    workflows.write_text(CALLER.replace(
        "        yield ctx.call_activity(charge, input=label)",
        "        yield ctx.call_activity(charge, input='deposit')\n"
        "        yield ctx.call_activity(charge, input=label)").replace(
        "    label = format_money(order)\n", "    label = format_money(order)\n    yield ctx.create_timer(5)\n"))
    git("add", "app/workflows.py", cwd=helper_project)
    result = pre_commit("try-repo", str(hook_repo), "wflint-compat", cwd=helper_project, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "WFL1001" in result.stdout and "in workflow 'order_workflow'" in result.stdout
    workflows.write_text(CALLER.replace("        return label", "        return label.upper()"))
    git("add", "app/workflows.py", cwd=helper_project)
    result = pre_commit("try-repo", str(hook_repo), "wflint-compat", cwd=helper_project, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
