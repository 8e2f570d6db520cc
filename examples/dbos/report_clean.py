"""The report workflow, replay-safe: every non-deterministic value comes from a step."""
import os
import uuid
from datetime import datetime

import requests
from dbos import DBOS


@DBOS.step()
def fetch_rows(source: str) -> list[dict]:
    return requests.get(source).json()


@DBOS.step()
def write_report(report_id: str, rows: list[dict]) -> None:
    with open(f"{os.getenv('REPORT_DIR', '/tmp')}/{report_id}.csv", "w") as f:
        f.write(str(rows))


@DBOS.workflow()
def nightly_report(source: str) -> str:
    report_id = str(DBOS.run_step({"name": "uuid4"}, uuid.uuid4))
    started = DBOS.run_step({"name": "now"}, datetime.now)
    rows = fetch_rows(source)
    if not rows:
        DBOS.sleep(600)
        rows = fetch_rows(source)
    write_report(report_id, rows)
    return f"{report_id} {started}"
