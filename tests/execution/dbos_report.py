# A DBOS workflow with hazards wflint fixes: clock, uuid, sleep, and a file read to extract.
import os
import time
import uuid
from datetime import datetime
from pathlib import Path

from dbos import DBOS


@DBOS.workflow()
def report(path: str) -> dict:
    started = datetime.now()
    token = uuid.uuid4()
    time.sleep(0.1)
    text = Path(path).read_text()
    stored = store(text)
    checkpoint()
    return {"started": started.isoformat(), "token": str(token), "text": stored}


@DBOS.step()
def store(text: str) -> str:
    return text


@DBOS.step()
def checkpoint() -> None:
    if os.environ.get("WFLINT_TEST_CRASH") == "1":
        os._exit(0)  # stands for a worker that dies here: recovery replays the workflow
