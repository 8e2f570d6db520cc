import logging
import random

import httpx

http = httpx.Client()
audit_log = logging.getLogger("audit")


def make_client():
    return httpx.Client(timeout=5)


def maybe_client(flag):
    if flag:
        return httpx.Client()
    return FakeClient()


class FakeClient:
    def get(self, url):
        return url


def jitter():
    return random.random()  # ok: reported at the call site
