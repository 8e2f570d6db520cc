"""Engine behaviour that is not a rule: decoding, the prefilter, what detection imports."""

import subprocess
import sys
import textwrap

from wflint.config import Settings
from wflint.engine import Checker
from wflint.source import decode, module_name

WF = textwrap.dedent("""\
    import time
    from temporalio import workflow

    @workflow.defn
    class W:
        @workflow.run
        async def run(self) -> float:
            return time.time()
""")


def check(source: bytes, path="wf.py"):
    return Checker(Settings()).check_bytes(source, path)


def test_detection_imports_neither_libcst_nor_astroid(tmp_path):
    path = tmp_path / "wf.py"
    path.write_text(WF)
    code = ("import sys\nfrom wflint.cli import main\nsys.argv = ['wflint', 'check', %r]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('libcst', 'astroid')))") % str(path)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.splitlines()[-1] == "[]", proc.stdout + proc.stderr
    assert "WFL101" in proc.stdout


def test_a_run_with_nothing_to_analyse_loads_neither_rules_nor_walker_nor_fixes(tmp_path):
    """Code without workflows (settled by the prefilter) needs no analysis: the rules, the
    walker and the fix builders are loaded only when a file is analysed."""
    (tmp_path / "plain.py").write_text("import time\nprint(time.time())\n")
    (tmp_path / "wf.py").write_text(WF)
    code = ("import sys\nfrom wflint.cli import main\nsys.argv = ['wflint', 'check', '--no-cache', %r]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('wflint.analysis.walker', 'wflint.rules', 'wflint.fixes.helper')"
            " if m in sys.modules))")
    loaded = {}
    for name in ("plain.py", "wf.py"):
        proc = subprocess.run([sys.executable, "-c", code % str(tmp_path / name)],
                              capture_output=True, text=True)
        loaded[name] = proc.stdout.splitlines()[-1]
    assert loaded == {"plain.py": "[]",
                      "wf.py": "['wflint.analysis.walker', 'wflint.fixes.helper', 'wflint.rules']"}, loaded


def test_files_without_framework_markers_are_not_parsed():
    # a syntax error that would be WFL001 if the file were parsed
    assert check(b"def broken(:\n    time.time()\n").diagnostics == []


def test_a_declaration_marker_counts_only_in_the_shape_a_declaration_takes():
    """A framework's mention plus a declaration marker spelled as no declaration spells it
    (``workflow`` of an import line, an activity's ``defn``, a Worker's ``workflows=`` in a
    module without classes) does not get a module parsed; the real spellings do."""
    from wflint.prefilter import markers_for

    markers = markers_for(None, ())
    skipped = [b"from dapr.ext.workflow import WorkflowActivityContext\n",
               b"import dapr.ext.workflow as wf\nx = wf.when_all\n",
               b"from dbos import DBOS\nfrom app.workflow import go\n",
               b"from temporalio import activity\n@activity.defn\nasync def a(): ...\n",
               b"from temporalio.worker import Worker\nw = Worker(c, workflows=[A], activities=[b])\n"]
    parsed = [b"import dapr.ext.workflow as wf\nwfr = wf.WorkflowRuntime()\n@wfr.workflow(name='x')\n",
              b"import dapr.ext.workflow as wf\ndecorate = wfr.workflow\n",
              b"from dbos import DBOS\n@DBOS.workflow()\ndef f(): ...\n",
              b"from temporalio import workflow\n@workflow.defn\nclass W: ...\n",
              b"from temporalio.workflow import defn\n@defn\nclass W: ...\n",
              b"from temporalio.worker import Worker\nclass W: ...\nw = Worker(c, workflows=[W])\n"]
    assert [markers.match(data) for data in skipped] == [False] * len(skipped)
    assert [markers.match(data) for data in parsed] == [True] * len(parsed)
    # any spelling still marks a module that may register what other modules declare
    assert all(markers.mentions(data) for data in skipped)


def test_calls_named_are_the_calls_of_those_names_decorators_included():
    import ast

    from wflint.analysis.scope import ModuleInfo, callee_tail

    source = textwrap.dedent("""\
        @DBOS.step(
            retries=register_workflow(a))
        def s():
            return 1

        def f():
            x = [w.register_workflow(g) for g in (h(), k.register_workflow(
                m))]
            return Worker(
                client, workflows=[A])

        class C:
            @app.register_workflow
            def g(self):
                other()
        """)
    tails = frozenset({"register_workflow", "Worker", "step"})
    whole = ModuleInfo(ast.parse(source), "m", "m.py", source)
    expected = [c for c in whole.calls if callee_tail(c.func) in tails]
    assert len(expected) == 5
    named = ModuleInfo(ast.parse(source), "m", "m.py", source).calls_named(tails)
    assert [ast.dump(c) for c in named] == [ast.dump(c) for c in expected]
    assert whole.calls_named(tails) == expected  # from the whole-module index, once built


def test_uses_name_answers_as_the_whole_module_index():
    import ast

    from wflint.analysis.scope import ModuleInfo

    source = textwrap.dedent("""\
        import a.b.c
        from x import y as z, w
        \"\"\"fetch in a docstring\"\"\"
        @deco(
            arg)
        class Runner:  # now in a comment
            def fetch_2(self):
                return datetime.now() + self.fetch
        async def inner(): ...
        value = [q for q in items] \\
            + other
        """)
    candidates = ["a", "b", "c", "y", "z", "w", "x", "fetch", "fetch_2", "now", "datetime", "self",
                  "deco", "arg", "Runner", "inner", "value", "q", "items", "other", "missing", "ret"]
    names = ModuleInfo(ast.parse(source), "m", "m.py", source).names
    for source_form in (source, source.replace("\n", "\r\n")):
        module = ModuleInfo(ast.parse(source_form), "m", "m.py", source_form)
        answers = {name: module.uses_name(name) for name in candidates}
        assert module._names is None  # answered without the whole-module index
        assert answers == {name: name in names for name in candidates}
    assert sum(answers.values()) == 14
    # identifiers are NFKC-normalised: a fullwidth spelling is the same name
    wide = "# café\n\uff46\uff45\uff54\uff43\uff48 = 1\nw.\uff52egister(x)\n"
    module = ModuleInfo(ast.parse(wide), "m", "m.py", wide)
    assert module.uses_name("fetch") and not module.uses_name("caf")
    assert len(module.calls_named(frozenset({"register"}))) == 1


def test_form_feed_does_not_shift_noqa_lines():
    source = WF.replace("import time\n", "import time\n\x0c\n").replace(
        "return time.time()", "return time.time()  # noqa: WFL101")
    assert check(source.encode()).diagnostics == []


def test_crlf_and_bom_are_read():
    data = b"\xef\xbb\xbf" + WF.replace("\n", "\r\n").encode()
    found = check(data).diagnostics
    assert [(d.line, d.code) for d in found] == [(8, "WFL101")]


def test_decode_honours_the_coding_cookie():
    assert decode("# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1")).endswith("x = 'é'\n")
    assert decode(b"\xef\xbb\xbfx = 1\n") == "x = 1\n"


def test_columns_count_utf8_bytes_like_flake8():
    source = WF.replace("return time.time()", "é = 1; return time.time()")
    [finding] = check(source.encode()).diagnostics
    assert finding.col == len("        é = 1; return ".encode()) + 1


def test_module_name_follows_packages(tmp_path):
    pkg = tmp_path / "app" / "flows"
    pkg.mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    assert module_name(str(pkg / "orders.py")) == "app.flows.orders"
    assert module_name(str(pkg / "__init__.py")) == "app.flows"
    assert module_name(str(tmp_path / "script.py")) == "script"


def test_deep_nesting_is_reported_not_raised():
    expression = "(" * 150 + "1" + ")" * 150
    body = "x = " + " + ".join(["time.time()"] * 3000)
    source = WF.replace("return time.time()", f"y = {expression}\n        {body}\n        return 0")
    outcome = check(source.encode())
    assert outcome.error is None
    codes = {d.code for d in outcome.diagnostics}
    if sys.version_info >= (3, 11):
        assert [d.code for d in outcome.diagnostics] == ["WFL101"] * 3000
    else:
        assert codes <= {"WFL001", "WFL101"}


def test_a_module_is_parsed_only_when_it_imports_the_framework_and_yields_its_commands():
    """Orchestrators recognised by their shape need ``yield ctx.<command>(...)`` spelled
    somewhere (across line breaks, brackets and comments); and a framework counts only when
    an import line names it (in a function, after ``:`` or ``;``, continued by a backslash)."""
    from wflint.prefilter import markers_for

    markers = markers_for(None, ())
    skipped = [b"from durabletask import task\ndef gen(items):\n    yield items.pop()\n",
               b"from durabletask import task\ndef gen(ctx):\n    yield self.ctx.call_activity(a)\n",
               b"# built on dapr\nfrom app import wfr\n@wfr.workflow\ndef f(ctx): ...\n",
               b"from helpers import x\n'temporalio'\n@workflow.defn\nclass W: ...\n"]
    parsed = [b"from durabletask import task\ndef orch(ctx, _):\n    x = yield (\n        ctx  # it\n"
              b"        .call_activity(a))\n",
              b"from durabletask import task\ndef orch(c, _):\n    yield c \\\n        .create_timer(t)\n",
              b"if TYPE_CHECKING: import dapr.ext.workflow as wf\n@wfr.workflow\ndef f(ctx): ...\n",
              b"import os, \\\n    temporalio.workflow as w\n@w.defn\nclass W: ...\n",
              b"def setup():\n    from dapr.ext.workflow import WorkflowRuntime\n@wfr.workflow\ndef f(ctx): ...\n"]
    assert [markers.match(data) for data in skipped] == [False] * len(skipped)
    assert [markers.match(data) for data in parsed] == [True] * len(parsed)


def test_the_prefilter_searches_fewer_strings_than_there_are_mentions():
    """A file that contains none of the gate's strings mentions no framework: every mention
    contains one of them, and mentions that share a part are searched for once."""
    from wflint.prefilter import gate_words, markers_for

    markers = markers_for(None, ())
    mentions = [mention for mention, _ in markers.frameworks]
    assert len(markers.gate) < len(mentions)
    assert all(any(word in mention for word in markers.gate) for mention in mentions)
    assert b"durable" in markers.gate  # durabletask, durable_functions, aws_durable_...
    assert gate_words((b"ab", b"temporalio")) == (b"temporalio", b"ab")  # short ones stand alone
    only = markers_for(("temporal",), ())
    assert only.gate == (b"temporalio",)
    assert not markers.match(b"import durable_stuff\n@workflow.defn\nclass W: ...\n")
    assert markers.match(b"from temporalio import workflow\n@workflow.defn\nclass W: ...\n")
