import time
from pathlib import Path


def latest_snapshot(folder: str) -> str:
    stamp = int(time.time())  # ok: reported where the workflow calls latest_snapshot()
    files = sorted(Path(folder).glob("*.json"))  # ok: reported at the workflow's call site
    return f"{stamp}:{files[-1] if files else ''}"
