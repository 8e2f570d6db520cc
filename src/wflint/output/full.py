"""``full``: each finding with its source line, a caret under the span and the fix (ruff's
``full`` layout)."""

from __future__ import annotations

from collections.abc import Sequence

from wflint.diagnostics import Diagnostic
from wflint.output.source import Sources

_BOLD, _RED, _BLUE, _CYAN, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[34m", "\x1b[36m", "\x1b[0m"


def _mark(d: Diagnostic, unsafe_fixes: bool) -> str:
    if d.fix is None or not d.fix.edits:
        return ""
    if d.fix.applicability.allowed(unsafe_fixes):
        return "[*] "
    return "[!] " if d.fix.applicability.value == "unsafe" else ""


def render(diagnostics: Sequence[Diagnostic], sources: Sources, color: bool = False,
           unsafe_fixes: bool = False) -> str:
    def paint(text: str, *styles: str) -> str:
        return "".join(styles) + text + _RESET if color else text

    blocks = []
    for d in diagnostics:
        text = sources.line(d.path, d.line)
        start = sources.char_col(d.path, d.line, d.col) - 1
        if (d.end_line or d.line) == d.line and d.end_col > d.col:
            end = sources.char_col(d.path, d.line, d.end_col) - 1
        else:
            end = len(text.rstrip())
        width = max(end - start, 1)
        gutter = " " * len(str(d.line))
        # keep tabs in the caret line so the caret lines up under the code
        lead = "".join(ch if ch == "\t" else " " for ch in text[:start])
        lines = [f"{paint(d.code, _BOLD, _RED)} {_mark(d, unsafe_fixes)}{paint(d.message, _BOLD)}",
                 f"{gutter}{paint('-->', _BLUE)} {d.path}:{d.line}:{start + 1}"]
        if text:
            bar = paint("|", _BLUE)
            lines += [f"{gutter} {bar}",
                      f"{paint(str(d.line), _BLUE)} {bar} {text}",
                      f"{gutter} {bar} {lead}{paint('^' * width, _BOLD, _RED)}",
                      f"{gutter} {bar}"]
        if d.fix is not None:
            lines.append(f"{paint('help', _BOLD, _CYAN)}: {d.fix.message}")
            if not d.fix.edits and d.fix.suggestion:
                lines += [f"{gutter} {paint('|', _BLUE)}   {row}" for row in d.fix.suggestion.splitlines()]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks) + ("\n" if blocks else "")
