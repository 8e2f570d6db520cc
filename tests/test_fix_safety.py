"""What keeps a fix from being wrong: the compiler-like check of every fixed text, and the
refusals and notes the fixtures cannot express."""

from __future__ import annotations

import ast
from pathlib import Path
import textwrap

import pytest

from wflint import check_source, fix_source
from wflint.config import Settings
from wflint.engine import Checker, FixMode
from wflint.fixes.model import REPLACE, Applicability, Edit, Fix
from wflint.fixes.verify import problem, undefined_names
from wflint.rules.output.unguarded_print import UnguardedPrint


def test_the_check_refuses_code_that_parses_but_does_not_compile():
    before = "async def flow(ctx):\n    return 1\n"
    after = "async def flow(ctx):\n    yield ctx.call_activity(a)\n    return 1\n"
    ast.parse(after)  # it parses...
    assert "does not compile" in problem(before, after, "f.py", [], [], [])  # ...but is refused


def test_the_check_refuses_a_new_finding_and_an_undefined_name():
    same = "x = 1\n"
    assert "add a finding (WFL905)" in problem(same, same, "f.py", ["WFL202"], ["WFL905"], ["WFL202"])
    assert problem(same, same, "f.py", ["WFL202", "WFL202"], ["WFL202"], ["WFL202"]) == ""
    assert "undefined names: workflow" in problem("def f():\n    return 1\n",
                                                  "def f():\n    return workflow.now()\n",
                                                  "f.py", [], [], [])


def test_undefined_names_follow_python_scoping():
    source = textwrap.dedent("""
        import os
        from x import y as z
        class A:
            n = 1
            m = n + 1
            def method(self, q=n):
                return q + missing_in_method + self.n
            @method.setter
            def other(self): pass
        def f(a, *rest, **options):
            squares = [i * i for i in a if i]
            add = lambda k: k + a
            try:
                pass
            except OSError as error:
                print(error)
            return unknown + os.sep + z
        """)
    assert undefined_names(source) == {"missing_in_method", "unknown"}
    assert undefined_names(source + "from helpers import *\n") == set()  # any name may come from it


def test_the_raw_symbol_tables_agree_with_the_public_interface():
    """The fast reading of the compiler's symbol tables gives what the public symtable
    interface gives, on every fixture."""
    from wflint.fixes.verify import _undefined_from_entries, _undefined_from_tables

    compared = 0
    for path in sorted((Path(__file__).parent / "fixtures").rglob("*.py")):
        try:
            text = path.read_text(encoding="utf-8")
            expected = _undefined_from_tables(text)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        assert _undefined_from_entries(text) == expected, path
        compared += 1
    assert compared > 300


def test_a_fix_whose_output_does_not_compile_is_dropped(monkeypatch):
    """Even a wrong rewrite never reaches the file: here print() is 'fixed' into a yield inside
    an async def; the engine drops that fix and keeps the others."""
    def broken(self, site, qualname, **values):
        return Fix(Applicability.SAFE, "broken", (Edit(REPLACE, *site.char_range(site.node),
                                                       "(yield ctx.call_activity(x))"),))

    monkeypatch.setattr(UnguardedPrint, "fix", broken)
    source = textwrap.dedent("""\
        from datetime import datetime
        import dapr.ext.workflow as wf

        wfr = wf.WorkflowRuntime()


        @wfr.workflow
        def flow(ctx: wf.DaprWorkflowContext, order):
            started = datetime.utcnow()
            print("ordering", order)
            yield ctx.call_activity(save, input=[order, started.isoformat()])


        @wfr.workflow(name="async_flow")
        async def async_flow(ctx: wf.DaprWorkflowContext, order):
            print("ordering", order)
            return order


        @wfr.activity
        def save(ctx, data):
            return data
        """)
    outcome = Checker(Settings()).check_bytes(source.encode(), "flow.py", FixMode(unsafe=True, write=False))
    compile(outcome.fixed_source, "flow.py", "exec")
    assert "started = ctx.current_utc_datetime" in outcome.fixed_source  # the good fix applied
    assert outcome.fixed_source.count('print("ordering", order)') == 2     # the broken ones did not


def test_an_environment_value_moved_into_an_activity_says_it_lands_in_history():
    source = textwrap.dedent("""\
        import os
        from durabletask import task


        def flow(ctx: task.OrchestrationContext, order):
            token = os.environ["API_TOKEN"]
            yield ctx.call_activity(send, input=[order, token])


        def send(ctx, data):
            return data


        def main(w):
            w.add_orchestrator(flow)
            w.add_activity(send)
        """)
    [finding] = check_source(source, "flow.py", config={})
    assert finding.fix.applicability is Applicability.UNSAFE
    assert "written into the workflow's history" in finding.fix.note


@pytest.mark.parametrize("framework_source, needle", [
    ("from durabletask import task\n\n\ndef flow(ctx: task.OrchestrationContext, order):\n"
     "    if not ctx.is_replaying:\n        ref = str(uuid.uuid4())\n"
     "    yield ctx.call_activity(send, input=[order, ref])\n\n\n"
     "def send(ctx, data):\n    return data\n\n\ndef main(w):\n    w.add_orchestrator(flow)\n",
     "under a replay guard"),
    ("from temporalio import workflow\n\n\n@workflow.defn\nclass Flow:\n    @workflow.run\n"
     "    async def run(self) -> str:\n        return 'x'\n\n    @workflow.query\n"
     "    def token(self) -> str:\n        return str(uuid.uuid4())\n",
     "read-only"),
])
def test_deterministic_draws_are_refused_where_they_would_shift_the_stream(framework_source, needle):
    findings = check_source("import uuid\n" + framework_source, "flow.py", config={})
    fixes = [d.fix for d in findings if d.code == "WFL202"]
    assert fixes and all(f.applicability is Applicability.DISPLAY_ONLY and needle in f.note for f in fixes)


def test_a_fix_is_never_applied_twice_or_left_half_done():
    source = textwrap.dedent("""\
        import sys
        from durabletask import task


        def flow(ctx: task.OrchestrationContext, default):
            target = sys.argv[1] if len(sys.argv) > 1 else default
            yield ctx.call_activity(send, input=target)


        def send(ctx, data):
            return data


        def main(w):
            w.add_orchestrator(flow)
        """)
    fixed, remaining = fix_source(source, "flow.py", config={}, unsafe=True)
    assert remaining == []
    assert "return sys.argv[1] if len(sys.argv) > 1 else default" in fixed
    assert "len(sys.argv)" not in fixed.split("def flow")[1]  # no half of it stays behind
