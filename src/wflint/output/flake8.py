"""``path:line:col: CODE message``: what flake8 prints, and what vim, emacs and CI matchers parse."""

from __future__ import annotations

from collections.abc import Sequence

from wflint.diagnostics import Diagnostic

_BOLD = "\x1b[1m"
_CYAN = "\x1b[36m"
_RED = "\x1b[31m"
_RESET = "\x1b[0m"


def render(diagnostics: Sequence[Diagnostic], color: bool = False) -> str:
    lines = []
    for d in diagnostics:
        if color:
            sep = f"{_CYAN}:{_RESET}"
            lines.append(f"{_BOLD}{d.path}{_RESET}{sep}{d.line}{sep}{d.col}{sep} "
                         f"{_BOLD}{_RED}{d.code}{_RESET} {d.message}")
        else:
            lines.append(f"{d.path}:{d.line}:{d.col}: {d.code} {d.message}")
    return "".join(line + "\n" for line in lines)
