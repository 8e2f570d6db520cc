"""Output formats, one module each. Text formats get a summary line; machine formats never do."""

from __future__ import annotations

from collections.abc import Sequence

from wflint.diagnostics import Diagnostic
from wflint.output.source import Sources

#: ``concise`` is ruff's name for the flake8 line format
FORMATS = ("flake8", "concise", "full", "json", "json-lines", "sarif", "github", "gitlab", "junit",
           "rdjson", "pylint")
TEXT_FORMATS = frozenset({"flake8", "concise", "full"})


def render(diagnostics: Sequence[Diagnostic], fmt: str, color: bool = False,
           unsafe_fixes: bool = False, show_fixes: bool = False,
           sources: Sources | None = None) -> str:
    sources = sources if sources is not None else Sources()
    if fmt in ("flake8", "concise"):
        from wflint.output.flake8 import render as render_flake8
        return render_flake8(diagnostics, color, unsafe_fixes, show_fixes)
    if fmt == "full":
        from wflint.output.full import render as render_full
        return render_full(diagnostics, sources, color, unsafe_fixes)
    if fmt == "json":
        from wflint.output.json import render as render_json
        return render_json(diagnostics)
    if fmt == "json-lines":
        from wflint.output.json import render_lines
        return render_lines(diagnostics)
    if fmt == "sarif":
        from wflint.output.sarif import render as render_sarif
        return render_sarif(diagnostics, sources)
    if fmt == "github":
        from wflint.output.github import render as render_github
        return render_github(diagnostics, sources)
    if fmt == "gitlab":
        from wflint.output.gitlab import render as render_gitlab
        return render_gitlab(diagnostics, sources)
    if fmt == "junit":
        from wflint.output.junit import render as render_junit
        return render_junit(diagnostics, sources)
    if fmt == "rdjson":
        from wflint.output.rdjson import render as render_rdjson
        return render_rdjson(diagnostics, sources)
    if fmt == "pylint":
        return "".join(f"{d.path}:{d.line}: [{d.code}] {d.message}\n" for d in diagnostics)
    raise ValueError(f"unknown output format {fmt!r}")
