"""The finding type every part of wflint passes around."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wflint.fixes.model import Fix


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding.

    ``line``/``col`` and ``end_line``/``end_col`` are 1-based; columns count UTF-8 bytes of the
    line, as flake8's do (``column_in_characters`` converts). ``severity`` is the rule's
    (``"error"`` or ``"warning"``). ``fix`` is the rewrite, or None: ``fix.applicability`` tells
    whether ``--fix`` applies it (``safe``), only with ``--unsafe-fixes`` (``unsafe``), or never
    (``display-only``: a suggestion in ``fix.suggestion``).
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: str = "error"
    end_line: int = 0
    end_col: int = 0
    fix: Fix | None = field(default=None, compare=False)
    #: other places the finding is about, as (path, line, message): the hazard inside the
    #: helper a workflow's call reaches (SARIF ``relatedLocations``, LSP ``relatedInformation``)
    related: tuple[tuple[str, int, str], ...] = field(default=(), compare=False)

    @classmethod
    def at(cls, path: str, code: str, severity: str, message: str, node: ast.AST,
           fix: Fix | None = None, related: tuple[tuple[str, int, str], ...] = ()) -> Diagnostic:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0) + 1
        end_line = getattr(node, "end_lineno", None) or line
        end_col = (getattr(node, "end_col_offset", None) or col - 1) + 1
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                             ast.While, ast.For, ast.AsyncFor)):
            # a compound statement is reported on its header line only
            end_line, end_col = line, col
        return cls(path, line, col, code, message, severity, end_line, end_col, fix, related)

    @property
    def name(self) -> str:
        """The rule's name, e.g. ``wall-clock``."""
        from wflint.codes import entry_of

        entry = entry_of(self.code)
        return entry.name if entry is not None else self.code

    @property
    def url(self) -> str:
        """The address of the rule's documentation."""
        from wflint.codes import rule_url

        return rule_url(self.code)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "col": self.col, "code": self.code,
                "message": self.message, "severity": self.severity, "end_line": self.end_line,
                "end_col": self.end_col, "fix": self.fix.to_dict() if self.fix else None,
                **({"related": [list(r) for r in self.related]} if self.related else {})}

    @classmethod
    def from_dict(cls, data: dict) -> Diagnostic:
        from wflint.fixes.model import Fix

        fix = Fix.from_dict(data["fix"]) if data.get("fix") else None
        related = tuple((str(p), int(n), str(m)) for p, n, m in data.get("related", ()))
        return cls(data["path"], data["line"], data["col"], data["code"], data["message"],
                   data["severity"], data["end_line"], data["end_col"], fix, related)


def column_in_characters(line_text: str, byte_col: int) -> int:
    """A 1-based UTF-8 byte column of ``line_text`` as a 1-based column in code points."""
    return len(line_text.encode("utf-8")[:max(byte_col - 1, 0)].decode("utf-8", "ignore")) + 1

