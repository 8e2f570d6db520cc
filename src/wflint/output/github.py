"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding.

Escaping follows the runner's rules (actions/toolkit ``command.ts``): in the message ``%``,
CR and LF; in properties also ``:`` and ``,``. Columns are 1-based characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from wflint.diagnostics import Diagnostic
from wflint.output.source import Sources


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(diagnostics: Sequence[Diagnostic], sources: Sources) -> str:
    out = []
    for d in diagnostics:
        level = "warning" if d.severity == "warning" else "error"
        col = sources.char_col(d.path, d.line, d.col)
        end_line = d.end_line or d.line
        end_col = sources.char_col(d.path, end_line, d.end_col or d.col)
        properties = ",".join(f"{key}={escape_property(str(value))}" for key, value in (
            ("title", f"wflint ({d.code})"), ("file", d.path), ("line", d.line), ("col", col),
            ("endLine", end_line), ("endColumn", end_col)))
        message = f"{d.path}:{d.line}:{col}: {d.code} {d.message}"
        if d.fix is not None:
            message += f"\nhelp: {d.fix.message}"
        out.append(f"::{level} {properties}::{escape_data(message)}\n")
    return "".join(out)
