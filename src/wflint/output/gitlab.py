"""GitLab Code Quality: the report a job hands to ``artifacts:reports:codequality``.

Each finding is an issue with the fields GitLab reads (its documented report format):
``description``, ``check_name``, ``fingerprint`` (unique per issue, stable while the line's
text stays the same: the line hash baselines use, the path and the occurrence), ``severity``
(errors ``major``, warnings ``minor``) and ``location`` (a path relative to the repository
root, with the lines).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from wflint.diagnostics import Diagnostic
from wflint.output.source import Sources


def _path(path: str) -> str:
    """Relative to the working directory (the repository root in CI) when below it."""
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        if not relative.startswith(".."):
            path = relative
    return Path(path).as_posix()


def render(diagnostics: Sequence[Diagnostic], sources: Sources) -> str:
    from wflint.baseline import line_hash

    seen: Counter = Counter()
    issues = []
    for d in diagnostics:
        path = _path(d.path)
        key = (path, d.code, line_hash(d.code, sources.line(d.path, d.line)))
        seen[key] += 1
        fingerprint = hashlib.sha256("\0".join((*key, str(seen[key]))).encode()).hexdigest()
        issues.append({
            "type": "issue",
            "check_name": d.code,
            "description": f"{d.code} {d.message}",
            "categories": ["Bug Risk"],
            "severity": "minor" if d.severity == "warning" else "major",
            "fingerprint": fingerprint,
            "location": {"path": path, "lines": {"begin": d.line, "end": d.end_line or d.line}},
        })
    return json.dumps(issues, indent=2) + "\n"
