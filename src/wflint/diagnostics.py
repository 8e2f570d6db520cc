"""The finding type every part of wflint passes around."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wflint.fixes.model import Fix


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. Lines and columns are 1-based; columns count UTF-8 bytes, as flake8's do."""

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: str = "error"
    end_line: int = 0
    end_col: int = 0
    fix: Fix | None = field(default=None, compare=False)

    @classmethod
    def at(cls, path: str, code: str, severity: str, message: str, node: ast.AST,
           fix: Fix | None = None) -> Diagnostic:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0) + 1
        end_line = getattr(node, "end_lineno", None) or line
        end_col = (getattr(node, "end_col_offset", None) or col - 1) + 1
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                             ast.While, ast.For, ast.AsyncFor)):
            # a compound statement is reported on its header line only
            end_line, end_col = line, col
        return cls(path, line, col, code, message, severity, end_line, end_col, fix)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "col": self.col, "code": self.code,
                "message": self.message, "severity": self.severity, "end_line": self.end_line,
                "end_col": self.end_col, "fix": self.fix.to_dict() if self.fix else None}

    @classmethod
    def from_dict(cls, data: dict) -> Diagnostic:
        from wflint.fixes.model import Fix

        fix = Fix.from_dict(data["fix"]) if data.get("fix") else None
        return cls(data["path"], data["line"], data["col"], data["code"], data["message"],
                   data["severity"], data["end_line"], data["end_col"], fix)
