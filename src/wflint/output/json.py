"""A JSON array of findings (the shape of ruff's ``--output-format json``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from wflint.diagnostics import Diagnostic


def as_dict(d: Diagnostic) -> dict:
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "severity": d.severity,
        "filename": d.path,
        "location": {"row": d.line, "column": d.col},
        "end_location": {"row": d.end_line or d.line, "column": d.end_col or d.col},
        "fix": fix_dict(d),
    }


def fix_dict(d: Diagnostic) -> dict | None:
    fix = d.fix
    if fix is None:
        return None
    return {
        "applicability": fix.applicability.value,
        "message": fix.message,
        "edits": [{"kind": e.kind, "content": e.content,
                   "location": {"row": e.start[0], "column": e.start[1] + 1},
                   "end_location": {"row": e.end[0], "column": e.end[1] + 1}} for e in fix.edits],
        "imports": [{"module": i.module, "name": i.name, "alias": i.alias} for i in fix.imports],
        "suggestion": fix.suggestion or None,
    }


def render(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([as_dict(d) for d in diagnostics], indent=2) + "\n"


def render_lines(diagnostics: Sequence[Diagnostic]) -> str:
    """``json-lines``: one finding per line, each a complete JSON object."""
    return "".join(json.dumps(as_dict(d), separators=(",", ":")) + "\n" for d in diagnostics)
