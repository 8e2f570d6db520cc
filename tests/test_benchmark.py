"""The benchmark script runs (a smoke version: a small generated corpus, one run). It asserts
nothing about speed: speed is measured by running the benchmark itself."""

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
