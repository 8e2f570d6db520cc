"""Property-based fuzzing: wflint never raises, and ``--fix --unsafe-fixes`` output always
parses and is a fixed point (a second run changes nothing).

Two generators, each wrapped in a workflow skeleton of every framework:
- hypothesmith: arbitrary valid Python from the grammar and from libcst's node types;
- a hazard generator: workflow bodies built from the hazards wflint fixes (clock, random,
  UUIDs, environment, files, network, logging, print, sleeps...) in assignments, conditions,
  loops, comprehensions, f-strings, ``with`` and ``try`` blocks and nested functions.

The normal suite runs a bounded, derandomised number of examples (a few seconds). For a long
run set WFLINT_FUZZ_EXAMPLES, e.g.::

    WFLINT_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py -p no:cacheprovider
"""

import ast
import os
import textwrap

import pytest

hypothesis = pytest.importorskip("hypothesis")  # in the test extra: never skipped under .ci/run
hypothesmith = pytest.importorskip("hypothesmith")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from wflint.config import Settings  # noqa: E402
from wflint.engine import Checker, FixMode  # noqa: E402

LONG = int(os.environ.get("WFLINT_FUZZ_EXAMPLES", "0"))


def fuzz(examples: int):
    """``examples`` per test in the normal suite (fixed seed), WFLINT_FUZZ_EXAMPLES when set."""
    return settings(max_examples=LONG or examples, derandomize=not LONG, deadline=None,
                    database=None, suppress_health_check=list(HealthCheck))

IMPORTS = textwrap.dedent("""\
    import asyncio
    import datetime
    import logging
    import os
    import random
    import socket
    import subprocess
    import threading
    import time
    import uuid
    from datetime import datetime as dt
    import requests
    logger = logging.getLogger(__name__)
""")

SKELETONS = {
    "dapr": ("import dapr.ext.workflow as wf\nwfr = wf.WorkflowRuntime()\n\n"
             "@wfr.workflow\ndef order_wf(ctx: wf.DaprWorkflowContext, order):\n{body}\n"
             "    yield ctx.call_activity(step, input=order)\n\n"
             "@wfr.activity\ndef step(ctx, data):\n    return data\n", "    "),
    "durabletask": ("from durabletask import task, worker\n\n"
                    "def orchestrator(ctx: task.OrchestrationContext, order):\n{body}\n"
                    "    yield ctx.call_activity(step, input=order)\n\n"
                    "def step(ctx: task.ActivityContext, data):\n    return data\n\n"
                    "w = worker.TaskHubGrpcWorker()\nw.add_orchestrator(orchestrator)\nw.add_activity(step)\n",
                    "    "),
    "azure": ("import azure.durable_functions as df\n\n"
              "def orchestrator_function(context: df.DurableOrchestrationContext):\n{body}\n"
              "    yield context.call_activity('step', 1)\n\n"
              "main = df.Orchestrator.create(orchestrator_function)\n", "    "),
    "temporal": ("from temporalio import workflow\n\n@workflow.defn\nclass Orders:\n"
                 "    @workflow.run\n    async def run(self, order: str) -> str:\n{body}\n"
                 "        return order\n", "        "),
    "dbos": ("from dbos import DBOS\n\n@DBOS.workflow()\ndef orders(order: str) -> str:\n{body}\n"
             "    return step(order)\n\n@DBOS.step()\ndef step(data: str) -> str:\n    return data\n", "    "),
}

HAZARDS = [
    "time.time()", "time.monotonic()", "datetime.datetime.now()", "datetime.datetime.utcnow()",
    "dt.now()", "dt.today()", "random.random()", "random.randint(1, 6)", "random.choice([1, 2])",
    "uuid.uuid4()", "uuid.uuid1()", "str(uuid.uuid4())", "uuid.uuid4().hex", "os.environ['HOME']",
    "os.getenv('HOME')", "os.environ.get('X', 'y')", "open('f.txt').read()", "os.listdir('.')",
    "socket.gethostname()", "os.getcwd()", "requests.get('https://x.invalid').json()",
    "subprocess.run(['ls'])", "input()", "len(order)", "order", "1", "'text'",
]
STATEMENTS = [
    "v = {e}", "{e}", "print({e})", "logger.info('x %s', {e})", "logging.warning({e})",
    "time.sleep(1)", "v = [{e} for _ in range(2)]", "v = {{'k': {e}}}", "v = f'{{{e}}}'",
    "v = ({e}, {e})", "v = {e} if order else {e}", "threading.Thread(target=print).start()",
    "for item in {{1, 2, 3}}:\n    v = item", "v = lambda: {e}", "del order\norder = {e}",
]
BLOCKS = [
    "if {e}:\n{inner}", "if order:\n{inner}\nelse:\n{inner}", "for i in range(3):\n{inner}",
    "while order:\n{inner}\n    break", "with open('f.txt') as fh:\n{inner}",
    "try:\n{inner}\nexcept Exception:\n    pass", "def helper():\n{inner}\n    return 1",
]


def indent(text, prefix):
    return textwrap.indent(text, prefix, lambda line: True)


@st.composite
def hazard_bodies(draw):
    expression = st.sampled_from(HAZARDS)

    def statement():
        return draw(st.sampled_from(STATEMENTS)).format(e=draw(expression))

    lines = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            inner = "\n".join(statement() for _ in range(draw(st.integers(1, 3))))
            lines.append(draw(st.sampled_from(BLOCKS)).format(e=draw(expression), inner=indent(inner, "    ")))
        else:
            lines.append(statement())
    return "\n".join(lines)


def wrap(framework, body, module_code=""):
    template, prefix = SKELETONS[framework]
    return IMPORTS + module_code + "\n" + template.format(body=indent(body, prefix))


CHECKER = Checker(Settings())


def check(source):
    CHECKER.project = None  # each example is its own program
    outcome = CHECKER.check_text(source, "fuzz_module.py")
    assert outcome.error is None, outcome.error
    return outcome


def fix(source):
    CHECKER.project = None
    outcome = CHECKER.check_text(source, "fuzz_module.py", FixMode(unsafe=True, write=False))
    assert outcome.error is None, outcome.error
    return outcome.fixed_source if outcome.fixed_source is not None else source


def assert_fix_is_sound(source):
    outcome = check(source)
    try:
        ast.parse(source)
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        assert [d.code for d in outcome.diagnostics] in ([], ["WFL001"])
        return
    fixed = fix(source)
    ast.parse(fixed)  # the fixed code parses
    assert fix(fixed) == fixed, "a second --fix changed the code again"
    check(fixed)


@pytest.mark.parametrize("framework", sorted(SKELETONS))
@fuzz(25)
@given(body=hazard_bodies())
def test_hazard_programs(framework, body):
    assert_fix_is_sound(wrap(framework, body))


@pytest.mark.parametrize("framework", sorted(SKELETONS))
@fuzz(12)
@given(code=hypothesmith.from_grammar(auto_target=False))
def test_grammar_programs_in_the_workflow_body(framework, code):
    # the generated statements as the workflow's body, and at module level
    assert_fix_is_sound(wrap(framework, code))
    assert_fix_is_sound(wrap(framework, "pass", module_code=code))


@pytest.mark.parametrize("framework", sorted(SKELETONS))
@fuzz(4)
@given(code=hypothesmith.from_node(auto_target=False))
def test_libcst_node_programs(framework, code):
    assert_fix_is_sound(wrap(framework, code))
