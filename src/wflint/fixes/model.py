"""The fix model: what a rewrite changes, what it imports, and how safe it is.

Applicability follows ruff:

- ``safe`` — applied by ``--fix``. Same meaning on the first run, and no new durable command
  in the workflow's history, so in-flight instances still replay.
- ``unsafe`` — applied only with ``--fix --unsafe-fixes``. It changes a value's type or time
  zone, or adds a durable command (a timer, an activity, a step): in-flight instances then
  need a version gate, which the fix's note says.
- ``display-only`` — shown as a suggestion (``--show-fixes``, the editor), never applied.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Applicability(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"

    def allowed(self, unsafe_fixes: bool) -> bool:
        return self is Applicability.SAFE or (self is Applicability.UNSAFE and unsafe_fixes)


#: what an edit does to the node found at its range
REPLACE = "replace"        # replace the expression with ``content``
WRAP = "wrap"              # wrap the statement in ``content`` (a block header such as ``if ...:``)
INSERT_AFTER = "insert-after"  # insert the statements in ``content`` after the statement
INSERT_BEFORE = "insert-before"
STATEMENT = "statement"    # replace the whole statement with the statements in ``content``
REMOVE = "remove"          # remove the statement


@dataclass(frozen=True)
class Edit:
    """A change to the node at a range. Lines are 1-based, columns 0-based in characters."""

    kind: str
    start: tuple[int, int]
    end: tuple[int, int]
    content: str


@dataclass(frozen=True)
class ImportRequest:
    """``from module import name [as alias]``, or ``import module`` when ``name`` is None."""

    module: str
    name: str | None = None
    alias: str | None = None


VERSION_GATE_NOTE = ("adds a durable command: instances already in flight will not replay it, "
                     "so gate the change with the framework's versioning API")


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    #: what the fix does, in the imperative: "Replace with ctx.current_utc_datetime"
    title: str
    edits: tuple[Edit, ...] = ()
    imports: tuple[ImportRequest, ...] = ()
    #: why it is unsafe, or why it can only be displayed
    note: str = ""
    #: for display-only fixes: the code that would be written, to show the user
    suggestion: str = field(default="", compare=False)
    #: the findings inside the code it rewrites go with it (False: it keeps that code, e.g. a
    #: constructor call given one more argument)
    removes_inner: bool = True

    @property
    def message(self) -> str:
        return f"{self.title} ({self.note})" if self.note else self.title

    def to_dict(self) -> dict:
        return {"applicability": self.applicability.value, "title": self.title, "note": self.note,
                "suggestion": self.suggestion, "removes_inner": self.removes_inner,
                "edits": [[e.kind, list(e.start), list(e.end), e.content] for e in self.edits],
                "imports": [[i.module, i.name, i.alias] for i in self.imports]}

    @classmethod
    def from_dict(cls, data: dict) -> Fix:
        return cls(Applicability(data["applicability"]), data["title"],
                   tuple(Edit(kind, tuple(start), tuple(end), content)
                         for kind, start, end, content in data["edits"]),
                   tuple(ImportRequest(*item) for item in data["imports"]),
                   data["note"], data.get("suggestion", ""), data.get("removes_inner", True))

    def span(self) -> tuple[tuple[int, int], tuple[int, int]]:
        return min(e.start for e in self.edits), max(e.end for e in self.edits)

    @property
    def anchor(self) -> tuple[int, int]:
        """Where the fix acts in the source: its first replacement or wrap (fixes are applied in
        this order, so new activities land in the order of the code they come from)."""
        primary = [e.start for e in self.edits if e.kind in (REPLACE, WRAP, STATEMENT)]
        return min(primary) if primary else self.span()[0]


@dataclass(frozen=True)
class Rewrite:
    """One entry of a framework's fix table."""

    template: str
    applicability: Applicability
    title: str = ""
    note: str = ""
    #: "ctx" (the context must be in scope), "yield"/"await" (directly in the generator /
    #: async workflow body), "statement" (the call is a statement of its own)
    requires: frozenset[str] = frozenset()
    #: REPLACE the call, or WRAP its statement in the template (a block header)
    kind: str = REPLACE
    #: replace the enclosing ``str(...)`` call instead of the hazard itself
    target: str = "call"
    #: the template to use in an ``async def`` workflow, when it differs
    async_template: str = ""
    #: a form without quotes or braces, for a call inside an f-string
    plain_template: str = ""


def rewrite(template: str, applicability: Applicability, *requires: str, note: str = "",
            title: str = "", kind: str = REPLACE, target: str = "call",
            async_template: str = "", plain_template: str = "") -> Rewrite:
    return Rewrite(template, applicability, title, note, frozenset(requires), kind, target,
                   async_template, plain_template)


def display_only(title: str, note: str = "", suggestion: str = "") -> Fix:
    return Fix(Applicability.DISPLAY_ONLY, title, note=note, suggestion=suggestion)
