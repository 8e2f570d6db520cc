"""Source files as Python reads them: decoding (BOM, coding cookie, UTF-8) and module names.

The bottom layer: everything else may import it, it imports nothing of wflint's.
"""

from __future__ import annotations

import ast
import codecs
import io
import os
import re
import tokenize

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.M)


def decode(data: bytes) -> str:
    """Decode Python source as the interpreter would: BOM, coding cookie, else UTF-8."""
    return decode_with_encoding(data)[0]


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """``text`` split into lines as the tokenizer ends them (``\\r\\n``, ``\\r`` or ``\\n``;
    not ``str.splitlines``, which also breaks at form feeds and other separators)."""
    return text.split("\n") if "\r" not in text else _LINE_BREAK.split(text)


def decodes_plainly(data: bytes) -> bool:
    """Whether ``decode`` surely succeeds, without trying: ASCII, with no coding cookie."""
    return data.isascii() and not _COOKIE.search(data, 0, _second_line_end(data))


def decode_with_encoding(data: bytes) -> tuple[str, str, bool]:
    """The text, the encoding to write it back with, and whether it had a UTF-8 BOM."""
    bom = data.startswith(codecs.BOM_UTF8)
    if bom or _COOKIE.search(data, 0, _second_line_end(data)):
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if encoding == "utf-8-sig":
            encoding = "utf-8"
        text = data[3:].decode(encoding) if bom else data.decode(encoding)
        return text, encoding, bom
    return data.decode("utf-8"), "utf-8", False


def _second_line_end(data: bytes) -> int:
    first = data.find(b"\n")
    if first < 0:
        return len(data)
    second = data.find(b"\n", first + 1)
    return len(data) if second < 0 else second


def module_name(path: str) -> str:
    """The dotted module name of a file, from the packages (``__init__.py``) around it."""
    absolute = os.path.abspath(path)
    directory, filename = os.path.split(absolute)
    stem = filename.rsplit(".", 1)[0]
    parts = [] if stem == "__init__" else [stem]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.append(package)
        if not package:
            break
    return ".".join(reversed(parts))


#: the trees of the last texts parsed through :func:`parse`: the fix loop parses one fixed text
#: to check it applied, to verify it and to check it again, and a long module's parse is the
#: cost of fixing it. Trees are never changed by wflint, so one serves every reader.
_PARSED: dict[str, ast.Module] = {}


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse(text)``, shared with the last callers that parsed the same text."""
    tree = _PARSED.get(text)
    if tree is None:
        tree = ast.parse(text, filename=filename)
        share(text, tree)
    return tree


def share(text: str, tree: ast.Module) -> None:
    """Let the next :func:`parse` of ``text`` have ``tree`` (parsed from it, never changed)."""
    if text not in _PARSED and len(_PARSED) >= 2:
        _PARSED.pop(next(iter(_PARSED)))
    _PARSED[text] = tree


def parsed(text: str) -> ast.Module | None:
    """The tree :func:`parse` has for ``text``, if it has one; nothing is parsed."""
    return _PARSED.get(text)
