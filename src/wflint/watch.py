"""``wflint check --watch``: check, then check again whenever a Python file under the checked
paths changes (its size or modification time), until Ctrl-C.

Each run is a fresh ``wflint check`` with the same arguments, so helper modules and the
configuration are read anew; the result cache keeps the re-runs short.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

#: how often the files are looked at, in seconds
POLL = 0.3


def watch(args: list[str]) -> int:
    paths = [arg for arg in args if not arg.startswith("-") and os.path.exists(arg)] or ["."]
    seen = _stamps(paths)
    try:
        while True:
            print(f"[{time.strftime('%H:%M:%S')}] Checking...", flush=True)
            subprocess.run([sys.executable, "-m", "wflint", "check", *args])
            print(f"[{time.strftime('%H:%M:%S')}] Watching for file changes.", flush=True)
            while True:
                time.sleep(POLL)
                current = _stamps(paths)
                if current != seen:
                    seen = current
                    break
    except KeyboardInterrupt:
        return 0


def _stamps(paths: list[str]) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for path in paths:
        candidates = [Path(path)] if os.path.isfile(path) else Path(path).rglob("*.py")
        for candidate in candidates:
            if any(part.startswith(".") and part not in (".", "..") for part in candidate.parts):
                continue  # .git, .venv, the cache
            try:
                stat = candidate.stat()
            except OSError:
                continue
            found[str(candidate)] = (stat.st_size, stat.st_mtime_ns)
    return found
