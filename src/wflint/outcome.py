"""What checking one file ends with."""

from __future__ import annotations

from dataclasses import dataclass, field

from wflint.diagnostics import Diagnostic


@dataclass
class FileOutcome:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: an internal error: reported on stderr, and the run exits 2
    error: str | None = None
    #: with fixing: the findings fixed, and the source before and after
    fixed: list[Diagnostic] = field(default_factory=list)
    original: str | None = None
    fixed_source: str | None = None
    #: for the cache: the file's stamp when read, and the project files its result depends on
    stamp: list[int] | None = None
    sha: str | None = None
    deps: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed_source is not None and self.fixed_source != self.original
