"""Git's ignore patterns (``.gitignore``, ``.git/info/exclude``), compiled to regular expressions.

The semantics are git's (``gitignore(5)``): blank lines and ``#`` comments are skipped; a
trailing ``/`` matches directories only; a pattern with a ``/`` at its start or in its middle is
anchored to the directory of its file, any other matches a name at any depth; ``*``, ``?`` and
``[...]`` never match ``/``; ``**/`` at the start, ``/**/`` in the middle and ``/**`` at the end
span directories; ``!`` re-includes; the last pattern of a file that matches decides.
"""

from __future__ import annotations

import re

#: a POSIX class inside brackets, as git's wildmatch knows them
_CLASSES = {"alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "blank": " \\t", "cntrl": "\\x00-\\x1f\\x7f",
            "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~",
            "punct": "!-/:-@\\[-`{-~", "space": " \\t\\n\\r\\f\\v", "upper": "A-Z",
            "xdigit": "0-9a-fA-F"}


class Patterns:
    """The patterns of one ignore file; ``match`` says whether they ignore a path relative to
    the file's directory (True), re-include it (False) or say nothing of it (None)."""

    def __init__(self, lines: list[str]) -> None:
        #: (regex, re-includes, directories only), in file order
        self.rules: list[tuple[re.Pattern[str], bool, bool]] = []
        for line in lines:
            rule = _compile(line)
            if rule is not None:
                self.rules.append(rule)
        self._negates = any(negated for _, negated, _ in self.rules)
        if not self._negates:  # the usual file: one search per path instead of one per pattern
            self._any_dir = _union(regex for regex, _, _ in self.rules)
            self._any_file = _union(regex for regex, _, dir_only in self.rules if not dir_only)

    def match(self, relative: str, is_dir: bool) -> bool | None:
        if not self._negates:
            regex = self._any_dir if is_dir else self._any_file
            return True if regex is not None and regex.match(relative) else None
        for regex, negated, dir_only in reversed(self.rules):
            if (is_dir or not dir_only) and regex.match(relative):
                return not negated
        return None


def _union(regexes) -> re.Pattern[str] | None:
    sources = [regex.pattern for regex in regexes]
    return re.compile("|".join(f"(?:{source})" for source in sources)) if sources else None


def _compile(line: str) -> tuple[re.Pattern[str], bool, bool] | None:
    """One line of an ignore file as (regex over the relative path, re-includes, dirs only)."""
    if line.endswith("\r"):
        line = line[:-1]
    if not line or line.startswith("#"):
        return None
    line = _strip_trailing_spaces(line)
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    dir_only = line.endswith("/") and not line.endswith("\\/")
    if dir_only:
        line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    if line.startswith("/"):
        line = line[1:]
    body = _translate(line)
    if body is None:
        return None
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"{prefix}{body}\\Z", re.DOTALL), negated, dir_only


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces go unless escaped with a backslash."""
    end = len(line)
    while end > 0 and line[end - 1] == " ":
        backslashes = 0
        index = end - 2
        while index >= 0 and line[index] == "\\":
            backslashes += 1
            index -= 1
        if backslashes % 2:
            break
        end -= 1
    return line[:end]


def _translate(glob: str) -> str | None:
    """A glob (its ``**`` rules included) as a regex; None when it can match nothing."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        char = glob[i]
        if char == "*":
            j = i
            while j < n and glob[j] == "*":
                j += 1
            double = j - i >= 2
            at_start = i == 0 or glob[i - 1] == "/"
            at_end = j == n or glob[j] == "/"
            if double and at_start and at_end:
                if j == n:  # "/**" at the end (or "**" alone): everything below
                    out.append(".*")
                else:  # "**/" at the start or "/**/" in the middle: zero or more directories
                    out.append("(?:.*/)?")
                    j += 1
            else:
                out.append("[^/]*")
            i = j
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            found = _bracket(glob, i)
            if found is None:
                return None  # git's wildmatch: an unclosed bracket matches nothing
            text, i = found
            out.append(text)
        elif char == "\\":
            if i + 1 < n:
                out.append(re.escape(glob[i + 1]))
                i += 2
            else:
                return None  # a trailing backslash is an invalid pattern
        else:
            out.append(re.escape(char))
            i += 1
    return "".join(out)


def _bracket(glob: str, start: int) -> tuple[str, int] | None:
    """The bracket expression at ``start`` as a regex class, and the index after it."""
    i = start + 1
    n = len(glob)
    negated = i < n and glob[i] in "!^"
    if negated:
        i += 1
    parts: list[str] = []
    first = True
    while i < n:
        char = glob[i]
        if char == "]" and not first:
            body = "".join(parts)
            return (f"[^/{body}]" if negated else f"(?!/)[{body}]"), i + 1
        first = False
        if char == "[" and glob.startswith("[:", i):
            end = glob.find(":]", i + 2)
            name = glob[i + 2:end] if end != -1 else ""
            if name in _CLASSES:
                parts.append(_CLASSES[name])
                i = end + 2
                continue
            if end != -1:
                return None  # an unknown class: git matches nothing
        if char == "\\" and i + 1 < n:
            i += 1
            char = glob[i]
        if char == "-" and parts and i + 1 < n and glob[i + 1] != "]":
            upper = glob[i + 1]
            if upper == "\\" and i + 2 < n:
                upper = glob[i + 2]
                i += 1
            parts.append("-" + _class_char(upper))
            i += 2
            continue
        parts.append(_class_char(char))
        i += 1
    return None


def _class_char(char: str) -> str:
    return "\\" + char if char in "\\]^-[" else char
