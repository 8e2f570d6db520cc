"""``path:line:col: CODE message``: what flake8 prints, and what vim, emacs and CI matchers parse."""

from __future__ import annotations

from collections.abc import Sequence

from wflint.diagnostics import Diagnostic

_BOLD = "\x1b[1m"
_CYAN = "\x1b[36m"
_RED = "\x1b[31m"
_RESET = "\x1b[0m"


def render(diagnostics: Sequence[Diagnostic], color: bool = False, unsafe_fixes: bool = False,
           show_fixes: bool = False) -> str:
    """One line per finding. ``[*]`` marks a fix that ``--fix`` applies with the current flags,
    ``[!]`` an unsafe fix that needs ``--unsafe-fixes`` too; display-only suggestions get no mark."""
    lines = []
    for d in diagnostics:
        mark = ""
        if d.fix is not None and d.fix.edits:
            symbol = "*" if d.fix.applicability.allowed(unsafe_fixes) else \
                "!" if d.fix.applicability.value == "unsafe" else ""
            if symbol:
                mark = f"[{_CYAN}{symbol}{_RESET}] " if color else f"[{symbol}] "
        if color:
            sep = f"{_CYAN}:{_RESET}"
            lines.append(f"{_BOLD}{d.path}{_RESET}{sep}{d.line}{sep}{d.col}{sep} "
                         f"{_BOLD}{_RED}{d.code}{_RESET} {mark}{d.message}")
        else:
            lines.append(f"{d.path}:{d.line}:{d.col}: {d.code} {mark}{d.message}")
        if show_fixes and d.fix is not None:
            lines.append(f"    = fix ({d.fix.applicability.value}): {d.fix.message}")
            for suggestion_line in d.fix.suggestion.splitlines() if not d.fix.edits else ():
                lines.append(f"    |   {suggestion_line}")
    return "".join(line + "\n" for line in lines)
