"""Worker processes that share both passes of a run (where processes can be forked).

The parent reads every file and settles what the bytes settle; the files whose registrations
are to be collected are split into one share per worker, balanced by size. Each worker parses
its share, collects what its files register and keeps the trees it parsed (within its part of
the first pass's budget). The parent merges what the workers found, in the files' order, and
hands every worker the whole project's registrations. In the second pass
the parent hands out the files to analyse one at a time, the largest first, each to the worker
that parsed it while that worker has any left, and otherwise to any idle worker: a file is parsed
once unless it is handed to another worker to keep them all busy.

A worker that dies is replaced by the parent itself: it collects that share, or analyses that
file, in its own process. The findings do not depend on the number of workers.
"""

from __future__ import annotations

import os
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wflint.engine import Checker, FixMode
    from wflint.outcome import FileOutcome


class Crew:
    def __init__(self, context: Any, checker: Checker, paths: list[str], jobs: int) -> None:
        self._checker = checker
        self._sizes = {path: _size(path) for path in paths}
        shares = _shares(paths, self._sizes, jobs)
        self._owner = {path: index for index, share in enumerate(shares) for path in share}
        self._links: list[Connection | None] = []
        self._processes = []
        for share in shares:
            here, there = context.Pipe()
            process = context.Process(target=_serve, args=(there, checker, share), daemon=True)
            process.start()
            there.close()
            self._links.append(here)
            self._processes.append(process)
        first, project = checker.first, checker.project
        assert project is not None
        for index, share in enumerate(shares):
            found = self._receive(index)
            if found is None:  # the worker died: its share is collected here
                first.absorb(checker.collect_share(share))
                continue
            first.absorb(found)
            if checker.cache is not None:
                for path, entry in found["entries"].items():
                    checker.cache.put(path, entry)
        for path in paths:  # in the files' order, as one process would have
            project.add_registrations(*first.contributed(path))
        known = (sorted([name, r.framework] for name, r in project.registrations.items()),
                 sorted(project.activities))
        for index in range(len(self._links)):
            self._send(index, known)

    def check(self, paths: list[str], fix: FixMode | None) -> dict[str, FileOutcome]:
        """The outcomes of ``paths``, analysed by the workers."""
        queues: list[deque[str]] = [deque() for _ in self._links]
        for path in sorted(paths, key=self._size, reverse=True):
            owner = self._owner.get(path)
            if owner is None:
                owner = min(range(len(queues)), key=lambda i: len(queues[i]))
            queues[owner].append(path)
        outcomes: dict[str, FileOutcome] = {}
        busy: dict[int, str] = {}

        def hand(index: int) -> None:
            queue = queues[index] or max(queues, key=len)
            while queue:
                path = queue.popleft()
                if self._send(index, (path, fix)):
                    busy[index] = path
                    return
                outcomes[path] = self._checker.check_one(path, fix)  # the worker died
                queue = queues[index] or max(queues, key=len)

        for index, link in enumerate(self._links):
            if link is not None:
                hand(index)
        while busy:
            ready = wait([self._links[index] for index in busy])
            for index in [i for i in busy if self._links[i] in ready]:
                path = busy.pop(index)
                outcome = self._receive(index)
                outcomes[path] = outcome if outcome is not None else self._checker.check_one(path, fix)
                if self._links[index] is not None:
                    hand(index)
        for queue in queues:  # left when every worker has died
            while queue:
                path = queue.popleft()
                outcomes[path] = self._checker.check_one(path, fix)
        return outcomes

    def _size(self, path: str) -> int:
        size = self._sizes.get(path)
        if size is None:
            size = self._sizes[path] = _size(path)
        return size

    def close(self) -> None:
        for index in range(len(self._links)):
            self._send(index, None)
            link = self._links[index]
            if link is not None:
                link.close()
                self._links[index] = None
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()

    def _send(self, index: int, message: Any) -> bool:
        link = self._links[index]
        if link is None:
            return False
        try:
            link.send(message)
            return True
        except (OSError, ValueError):
            self._lost(index)
            return False

    def _receive(self, index: int) -> Any:
        link = self._links[index]
        if link is None:
            return None
        try:
            return link.recv()
        except (EOFError, OSError):
            self._lost(index)
            return None

    def _lost(self, index: int) -> None:
        link = self._links[index]
        if link is not None:
            link.close()
        self._links[index] = None


def _serve(link: Connection, checker: Checker, share: list[str]) -> None:
    """A worker: collect the share's registrations, send what it found, take the whole
    project's registrations, then analyse each file it is handed until it is told to stop."""
    entries = checker.cache.divert() if checker.cache is not None else {}
    found = checker.collect_share(share)
    found["entries"] = entries
    link.send(found)
    registrations, activities = link.recv()
    project = checker.project
    assert project is not None
    project.replace_registrations(registrations, activities)
    while True:
        request = link.recv()
        if request is None:
            return
        path, fix = request
        link.send(checker.check_one(path, fix))


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _shares(paths: list[str], sizes: dict[str, int], count: int) -> list[list[str]]:
    """``paths`` split into ``count`` shares of about the same size, each in the paths' order
    (some may be empty): the largest file goes to the lightest share, then the next largest."""
    loads = [0] * count
    owner: dict[str, int] = {}
    for path in sorted(paths, key=lambda p: sizes[p], reverse=True):
        index = loads.index(min(loads))
        owner[path] = index
        loads[index] += sizes[path] + 1
    shares: list[list[str]] = [[] for _ in range(count)]
    for path in paths:
        shares[owner[path]].append(path)
    return shares
