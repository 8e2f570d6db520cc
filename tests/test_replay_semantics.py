"""What replay guards, the final episode and value flow mean, checked through messages and the
analyses themselves (the fixtures check where findings are; these check what they say)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from wflint import check_source
from wflint.analysis.flow import NOWHERE, RETURNED, STORED, Episodes, escape, names_read_outside
from wflint.analysis.replay import FLAG, LIVE, ReplayFlags
from wflint.analysis.scope import ModuleInfo

DAPR = """\
import logging
import os
import threading
from datetime import datetime

import dapr.ext.workflow as wf

logger = logging.getLogger(__name__)
wfr = wf.WorkflowRuntime()
"""


def findings(body: str) -> list:
    return check_source(DAPR + textwrap.dedent(body), "app/flows.py", config={})


def test_helper_finding_names_the_guard_it_is_outside_of():
    diagnostics = findings("""
        def publish(ctx, event):
            logger.info("publishing %s", event)
            if ctx.is_replaying:
                return
            logger.info("published %s", event)


        @wfr.workflow
        def flow(ctx: wf.DaprWorkflowContext, event):
            publish(ctx, event)
            yield ctx.call_activity(send, input=event)


        @wfr.activity
        def send(ctx, event):
            return event
        """)
    assert [d.code for d in diagnostics] == ["WFL501"]
    message = diagnostics[0].message
    assert "via publish() at app/flows.py:12" in message
    assert "(outside the replay guard at app/flows.py:13)" in message


def test_a_read_that_leaves_the_guard_says_so():
    diagnostics = findings("""
        @wfr.workflow
        def flow(ctx: wf.DaprWorkflowContext, order):
            if not ctx.is_replaying:
                started = datetime.now()
                logger.info("started %s", started)
            yield ctx.call_activity(send, input=[order, str(started)])


        @wfr.activity
        def send(ctx, data):
            return data
        """)
    assert [(d.code, d.line) for d in diagnostics] == [("WFL101", 14)]
    assert "(its value outlives the replay guard at line 13)" in diagnostics[0].message


def test_a_guarded_helper_whose_value_outlives_the_guard():
    diagnostics = findings("""
        def read_region():
            return os.environ.get("REGION", "eu")


        def announce():
            logger.info("announcing")


        @wfr.workflow
        def flow(ctx: wf.DaprWorkflowContext, order):
            region = "eu"
            if not ctx.is_replaying:
                announce()
                region = read_region()
            yield ctx.call_activity(send, input=[order, region])


        @wfr.activity
        def send(ctx, data):
            return data
        """)
    assert [(d.code, d.line) for d in diagnostics] == [("WFL401", 24)]
    assert "under the replay guard at line 22, but its value outlives it" in diagnostics[0].message


def test_one_thread_finding_per_call_site():
    diagnostics = findings("""
        def fire(event):
            threading.Thread(target=print, args=(event,)).start()
            threading.Thread(target=print, args=(event, event)).start()


        @wfr.workflow
        def flow(ctx: wf.DaprWorkflowContext, event):
            fire(event)
            yield ctx.call_activity(send, input=event)
            fire(event)


        @wfr.activity
        def send(ctx, event):
            return event
        """)
    assert [(d.code, d.line) for d in diagnostics] == [("WFL701", 18), ("WFL701", 20)]


# -- the analyses -----------------------------------------------------------------------------

def module(source: str) -> ModuleInfo:
    return ModuleInfo(ast.parse(textwrap.dedent(source)), "m", "m.py", source)


@pytest.mark.parametrize("test, live, replaying", [
    ("not ctx.is_replaying", True, False),
    ("ctx.is_replaying", False, True),
    ("session and not ctx.is_replaying", True, False),
    ("session or not ctx.is_replaying", False, False),
    ("not (ctx.is_replaying or force)", True, False),
    ("ctx.is_replaying == False", True, False),
    ("ctx.is_replaying is not True", True, False),
    ("not getattr(ctx, 'is_replaying', False)", True, False),
    ("not flag", True, False),
    ("not predicate(ctx)", True, False),
    ("predicate(ctx) or force", False, True),
    ("not other(ctx)", False, False),
    ("not ctx.is_replayed", False, False),
])
def test_replay_conditions(test, live, replaying):
    info = module(f"""
        def predicate(ctx):
            try:
                return bool(ctx.is_replaying)
            except AttributeError:
                return False


        def other(ctx):
            return ctx.ready


        def flow(ctx, session, force):
            flag = getattr(ctx, "is_replaying", False)
            if {test}:
                pass
        """)
    flow = info.tree.body[2]
    scope = info.scope_of(flow, info.scope)
    condition = flow.body[1].test
    flags = ReplayFlags()
    assert flags.live_when_true(condition, scope) is live
    assert flags.true_when_replaying(condition, scope) is replaying


def test_parameters_filled_only_on_the_first_execution():
    info = module("def publish(session):\n    pass\n")
    scope = info.scope_of(info.tree.body[0], info.scope)
    flags = ReplayFlags()
    test = ast.parse("not session", mode="eval").body
    assert flags.true_when_replaying(test, scope, {"session": LIVE})
    assert flags.live_when_true(ast.parse("replaying", mode="eval").body, scope, {"replaying": LIVE})
    assert flags.true_when_replaying(ast.parse("replaying", mode="eval").body, scope, {"replaying": FLAG})


def _escape_of(source: str, call_name: str) -> int:
    info = module(source)
    function = info.tree.body[0]
    scope = info.scope_of(function, info.scope)
    guard = next(s for s in function.body if isinstance(s, ast.If))
    region = guard.body
    outside = names_read_outside(function, region)
    for stmt in (s for s in ast.walk(guard) if isinstance(s, ast.stmt)):
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == call_name:
                inner = min((s for s in ast.walk(guard) if isinstance(s, ast.stmt)
                             and node in list(ast.walk(s))), key=lambda s: len(list(ast.walk(s))))
                return escape(node, inner, region, scope, outside)
    raise AssertionError("call not found")


@pytest.mark.parametrize("body, where", [
    ("log(now())", NOWHERE),
    ("t = now()\n        log(t)", NOWHERE),
    ("t = now()\n        d = t - 1\n        log(d)", NOWHERE),
    ("kept = now()", STORED),  # read after the region
    ("t = now()\n        kept = t", STORED),
    ("self_state.x = now()", STORED),
    ("items.append(now())", STORED),
    ("local = []\n        local.append(now())\n        log(local)", NOWHERE),
    ("return now()", RETURNED),
    ("raise Error(now())", STORED),
])
def test_where_a_guarded_value_goes(body, where):
    inner = body.replace("\n        ", "\n        ")
    source = "def flow(self_state, items, kept=None):\n    if guard:\n        " + inner + "\n    return kept\n"
    assert _escape_of(source, "now") == where


@pytest.mark.parametrize("body, final", [
    ("yield a()\n    log()\n    return 1", True),
    ("log()\n    yield a()", False),
    ("for x in xs:\n        log()\n        yield a(x)", False),
    ("for x in xs:\n        yield a(x)\n    log()", True),
    ("try:\n        yield a()\n    except E:\n        log()\n        yield b()", False),
    ("try:\n        yield a()\n    except E:\n        log()\n        return 0\n    yield c()", True),
    ("while True:\n        x = yield a()\n        if x:\n            log()\n            break\n    return x", True),
    ("while True:\n        x = yield a()\n        if x:\n            log()\n            continue", False),
    ("try:\n        yield a()\n        log()\n        done()\n    except E:\n        yield b()", False),
    ("try:\n        yield a()\n        log()\n        return 1\n    except E:\n        yield b()", True),
])
def test_final_episode(body, final):
    info = module(f"def flow(ctx):\n    {body}\n")
    function = info.tree.body[0]
    statement = next(s for s in ast.walk(function) if isinstance(s, ast.Expr)
                     and isinstance(s.value, ast.Call) and getattr(s.value.func, "id", "") == "log")
    assert Episodes(function, "generator").final(statement, statement.value) is final
