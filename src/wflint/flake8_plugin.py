"""wflint as a flake8 plugin: ``flake8 --select WFL`` reports what ``wflint check`` reports.

Registered under the ``flake8.extension`` entry point group as ``WFL``. flake8 hands over each
file's lines (so stdin and ``--stdin-display-name`` work); the rules, selection and
suppressions come from wflint's own configuration (``[tool.wflint]`` in the nearest
``pyproject.toml``, ``wflint.toml`` or ``.wflint.toml``), the same file ``wflint check`` reads.
flake8's ``--select``/``--ignore``/``per-file-ignores`` and ``# noqa`` then apply on top.

Each file is checked on its own: a workflow registered in another module is only recognised
when ``wflint check`` sees both files in one run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from wflint import __version__

_CHECKERS: dict[str, object] = {}


def _checker_for(filename: str):
    """One checker per configuration file (built once per flake8 worker process)."""
    from wflint.config import load_config, nearest_config, resolve_settings
    from wflint.engine import Checker

    found = nearest_config(Path(filename) if filename not in ("stdin", "-") else Path.cwd())
    key = str(found) if found else ""
    if key not in _CHECKERS:
        _CHECKERS[key] = Checker(resolve_settings(load_config(found) if found else None))
    return _CHECKERS[key]


class WflintChecker:
    name = "wflint"
    version = __version__

    def __init__(self, tree, filename: str, lines: Sequence[str]) -> None:
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        from wflint.config import ConfigError

        try:
            checker = _checker_for(self.filename)
        except ConfigError as exc:
            yield 1, 0, f"WFL002 wflint configuration error: {exc}", type(self)
            return
        path = os.path.normpath(self.filename) if self.filename not in ("stdin", "-") else self.filename
        outcome = checker.check_text("".join(self.lines), path)
        if outcome.error is not None:
            raise RuntimeError(f"wflint: internal error in {path}: {outcome.error}")
        for d in outcome.diagnostics:
            # flake8 adds 1 to the column: wflint's are already 1-based UTF-8 byte columns
            yield d.line, d.col - 1, f"{d.code} {d.message}", type(self)
