from dbos import DBOS

from .storage import latest_snapshot


@DBOS.step()
def publish(snapshot: str) -> None:
    print(snapshot)  # ok: a step


@DBOS.workflow()
def nightly_publish(folder: str) -> None:
    snapshot = latest_snapshot(folder)  # expect: WFL101, WFL301
    publish(snapshot)
