"""``wflint check --add-noqa``: a ``# noqa: CODES`` comment on every line with a finding, the
way to adopt wflint at once and fix the findings later (a baseline is the other way).

A line that already has ``# noqa: CODES`` gets the new codes added to it; a line that ends
inside a string or with a backslash cannot hold a comment and is left as it is. Files are
rewritten atomically, in their own encoding.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Sequence

from wflint.diagnostics import Diagnostic
from wflint.fixes.writer import write_atomic
from wflint.source import decode_with_encoding
from wflint.suppression import NOQA



def add_noqa(diagnostics: Sequence[Diagnostic]) -> int:
    """Add the comments; the number of lines changed."""
    by_path: dict[str, dict[int, set[str]]] = {}
    for d in diagnostics:
        by_path.setdefault(d.path, {}).setdefault(d.line, set()).add(d.code)
    changed = 0
    for path, lines in sorted(by_path.items()):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
            text, encoding, bom = decode_with_encoding(data)
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
            continue
        new_text, count = with_noqa(text, lines)
        if count:
            write_atomic(path, new_text, encoding, bom)
            changed += count
    return changed


def with_noqa(text: str, codes_by_line: dict[int, set[str]]) -> tuple[str, int]:
    """``text`` with the codes added as noqa comments to their lines (1-based), and how many
    lines changed."""
    open_lines = _lines_that_can_end_with_a_comment(text)
    lines = text.splitlines(keepends=True)
    count = 0
    for number, codes in sorted(codes_by_line.items()):
        if number not in open_lines or not 0 < number <= len(lines):
            continue
        line = lines[number - 1]
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        match = next((m for m in NOQA.finditer(body) if m.group("codes")), None)
        if match:
            present = [c.upper() for c in re.findall(r"[A-Z]+[0-9]+", match.group("codes"), re.I)]
            merged = ", ".join(dict.fromkeys([*present, *sorted(codes)]))
            body = body[:match.start("codes")] + merged + body[match.end("codes"):]
        else:
            body = body.rstrip() + "  # noqa: " + ", ".join(sorted(codes))
        lines[number - 1] = body + ending
        count += 1
    return "".join(lines), count


def _lines_that_can_end_with_a_comment(text: str) -> set[int]:
    """The lines whose end is outside any string and not a backslash continuation."""
    candidates = {n for n, line in enumerate(text.splitlines(), 1) if not line.rstrip().endswith("\\")}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return set()
    for token in tokens:
        if token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            for inside in range(token.start[0], token.end[0]):
                candidates.discard(inside)  # the string goes on past the end of this line
    return candidates
