"""The one entry point that applies fixes: :func:`apply_fixes`.

Fixes that only replace expressions and need no import are applied as text (the imports they
leave unused are removed from the module's header); the others go through the concrete-tree
engine (:mod:`wflint.fixes.concrete`, libcst), loaded only then.

Fixes whose spans overlap are resolved deterministically: in source order, the first wins
and the others wait for the next round of the fix loop.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterable, Sequence

from wflint.fixes.model import INSERT_AFTER, INSERT_BEFORE, REPLACE, Fix
from wflint.source import parse, parsed
from wflint.fixes.unused import alias_keys, imports_binding, is_nested_import, mentioned, read_names


def select_non_overlapping(fixes: Iterable[Fix]) -> list[Fix]:
    """Fixes that can be applied together, in source order. At most one fix that inserts new
    code per round: two of them could pick the same new function name."""
    chosen: list[Fix] = []
    taken: list[tuple] = []  # the chosen spans, sorted; they never overlap one another
    inserting = False
    for fix, (start, end) in sorted(((f, f.span()) for f in fixes),
                                    key=lambda pair: (pair[0].anchor, pair[1], pair[0].title)):
        inserts = any(e.kind in (INSERT_AFTER, INSERT_BEFORE) for e in fix.edits)
        if inserts and inserting:
            continue
        if _overlaps(taken, start, end):
            continue
        bisect.insort(taken, (start, end))
        chosen.append(fix)
        inserting = inserting or inserts
    return chosen


def _overlaps(taken: list[tuple], start: tuple[int, int], end: tuple[int, int]) -> bool:
    """Whether the span overlaps one of ``taken`` (or is one of them): the span before it in
    order is the only one that can reach into it, and those after it are looked at up to its
    end."""
    def clash(other_start, other_end) -> bool:
        return start < other_end and other_start < end or (start, end) == (other_start, other_end)

    at = bisect.bisect_left(taken, (start,))
    if at and clash(*taken[at - 1]):
        return True
    while at < len(taken) and (taken[at][0] < end or taken[at][0] == start):
        if clash(*taken[at]):
            return True
        at += 1
    return False


def apply_fixes(source: str, fixes: Sequence[Fix], also_read: frozenset[str] = frozenset()
                ) -> tuple[str, list[Fix]]:
    """Apply the fixes that do not overlap; returns the new source and the fixes applied.

    A fix is applied whole or not at all: if any of its edits does not land on a node of the
    expected kind, the fix is left out. ``also_read``: names code outside ``source`` still
    reads (``source`` is part of a module), whose imports must stay.
    """
    candidates = [fix for fix in select_non_overlapping(fixes) if fix.edits]
    if not candidates:
        return source, []
    if all(e.kind == REPLACE for fix in candidates for e in fix.edits) and \
            not any(fix.imports for fix in candidates):
        fast = _replace_in_text(source, candidates, also_read)
        if fast is not None:
            return fast, candidates
    from wflint.fixes.concrete import apply_on_tree  # libcst is loaded only here

    return apply_on_tree(source, candidates, also_read)


def _replace_in_text(source: str, fixes: list[Fix], also_read: frozenset[str]) -> str | None:
    """The fixes applied as text, when they only replace expressions and need no import: each
    range becomes the new code, and the imports left unused are removed from the module's
    header (the top-level statements up to its last import), parsed alone. None when that
    does not hold (the result does not parse, an import inside a function is left unused):
    the whole-module engine then applies them. No concrete tree of the whole module is built,
    which is what makes fixing a long module cheap."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        line, col = position
        if not 0 < line <= len(lines) or col > len(lines[line - 1]):
            raise IndexError(position)
        return starts[line - 1] + col

    try:
        spans = sorted(((offset(e.start), offset(e.end), e.content) for fix in fixes for e in fix.edits),
                       reverse=True)
    except IndexError:
        return None
    limit = len(source) + 1
    replaced: set[str] = set()  # the names the replaced code read
    pieces: list[str] = []  # the new text from its end (the last span comes first), joined once
    cursor = len(source)
    for start, end, content in spans:
        if end > limit or start > end:
            return None  # overlapping edits: the concrete tree decides
        segment = source[start:end]  # no later span has touched it
        try:
            replaced |= read_names(ast.parse(f"({segment})", mode="eval"))
        except SyntaxError:
            return None  # not an expression's range
        pieces += (source[end:cursor], content)
        cursor = limit = start
    pieces.append(source[:cursor])
    text = "".join(reversed(pieces))
    # The new text's top-level imports are those of the text before when every edit comes after
    # them (the tree of the text before is at hand when the engine parsed it for fixing): the
    # new text is then parsed only if a name it may still read must be looked for, and
    # otherwise only once, as it is handed back (the check of it reuses that parse). ``parse``
    # remembers the new text's tree, so each place that needs it asks for it again.
    before = parsed(source)
    first_line = min(e.start[0] for fix in fixes for e in fix.edits)
    imports = before if before is not None and first_line > _imports_end(before) else _parsed_or_none(text)
    if imports is None:
        return None
    new_lines = text.splitlines(keepends=True)
    # lines that are not import statements: where a name is still read, if anywhere
    body = "".join(line for line in new_lines if not line.lstrip().startswith(("import ", "from ")))
    read_now: set[str] | None = None
    lost = set()
    for name in replaced:
        if re.search(rf"(?<![\w.]){re.escape(name)}\b", body):
            if read_now is None:
                tree = _parsed_or_none(text)
                if tree is None:
                    return None
                read_now = read_names(tree)
            if name in read_now:
                continue
        lost.add(name)
    if any(is_nested_import(line) and any(re.search(rf"(?<![\w.]){re.escape(n)}\b", line) for n in lost)
           for line in new_lines):
        return None  # perhaps a function's import left unused: the whole-module engine removes it
    orphaned = [entry for entry in imports_binding(imports, lost)
                if (entry[2] or entry[1] or entry[0].partition(".")[0]) not in also_read]
    if not orphaned:
        return _if_parses(text)
    bound = {entry[2] or entry[1] or entry[0].partition(".")[0] for entry in orphaned}
    last = max((i for i, node in enumerate(imports.body) if isinstance(node, (ast.Import, ast.ImportFrom))),
               default=-1)
    if last < 0:
        return _if_parses(text)
    header_end = imports.body[last].end_lineno or imports.body[last].lineno
    if any(re.search(rf"(?<![\w.]){re.escape(n)}\b", body) for n in bound):
        tree = _parsed_or_none(text)
        if tree is None:
            return None
        strings = [node.value for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)]
        orphaned = [entry for entry in orphaned
                    if not mentioned(entry[2] or entry[1] or entry[0].partition(".")[0], strings)]
    header = _header_without(new_lines, imports.body[:last + 1], set(orphaned))
    if header is None:
        from wflint.fixes.concrete import header_without_imports

        header = header_without_imports("".join(new_lines[:header_end]), orphaned)
        if header is None:
            return None
    code = header + "".join(new_lines[header_end:])
    if code.startswith(("\n", "\r")) and not source.startswith(("\n", "\r")):
        code = code.lstrip("\r\n")  # the imports that opened the file are gone
    # what is handed back must parse: when the new text did, so does the code (dropping whole
    # top-level imports neither makes nor mends a syntax error); else the code is parsed now
    return code if parsed(text) is not None else _if_parses(code)


def _parsed_or_none(text: str) -> ast.Module | None:
    try:
        return parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _if_parses(text: str) -> str | None:
    """``text``, if it parses (its tree is then remembered for the check of it)."""
    return text if _parsed_or_none(text) is not None else None


def _imports_end(tree: ast.Module) -> int:
    """The last line of a module's last top-level import (0 without one)."""
    ends = [node.end_lineno or node.lineno for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return max(ends, default=0)


def _header_without(lines: list[str], statements: list[ast.stmt],
                    names: set[tuple[str, str | None, str | None]]) -> str | None:
    """The module's header (its lines up to ``statements``' end) without the import statements
    all of whose names are in ``names``, with the blank and comment lines above each (as the
    concrete-tree engine drops a statement with its leading lines). None when an import
    loses only some of its names or shares a line with another statement: the concrete tree
    rewrites those."""
    removed: set[int] = set()
    previous_end = 0
    for index, statement in enumerate(statements):
        first, last = statement.lineno, statement.end_lineno or statement.lineno
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            keys = alias_keys(statement)
            gone = [key for key in keys if key in names]
            if gone:
                following = statements[index + 1].lineno if index + 1 < len(statements) else None
                if len(gone) != len(statement.names) or first == previous_end or following == last:
                    return None
                removed.update(range(previous_end + 1 if index else first, last + 1))
        previous_end = last
    end = previous_end
    return "".join(line for number, line in enumerate(lines[:end], 1) if number not in removed)


