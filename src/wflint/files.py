"""Turn command-line paths into the files to check."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from wflint.config import Excluder, Settings

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
            for file in sorted(_walk(path, excluder)):  # one sort: the order is stable
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


def _walk(top: str, excluder: Excluder):
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            path = entry.path[2:] if entry.path.startswith("./") else entry.path
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if not excluder.excludes_entry(entry.name, path):
                    subdirs.append(path)
            elif entry.name.endswith(SOURCE_SUFFIXES) and not excluder.excludes_entry(entry.name, path):
                yield path
        stack.extend(reversed(subdirs))
