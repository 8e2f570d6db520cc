# A DBOS workflow with hazards wflint fixes: clock, uuid, sleep, and a file read to extract.
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
    return {"started": started.isoformat(), "token": str(token), "text": text}
