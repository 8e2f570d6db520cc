"""The fix engine: edits land on their nodes, and the module-level imports the edits leave
unused are removed (only those: an import still read, named in ``__all__`` or used by a quoted
annotation stays)."""

from __future__ import annotations

from wflint.fixes.apply import apply_fixes
from wflint.fixes.model import REPLACE, Applicability, Edit, Fix


def _replace(source: str, old: str, new: str) -> str:
    """Apply one fix replacing the first ``old`` expression (on one line) with ``new``."""
    for number, line in enumerate(source.splitlines(), 1):
        col = line.find(old)
        if col >= 0:
            edit = Edit(REPLACE, (number, col), (number, col + len(old)), new)
            fixed, applied = apply_fixes(source, [Fix(Applicability.SAFE, "t", (edit,))])
            assert applied
            return fixed
    raise AssertionError(old)


def test_an_import_left_unused_is_removed():
    source = "import time\nimport os\n\n\ndef f(ctx):\n    return time.time(), os.sep\n"
    assert _replace(source, "time.time()", "ctx.now()") == \
        "import os\n\n\ndef f(ctx):\n    return ctx.now(), os.sep\n"


def test_one_name_of_a_from_import_is_removed_and_the_others_stay():
    source = "from random import randint, choice\n\n\ndef f(ctx, xs):\n    return randint(1, 6), choice(xs)\n"
    assert _replace(source, "randint(1, 6)", "ctx.rand()") == \
        "from random import choice\n\n\ndef f(ctx, xs):\n    return ctx.rand(), choice(xs)\n"


def test_a_parenthesised_import_keeps_its_other_names():
    source = ("from random import (\n    randint,\n    choice,\n)\n\n\n"
              "def f(ctx, xs):\n    return choice(xs), randint(1, 6)\n")
    fixed = _replace(source, "randint(1, 6)", "ctx.rand()")
    assert "randint" not in fixed.split("def")[0] and "choice" in fixed.split("def")[0]
    compile(fixed, "fixed.py", "exec")


def test_an_import_still_read_elsewhere_stays():
    source = "import time\n\n\ndef f(ctx):\n    return time.time()\n\n\ndef g():\n    return time.monotonic()\n"
    assert _replace(source, "time.time()", "ctx.now()").startswith("import time\n")


def test_an_import_named_in_all_or_a_quoted_annotation_stays():
    exported = "import time\n\n__all__ = ['time']\n\n\ndef f(ctx):\n    return time.time()\n"
    assert _replace(exported, "time.time()", "ctx.now()").startswith("import time\n")
    annotated = "import time\n\n\ndef f(ctx) -> 'time.struct_time':\n    return time.time()\n"
    assert _replace(annotated, "time.time()", "ctx.now()").startswith("import time\n")


def test_an_import_that_was_unused_before_is_not_the_fix_business():
    source = "import sys\nimport time\n\n\ndef f(ctx):\n    return time.time()\n"
    assert _replace(source, "time.time()", "ctx.now()") == "import sys\n\n\ndef f(ctx):\n    return ctx.now()\n"


def test_an_import_inside_the_function_left_unused_is_removed():
    source = ("def f(ctx):\n    import time\n    import os\n    return time.time(), os.sep\n\n\n"
              "def g(ctx):\n    import random\n    return ctx.now()\n")
    assert _replace(source, "time.time()", "ctx.now()") == (
        "def f(ctx):\n    import os\n    return ctx.now(), os.sep\n\n\n"
        "def g(ctx):\n    import random\n    return ctx.now()\n")


def test_a_function_left_with_only_its_import_gets_pass():
    source = "def f(ctx):\n    from time import time\n    time()\n"
    assert _replace(source, "time()", "ctx.now()").startswith("def f(ctx):\n    ctx.now()\n")
    source = "def f(ctx):\n    if ctx:\n        import time\n    return time.time()\n"
    assert _replace(source, "time.time()", "ctx.now()") == \
        "def f(ctx):\n    if ctx:\n        pass\n    return ctx.now()\n"


def test_replacements_applied_as_text_equal_the_concrete_tree_engine(monkeypatch):
    """Fixes that only replace expressions (and need no import) are applied to the text; on
    every fixture the result is the one the concrete-tree engine gives."""
    from pathlib import Path

    import wflint.fixes.apply as engine
    from wflint.api import check_source

    compared = 0
    for path in sorted((Path(__file__).parent / "fixtures").rglob("*.py")):
        if path.name.endswith(".fixed.py") or path.parent.name in ("WFL001", "WFL002"):
            continue
        source = path.read_text(encoding="utf-8")
        fixes = [d.fix for d in check_source(source, path=str(path)) if d.fix is not None and d.fix.edits
                 and all(e.kind == REPLACE for e in d.fix.edits) and not d.fix.imports]
        if not fixes:
            continue
        fast = engine._replace_in_text(source, engine.select_non_overlapping(fixes), frozenset())
        if fast is None:
            continue
        monkeypatch.setattr(engine, "_replace_in_text", lambda *args: None)
        slow, _ = apply_fixes(source, fixes)
        monkeypatch.undo()
        assert fast == slow, path
        compared += 1
    assert compared > 50


def test_the_tree_of_the_text_before_gives_the_same_text_with_one_parse_less(monkeypatch):
    """When the engine has the tree of the text before (it parses a file it fixes through the
    shared parse), replacements after the module's imports take the imports from that tree:
    on every fixture, and on edits above a late import or beside a name still read, the text
    is the one worked out from the new text's own tree; the new text is parsed once at most."""
    import ast as python_ast
    from pathlib import Path

    import wflint.fixes.apply as engine
    import wflint.source as source_module
    from wflint.api import check_source

    def fixes_of(source: str, path: str) -> list[Fix]:
        return engine.select_non_overlapping(
            [d.fix for d in check_source(source, path=path) if d.fix is not None and d.fix.edits
             and all(e.kind == REPLACE for e in d.fix.edits) and not d.fix.imports])

    def one_line(source: str, old: str, new: str) -> list[Fix]:
        number, line = next((n, text) for n, text in enumerate(source.splitlines(), 1) if old in text)
        col = line.find(old)
        return [Fix(Applicability.SAFE, "t", (Edit(REPLACE, (number, col), (number, col + len(old)), new),))]

    cases = []
    for path in sorted((Path(__file__).parent / "fixtures").rglob("*.py")):
        if path.name.endswith(".fixed.py") or path.parent.name in ("WFL001", "WFL002"):
            continue
        source = path.read_text(encoding="utf-8")
        fixes = fixes_of(source, str(path))
        if fixes:
            cases.append((str(path), source, fixes))
    late = "import os\n\n\ndef f(ctx):\n    return time.time(), os.sep\n\n\nimport time\n"
    still = "import time\n\n\ndef f(ctx):\n    return time.time()\n\n\ndef g():\n    return time.monotonic()\n"
    quoted = "import time\n\n\ndef f(ctx) -> 'time.struct_time':\n    return time.time()\n"
    for name, text in (("late", late), ("still", still), ("quoted", quoted)):
        cases.append((name, text, one_line(text, "time.time()", "ctx.now()")))

    parses: list[str] = []
    real_parse = python_ast.parse

    def counting(text, *args, **kwargs):
        parses.append(text)
        return real_parse(text, *args, **kwargs)

    def with_tree(source: str, fixes: list[Fix]) -> tuple[str | None, list[str]]:
        """The text applied with the tree of ``source`` at hand, and the whole texts parsed."""
        source_module._PARSED.clear()
        source_module.share(source, real_parse(source))
        monkeypatch.setattr(python_ast, "parse", counting)
        parses.clear()
        fixed = engine._replace_in_text(source, fixes, frozenset())
        monkeypatch.undo()
        source_module._PARSED.clear()
        return fixed, [text for text in parses if text.count("\n") > 1]  # not edits' segments

    for name, source, fixes in cases:
        source_module._PARSED.clear()
        without = engine._replace_in_text(source, fixes, frozenset())
        fixed, whole = with_tree(source, fixes)
        assert fixed == without, name
        assert len(whole) <= 1, name
    assert len(cases) > 50
    # the imports an edit after them orphans are dropped with one parse, of the text handed back
    dropped = "import time\nimport os\n\n\ndef f(ctx):\n    return time.time(), os.sep\n"
    for text, parsed_once in ((dropped, True), (late, False), (still, True)):
        fixed, whole = with_tree(text, one_line(text, "time.time()", "ctx.now()"))
        assert (whole == [fixed]) is parsed_once, text
    assert fixed.startswith("import time\n")  # still read by g()


def test_the_selection_of_non_overlapping_fixes_equals_the_pairwise_one():
    """select_non_overlapping looks only at the neighbouring spans: on random sets of fixes
    (zero-length insertions, shared starts, insertions limited to one per round) it chooses
    what comparing every pair chooses."""
    import random

    from wflint.fixes.apply import select_non_overlapping
    from wflint.fixes.model import INSERT_AFTER, REPLACE, Applicability, Edit, Fix

    def pairwise(fixes):
        chosen, inserting = [], False
        for fix in sorted(fixes, key=lambda f: (f.anchor, f.span(), f.title)):
            inserts = any(e.kind == INSERT_AFTER for e in fix.edits)
            if inserts and inserting:
                continue
            start, end = fix.span()
            if any(start < other_end and other_start < end or (start, end) == (other_start, other_end)
                   for other_start, other_end in (c.span() for c in chosen)):
                continue
            chosen.append(fix)
            inserting = inserting or inserts
        return chosen

    generator = random.Random(7)
    for _ in range(2000):
        fixes = []
        for number in range(generator.randint(1, 12)):
            edits = []
            for _ in range(generator.randint(1, 3)):
                start = (generator.randint(1, 6), generator.randint(0, 5))
                end = max(start, (start[0] + generator.randint(0, 2), generator.randint(0, 5)))
                edits.append(Edit(generator.choice([REPLACE, REPLACE, INSERT_AFTER]), start, end, "x"))
            fixes.append(Fix(Applicability.SAFE, f"fix {number}", tuple(edits)))
        assert [id(f) for f in select_non_overlapping(fixes)] == [id(f) for f in pairwise(fixes)]
