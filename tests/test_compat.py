"""``wflint compat``: pairs of workflow versions (tests/compat/<framework>/<case>/{base,head}),
each head saying in its first line whether it breaks instances of the base in flight. The
static verdict must match it, and where an engine can replay it here (Durable Task and Dapr on
their executors, Temporal with its Replayer after a run on the local dev server, DBOS by
recovering a run cut back to each point on SQLite, Azure through the SDK's Orchestrator.handle
with the host's comparison of the actions), the engine must agree: the base runs to completion and the head replays every prefix of its history an
instance in flight can have."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wflint.cli import main
from wflint.compat import BREAKING, GATE_REMOVED, NOT_BUMPED, ORPHANED, REMOVED, run
from wflint.config import Settings

CASES_DIR = Path(__file__).parent / "compat"
CASES = sorted(p for p in CASES_DIR.glob("*/*") if (p / "head").is_dir())
ENGINES = Path(__file__).parent / "execution" / "engines.py"
#: the frameworks whose replay the tests run on the SDK's executor (the others are checked
#: statically)
REPLAYED = {"durabletask", "dapr", "temporal", "dbos", "azure"}


def expected(case: Path) -> str:
    head = next((case / "head").glob("*.py")).read_text()
    return re.search(r"\((breaks|safe|gate removed|workflow removed|orphaned|version not bumped|kept on the old version|gate reused)\)",
                     head.splitlines()[0]).group(1)


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_static_verdict(case):
    found = run(case / "head", str(case / "base"), [], Settings())
    verdict = expected(case)
    codes = {d.code for d in found}
    if verdict in ("safe", "kept on the old version"):
        assert not found, [d.message for d in found]
    elif verdict == "breaks":
        assert codes == {BREAKING}, [d.message for d in found]
    elif verdict in ("gate removed", "gate reused"):
        assert GATE_REMOVED in codes, [d.message for d in found]
    elif verdict == "orphaned":
        assert codes == {ORPHANED}, [d.message for d in found]
    elif verdict == "version not bumped":
        assert codes == {NOT_BUMPED}, [d.message for d in found]
    else:
        assert codes == {REMOVED}, [d.message for d in found]


#: pairs whose verdict comes from outside the SDK's replay, checked statically only: the Dapr
#: sidecar's patch-prefix check (a removed or reordered patch stalls the workflow there), its
#: routing of instances to the named version they started on, Temporal worker versioning,
#: which keeps pinned instances away from new code, a removed workflow type (no code left
#: to replay on), and a retired gate id reused (older instances than the base's)
BEYOND_REPLAY = {"dapr/gate_removed", "dapr/patches_reordered", "temporal/pinned_insert",
                 "dapr/new_named_version", "temporal/renamed_type",
                 # the instances at risk are those started before the gate was retired, which
                 # recorded its marker; the base's own runs record none
                 "temporal/gate_id_reused"}


@pytest.mark.parametrize("case", [c for c in CASES if c.parent.name in REPLAYED
                                  and case_id(c) not in BEYOND_REPLAY], ids=case_id)
def test_the_engine_agrees(case, tmp_path):
    for side in ("base", "head"):
        shutil.copytree(case / side, tmp_path / side)
    module = next((tmp_path / "base").glob("*.py")).name
    result = _engine(case.parent.name, tmp_path / "base" / module, tmp_path / "head" / module)
    verdict = expected(case)
    assert result["breaks"] == (verdict in ("breaks", "gate removed")), result
    # the engine leaves a run of another application version pending: orphaned by the default
    # version's hash, or kept for the old version's workers when the version was bumped
    assert result.get("orphaned", False) == (verdict in ("orphaned", "kept on the old version")), result


def test_the_message_names_both_versions_and_the_engine_error():
    case = CASES_DIR / "durabletask" / "insert_before"
    [finding] = run(case / "head", str(case / "base"), [], Settings())
    assert "inserts activity 'ship' before activity 'charge'" in finding.message
    assert "(base order.py:" in finding.message
    assert "NonDeterminismError" in finding.message
    assert finding.line == 22


def test_cli_exit_codes_and_formats(monkeypatch):
    case = CASES_DIR / "durabletask" / "insert_before"
    monkeypatch.chdir(case / "head")
    result = CliRunner().invoke(main, ["compat", "--base", str(case / "base")])
    assert result.exit_code == 1
    assert "WFL1001" in result.output and "Found 1 replay-incompatible change." in result.output
    result = CliRunner().invoke(main, ["compat", "--base", str(case / "base"), "--output-format", "json"])
    assert [(d["code"], d["name"]) for d in json.loads(result.output)] == [
        ("WFL1001", "replay-incompatible-change")]
    result = CliRunner().invoke(main, ["compat", "--base", str(case / "base"), "--output-format", "sarif"])
    import jsonschema

    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(json.loads(result.output))
    sarif = json.loads(result.output)["runs"][0]
    assert sarif["results"][0]["ruleId"] == "WFL1001"
    assert sarif["tool"]["driver"]["rules"][sarif["results"][0]["ruleIndex"]]["id"] == "WFL1001"
    safe = CASES_DIR / "durabletask" / "append_after"
    monkeypatch.chdir(safe / "head")
    result = CliRunner().invoke(main, ["compat", "--base", str(safe / "base")])
    assert result.exit_code == 0 and "No replay-incompatible changes." in result.output


def _commit_all(repo: Path) -> None:
    """A git repository at ``repo`` (made if need be) with everything in it committed on main."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    if not (repo / ".git").exists():
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=repo, check=True)


def test_git_revisions(tmp_path, monkeypatch):
    """--base REV reads the base from git; only changed files are analysed."""
    case = CASES_DIR / "durabletask" / "rename"
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(case / "base" / "order.py", repo / "order.py")
    (repo / "other.py").write_text("x = 1\n")
    _commit_all(repo)
    subprocess.run(["git", "checkout", "-qb", "change"], cwd=repo, check=True)
    shutil.copy(case / "head" / "order.py", repo / "order.py")
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["compat"])  # the merge base with main
    assert result.exit_code == 1, result.output
    assert "replaces activity 'charge' with activity 'ship'" in result.output
    result = CliRunner().invoke(main, ["compat", "--base", "HEAD", "other.py"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["compat", "--base", "no-such-revision"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["compat", "--base", "HEAD", "missing.py"])
    assert result.exit_code == 2 and "missing.py: no such file or directory" in result.output
    result = CliRunner().invoke(main, ["compat", "--base", "./no/such/dir"])
    assert result.exit_code == 2 and "no such directory" in result.output
    (repo / "order.py").unlink()  # a deleted module takes its workflow with it
    result = CliRunner().invoke(main, ["compat", "--base", "main"])
    assert result.exit_code == 1 and "order.py:1:1: WFL1003 removes workflow 'order'" in result.output


def _engine(framework: str, base: Path, head: Path) -> dict:
    proc = subprocess.run([sys.executable, str(ENGINES), framework, "compat", str(base), str(head)],
                          capture_output=True, text=True, timeout=300, cwd=base.parent.parent)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, proc.stderr[-3000:]
    return json.loads(lines[-1])


GATED = {"dbos": r'    if DBOS\.patch\("wflint-[0-9a-f]{8}"\):\n        ship\(reserved\)',
         "dapr": r'    if ctx\.is_patched\("wflint-[0-9a-f]{8}"\):\n        yield ctx\.call_activity\(ship',
         "temporal": r'        if workflow\.patched\("wflint-[0-9a-f]{8}"\):\n            await workflow\.'
                     r'execute_activity\(ship'}


#: the edits the gate fix handles: an insertion (wrapped in the gate), a replaced call (the
#: base's statement back in the else branch) and a removed one (back under ``if not`` the gate)
GATE_FIXED = ("insert_before", "replaced_call", "remove_middle")
ANY_GATE = re.compile(r'(patched|is_patched|patch)\("wflint-[0-9a-f]{8}"\)')


@pytest.mark.parametrize("framework,edit", [(f, e) for f in sorted(GATED) for e in GATE_FIXED])
def test_the_gate_fix_makes_the_change_replay_on_the_engine(framework, edit, tmp_path, monkeypatch):
    """--fix --unsafe-fixes gates the edit with the framework's gate: the fixed code replays
    every prefix of the base's history on the engine, and a second run finds nothing."""
    case = CASES_DIR / framework / edit
    for side in ("base", "head"):
        shutil.copytree(case / side, tmp_path / side)
    assert _engine(framework, tmp_path / "base" / "order.py", tmp_path / "head" / "order.py")["breaks"]
    monkeypatch.chdir(tmp_path / "head")
    result = CliRunner().invoke(main, ["compat", "--base", str(tmp_path / "base"), "--fix"])
    assert result.exit_code == 1  # --fix alone applies nothing: every gate is unsafe
    result = CliRunner().invoke(main, ["compat", "--base", str(tmp_path / "base"), "--fix",
                                       "--unsafe-fixes"])
    assert result.exit_code == 0, result.output
    fixed = (tmp_path / "head" / "order.py").read_text()
    assert re.search(GATED[framework] if edit == "insert_before" else ANY_GATE, fixed), fixed
    base_text = (tmp_path / "base" / "order.py").read_text()
    if edit != "insert_before":  # the base's code is back, in the old branch
        gone = [line for line in base_text.splitlines() if "reserved" in line and line.strip() not in fixed]
        assert not gone, (gone, fixed)
    result = CliRunner().invoke(main, ["compat", "--base", str(tmp_path / "base")])
    assert result.exit_code == 0, result.output
    assert not _engine(framework, tmp_path / "base" / "order.py", tmp_path / "head" / "order.py")["breaks"]


def test_warnings_are_counted_apart_and_may_pass(monkeypatch):
    case = CASES_DIR / "durabletask" / "version_not_bumped"
    monkeypatch.chdir(case / "head")
    result = CliRunner().invoke(main, ["compat", "--base", str(case / "base")])
    assert result.exit_code == 1 and "WFL1004" in result.output, result.output
    assert "Found 1 warning." in result.output
    result = CliRunner().invoke(main, ["compat", "--base", str(case / "base"), "--exit-zero-on-warnings"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["compat", "--base", str(case / "base"), "--output-format", "json"])
    assert [(d["code"], d["name"]) for d in json.loads(result.output)] == [("WFL1004", "version-not-bumped")]


def test_the_base_versions_settings_file_is_read_from_git(tmp_path, monkeypatch):
    """An Azure app whose host.json already started instances with version 2.0: a new branch
    for 2.0 is taken by them, which only the base revision's host.json can tell."""
    case = CASES_DIR / "azure" / "version_gated_insert"
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(case / "base" / "order.py", repo / "order.py")
    (repo / "host.json").write_text((case / "head" / "host.json").read_text())  # 2.0 in flight
    _commit_all(repo)
    shutil.copy(case / "head" / "order.py", repo / "order.py")
    (repo / "host.json").write_text(json.dumps({"version": "2.0", "extensions": {"durableTask": {
        "defaultVersion": "3.0"}}}))  # new instances start with 3.0, which the branch skips
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["compat", "--base", "HEAD"])
    assert result.exit_code == 1, result.output
    assert "WFL1001 inserts activity 'ship'" in result.output
    assert "they started with version '2.0', which `context.version == '2.0'` takes" in result.output


def test_the_gate_fix_is_not_offered_when_the_old_code_cannot_come_back(tmp_path):
    """The base's statement goes back only where the new version still binds every name it
    reads, and the new statement binds no name the old one leaves unbound."""
    case = CASES_DIR / "dapr" / "replaced_call"
    for side in ("base", "head"):
        shutil.copytree(case / side, tmp_path / side)
    head = tmp_path / "head" / "order.py"
    text = head.read_text()
    [offered] = run(tmp_path / "head", str(tmp_path / "base"), [], Settings())
    assert offered.fix is not None and offered.fix.applicability.value == "unsafe"
    head.write_text(text.replace("@wfr.activity\ndef charge(", "def _charge_gone(", 1))
    [finding] = run(tmp_path / "head", str(tmp_path / "base"), [], Settings())
    assert finding.code == BREAKING and finding.fix is None  # `charge` is no longer defined
    head.write_text(text.replace("charged = yield ctx.call_activity(ship, input=reserved)",
                                 "shipped = yield ctx.call_activity(ship, input=reserved)\n"
                                 "    charged = shipped"))
    [finding] = run(tmp_path / "head", str(tmp_path / "base"), [], Settings())
    assert finding.fix is None  # `shipped` would be unbound on the old path


def test_one_name_in_two_applications_pairs_by_file(tmp_path):
    """A repository of several applications may reuse a workflow's name: a new application's
    workflow is not compared with another application's, while a moved workflow still is."""
    pair = CASES_DIR / "durabletask" / "insert_before"
    base, head = tmp_path / "base", tmp_path / "head"
    for root in (base, head):
        (root / "billing").mkdir(parents=True)
        shutil.copy(pair / "base" / "order.py", root / "billing" / "order.py")
    (head / "billing" / "order.py").write_text((pair / "base" / "order.py").read_text() + "\n# reviewed\n")
    (head / "shipping").mkdir()
    shutil.copy(pair / "head" / "order.py", head / "shipping" / "order.py")  # its own 'order'
    assert run(head, str(base), [], Settings()) == []
    (head / "billing" / "order.py").unlink()  # billing's order moved to shipping, and changed
    [finding] = run(head, str(base), [], Settings())
    assert finding.code == BREAKING and "(base billing/order.py:" in finding.message


def test_a_helper_changed_in_git_is_seen_through_the_unchanged_workflow(tmp_path, monkeypatch):
    """Only the helper module differs from the revision: the workflow module that imports it is
    compared too, its base read with the base's helper (and package) while the files git has
    unchanged come from the working tree."""
    repo = tmp_path / "repo"
    (repo / "shop").mkdir(parents=True)
    (repo / "shop" / "__init__.py").write_text("")
    (repo / "shop" / "steps.py").write_text(
        "from durabletask import task\n\n\n"
        "def prepare(ctx: task.OrchestrationContext, item: str):\n"
        "    reserved = yield ctx.call_activity('reserve', input=item)\n"
        "    return reserved\n")
    (repo / "shop" / "order.py").write_text(
        "from durabletask import task\n\nfrom shop.steps import prepare\n\n\n"
        "def order(ctx: task.OrchestrationContext, item: str):\n"
        "    reserved = yield from prepare(ctx, item)\n"
        "    return (yield ctx.call_activity('charge', input=reserved))\n\n\n"
        "def register(worker):\n    worker.add_orchestrator(order)\n")
    (repo / "unrelated.py").write_text("x = 1\n")
    _commit_all(repo)
    monkeypatch.chdir(repo)
    assert CliRunner().invoke(main, ["compat", "--base", "HEAD"]).exit_code == 0
    steps = (repo / "shop" / "steps.py").read_text()
    (repo / "shop" / "steps.py").write_text(steps.replace(
        "    return reserved\n", "    yield ctx.call_activity('ship', input=reserved)\n    return reserved\n"))
    result = CliRunner().invoke(main, ["compat", "--base", "HEAD"])
    assert result.exit_code == 1, result.output
    assert "shop/steps.py:6:1: WFL1001 inserts activity 'ship' before activity 'charge' in workflow 'order'" \
        in result.output
    (repo / "shop" / "extra.py").write_text("from durabletask import task\n")  # untracked, no workflow
    result = CliRunner().invoke(main, ["compat", "--base", "HEAD"])
    assert result.exit_code == 1 and result.output.count("WFL1001") == 1, result.output
