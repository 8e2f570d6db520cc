"""A DBOS report workflow with hazards (see report_clean.py)."""
import os
import time
import uuid
from datetime import datetime

import requests
from dbos import DBOS


@DBOS.step()
def fetch_rows(source: str) -> list[dict]:
    return requests.get(source).json()  # ok: steps are checkpointed


@DBOS.workflow()
def nightly_report(source: str) -> str:
    report_id = uuid.uuid4()  # expect: WFL202
    started = datetime.now()  # expect: WFL101
    rows = fetch_rows(source)
    if not rows:
        time.sleep(600)  # expect: WFL102
        rows = fetch_rows(source)
    out_dir = os.getenv("REPORT_DIR", "/tmp")  # expect: WFL401
    with open(f"{out_dir}/{report_id}.csv", "w") as f:  # expect: WFL301
        f.write(str(rows))
    print("report written")  # ok: DBOS re-executes only to recover, so printing is not flagged
    return f"{report_id} {started}"
