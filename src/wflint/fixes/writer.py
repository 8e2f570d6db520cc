"""Atomic writes that keep a file's encoding, BOM, line endings and mode.

The new content goes to a temporary file in the same directory, which then replaces the
original with ``os.replace``: a reader sees the old file or the new one, never half of
either, and a failure before the replace leaves the original untouched.
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile


def write_atomic(path: str, text: str, encoding: str = "utf-8", bom: bool = False) -> None:
    data = text.encode(encoding)  # before touching anything: unencodable text raises here
    if bom:
        data = codecs.BOM_UTF8 + data
    target = os.path.realpath(path)  # write through a symbolic link, keep the link
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:  # a new file: the mode open() would give it
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    directory, name = os.path.split(target)
    fd, temporary = tempfile.mkstemp(dir=directory or ".", prefix=f".{name}.", suffix=".wflint")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
