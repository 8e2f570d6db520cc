from datetime import timedelta

import httpx
from temporalio import workflow

from svc import clients
from svc.clients import audit_log, http, make_client, maybe_client


class Recorder:
    def __init__(self):
        self.sink = open("audit.txt", "a")  # ok: not workflow code


@workflow.defn
class Sync:
    def __init__(self) -> None:
        self.client = httpx.Client()  # expect: WFL302
        self.cache = {}
        self.either = httpx.Client() if workflow.info().attempt > 1 else None  # expect: WFL302

    @workflow.run
    async def run(self, url: str) -> str:
        self.client.get(url)  # expect: WFL302
        http.get(url)  # expect: WFL302
        audit_log.info("synced %s", url)  # expect: WFL501
        client = make_client()  # expect: WFL302
        client.post(url)  # expect: WFL302
        unknown = maybe_client(False)  # expect: WFL302
        unknown.get(url)  # ok: the helper returns different types, so wflint stays silent
        self.cache.get(url)  # ok: a dict
        self.either.get(url)  # ok: assigned two different types
        seen = {url, "x"}
        visited = []
        for item in seen:  # expect: WFL801
            visited.append(item)
        for item in seen:  # ok: logging each item puts nothing in order
            workflow.logger.info(item)
        delay = clients.jitter()  # expect: WFL201
        await workflow.sleep(timedelta(seconds=delay))
        return url
