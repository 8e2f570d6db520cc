"""Reviewdog Diagnostic Format (rdjson): one ``DiagnosticResult`` for ``reviewdog -f=rdjson``.

Positions are 1-based lines and columns counted in UTF-8 bytes, ends exclusive, as the format
defines them (and as wflint counts columns). A finding with a fix that applies carries it as
suggestions: the changed lines, replaced whole.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from wflint.codes import rule_url
from wflint.diagnostics import Diagnostic
from wflint.output.sarif import INFORMATION_URI
from wflint.output.source import Sources


def _suggestions(d: Diagnostic, sources: Sources) -> list[dict]:
    if d.fix is None or not d.fix.edits:
        return []
    text = sources.text(d.path)
    if text is None:
        return []
    from wflint.fixes.textedits import line_edits

    return [{"range": {"start": {"line": e.start + 1, "column": 1},
                       "end": {"line": e.end + 1, "column": 1}},
             "text": e.text} for e in line_edits(text, d.fix)]


def render(diagnostics: Sequence[Diagnostic], sources: Sources) -> str:
    found = []
    for d in diagnostics:
        entry = {
            "message": d.message,
            "location": {"path": d.path, "range": {
                "start": {"line": d.line, "column": d.col},
                "end": {"line": d.end_line or d.line, "column": d.end_col or d.col}}},
            "severity": "WARNING" if d.severity == "warning" else "ERROR",
            "code": {"value": d.code, "url": rule_url(d.code)},
        }
        suggestions = _suggestions(d, sources)
        if suggestions:
            entry["suggestions"] = suggestions
        found.append(entry)
    return json.dumps({"source": {"name": "wflint", "url": INFORMATION_URI},
                       "severity": "ERROR" if any(d.severity != "warning" for d in diagnostics)
                       else "WARNING" if diagnostics else "INFO",
                       "diagnostics": found}, indent=2) + "\n"
