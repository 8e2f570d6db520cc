"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Every rule of the catalog is described in ``tool.driver.rules`` (id, name, short and full
description, help text and Markdown, help URI, default level); each result points at its rule
by id and index, carries its location in code points (``columnKind``), a line-hash fingerprint
(the one baselines use), the hazard inside a helper as a related location when the finding
is reported at a workflow's call of it, and, when the finding has one, its fix as text
replacements.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from wflint import __version__
from wflint.codes import CATALOG, COMPAT_CATALOG, COMPAT_CODES, rule_url
from wflint.diagnostics import Diagnostic
from wflint.output.source import Sources

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/wflint/wflint"


def _level(severity: str) -> str:
    return "warning" if severity == "warning" else "error"


def _uri(path: str) -> tuple[str, bool]:
    """(URI, relative?) of a reported path: relative paths stay relative to the source root."""
    if os.path.isabs(path):
        return Path(path).as_uri(), False
    return quote(Path(path).as_posix()), True


def _rules(entries=CATALOG) -> list[dict]:
    from wflint.docs import rule_docstring, rule_markdown

    rules = []
    for entry in entries:
        doc = rule_docstring(entry.code)
        prose = "\n".join(line for line in doc.splitlines() if not line.startswith("#")).strip()
        first = " ".join(prose.split("\n\n", 1)[0].split()) or entry.summary
        markdown = rule_markdown(entry.code)
        rules.append({
            "id": entry.code,
            "name": entry.name,
            "shortDescription": {"text": entry.summary},
            "fullDescription": {"text": first},
            "help": {"text": markdown, "markdown": markdown},
            "helpUri": rule_url(entry.code),
            "defaultConfiguration": {"level": _level(entry.severity)},
            "properties": {"tags": ["determinism", entry.category or "replay-compatibility"],
                           "precision": "high",
                           "problem.severity": _level(entry.severity)},
        })
    return rules


def _fixes(d: Diagnostic, sources: Sources, location: dict) -> list[dict]:
    if d.fix is None or not d.fix.edits:
        return []
    text = sources.text(d.path)
    if text is None:
        return []
    from wflint.fixes.textedits import line_edits

    edits = line_edits(text, d.fix)
    if not edits:
        return []
    offsets = sources.line_offsets(d.path)
    replacements = [{"deletedRegion": {"charOffset": offsets[e.start],
                                       "charLength": offsets[e.end] - offsets[e.start]},
                     "insertedContent": {"text": e.text}} for e in edits]
    return [{"description": {"text": f"{d.fix.message} [{d.fix.applicability.value} fix]"},
             "artifactChanges": [{"artifactLocation": location, "replacements": replacements}]}]


def render(diagnostics: Sequence[Diagnostic], sources: Sources) -> str:
    from wflint.baseline import line_hash

    # a comparison's findings (wflint compat) are described by their own rules after the catalog's
    entries = (*CATALOG, *COMPAT_CATALOG) if any(d.code in COMPAT_CODES for d in diagnostics) else CATALOG
    index = {entry.code: i for i, entry in enumerate(entries)}
    results = []
    relative = False
    for d in diagnostics:
        uri, is_relative = _uri(d.path)
        relative = relative or is_relative
        location = {"uri": uri, **({"uriBaseId": "%SRCROOT%"} if is_relative else {})}
        end_line = d.end_line or d.line
        region = {"startLine": d.line, "startColumn": sources.char_col(d.path, d.line, d.col),
                  "endLine": end_line,
                  "endColumn": sources.char_col(d.path, end_line, d.end_col or d.col)}
        result = {
            "ruleId": d.code,
            **({"ruleIndex": index[d.code]} if d.code in index else {}),
            "level": _level(d.severity),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
            "partialFingerprints": {
                "wflintLineHash/v1": line_hash(d.code, sources.line(d.path, d.line))},
        }
        related = []
        for number, (path, line, text) in enumerate(d.related):
            related_uri, related_relative = _uri(path)
            relative = relative or related_relative
            related.append({
                "id": number,
                "physicalLocation": {
                    "artifactLocation": {"uri": related_uri,
                                         **({"uriBaseId": "%SRCROOT%"} if related_relative else {})},
                    "region": {"startLine": line}},
                "message": {"text": text}})
        if related:
            result["relatedLocations"] = related
        fixes = _fixes(d, sources, location)
        if fixes:
            result["fixes"] = fixes
        results.append(result)
    run: dict = {
        "tool": {"driver": {"name": "wflint", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": _rules(entries)}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if relative:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}}
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"
