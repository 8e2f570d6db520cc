"""Turn command-line paths into the files to check."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


from wflint.config import Excluder, Settings
from wflint.gitignore import Patterns

SOURCE_SUFFIXES = (".py", ".pyi")


@dataclass
class FileSet:
    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def collect_files(paths: list[str], settings: Settings, force_exclude: bool = False) -> FileSet:
    """Files named on the command line are checked as given (unless ``force_exclude``);
    directories are walked for ``.py``/``.pyi`` files, skipping excluded paths.
    Symbolic links to directories are not followed, so link loops cannot trap the walk."""
    result = FileSet()
    seen: set[str] = set()
    excluder = settings.excluder
    for raw in paths:
        path = os.path.normpath(raw)
        if os.path.isdir(path):
            if force_exclude and path != "." and excluder.excludes(path):
                continue
            ignored = GitIgnored(path) if settings.respect_gitignore else None
            for file in sorted(_walk(path, excluder, ignored)):  # one sort: the order is stable
                if file not in seen:
                    seen.add(file)
                    result.files.append(file)
        elif os.path.lexists(path):
            if force_exclude and excluder.excludes(path):
                continue
            if path not in seen:
                seen.add(path)
                result.files.append(path)
        else:
            result.missing.append(raw)
    return result


def _walk(top: str, excluder: Excluder, ignored: GitIgnored | None = None,
          names: tuple[str, ...] = ()):
    """The source files under ``top`` (or the files named one of ``names``), skipping excluded
    and ignored paths."""
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        if ignored is not None:
            ignored.enter(directory)
        subdirs = []
        for entry in entries:
            path = entry.path[2:] if entry.path.startswith("./") else entry.path
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if not excluder.excludes_entry(entry.name, path) and \
                        not (ignored is not None and ignored(entry.path, True)):
                    subdirs.append(path)
            elif (entry.name in names if names else entry.name.endswith(SOURCE_SUFFIXES)) \
                    and not excluder.excludes_entry(entry.name, path) \
                    and not (ignored is not None and ignored(entry.path, False)):
                yield path
        stack.extend(reversed(subdirs))


class GitIgnored:
    """What git ignores under a directory being walked: the ``.gitignore`` files of the
    repository (those above the walk and those met in it) and ``.git/info/exclude``, with git's
    own pattern semantics (see ``wflint.gitignore``). Outside a git repository nothing is."""

    def __init__(self, top: str) -> None:
        self.repository = _repository(os.path.abspath(top))
        #: (directory, its patterns), for every directory seen with a .gitignore
        self.specs: list[tuple[str, Patterns]] = []
        self.seen: set[str] = set()
        if self.repository is None:
            return
        self._add(self.repository, os.path.join(self.repository, ".git", "info", "exclude"))
        current = os.path.abspath(top)
        above = []
        while current.startswith(self.repository) and current != self.repository:
            current = os.path.dirname(current)
            above.append(current)
        for directory in reversed(above):
            self.enter(directory)
        # a directory named on the command line is checked even where git ignores it (as a
        # named file is): the walk only skips what is ignored below it
        top_path = os.path.abspath(top)
        if top_path != self.repository and any(self(path, True) for path in [top_path, *above]
                                               if path != self.repository):
            self.repository = None

    def enter(self, directory: str) -> None:
        if self.repository is None:
            return
        directory = os.path.abspath(directory)
        if directory not in self.seen:
            self.seen.add(directory)
            self._add(directory, os.path.join(directory, ".gitignore"))

    def _add(self, directory: str, path: str) -> None:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            return
        self.specs.append((directory, Patterns(lines)))

    def __call__(self, path: str, is_dir: bool) -> bool:
        """Whether git ignores ``path``: the deepest ignore file that says anything of it
        decides (``.git/info/exclude`` last), as in git."""
        if self.repository is None or not self.specs:
            return False
        absolute = os.path.abspath(path)
        for directory, patterns in reversed(self.specs):
            if absolute.startswith(directory) and absolute[len(directory):len(directory) + 1] == os.sep:
                relative = absolute[len(directory) + 1:]
                if os.sep != "/":
                    relative = relative.replace(os.sep, "/")
                verdict = patterns.match(relative, is_dir)
                if verdict is not None:
                    return verdict
        return False


def _repository(path: str) -> str | None:
    """The working tree a path is in (the directory holding ``.git``), if any."""
    current = path
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
