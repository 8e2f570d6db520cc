"""The benchmark script runs (a smoke version: a small generated corpus, one run). It asserts
nothing about speed: speed is measured by running the benchmark itself."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_benchmark_smoke_run_writes_a_report(tmp_path):
    output = tmp_path / "RESULTS.md"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--smoke",
                           "--workdir", str(tmp_path / "corpus"), "--output", str(output)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = output.read_text()
    assert report.startswith("# wflint benchmark results")
    assert "| wflint (cold) |" in report and "| wflint (warm) |" in report
    assert "Workflow-dense corpus (smoke)" in report and "lines." in report
    assert "One changed file, warm cache" in report and "## Startup" in report
    generated = list((tmp_path / "corpus" / "smoke").rglob("flows_*.py"))
    assert len(generated) == 20
    assert "Skipped: no repositories were given" in report


def test_the_real_suite_measures_each_repository_and_a_pre_commit_run(tmp_path):
    repos = tmp_path / "repos"
    for name, body in (("acme__orders", "from temporalio import workflow\n\n\n@workflow.defn\n"
                                        "class Orders:\n    @workflow.run\n    async def run(self):\n"
                                        "        import time\n        return time.time()\n"),
                       ("acme__plain", "def add(a, b):\n    return a + b\n")):
        (repos / name).mkdir(parents=True)
        (repos / name / "app.py").write_text(body)
    output = tmp_path / "RESULTS.md"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--smoke",
                           "--workdir", str(tmp_path / "corpus"), "--output", str(output),
                           "--real", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = output.read_text()
    assert "## Real repositories" in report
    assert "| acme/orders | 1 | 9 |" in report and "| acme/plain | 1 | 2 |" in report
    assert "| all in one run | 2 | 11 |" in report
    assert "Pre-commit run on 1 workflow files of acme/orders" in report
    assert re.search(r"The interpreter's bare start \(`python -c pass`\) takes \d+\.\d\d s here; "
                     r"for \d of the 2 repositories", report), report
