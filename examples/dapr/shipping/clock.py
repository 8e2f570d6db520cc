from datetime import datetime, timedelta


def pickup_window(hours: int) -> tuple[str, str]:
    start = datetime.utcnow()  # ok: reported where the workflow calls pickup_window()
    return start.isoformat(), (start + timedelta(hours=hours)).isoformat()
