from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.scope import Scope, qualname
from wflint.fixes.model import display_only
from wflint.frameworks import FRAMEWORKS
from wflint.rules.base import Rule

if TYPE_CHECKING:
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.walker import Walker

_ENDLESS_ITERATORS = frozenset({"itertools.count", "itertools.cycle", "itertools.repeat"})
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
class UnboundedLoop(Rule):
    """
    ## What it does
    Flags `while True:`, `while 1:`, `for _ in itertools.count()` and
    `for _ in itertools.cycle(...)` loops in workflow code whose body runs a durable operation
    (a yielded or awaited activity, timer, event or child workflow, or a DBOS step) on each turn
    and has no deterministic bound. Reported on the loop's first line.

    Not flagged: loops capped by a counter the loop advances (`attempts += 1; if attempts >= n:
    break`), ended by a deadline from workflow time (`ctx.current_utc_datetime >= deadline`,
    `workflow.now() > end`, a durable timer), that reach continue-as-new inside the loop
    (directly, or through a function or method they call), whose body issues no command
    (Temporal's `await workflow.wait_condition(...)` on local state, without a timeout), and
    loops of a non-entry method of a Temporal class whose run continues as new. A deadline from
    `time.time()` is no bound, nor is an exit that depends only on an activity's answer.

    ## Why is this bad?
    Every durable operation adds events to the workflow's history, and a replay re-reads all
    of them. A workflow that loops forever grows its history without bound until replays get
    slow and the engine's history limits end the instance. Eternal workflows run one
    iteration per instance and restart themselves with continue-as-new.

    ## Example
    ```python
    from datetime import timedelta
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def monitor(ctx: wf.DaprWorkflowContext, job_id):
        while True:
            status = yield ctx.call_activity(check, input=job_id)
            if status == "done":
                return status
            yield ctx.create_timer(timedelta(minutes=5))

    @wfr.activity
    def check(ctx, job_id):
        return "done"
    ```

    ## Use instead
    ```python
    from datetime import timedelta
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def monitor(ctx: wf.DaprWorkflowContext, job_id):
        status = yield ctx.call_activity(check, input=job_id)
        if status == "done":
            return status
        yield ctx.create_timer(timedelta(minutes=5))
        ctx.continue_as_new(job_id)

    @wfr.activity
    def check(ctx, job_id):
        return "done"
    ```

    ## Fix safety
    Display-only: running one iteration per instance with continue-as-new turns the loop's
    state into the workflow's input, which needs a person's choice; where the framework has no
    continue-as-new, the fix is to bound the loop, and the bound is a person's choice too.
    """

    code = "WFL601"
    fix_availability = "display-only"
    message = "{call} loop in {where} repeats durable operations without continue-as-new, " \
              "so its history grows without bound; {alternative}"

    def check_loop(self, loop: ast.While | ast.For | ast.AsyncFor, unit: WorkflowUnit,
                   walker: Walker, scope: Scope) -> None:
        header = self._endless_header(loop, scope)
        if header is None:
            return
        nodes = list(_loop_nodes(loop))
        if not any(walker.is_command(node, unit, scope) for node in nodes
                   if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await, ast.Call,
                                        ast.AsyncFor, ast.AsyncWith))):
            return  # nothing in the loop adds to the history
        if self._continues_as_new(nodes, walker, scope):
            return
        if _bounded(loop, unit, walker, scope):
            return
        if not unit.is_entry and unit.class_name and self._class_continues_as_new(unit, walker):
            return  # a loop of a helper or background method: the run's continue-as-new ends it
        alternative = walker.alternative(unit, self.code)
        example = unit.framework.continue_as_new_example
        title = "Run one iteration per instance, then continue as new" if example else "Bound the loop"
        fix = display_only(title, alternative, suggestion=example)
        walker.report(self, loop, self.message.format(
            call=header, where=walker.where(unit), alternative=alternative), fix)

    def _endless_header(self, loop: ast.While | ast.For | ast.AsyncFor, scope: Scope) -> str | None:
        if isinstance(loop, ast.While):
            test = loop.test
            if isinstance(test, ast.Constant) and test.value in (True, 1) and not isinstance(test.value, str):
                return f"while {test.value!r}:"
            return None
        iterator = loop.iter
        if isinstance(iterator, ast.Call) and qualname(iterator.func, scope) in _ENDLESS_ITERATORS:
            name = qualname(iterator.func, scope)
            if name == "itertools.repeat" and (len(iterator.args) > 1 or iterator.keywords):
                return None
            return f"for ... in {name}():"
        return None

    def _continues_as_new(self, nodes: list[ast.AST], walker: Walker, scope: Scope) -> bool:
        """The loop reaches continue-as-new: directly, or through a function or method it calls
        (a helper named for it, ``should_continue_as_new(...)``, counts as deciding it)."""
        calls = [node for node in nodes if isinstance(node, ast.Call)]
        if any(_is_continue_as_new(call, scope) for call in calls):
            return True
        for call in calls:
            found = walker.callee(call, scope)
            if found is not None and walker.reaches(found[1], found[0], _is_continue_as_new):
                return True
        return False

    def _class_continues_as_new(self, unit: WorkflowUnit, walker: Walker) -> bool:
        cls = walker.module.class_of(unit.node)
        if cls is None:
            return False
        module = walker.module
        for item in cls.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item is not unit.node:
                if walker.reaches(item, module, _is_continue_as_new, depth=1):
                    return True
        return False


def _bounded(loop: ast.While | ast.For | ast.AsyncFor, unit: WorkflowUnit, walker: Walker,
             scope: Scope) -> bool:
    """An exit of the loop (``break``, ``return``, ``raise``) is taken on a deterministic bound:
    a counter the loop advances, or a deadline from workflow time (``workflow.now()``,
    ``ctx.current_utc_datetime``, a durable timer)."""
    counters = _counters(loop)
    clock = _WorkflowClock(unit, walker, scope)
    for exit_node, tests in _exits(loop):
        for test in tests:
            names = {_dotted(n) for n in ast.walk(test) if isinstance(n, (ast.Name, ast.Attribute))}
            if counters & names and any(isinstance(n, ast.Compare) for n in ast.walk(test)):
                return True
            if clock.reads(test):
                return True
    return False


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _counters(loop: ast.While | ast.For | ast.AsyncFor) -> set[str]:
    """Names (and ``self.attr`` chains) the loop advances on its turns: ``n += 1``,
    ``n = n + 1``, or the target of ``for n in itertools.count()``."""
    found: set[str] = set()
    if isinstance(loop, (ast.For, ast.AsyncFor)) and isinstance(loop.target, ast.Name):
        found.add(loop.target.id)
    for node in _loop_nodes(loop):
        if isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
            name = _dotted(node.target)
            if name:
                found.add(name)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.value, ast.BinOp) and isinstance(node.value.op, (ast.Add, ast.Sub)):
            name = _dotted(node.targets[0])
            if name and name in {_dotted(n) for n in (node.value.left, node.value.right)}:
                found.add(name)
    found.discard(None)  # type: ignore[arg-type]
    return found


def _exits(loop: ast.While | ast.For | ast.AsyncFor):
    """Each exit of the loop with the ``if`` tests it is under (inside the loop)."""
    stack: list[tuple[list[ast.stmt], tuple[ast.expr, ...], bool]] = [(loop.body, (), False)]
    while stack:
        body, tests, nested_loop = stack.pop()
        for stmt in body:
            if isinstance(stmt, (ast.Return, ast.Raise)) or (isinstance(stmt, ast.Break) and not nested_loop):
                yield stmt, tests
            elif isinstance(stmt, ast.If):
                stack.append((stmt.body, (*tests, stmt.test), nested_loop))
                stack.append((stmt.orelse, (*tests, stmt.test), nested_loop))
            elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
                inner = (*tests, stmt.test) if isinstance(stmt, ast.While) else tests
                stack.append((stmt.body, inner, True))
                stack.append((stmt.orelse, tests, nested_loop))
            elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                stack.append((stmt.body, tests, nested_loop))
            elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
                for block in (stmt.body, stmt.orelse, stmt.finalbody):
                    stack.append((block, tests, nested_loop))
                for handler in stmt.handlers:
                    stack.append((handler.body, tests, nested_loop))
            elif isinstance(stmt, ast.Match):
                for case in stmt.cases:
                    stack.append((case.body, tests, nested_loop))


#: the deterministic clocks of the frameworks: functions, and attributes of a context
_WORKFLOW_CLOCKS = frozenset(c for fw in FRAMEWORKS.values() for c in fw.clocks if "." in c)
_CLOCK_ATTRIBUTES = frozenset(c for fw in FRAMEWORKS.values() for c in fw.clocks if "." not in c)
#: the context methods that start a durable timer
_TIMERS = frozenset(name for fw in FRAMEWORKS.values() for name, kind in fw.commands.items()
                    if kind == "timer" and "." not in name)


class _WorkflowClock:
    """Which expressions of a workflow function read workflow time (or a durable timer)."""

    def __init__(self, unit: WorkflowUnit, walker: Walker, scope: Scope) -> None:
        self.unit = unit
        self.walker = walker
        self.scope = scope
        self._names: set[str] | None = None
        #: each node's answer of ``_atom`` (by identity): the search for the names computed
        #: from workflow time asks of the same assignments again on every round
        self._atoms: dict[int, bool] = {}

    def reads(self, expr: ast.AST) -> bool:
        names = self.names
        atoms = self._atoms
        for node in ast.walk(expr):
            atom = atoms.get(id(node))
            if atom is None:
                atom = atoms[id(node)] = self._atom(node)
            if atom or (isinstance(node, ast.Name) and node.id in names):
                return True
        return False

    def _atom(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute) and node.attr in _CLOCK_ATTRIBUTES:
            return True
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _TIMERS:
            return True
        if isinstance(func, ast.Name) and func.id == "getattr" and len(node.args) >= 2 and \
                isinstance(node.args[1], ast.Constant) and node.args[1].value in _CLOCK_ATTRIBUTES:
            return True
        if qualname(func, self.scope) in _WORKFLOW_CLOCKS:
            return True
        found = self.walker.callee(node, self.scope)
        return found is not None and self.walker.reaches(found[1], found[0], _reads_clock, depth=2)

    @property
    def names(self) -> set[str]:
        """Locals of the function computed from workflow time, directly or through others."""
        if self._names is None:
            self._names = set()
            function = self.unit.node
            assignments = [node for node in ast.walk(function)
                           if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign))
                           and node.value is not None]
            changed = True
            while changed:
                changed = False
                for node in assignments:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    new = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)
                           and isinstance(n.ctx, ast.Store)} - self._names
                    if new and self.reads(node.value):
                        self._names |= new
                        changed = True
        return self._names


def _reads_clock(call: ast.Call, scope: Scope) -> bool:
    func = call.func
    if isinstance(func, ast.Name) and func.id == "getattr" and len(call.args) >= 2 and \
            isinstance(call.args[1], ast.Constant) and call.args[1].value in _CLOCK_ATTRIBUTES:
        return True
    if qualname(func, scope) in _WORKFLOW_CLOCKS:
        return True
    return any(isinstance(arg, ast.Attribute) and arg.attr in _CLOCK_ATTRIBUTES
               for arg in ast.walk(call))


def _loop_nodes(loop: ast.While | ast.For | ast.AsyncFor):
    """Every node of the loop's body, not descending into nested functions or classes."""
    stack: list[ast.AST] = list(loop.body)
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, _NESTED):
                stack.append(child)


def _is_continue_as_new(node: ast.AST, scope: Scope) -> bool:
    """``ctx.continue_as_new(...)``, ``workflow.continue_as_new(...)``, or a call that decides it
    (``should_continue_as_new(...)``, ``is_continue_as_new_suggested()``)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return "continue_as_new" in name
