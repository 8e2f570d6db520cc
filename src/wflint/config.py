"""``[tool.wflint]`` / ``wflint.toml`` loading, strict validation, and rule selection.

Unknown keys, unknown codes, wrong types and malformed TOML are errors that name
the file, the key (with its line where it can be found) and what is allowed.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from wflint.codes import ALL_CODES, FILE_CODES, UnknownSelector, expand_selector
from wflint.frameworks import SELECTABLE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_FILES = (".wflint.toml", "wflint.toml", "pyproject.toml")
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", "build", "dist",
    "node_modules", "site-packages", ".mypy_cache", ".ruff_cache", ".pytest_cache",
    ".wflint_cache",
)
#: codes that a ``nondeterministic`` entry may map a call to
CALL_CODES = tuple(code for code in ALL_CODES
                   if code not in FILE_CODES and code not in ("WFL601", "WFL903"))
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class ConfigError(Exception):
    """A configuration problem; the message names the file, the key and what is allowed."""


@dataclass(frozen=True)
class FileConfig:
    """The validated content of one configuration file (all keys optional)."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    frameworks: tuple[str, ...] | None = None
    workflow_decorators: tuple[str, ...] = ()
    activity_decorators: tuple[str, ...] = ()
    nondeterministic: tuple[tuple[str, str], ...] = ()
    deterministic: tuple[str, ...] = ()
    respect_gitignore: bool | None = None

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


@dataclass(frozen=True)
class Settings:
    """Everything a check run needs, after merging the config file with the command line."""

    codes: frozenset[str] = frozenset(ALL_CODES)
    root: Path = field(default_factory=Path.cwd)
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    exclude: tuple[str, ...] = ()
    frameworks: tuple[str, ...] | None = None
    workflow_decorators: tuple[str, ...] = ()
    activity_decorators: tuple[str, ...] = ()
    nondeterministic: tuple[tuple[str, str], ...] = ()
    deterministic: tuple[str, ...] = ()
    #: skip what git ignores (.gitignore files, .git/info/exclude) when walking directories
    respect_gitignore: bool = True
    config_path: Path | None = None

    def ignored_codes_for(self, path: str) -> frozenset[str]:
        if not self.per_file_ignores:
            return frozenset()
        relative = _relative(path, self.root)
        ignored: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if _matches(relative, pattern):
                ignored |= codes
        return frozenset(ignored)

    @property
    def excluder(self) -> Excluder:
        return Excluder((*DEFAULT_EXCLUDES, *self.exclude), self.root)


# -- discovery ---------------------------------------------------------------------------

def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start`` (a pyproject needs ``[tool.wflint]``)."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for candidate_dir in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = candidate_dir / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate
            try:
                data = _read_toml(candidate)
            except ConfigError:
                return candidate  # let load_config report it
            if isinstance(data.get("tool"), dict) and "wflint" in data["tool"]:
                return candidate
    return None


def load_config(path: Path) -> FileConfig:
    table, section = _table(path)
    return _validate(path, table, section)


def _table(path: Path) -> tuple[dict, str]:
    """The wflint table of a configuration file, and how messages name it."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("wflint", {}) if isinstance(tool, dict) else {}
        section = "[tool.wflint]"
    else:
        table = data
        section = "the top level"
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {section} must be a table")
    return dict(table), section


def _read_toml(path: Path) -> dict:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


# -- validation ----------------------------------------------------------------------------

KEYS = ("select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude",
        "frameworks", "workflow-decorators", "activity-decorators", "nondeterministic",
        "deterministic", "respect-gitignore")


def _validate(path: Path, table: dict, section: str) -> FileConfig:
    text = _safe_text(path)

    def where(key: str) -> str:
        line = _line_of(text, key)
        return f"{path}:{line}" if line else str(path)

    unknown = [key for key in table if key not in KEYS]
    if unknown:
        key = unknown[0]
        raise ConfigError(f"{where(key)}: unknown key '{key}' in {section}; "
                          f"allowed keys: {', '.join(KEYS)}")
    values: dict[str, object] = {}
    for key in ("select", "ignore", "extend-select"):
        if key in table:
            values[key] = _selectors(table[key], key, where(key))
    if "per-file-ignores" in table:
        raw = table["per-file-ignores"]
        if not isinstance(raw, dict):
            raise ConfigError(f"{where('per-file-ignores')}: 'per-file-ignores' must be a table "
                              f'of glob patterns to lists of codes, e.g. {{ "tests/**" = ["WFL5"] }}')
        values["per-file-ignores"] = tuple(
            (pattern, frozenset(_codes(_selectors(codes, f"per-file-ignores.{pattern}",
                                                  where("per-file-ignores")))))
            for pattern, codes in raw.items())
    for key in ("exclude", "extend-exclude", "deterministic", "workflow-decorators",
                "activity-decorators"):
        if key in table:
            values[key] = _strings(table[key], key, where(key))
    for key in ("deterministic", "workflow-decorators", "activity-decorators"):
        for name in values.get(key, ()):  # type: ignore[union-attr]
            if not _DOTTED.match(name):
                raise ConfigError(f"{where(key)}: '{name}' in '{key}' is not a dotted name "
                                  "such as 'package.module.function'")
    if "respect-gitignore" in table:
        if not isinstance(table["respect-gitignore"], bool):
            raise ConfigError(f"{where('respect-gitignore')}: 'respect-gitignore' must be true or false")
        values["respect-gitignore"] = table["respect-gitignore"]
    if "frameworks" in table:
        frameworks = _strings(table["frameworks"], "frameworks", where("frameworks"))
        for name in frameworks:
            if name not in SELECTABLE:
                raise ConfigError(f"{where('frameworks')}: unknown framework '{name}' in "
                                  f"'frameworks'; allowed: {', '.join(SELECTABLE)}")
        values["frameworks"] = frameworks
    if "nondeterministic" in table:
        raw = table["nondeterministic"]
        if not isinstance(raw, dict):
            raise ConfigError(f"{where('nondeterministic')}: 'nondeterministic' must be a table "
                              'of qualified names to codes, e.g. { "myco.clock.now" = "WFL101" }')
        pairs = []
        for name, code in raw.items():
            if not _DOTTED.match(name):
                raise ConfigError(f"{where('nondeterministic')}: '{name}' in 'nondeterministic' "
                                  "is not a dotted name")
            if not isinstance(code, str) or code.upper() not in CALL_CODES:
                raise ConfigError(f"{where('nondeterministic')}: '{name}' maps to {code!r}; "
                                  f"allowed codes: {', '.join(CALL_CODES)}")
            pairs.append((name, code.upper()))
        values["nondeterministic"] = tuple(pairs)
    return FileConfig(
        path=path,
        select=values.get("select"),  # type: ignore[arg-type]
        ignore=values.get("ignore", ()),  # type: ignore[arg-type]
        extend_select=values.get("extend-select", ()),  # type: ignore[arg-type]
        per_file_ignores=values.get("per-file-ignores", ()),  # type: ignore[arg-type]
        exclude=values.get("exclude", ()),  # type: ignore[arg-type]
        extend_exclude=values.get("extend-exclude", ()),  # type: ignore[arg-type]
        frameworks=values.get("frameworks"),  # type: ignore[arg-type]
        workflow_decorators=values.get("workflow-decorators", ()),  # type: ignore[arg-type]
        activity_decorators=values.get("activity-decorators", ()),  # type: ignore[arg-type]
        nondeterministic=values.get("nondeterministic", ()),  # type: ignore[arg-type]
        deterministic=values.get("deterministic", ()),  # type: ignore[arg-type]
        respect_gitignore=values.get("respect-gitignore"),  # type: ignore[arg-type]
    )


def _strings(value: object, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings, got {_type_name(value)}")
    return tuple(value)


def _selectors(value: object, key: str, where: str) -> tuple[str, ...]:
    selectors = _strings(value, key, where)
    for selector in selectors:
        try:
            expand_selector(selector)
        except UnknownSelector:
            raise ConfigError(f"{where}: unknown rule code or prefix '{selector}' in '{key}'; "
                              f"known codes: {', '.join(ALL_CODES)}") from None
    return selectors


def _codes(selectors: tuple[str, ...]) -> set[str]:
    codes: set[str] = set()
    for selector in selectors:
        codes |= expand_selector(selector)
    return codes


def _type_name(value: object) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
            dict: "a table", list: "a list with non-string items"}.get(type(value), type(value).__name__)


def _safe_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _line_of(text: str, key: str) -> int | None:
    # [ \t], not \s: a leading blank line must not be counted into the match
    pattern = re.compile(rf'^[ \t]*"?{re.escape(key)}"?[ \t]*=', re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


# -- merging -----------------------------------------------------------------------------------

def resolve_settings(file_config: FileConfig | None, *, select: tuple[str, ...] | None = None,
                     ignore: tuple[str, ...] = (), extend_select: tuple[str, ...] = (),
                     exclude: tuple[str, ...] | None = None, extend_exclude: tuple[str, ...] = (),
                     frameworks: tuple[str, ...] | None = None,
                     respect_gitignore: bool | None = None) -> Settings:
    """Merge a config file with command-line options; the command line wins.

    Selection: start from ``--select`` (else the file's ``select``, else every rule), add
    every ``extend-select``, then remove every ``ignore`` of the file and the command line.
    """
    fc = file_config or FileConfig()
    try:
        base = select if select is not None else fc.select
        codes = set(ALL_CODES) if base is None else _codes(base)
        codes |= _codes(fc.extend_select) | _codes(extend_select)
        codes -= _codes(fc.ignore) | _codes(ignore)
    except UnknownSelector as exc:
        raise ConfigError(f"unknown rule code or prefix '{exc}'; known codes: "
                          f"{', '.join(ALL_CODES)}") from None
    if frameworks is not None:
        for name in frameworks:
            if name not in SELECTABLE:
                raise ConfigError(f"unknown framework '{name}'; allowed: {', '.join(SELECTABLE)}")
    excludes = (*(fc.exclude if exclude is None else exclude), *fc.extend_exclude, *extend_exclude)
    return Settings(
        codes=frozenset(codes),
        root=fc.root,
        per_file_ignores=fc.per_file_ignores,
        exclude=excludes,
        frameworks=frameworks if frameworks is not None else fc.frameworks,
        workflow_decorators=fc.workflow_decorators,
        activity_decorators=fc.activity_decorators,
        nondeterministic=fc.nondeterministic,
        deterministic=fc.deterministic,
        respect_gitignore=next(v for v in (respect_gitignore, fc.respect_gitignore, True) if v is not None),
        config_path=fc.path,
    )


# -- path patterns ------------------------------------------------------------------------------

def _relative(path: str, root: Path) -> str:
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        return absolute.replace(os.sep, "/")
    return relative.replace(os.sep, "/")


def _matches(relative: str, pattern: str) -> bool:
    pattern = pattern.strip().rstrip("/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if not pattern:
        return False
    if "/" in pattern:
        if fnmatch.fnmatchcase(relative, pattern):
            return True
        parts = relative.split("/")
        return any(fnmatch.fnmatchcase("/".join(parts[:i]), pattern) for i in range(1, len(parts)))
    return any(fnmatch.fnmatchcase(part, pattern) for part in relative.split("/"))


class Excluder:
    """Exclude patterns, split so that a directory walk checks each entry's name cheaply.

    A pattern without ``/`` matches any path component (``build``, ``*.egg-info``); one with
    ``/`` matches the path relative to the project root, or any of its parent directories.
    """

    def __init__(self, patterns: tuple[str, ...], root: Path) -> None:
        self.root = root
        cleaned = [p.strip().rstrip("/").removeprefix("./") for p in patterns]
        cleaned = [p for p in cleaned if p]
        self.names = frozenset(p for p in cleaned if "/" not in p and not _has_glob(p))
        self.name_globs = tuple(p for p in cleaned if "/" not in p and _has_glob(p))
        self.path_patterns = tuple(p for p in cleaned if "/" in p)

    def _relative(self, path: str) -> str:
        relative = _relative(path, self.root)
        if relative.startswith("../"):
            relative = os.path.normpath(path).replace(os.sep, "/")
        return relative

    def excludes_entry(self, name: str, path: str) -> bool:
        """Whether a walked entry is excluded, its parent directories having been checked."""
        if name in self.names or any(fnmatch.fnmatchcase(name, g) for g in self.name_globs):
            return True
        if self.path_patterns:
            relative = self._relative(path)
            return any(fnmatch.fnmatchcase(relative, p) for p in self.path_patterns)
        return False

    def excludes(self, path: str) -> bool:
        """Whether a path is excluded through any of its components."""
        relative = self._relative(path)
        parts = relative.split("/")
        for part in parts:
            if part in self.names or any(fnmatch.fnmatchcase(part, g) for g in self.name_globs):
                return True
        return any(fnmatch.fnmatchcase("/".join(parts[:i]), p)
                   for p in self.path_patterns for i in range(1, len(parts) + 1))


def _has_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


def config_from_mapping(table: dict, label: str = "<config>") -> FileConfig:
    """A configuration given as a mapping of ``[tool.wflint]`` keys (the Python API's ``config``);
    validated like a file, with ``label`` in place of the file name in error messages."""
    if not isinstance(table, dict):
        raise ConfigError(f"{label}: must be a mapping of [tool.wflint] keys, got {_type_name(table)}")
    return replace(_validate(Path(label), dict(table), label), path=None)


def settings_for(anchor: Path, config_file: Path | None = None, *, isolated: bool = False,
                 config_overrides: tuple[str, ...] = (), **overrides) -> Settings:
    """The settings for a run: ``config_file`` if given, else the nearest configuration file at or
    above ``anchor`` (or above its nearest existing parent), none at all when ``isolated``; then
    each ``config_overrides`` entry (``key = value`` in TOML, as ``--config`` takes it) replaces
    that key of the file; then the command line's ``overrides`` (the keyword arguments of
    :func:`resolve_settings`)."""
    path = None if isolated else config_file if config_file is not None else nearest_config(anchor)
    if not config_overrides:
        return resolve_settings(load_config(path) if path else None, **overrides)
    table, section = _table(path) if path else ({}, "--config")
    for text in config_overrides:
        table.update(parse_override(text))
    file_config = _validate(path, table, section) if path else \
        replace(_validate(Path("--config"), table, section), path=None)
    return resolve_settings(file_config, **overrides)


def parse_override(text: str) -> dict:
    """One ``--config`` override: a TOML ``key = value`` line of the wflint table."""
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"--config {text!r}: expected a TOML 'key = value' ({exc})") from None
    if len(parsed) != 1:
        raise ConfigError(f"--config {text!r}: expected one 'key = value'")
    return parsed


def nearest_config(anchor: Path) -> Path | None:
    """:func:`find_config` for a path that may not exist yet (an unsaved editor buffer, a name
    given to stdin): the search starts at its nearest existing parent."""
    anchor = anchor.absolute()
    while not anchor.exists() and anchor.parent != anchor:
        anchor = anchor.parent
    return find_config(anchor)
