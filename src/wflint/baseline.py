"""Baselines: adopt wflint in an existing codebase and fail only on new findings.

``wflint check --write-baseline wflint-baseline.json`` records every current finding by path,
code and a hash of its line's text (whitespace-insensitive), so edits elsewhere in the file —
lines added above it, re-indentation — do not invalidate the entry. ``--baseline FILE`` then
reports only findings that are not in it; a finding recorded N times (the same code on N
identical lines of a file) absorbs at most N findings.

Paths are stored relative to the baseline file's directory, so the file works from any
working directory and on any machine.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from wflint.diagnostics import Diagnostic

FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read or is not a wflint baseline."""


def line_hash(code: str, line_text: str) -> str:
    """A short, stable hash of a finding's code and line (all whitespace ignored)."""
    normalised = "".join(line_text.split())
    return hashlib.sha256(f"{code}\0{normalised}".encode()).hexdigest()[:16]


def _key_path(path: str, root: Path) -> str:
    try:
        relative = os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive on Windows
        relative = os.path.abspath(path)
    return Path(relative).as_posix()


class Baseline:
    def __init__(self, root: Path, entries: Counter) -> None:
        self.root = root
        self.entries = entries

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}: not a wflint baseline: invalid JSON at line {exc.lineno}") from None
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION \
                or not isinstance(data.get("findings"), list):
            raise BaselineError(f"{path}: not a wflint baseline (expected an object with "
                                f"\"version\": {FORMAT_VERSION} and a \"findings\" list)")
        entries: Counter = Counter()
        for item in data["findings"]:
            try:
                key = (str(item["path"]), str(item["code"]), str(item["hash"]))
                count = int(item.get("count", 1))
            except (KeyError, TypeError, ValueError, AttributeError):
                raise BaselineError(f"{path}: malformed finding {item!r} (expected path, code, "
                                    "hash and an optional count)") from None
            entries[key] += max(count, 0)
        return cls(path.resolve().parent, entries)

    @classmethod
    def from_diagnostics(cls, diagnostics: Sequence[Diagnostic], line_of, baseline_path: Path) -> Baseline:
        """``line_of(path, line)``: the text of a finding's line."""
        root = baseline_path.resolve().parent
        entries: Counter = Counter()
        for d in diagnostics:
            entries[(_key_path(d.path, root), d.code, line_hash(d.code, line_of(d.path, d.line)))] += 1
        return cls(root, entries)

    def to_json(self) -> str:
        findings = [{"path": path, "code": code, "hash": digest, **({"count": n} if n > 1 else {})}
                    for (path, code, digest), n in sorted(self.entries.items())]
        return json.dumps({"version": FORMAT_VERSION, "tool": "wflint", "findings": findings},
                          indent=2) + "\n"

    def write(self, path: Path) -> None:
        from wflint.fixes.writer import write_atomic

        write_atomic(os.fspath(path), self.to_json())

    def new_findings(self, diagnostics: Sequence[Diagnostic], line_of) -> tuple[list[Diagnostic], int]:
        """(the findings not in the baseline, how many were matched by it)."""
        remaining = Counter(self.entries)
        new: list[Diagnostic] = []
        matched = 0
        for d in diagnostics:
            key = (_key_path(d.path, self.root), d.code, line_hash(d.code, line_of(d.path, d.line)))
            if remaining[key] > 0:
                remaining[key] -= 1
                matched += 1
            else:
                new.append(d)
        return new, matched
