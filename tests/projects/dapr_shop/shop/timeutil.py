from datetime import datetime, timedelta


def deadline(hours):
    return _now() + timedelta(hours=hours)


def _now():
    return _clock()


def _clock():
    return datetime.utcnow()  # ok: reported where the workflow calls deadline(), three calls away
