"""Fixed code runs, and replays, on the real engines.

For each framework a workflow module with hazards (``tests/execution/*_order.py``,
``dbos_report.py``) is run on the engine itself (see ``execution/engines.py``):

- its history is recorded with the **original** code, and replayed against the code that
  ``wflint check --fix`` (safe fixes only) produced: every fix labelled safe must leave the
  command sequence in-flight instances recorded unchanged, so the replay must complete;
- ``--fix --unsafe-fixes`` fixes every finding, and the fixed workflow runs to completion and
  replays its own history;
- the unsafe fixes earn their label: the history recorded with the original code does **not**
  replay against the fully fixed code (they add durable commands).

Every safe rewrite of every framework's table is exercised by one of these workflows (the last
test keeps that list complete).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wflint.cli import main
from wflint.fixes.model import Applicability
from wflint.frameworks import FRAMEWORKS

HERE = Path(__file__).parent / "execution"
ENGINES = HERE / "engines.py"

#: module, and what a run of it returns, per framework
APPS = {
    "durabletask": "durabletask_order.py",
    "dapr": "dapr_order.py",
    "azure": "azure_order.py",
    "temporal": "temporal_order.py",
    "aws": "aws_order.py",
}
EXPECTED = {"item": "book", "region": "eu", "ref_length": 36, "clock": True, "helper": True,
            "libraries": True}
#: what the workflows that read a file (moved into an activity whole) also return
FILE_NOTE = {"durabletask": True, "dapr": True, "temporal": True}


def library_clocks(aware: str) -> dict[str, str]:
    """The safe rewrites of arrow's and pendulum's clocks, made from the aware workflow clock."""
    return {
        "WFL101:arrow.utcnow": f"arrow_utc = arrow.get({aware})\n",
        "WFL101:arrow.now:utc": f"arrow_utc_now = arrow.get({aware})\n",
        "WFL101:arrow.now:tz": f"arrow_paris = arrow.get({aware}).to(CEST)\n",
        "WFL101:pendulum.now:utc": f"pendulum_utc = pendulum.instance({aware})\n",
        "WFL101:pendulum.now:tz": f"pendulum_paris = pendulum.instance({aware}).in_timezone(CEST)\n",
        "WFL101:pendulum.today:utc": f'day_utc = pendulum.instance({aware}).start_of("day")\n',
        "WFL101:pendulum.today:tz":
            f'day_paris = pendulum.instance({aware}).in_timezone(CEST).start_of("day")\n',
    }


#: the code each safe rewrite of a framework's table leaves in the safely fixed module
SAFE_REWRITES = {
    "durabletask": {
        "WFL101:datetime.datetime.utcnow": "started = ctx.current_utc_datetime\n",
        "WFL101:datetime.datetime.now:utc": "stamp = ctx.current_utc_datetime.replace(tzinfo=timezone.utc)\n",
        "WFL101:datetime.datetime.now:tz":
            "paris = ctx.current_utc_datetime.replace(tzinfo=timezone.utc).astimezone(CEST)\n",
        "WFL101:time.time": "epoch = ctx.current_utc_datetime.replace(tzinfo=timezone.utc).timestamp()\n",
        **library_clocks("ctx.current_utc_datetime.replace(tzinfo=timezone.utc)"),
        "WFL501:*": '    if not ctx.is_replaying:\n        logger.info("ordering %s", item)\n',
        "WFL502:*": '        print("ordering", item)\n',
    },
    "azure": {
        "WFL101:datetime.datetime.utcnow": "started = context.current_utc_datetime.replace(tzinfo=None)\n",
        "WFL101:datetime.datetime.now:utc": "stamp = context.current_utc_datetime\n",
        "WFL101:datetime.datetime.now:tz":
            "paris = context.current_utc_datetime.astimezone(CEST)\n",
        "WFL101:time.time": "epoch = context.current_utc_datetime.timestamp()\n",
        **library_clocks("context.current_utc_datetime"),
        "WFL501:*": '    if not context.is_replaying:\n        logging.info("ordering %s", item)\n',
        "WFL502:*": '        print("ordering", item)\n',
    },
    "temporal": {
        "WFL101:datetime.datetime.utcnow": "started = workflow.now().replace(tzinfo=None)\n",
        "WFL101:datetime.datetime.now:utc": "stamp = workflow.now()\n",
        "WFL101:datetime.datetime.now:tz": "paris = workflow.now().astimezone(CEST)\n",
        "WFL101:time.time": "epoch = workflow.time()\n",
        "WFL101:time.time_ns": "nanos = workflow.time_ns()\n",
        **library_clocks("workflow.now()"),
        "WFL501:*": 'workflow.logger.info("ordering %s", item)\n',
        "WFL502:*": '        if not workflow.unsafe.is_replaying():\n            print("ordering", item)\n',
        "WFL701:asyncio.wait": "done, _ = await workflow.wait([saving])\n",
        "WFL701:asyncio.as_completed": "for next_done in workflow.as_completed([checking]):\n",
    },
}
SAFE_REWRITES["dapr"] = SAFE_REWRITES["durabletask"]
SAFE_REWRITES["aws"] = {
    "WFL501:*": '    if not context.is_replaying():\n        logger.info("ordering %s", item)\n',
    "WFL502:*": '        print("ordering", item)\n',
}
#: a safe rewrite of a field's default factory, passed at the construction (``Receipt()``)
CONSTRUCTION = {"durabletask": "receipt = Receipt(placed=ctx.current_utc_datetime)\n",
                "dapr": "receipt = Receipt(placed=ctx.current_utc_datetime)\n",
                "azure": "receipt = Receipt(placed=context.current_utc_datetime.replace(tzinfo=None))\n",
                "temporal": "receipt = Receipt(placed=workflow.now().replace(tzinfo=None))\n"}
#: a safe rewrite made inside a helper the workflow hands its context to (``yield from reserve(ctx, item)``)
INSIDE_HELPER = {"durabletask": "    reserved_at = ctx.current_utc_datetime\n",
                 "dapr": "    reserved_at = ctx.current_utc_datetime\n",
                 "azure": "    reserved_at = context.current_utc_datetime.replace(tzinfo=None)\n"}


def fixed_copy(tmp_path: Path, name: str, target: str, *options: str) -> Path:
    path = tmp_path / target
    shutil.copy(HERE / name, path)
    (tmp_path / "order.txt").write_text("fragile\n")  # what some workflows read from a file
    if options:
        result = CliRunner().invoke(main, ["check", "--no-cache", *options, str(path)])
        assert result.exit_code in (0, 1), result.output
    return path


def engine(framework: str, mode: str, module: Path, history: Path, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WFLINT_TEST_")}
    environment.update(env)
    proc = subprocess.run([sys.executable, str(ENGINES), framework, mode, str(module), str(history)],
                          capture_output=True, text=True, timeout=300, env=environment,
                          cwd=module.parent)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"{framework} {mode} printed nothing:\n{proc.stdout}\n{proc.stderr[-3000:]}"
    return json.loads(lines[-1])


def remaining(path: Path) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--output-format", "json", str(path)])
    return [d["code"] for d in json.loads(result.output)]


@pytest.mark.parametrize("framework", sorted(APPS))
def test_safe_fixes_replay_a_history_recorded_before_the_fix(framework, tmp_path):
    original = fixed_copy(tmp_path, APPS[framework], "original.py")
    history = tmp_path / "original.history"
    recorded = engine(framework, "run", original, history)
    assert recorded["status"] == "COMPLETED", recorded
    safe = fixed_copy(tmp_path, APPS[framework], "safe.py", "--fix")
    text = safe.read_text()
    for key, code in SAFE_REWRITES[framework].items():
        assert code in text, f"the safe rewrite {key} was not applied:\n{text}"
    if framework in INSIDE_HELPER:
        assert INSIDE_HELPER[framework] in text, text
    if framework in CONSTRUCTION:
        assert CONSTRUCTION[framework] in text, text
    assert text.count("ctx.is_replaying") + text.count("context.is_replaying") <= 2  # guards merged
    replayed = engine(framework, "replay", safe, history)
    assert replayed["status"] == "COMPLETED", replayed
    if framework != "temporal":  # the Replayer checks the commands, not the result
        assert replayed["output"] == recorded["output"]
    if framework == "aws":  # the fixed code took over after the original's first wait
        assert replayed["invocations"] > 1, replayed


@pytest.mark.parametrize("framework", sorted(APPS))
def test_fully_fixed_workflow_completes_and_replays(framework, tmp_path):
    fixed = fixed_copy(tmp_path, APPS[framework], "fixed.py", "--fix", "--unsafe-fixes")
    assert remaining(fixed) == []
    history = tmp_path / "fixed.history"
    # Temporal runs the fixed workflow in its sandbox, which refuses every hazard it knows
    sandbox = {"WFLINT_TEST_SANDBOX": "1"} if framework == "temporal" else {}
    ran = engine(framework, "run", fixed, history, **sandbox)
    assert ran["status"] == "COMPLETED", ran
    assert {k: ran["output"][k] for k in EXPECTED} == EXPECTED
    assert ran["output"].get("note") == FILE_NOTE.get(framework)
    replayed = engine(framework, "replay", fixed, history, **sandbox)
    assert replayed["status"] == "COMPLETED", replayed


@pytest.mark.parametrize("framework", sorted(APPS))
def test_unsafe_fixes_do_not_replay_a_history_recorded_before_them(framework, tmp_path):
    original = fixed_copy(tmp_path, APPS[framework], "original.py")
    history = tmp_path / "original.history"
    assert engine(framework, "run", original, history)["status"] == "COMPLETED"
    fixed = fixed_copy(tmp_path, APPS[framework], "fixed.py", "--fix", "--unsafe-fixes")
    replayed = engine(framework, "replay", fixed, history)
    assert replayed["status"] == "FAILED" and "determinis" in replayed["error"].lower(), replayed


def test_dbos_fixed_workflow_completes_and_recovers_from_a_crash(tmp_path):
    fixed = fixed_copy(tmp_path, "dbos_report.py", "report.py", "--fix", "--unsafe-fixes")
    text = fixed.read_text()
    assert 'started = DBOS.run_step({"name": "now"}, datetime.now)\n' in text
    assert 'token = DBOS.run_step({"name": "uuid4"}, uuid.uuid4)\n' in text
    assert "DBOS.sleep(0.1)\n" in text
    assert "@DBOS.step()\ndef read_text_step(path):\n" in text
    assert remaining(fixed) == []
    database = tmp_path / "run.sqlite"
    done = engine("dbos", "run", fixed, database)
    assert done["status"] == "SUCCESS" and done["output"]["text"] == "hello"
    assert done["steps"] == ["now", "uuid4", "DBOS.sleep", "read_text_step", "store", "checkpoint"]
    # the worker dies inside the workflow; recovery replays it from its checkpoints
    crashed = tmp_path / "crash.sqlite"
    engine_crash = subprocess.run([sys.executable, str(ENGINES), "dbos", "run", str(fixed), str(crashed)],
                                  capture_output=True, text=True, timeout=300, cwd=tmp_path,
                                  env={**os.environ, "WFLINT_TEST_CRASH": "1"})
    assert not [line for line in engine_crash.stdout.splitlines() if line.startswith("{")]
    recovered = engine("dbos", "replay", fixed, crashed)
    assert recovered["status"] == "SUCCESS" and recovered["output"]["text"] == "hello", recovered
    assert recovered["steps"] == ["now", "uuid4", "DBOS.sleep", "read_text_step", "store", "checkpoint"]


def test_dbos_unsafe_fixes_do_not_recover_a_run_started_before_them(tmp_path):
    original = fixed_copy(tmp_path, "dbos_report.py", "report.py")
    crashed = tmp_path / "crash.sqlite"
    subprocess.run([sys.executable, str(ENGINES), "dbos", "run", str(original), str(crashed)],
                   capture_output=True, text=True, timeout=300, cwd=tmp_path,
                   env={**os.environ, "WFLINT_TEST_CRASH": "1"})
    fixed = fixed_copy(tmp_path, "dbos_report.py", "report.py", "--fix", "--unsafe-fixes")
    recovered = engine("dbos", "replay", fixed, crashed)
    assert recovered["status"] == "ERROR" and "DBOSUnexpectedStepError" in recovered["error"], recovered


def test_every_safe_rewrite_is_proven_on_an_engine():
    """A rewrite labelled safe in a framework's table must be exercised above (DBOS has none:
    every DBOS fix adds a checkpointed step)."""
    for name, framework in FRAMEWORKS.items():
        safe = {key for key, entry in framework.rewrites.items()
                if entry.applicability is Applicability.SAFE}
        assert safe == set(SAFE_REWRITES.get(name, {})), name
