"""Output formats, one module each. Text formats get a summary line; machine formats never do."""

from __future__ import annotations

from collections.abc import Sequence

from wflint.diagnostics import Diagnostic

FORMATS = ("flake8", "json")
TEXT_FORMATS = frozenset({"flake8"})


def render(diagnostics: Sequence[Diagnostic], fmt: str, color: bool = False,
           unsafe_fixes: bool = False, show_fixes: bool = False) -> str:
    if fmt == "flake8":
        from wflint.output.flake8 import render as render_flake8
        return render_flake8(diagnostics, color, unsafe_fixes, show_fixes)
    if fmt == "json":
        from wflint.output.json import render as render_json
        return render_json(diagnostics)
    raise ValueError(f"unknown output format {fmt!r}")
