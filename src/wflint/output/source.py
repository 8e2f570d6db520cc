"""Source lines for the output formats that show code or count columns in characters."""

from __future__ import annotations


class Sources:
    """The text of the files findings refer to: what the run checked (``known``, which after
    ``--fix`` is the fixed text), else read from disk on first use."""

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self._text: dict[str, str | None] = dict(known or {})
        self._lines: dict[str, list[str]] = {}
        self._offsets: dict[str, list[int]] = {}

    def text(self, path: str) -> str | None:
        if path not in self._text:
            from wflint.source import decode

            try:
                with open(path, "rb") as handle:
                    self._text[path] = decode(handle.read())
            except (OSError, SyntaxError, UnicodeDecodeError, LookupError, ValueError):
                self._text[path] = None
        return self._text[path]

    def lines(self, path: str) -> list[str]:
        if path not in self._lines:
            text = self.text(path)
            self._lines[path] = text.splitlines() if text else []
        return self._lines[path]

    def line_offsets(self, path: str) -> list[int]:
        """The character offset at which each line starts, and the text's length at the end."""
        if path not in self._offsets:
            offsets = [0]
            for line in (self.text(path) or "").splitlines(keepends=True):
                offsets.append(offsets[-1] + len(line))
            self._offsets[path] = offsets
        return self._offsets[path]

    def line(self, path: str, number: int) -> str:
        """Line ``number`` (1-based) without its line break; "" when there is none."""
        lines = self.lines(path)
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def char_col(self, path: str, line: int, byte_col: int) -> int:
        """A finding's 1-based UTF-8 byte column as a 1-based column in code points."""
        from wflint.diagnostics import column_in_characters

        return column_in_characters(self.line(path, line), byte_col)
