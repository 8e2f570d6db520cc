import time


def ping(n):
    from .cycle_b import pong
    return pong(n - 1) if n else time.time()  # ok: reported at the call site
