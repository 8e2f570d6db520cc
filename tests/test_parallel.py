"""Worker processes sharing both passes of a run (wflint.crew): the findings must not depend on
them, a worker that dies must not lose a file, and every worker must be gone after the run."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from wflint.cache import Cache
from wflint.config import Settings
from wflint.engine import Checker

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes are forked")

_WORKFLOW = """\
import random
import time
from temporalio import workflow
from app.helpers import helper_{n}


@workflow.defn
class Flow{n}:
    @workflow.run
    async def run(self) -> float:
        helper_{n}()
        return time.time() + random.random() + {n}
"""

_PLAIN = """\
from app.shared import Job{n}


class Job{n}Runner:
    def go(self):
        return Job{n}()
"""


def _project(root: Path, count: int = 24) -> list[str]:
    """A project of workflow modules, helpers they call, a module that registers a workflow
    defined in a module that never imports a framework, and plain modules."""
    app = root / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "helpers.py").write_text(
        "import os\n" + "".join(f"def helper_{n}():\n    return os.environ['X{n}']\n\n" for n in range(count)))
    (app / "bare.py").write_text("import time\n\nclass Bare:\n    async def run(self):\n"
                                 "        return time.time()\n")
    (app / "worker.py").write_text("from temporalio.worker import Worker\nfrom app.bare import Bare\n\n"
                                   "def main(client):\n    return Worker(client, task_queue='q', "
                                   "workflows=[Bare])\n")
    for n in range(count):
        (app / f"flow_{n:02}.py").write_text(_WORKFLOW.format(n=n))
        (app / f"plain_{n:02}.py").write_text(_PLAIN.format(n=n))
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))


def _findings(checker: Checker, files: list[str], jobs: int) -> list[tuple]:
    checker.prepare(files, jobs)
    outcomes = checker.check_paths(files)
    assert all(o.error is None for o in outcomes)
    return sorted((d.path, d.line, d.col, d.code, d.message) for o in outcomes for d in o.diagnostics)


def test_workers_find_what_one_process_finds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = _project(tmp_path)
    alone = _findings(Checker(Settings()), files, 1)
    checker = Checker(Settings())
    shared = _findings(checker, files, 3)
    assert shared == alone
    codes = {(path, code) for path, _, _, code, _ in alone}
    assert ("app/flow_07.py", "WFL401") in codes  # through the helper module
    assert ("app/bare.py", "WFL101") in codes  # registered by a worker module in another share
    assert checker._crew is None  # every prepared file was checked: the workers were stopped


def test_the_workers_stop_when_every_prepared_file_is_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = _project(tmp_path)
    checker = Checker(Settings())
    checker.prepare(files, 2)
    crew = checker._crew
    assert crew is not None
    processes = list(crew._processes)
    assert all(p.is_alive() for p in processes)
    half = len(files) // 2
    checker.check_paths(files[:half])
    assert checker._crew is crew and all(p.is_alive() for p in processes)  # more is to come
    checker.check_paths(files[half:])
    assert checker._crew is None
    assert not any(p.is_alive() for p in processes)


def test_a_worker_that_dies_loses_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = _project(tmp_path)
    alone = _findings(Checker(Settings()), files, 1)
    checker = Checker(Settings())
    checker.prepare(files, 2)
    victim = checker._crew._processes[0]
    os.kill(victim.pid, signal.SIGKILL)
    victim.join()
    outcomes = checker.check_paths(files)
    found = sorted((d.path, d.line, d.col, d.code, d.message) for o in outcomes for d in o.diagnostics)
    assert found == alone


def test_what_workers_write_to_the_cache_serves_the_next_run(tmp_path, monkeypatch):
    """The workers' cache entries reach the parent's cache; a warm run then knows the
    registration made by the worker module (settled without analysis) when the registered
    workflow's module changes."""
    monkeypatch.chdir(tmp_path)
    files = _project(tmp_path)
    cold = _findings(Checker(Settings(), Cache(tmp_path, Settings())), files, 2)
    cache = Cache(tmp_path, Settings())
    assert set(files) <= set(cache.entries)
    assert cache.entries["app/worker.py"]["registrations"] == [["app.bare.Bare", "temporal"]]
    bare = tmp_path / "app" / "bare.py"
    bare.write_text(bare.read_text().replace("time.time()", "time.time() + 1"))
    warm = _findings(Checker(Settings(), cache), files, 2)
    assert [f for f in warm if f[0] == "app/bare.py"] == [f for f in cold if f[0] == "app/bare.py"]
    assert warm == cold


def test_workers_share_the_analysis_when_no_module_registers_anything(tmp_path, monkeypatch):
    """Workflows declared by decorators alone: nothing is collected in the first pass, and the
    workers still share the second."""
    monkeypatch.chdir(tmp_path)
    files = [f for f in _project(tmp_path) if not f.endswith(("worker.py", "bare.py"))]
    (tmp_path / "app" / "worker.py").unlink()
    alone = _findings(Checker(Settings()), files, 1)
    checker = Checker(Settings())
    checker.prepare(files, 3)
    assert checker._crew is not None and len(checker._crew._processes) == 3
    assert _findings(checker, files, 3) == alone
    assert any(code == "WFL101" for _, _, _, code, _ in alone)


def test_no_worker_starts_when_the_bytes_settle_every_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for n in range(40):
        (tmp_path / f"plain_{n:02}.py").write_text(_PLAIN.format(n=n))
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.glob("*.py"))
    checker = Checker(Settings())
    checker.prepare(files, 4)
    assert checker._crew is None
    outcomes = checker.check_paths(files)
    assert len(outcomes) == 40 and not any(o.diagnostics or o.error for o in outcomes)
