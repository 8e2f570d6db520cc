"""The result cache: a warm run re-checks only what changed.

Each file's outcome is kept with the file's size and modification time, and with the same
facts for every project module its workflows reached (a changed helper invalidates its
callers) and the registrations that made it workflow code. The cache lives in
``.wflint_cache/`` beside the configuration (marked with ``CACHEDIR.TAG`` and ignored by git),
one JSON file per wflint version and configuration, so a new version or a changed setting
starts afresh. It is plain data: an unreadable or tampered entry is ignored and rebuilt, and
nothing in it is ever executed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import fields
from pathlib import Path

from wflint import __version__
from wflint.diagnostics import Diagnostic

CACHE_DIR = ".wflint_cache"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by wflint.\n"
        "# For information about cache directory tags see https://bford.info/cachedir/\n")


def stamp(path: str) -> list[int] | None:
    """What identifies a file's content cheaply: [size, modification time in ns]."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def digest(path: str) -> str | None:
    """The sha256 of a file's content: the key when the cheap stamp has changed."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def _same(path: str, recorded_stamp, recorded_digest) -> bool:
    """Unchanged: the same stamp, or (touched, checked out again) the same content."""
    if stamp(path) == recorded_stamp:
        return True
    return recorded_digest is not None and digest(path) == recorded_digest


def _stable(value):
    """A representation that does not depend on hash order (frozensets, sets, dicts)."""
    if isinstance(value, (set, frozenset)):
        return sorted(_stable(v) for v in value)
    if isinstance(value, dict):
        return sorted((k, _stable(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    return str(value)


def _code_stamp() -> str:
    """wflint's own files: a cache never outlives a change to the code that produced it."""
    package = Path(__file__).parent
    return repr(sorted((str(p.relative_to(package)), stamp(str(p))) for p in package.rglob("*.py")))


def settings_key(settings) -> str:
    values = {f.name: _stable(getattr(settings, f.name)) for f in fields(settings)}
    text = repr(sorted(values.items()))
    # paths in messages are relative to the working directory, so it is part of the key too
    material = f"{__version__}\n{_code_stamp()}\n{os.getcwd()}\n{text}"
    return hashlib.sha256(material.encode()).hexdigest()[:24]


class Cache:
    def __init__(self, root: Path, settings, directory: Path | None = None) -> None:
        """``directory``: where the cache lives (default ``.wflint_cache`` beside the
        configuration, or the run's root)."""
        self.root = Path(directory) if directory is not None else Path(root) / CACHE_DIR
        self.file = self.root / __version__ / f"{settings_key(settings)}.json"
        self.entries: dict[str, dict] = {}
        self.dirty = False
        #: the digest of each dependency, by path and stamp (many files share a helper)
        self._digests: dict[tuple[str, int, int], str | None] = {}
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("files"), dict):
                self.entries = data["files"]
        except (OSError, ValueError):
            pass  # no cache yet, or a corrupt one: start afresh

    def get(self, path: str) -> dict | None:
        """The entry for ``path`` when the file and everything it depends on are unchanged:
        the same size and modification time, or failing that the same content hash."""
        entry = self.entries.get(path)  # paths as given: the working directory is in the key
        if not isinstance(entry, dict):
            return None
        try:
            current = stamp(path)
            if current != entry.get("stamp"):
                if entry.get("sha") is None or digest(path) != entry.get("sha"):
                    return None
                entry["stamp"] = current  # same content, new stamp: remember the new stamp
                self.dirty = True
            for dependency, dependency_stamp, dependency_digest in entry.get("deps", []):
                if not _same(dependency, dependency_stamp, dependency_digest):
                    return None
        except (TypeError, ValueError):
            return None
        return entry

    def put(self, path: str, entry: dict) -> None:
        self.entries[path] = entry
        self.dirty = True

    def divert(self) -> dict[str, dict]:
        """From now on keep only what is put (in a worker process, whose entries are sent to
        the parent, see crew): the returned dict is what is put."""
        self.entries = {}
        return self.entries

    # -- the entries' layout -------------------------------------------------------------------

    def put_settled(self, path: str, file_stamp: list[int], data: bytes,
                    diagnostics: list[Diagnostic]) -> None:
        """A file settled without analysis (no workflow code, or unreadable/unparsable)."""
        self.put(path, {"stamp": file_stamp, "sha": hashlib.sha256(data).hexdigest(), "kind": "settled",
                        "diagnostics": [d.to_dict() for d in diagnostics]})

    def put_analysed(self, path: str, file_stamp: list[int], sha: str | None,
                     diagnostics: list[Diagnostic], deps: list[str], registered: list[str],
                     registrations: list, activities: list) -> None:
        """An analysed file: its findings, the project files they depend on (with their stamps
        and hashes), and what it contributes to the project (registrations, activities)."""
        self.put(path, {"stamp": file_stamp, "sha": sha, "kind": "analysed",
                        "diagnostics": [d.to_dict() for d in diagnostics],
                        "deps": [self._dependency(p) for p in deps], "registered": registered,
                        "registrations": registrations, "activities": activities})

    def _dependency(self, path: str) -> list:
        """A dependency as an entry records it: its path, stamp and digest (hashed once per
        stamp in a run)."""
        file_stamp = stamp(path)
        if file_stamp is None:
            return [path, None, None]
        key = (path, *file_stamp)
        if key not in self._digests:
            self._digests[key] = digest(path)
        return [path, file_stamp, self._digests[key]]

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tag = self.root / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(_TAG, encoding="utf-8")
                (self.root / ".gitignore").write_text("# Automatically created by wflint.\n*\n",
                                                      encoding="utf-8")
            fd, temporary = tempfile.mkstemp(dir=self.file.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                # dumps: json.dump writes through the pure-Python encoder, ten times slower
                handle.write(json.dumps({"version": __version__, "files": self.entries}))
            os.replace(temporary, self.file)
        except OSError:
            pass  # a read-only tree: run without a cache


def clean(root: Path) -> bool:
    """Remove the cache under ``root``; True when there was one."""
    target = Path(root) / CACHE_DIR
    if not target.is_dir():
        return False
    shutil.rmtree(target, ignore_errors=True)
    return True


def findings(entry: dict) -> list[Diagnostic] | None:
    """An entry's findings, or None when the entry is damaged (it is then recomputed)."""
    try:
        return [Diagnostic.from_dict(d) for d in entry["diagnostics"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def is_settled(entry: dict) -> bool:
    return entry.get("kind") == "settled"
