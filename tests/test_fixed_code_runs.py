"""Fixed code runs on the real SDKs: durabletask's in-memory backend and DBOS on SQLite.

Each workflow has a clock read, a UUID, a sleep and an I/O call; ``wflint check --fix
--unsafe-fixes`` rewrites all four (the I/O into a new activity or step), and the rewritten
workflow must then run to completion on the framework itself.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from click.testing import CliRunner

from wflint.cli import main

HERE = Path(__file__).parent / "execution"


def fix(path: Path) -> str:
    result = CliRunner().invoke(main, ["check", "--fix", "--unsafe-fixes", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Found 4 errors (4 fixed, 0 remaining).\n")
    return path.read_text()


def run(script: str, *args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "WFLINT_TEST_REGION"}
    proc = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True,
                          text=True, timeout=180, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert proc.returncode == 0 and lines, proc.stdout + proc.stderr
    return json.loads(lines[-1])


def test_fixed_durabletask_orchestration_completes(tmp_path):
    module = tmp_path / "order.py"
    shutil.copy(HERE / "durabletask_order.py", module)
    fixed = fix(module)
    assert "started = ctx.current_utc_datetime\n" in fixed
    assert "ref = ctx.new_uuid()\n" in fixed
    assert "yield ctx.create_timer(timedelta(seconds=1))\n" in fixed
    assert "region = yield ctx.call_activity(getenv_activity)\n" in fixed
    assert "w.add_activity(getenv_activity)\n" in fixed
    state = run("run_durabletask.py", str(module))
    assert state["status"] == "COMPLETED", state
    output = json.loads(state["output"])
    assert output["item"] == "book" and output["region"] == "eu"
    assert uuid.UUID(output["ref"]).version == 5  # the deterministic id


def test_fixed_dbos_workflow_completes_with_checkpointed_steps(tmp_path):
    module = tmp_path / "report.py"
    shutil.copy(HERE / "dbos_report.py", module)
    fixed = fix(module)
    assert 'started = DBOS.run_step({"name": "now"}, datetime.now)\n' in fixed
    assert 'token = DBOS.run_step({"name": "uuid4"}, uuid.uuid4)\n' in fixed
    assert "DBOS.sleep(0.1)\n" in fixed
    assert "@DBOS.step()\ndef read_text_step(path):\n" in fixed
    data = tmp_path / "data.txt"
    data.write_text("hello")
    outcome = run("run_dbos.py", str(tmp_path / "dbos.sqlite"), str(module), str(data))
    assert outcome["status"] == "SUCCESS"
    assert outcome["result"]["text"] == "hello"
    assert outcome["steps"] == ["now", "uuid4", "DBOS.sleep", "read_text_step"]
