"""wflint's Python API: check source text or files and get :class:`~wflint.Diagnostic` objects.

>>> import wflint
>>> findings = wflint.check_source(source, path="app/workflows.py")
>>> [(d.code, d.line, d.col, d.message) for d in findings]

``config`` is, in every function:

- ``None``: the nearest ``pyproject.toml`` (with ``[tool.wflint]``), ``wflint.toml`` or
  ``.wflint.toml`` at or above the path, as ``wflint check`` finds it;
- a path (``str`` or ``os.PathLike``) to such a file;
- a mapping of ``[tool.wflint]`` keys, e.g. ``{"select": ["WFL1"], "frameworks": ["temporal"]}``.

Invalid configuration raises :class:`~wflint.ConfigError`. Nothing is written, no cache is used
and the checked code is never imported or run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Union

from wflint.config import ConfigError, Settings, config_from_mapping, resolve_settings, settings_for
from wflint.diagnostics import Diagnostic

ConfigArg = Union[None, str, "os.PathLike[str]", Mapping]


class CheckError(Exception):
    """Some files could not be checked because of an internal error in wflint. The findings of
    every other file are in ``diagnostics``; ``errors`` maps each failed path to the reason."""

    def __init__(self, errors: dict[str, str], diagnostics: list[Diagnostic]) -> None:
        self.errors = errors
        self.diagnostics = diagnostics
        listing = "; ".join(f"{path}: {reason}" for path, reason in errors.items())
        super().__init__(f"internal error while checking {listing}")


def _settings(config: ConfigArg, anchor: Path) -> Settings:
    if config is None:
        return settings_for(anchor)
    if isinstance(config, Mapping):
        return resolve_settings(config_from_mapping(dict(config)))
    if isinstance(config, (str, os.PathLike)):
        return settings_for(anchor, Path(config))
    raise ConfigError(f"config must be None, a path or a mapping, not {type(config).__name__}")


def _check_one(source: str | bytes, path, config: ConfigArg, fix=None):
    """The outcome of checking (and with ``fix``, fixing) one source text; raises CheckError."""
    from wflint.engine import Checker

    name = os.fspath(path)
    checker = Checker(_settings(config, Path(name).parent))
    outcome = checker.check_text(source, name, fix) if isinstance(source, str) else \
        checker.check_bytes(bytes(source), name, fix)
    if outcome.error is not None:
        raise CheckError({name: outcome.error}, outcome.diagnostics)
    outcome.diagnostics.sort(key=lambda d: d.sort_key)
    return outcome


def check_source(source: str | bytes, path: str | os.PathLike[str] = "<source>", *,
                 config: ConfigArg = None) -> list[Diagnostic]:
    """The findings for one module's source text, sorted by line and column.

    ``path`` is the name findings are reported under; it also decides the module's name (for
    ``per-file-ignores`` and imports between modules of the same project) and, with
    ``config=None``, where the configuration is looked for. The file need not exist.
    ``bytes`` are decoded as Python does (BOM, coding cookie, else UTF-8).
    """
    return _check_one(source, path, config).diagnostics


def fix_source(source: str, path: str | os.PathLike[str] = "<source>", *,
               config: ConfigArg = None, unsafe: bool = False) -> tuple[str, list[Diagnostic]]:
    """Apply the fixes ``wflint check --fix`` would (with ``unsafe=True``: ``--unsafe-fixes``
    too) to ``source``; return the fixed text and the findings that remain in it."""
    from wflint.engine import FixMode

    outcome = _check_one(source, path, config, FixMode(unsafe=unsafe, write=False))
    fixed = outcome.fixed_source if outcome.fixed_source is not None else source
    return fixed, outcome.diagnostics


def check_paths(paths: Iterable[str | os.PathLike[str]], *, config: ConfigArg = None,
                force_exclude: bool = False) -> list[Diagnostic]:
    """The findings for files and directories, as ``wflint check PATHS`` reports them:
    directories are walked for ``.py``/``.pyi`` files (minus the excludes), modules import each
    other as one project, and files that cannot be read or parsed get WFL002/WFL001.

    A path that does not exist raises ``FileNotFoundError`` before anything is checked.
    """
    from wflint.files import collect_files

    targets = [os.fspath(p) for p in paths] or ["."]
    settings = _settings(config, Path(targets[0]))
    file_set = collect_files(targets, settings, force_exclude)
    if file_set.missing:
        raise FileNotFoundError(f"no such file or directory: {', '.join(file_set.missing)}")
    from wflint.engine import Checker

    checker = Checker(settings)
    checker.prepare(file_set.files)
    diagnostics: list[Diagnostic] = []
    errors: dict[str, str] = {}
    for outcome in checker.check_paths(file_set.files):
        diagnostics.extend(outcome.diagnostics)
        if outcome.error is not None:
            errors[outcome.path] = outcome.error
    diagnostics.sort(key=lambda d: d.sort_key)
    if errors:
        raise CheckError(errors, diagnostics)
    return diagnostics
