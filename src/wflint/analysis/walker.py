"""Walk workflow code once and hand every call, reference and loop to the enabled rules.

Hazards in a workflow unit (and in functions and lambdas nested in it) are
reported in place. A call to an ordinary helper of the same module is followed:
the helper's hazards are summarised once per framework and reported at each
call site in workflow code, with the chain of helpers in the message, because
the helper may also serve activities and the call site is where the user
decides what to do.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from wflint.analysis.agents import agent_code, runner_sdk
from wflint.analysis.construction import SUMMARY_KEY, class_at, construction
from wflint.analysis.discovery import Discovery, FunctionNode, WorkflowUnit
from wflint.analysis.durable import STATE_WAITS, is_durable, is_framework_call
from wflint.analysis.flow import NOWHERE, RETURNED, STORED, Episodes, escape, names_read_outside
from wflint.analysis.offload import offloaded
from wflint.analysis.replay import ReplayFlags, falsy_when_replaying
from wflint.analysis.scope import (ModuleInfo, Scope, imported_name, qualname, recording, replay,
                                   resolve_function)

from wflint.diagnostics import Diagnostic
from wflint.suppression import covers
from wflint.fixes.model import Fix, display_only

if TYPE_CHECKING:
    from wflint.analysis.project import Project
    from wflint.fixes.helper import Fixes
    from wflint.fixes.site import FixSite
    from wflint.frameworks.model import Framework
    from wflint.rules.base import HazardIndex, Match, Rule

_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
#: builtins that may wrap a probe of the workflow API (``str(workflow.uuid4())``)
_CONVERSIONS = frozenset({"builtins.str", "builtins.int", "builtins.float", "builtins.bool"})
#: output that runs once when it can only run in the workflow's final episode
FINAL_EPISODE_CODES = frozenset({"WFL501", "WFL502"})


class Guard:
    """What the replay flag says about the code being walked.

    ``live``: the code runs only when the workflow is not replaying (a replay guard), inside
    ``region`` (the guarded statements of ``function``), opened at ``line``. ``branch``: the code
    runs on one side of a branch on the replay flag (WFL904)."""

    __slots__ = ("live", "branch", "region", "function", "line", "path", "replaying")

    def __init__(self, live: bool = False, branch: bool = False, region: list[ast.stmt] | None = None,
                 function: ast.AST | None = None, line: int = 0, path: str = "",
                 replaying: bool = False) -> None:
        self.live = live
        self.branch = branch
        self.region = region
        self.function = function
        self.line = line
        self.path = path
        #: the code runs only while the workflow replays (``if ctx.is_replaying:``)
        self.replaying = replaying

    def opened(self, region: list[ast.stmt], function: ast.AST, line: int, path: str) -> Guard:
        """A replay guard over ``region`` (an outer guard, if any, stays the one that counts)."""
        if self.live:
            return self if self.branch else Guard(True, True, self.region, self.function, self.line,
                                                  self.path, self.replaying)
        return Guard(True, True, region, function, line, path, self.replaying)

    def branched(self, replaying: bool = False) -> Guard:
        replaying = replaying or self.replaying
        if self.branch and self.replaying == replaying:
            return self
        return Guard(self.live, True, self.region, self.function, self.line, self.path, replaying)

    def __bool__(self) -> bool:
        return self.live or self.branch


NO_GUARD = Guard()

#: what a called project function is: followed as a helper, or never followed
HELPER, ACTIVITY, WORKFLOW = "helper", "activity", "workflow"


class Target(NamedTuple):
    """The project function a call reaches, its module, and what it is (:data:`HELPER`,
    :data:`ACTIVITY` or :data:`WORKFLOW`)."""

    module: ModuleInfo
    function: FunctionNode
    kind: str
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class Hazard:
    """A hazard found in a helper, to be reported at the workflow's call site."""

    rule: Rule
    qualname: str | None
    text: str
    line: int
    col: int
    end_line: int
    end_col: int
    chain: tuple[str, ...] = ()
    #: where the hazard itself is, inside the innermost helper
    origin_path: str = ""
    origin_line: int = 0
    #: where its value goes, seen from the helper: NOWHERE (an effect), RETURNED or STORED
    kind: int = STORED
    #: why a replay guard in the helper does not cover it, for the message
    note: str = ""


class _Frame:
    """What is being walked: a workflow unit (report) or a helper (collect), and in which module."""

    __slots__ = ("unit", "framework", "module", "collect", "suppressed", "cut", "statement",
                 "comprehensions", "fstrings", "function", "tokens", "guard_line", "offloaded",
                 "statement_rules", "call_rules", "iteration_rules", "loop_rules")

    def __init__(self, unit: WorkflowUnit | None, framework: Framework, module: ModuleInfo,
                 collect: list[Hazard] | None, function: ast.AST | None = None,
                 tokens: dict[str, str] | None = None) -> None:
        self.unit = unit
        self.framework = framework
        self.module = module
        self.collect = collect
        self.suppressed: set[int] = set()
        self.cut: set[tuple] = set()
        #: the function walked, and what its parameters say about the replay flag
        self.function = function
        self.tokens: dict[str, str] = tokens or {}
        #: the first replay guard seen in this function (path, line), for messages
        self.guard_line: tuple[str, int] | None = None
        #: functions and lambdas of the module handed to another thread or process
        self.offloaded = offloaded(module)
        #: the statement being walked, and how many comprehensions enclose the current node
        self.statement: ast.stmt | None = None
        self.comprehensions = 0
        self.fstrings = 0
        #: the rules that check what is walked here (none where hazards are only collected)
        self.statement_rules: tuple[Rule, ...] = ()
        self.call_rules: tuple[Rule, ...] = ()
        self.iteration_rules: tuple[Rule, ...] = ()
        self.loop_rules: tuple[Rule, ...] = ()


class Walker:
    def __init__(self, module: ModuleInfo, discovery: Discovery, index: HazardIndex, fixes: Fixes,
                 display_path: str, project: Project | None = None) -> None:
        self.module = module
        #: the fixes layer: where findings sit, and the fixes of helper calls
        self.fixes = fixes
        self.discovery = discovery
        self.index = index
        self.display_path = display_path
        self.project = project
        self.diagnostics: list[Diagnostic] = []
        self._unit_nodes = {id(unit.node): unit for unit in discovery.units}
        #: the call whose callee's name the call rules and the walk share, and that name
        self._call_node: ast.Call | None = None
        self._call_name: str | None = None
        self._activity_nodes = {id(node) for node in discovery.activities}
        self._activity_nodes.update(id(node) for node in discovery.lambda_activities)
        self._summaries: dict = project.summaries if project is not None else {}
        self._constructions: dict = project.constructions if project is not None else {}
        self._active: set = set()
        self._report_frame: _Frame | None = None
        self.flags: ReplayFlags = project.replay_flags if project is not None else ReplayFlags()
        self._outside: dict[tuple[int, int, int], frozenset[str]] = {}
        self._episodes: dict[int, Episodes] = {}
        self._helper_callers: dict[int, list[str]] = {}
        self._commands: dict[tuple, bool] = {}
        self._commands_active: set[tuple] = set()
        self._calls: dict[tuple, list[ast.Call]] = {}

    # -- entry points -------------------------------------------------------------------

    def run(self) -> list[Diagnostic]:
        for unit in self.discovery.units:
            for rule in self.index.unit_rules:
                if rule.applies_to(unit):
                    rule.check_unit(unit, self)
            frame = _Frame(unit, unit.framework, self.module, None, unit.node)
            index = self.index
            frame.statement_rules, frame.call_rules, frame.iteration_rules, frame.loop_rules = (
                tuple(rule for rule in rules if rule.applies_to(unit))
                for rules in (index.statement_rules, index.call_rules, index.iteration_rules,
                              index.loop_rules))
            self._report_frame = frame
            scope = self.module.scope_of(unit.node, self.module.scope)
            self._block(unit.node.body, frame, scope, NO_GUARD)
        return self.diagnostics

    def report(self, rule: Rule, node: ast.AST, message: str, fix: Fix | None = None,
               related: tuple[tuple[str, int, str], ...] = ()) -> None:
        """Emit a finding at ``node`` (used by shape rules such as WFL601 and WFL903);
        ``related``: (path, line, message) of the places it is about."""
        self.diagnostics.append(Diagnostic.at(self.display_path, rule.code, rule.severity,
                                              message, node, fix, related))

    def where(self, unit: WorkflowUnit) -> str:
        if unit.recognised:  # declared nowhere wflint can see: say why it is taken for one
            return f"workflow '{unit.display}' (an orchestrator by its `{unit.recognised}`)"
        if unit.kind == "workflow" and not unit.is_entry:
            callers = self._callers(unit)
            if callers:  # a helper that takes the context: name the workflows it serves
                return f"helper '{unit.display}' of workflow " + ", ".join(f"'{c}'" for c in callers)
        return f"workflow '{unit.display}'"

    def _callers(self, helper: WorkflowUnit) -> list[str]:
        """The entry points of the module that call ``helper`` (``yield from upgrade(ctx)``)."""
        found = self._helper_callers.get(id(helper.node))
        if found is None:
            name = helper.node.name
            found = [unit.display for unit in self.discovery.units
                     if unit.is_entry and unit.node is not helper.node and any(
                         isinstance(node, ast.Call) and (
                             isinstance(node.func, ast.Name) and node.func.id == name or
                             isinstance(node.func, ast.Attribute) and node.func.attr == name
                             and isinstance(node.func.value, ast.Name) and node.func.value.id == "self")
                         for node in ast.walk(unit.node))]
            self._helper_callers[id(helper.node)] = found
        return found

    def alternative(self, unit: WorkflowUnit, code: str, name: str | None = None) -> str:
        ctx = unit.ctx_name or unit.framework.default_context_name
        return unit.framework.alternative(code, name, ctx)

    def episodes(self, unit: WorkflowUnit) -> Episodes:
        """Where the unit can still suspend (computed once per unit)."""
        found = self._episodes.get(id(unit.node))
        if found is None:
            framework = unit.framework
            methods = framework.command_methods if framework.commands_block else frozenset()
            found = self._episodes[id(unit.node)] = Episodes(unit.node, framework.style,
                                                             unit.ctx_name, methods)
        return found

    def final_episode(self, unit: WorkflowUnit, statement: ast.stmt | None,
                      node: ast.AST | None = None) -> bool:
        """``statement`` (``node`` in it) of a workflow entry point runs only in its final
        episode."""
        return statement is not None and unit.is_entry and self.episodes(unit).final(statement, node)

    # -- statements --------------------------------------------------------------------

    def _block(self, body: list[ast.stmt], frame: _Frame, scope: Scope, guard: Guard) -> None:
        last = len(body) - 1
        for position, stmt in enumerate(body):
            self._stmt(stmt, frame, scope, guard)
            if (position < last and isinstance(stmt, ast.If) and stmt.body
                    and isinstance(stmt.body[-1], _EXITS)):
                test = stmt.test
                if self.flags.in_workflow(test, scope) is True:
                    return  # ``if workflow.in_workflow(): return ...``: the rest serves other callers
                if not guard.live and self.flags.exits_on_replay(test, scope, frame.tokens):
                    # an early ``if ctx.is_replaying: return``: the rest runs on the first pass only
                    guard = self._open(guard, body[position + 1:], frame, scope, stmt.lineno)
                elif not guard.replaying and self.flags.only_when_replaying(test, scope, frame.tokens, True):
                    guard = guard.branched(True)  # ``if not ctx.is_replaying: return``: the rest replays

    def _open(self, guard: Guard, region: list[ast.stmt], frame: _Frame, scope: Scope,
              line: int) -> Guard:
        if frame.guard_line is None:
            frame.guard_line = (frame.module.path, line)
        return guard.opened(region, scope.node, line, frame.module.path)

    def _stmt(self, stmt: ast.stmt, frame: _Frame, scope: Scope, guard: Guard) -> None:
        frame.statement = stmt
        reporting = frame.collect is None and frame.unit is not None
        for rule in frame.statement_rules:
            rule.check_statement(stmt, frame.unit, self, scope, guard)
        if reporting and isinstance(stmt, (ast.For, ast.AsyncFor)):
            self._iteration(stmt.iter, stmt, frame, scope)
        if isinstance(stmt, _DEFS):
            for expr in (*stmt.decorator_list, *stmt.args.defaults,
                         *(d for d in stmt.args.kw_defaults if d is not None)):
                self._expr(expr, frame, scope, guard)
            if (id(stmt) in self._unit_nodes or id(stmt) in self._activity_nodes
                    or id(stmt) in frame.offloaded):
                return
            self._block(stmt.body, frame, frame.module.scope_of(stmt, scope), guard)
            return
        if isinstance(stmt, ast.If):
            self._if(stmt, frame, scope, guard)
            return
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self._try(stmt, frame, scope, guard)
            return
        if isinstance(stmt, (ast.While, ast.For, ast.AsyncFor)):
            for rule in frame.loop_rules:
                rule.check_loop(stmt, frame.unit, self, scope)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            unrestricted = frame.framework.unrestricted_blocks
            if unrestricted and any(qualname(_callee(item.context_expr), scope) in unrestricted
                                    for item in stmt.items):
                return  # an explicit escape hatch: not workflow code
        self._children(stmt, frame, scope, guard)

    def _if(self, stmt: ast.If, frame: _Frame, scope: Scope, guard: Guard) -> None:
        test = stmt.test
        self._expr(test, frame, scope, guard)
        flags, tokens = self.flags, frame.tokens
        body_guard = else_guard = guard
        if flags.mentions(test, scope, tokens):
            if not guard.live and flags.live_when_true(test, scope, tokens):
                body_guard = self._open(guard, stmt.body, frame, scope, stmt.lineno)
            else:
                body_guard = guard.branched(flags.only_when_replaying(test, scope, tokens))
            if not guard.live and stmt.orelse and flags.true_when_replaying(test, scope, tokens):
                else_guard = self._open(guard, stmt.orelse, frame, scope, stmt.lineno)
            else:
                else_guard = guard.branched(flags.only_when_replaying(test, scope, tokens, True))
        inside = flags.in_workflow(test, scope)
        if inside is not False:  # ``if not workflow.in_workflow():`` is code for other callers
            self._block(stmt.body, frame, scope, body_guard)
        if inside is not True:
            self._block(stmt.orelse, frame, scope, else_guard)

    def _try(self, stmt: ast.Try, frame: _Frame, scope: Scope, guard: Guard) -> None:
        self._block(stmt.body, frame, scope, guard)
        fallback = bool(frame.framework.workflow_only_api) and \
            self._probes_workflow(stmt.body, frame, scope)
        line = self._leading_guard(stmt.body, frame, scope) if stmt.handlers and not guard.live else 0
        for handler in stmt.handlers:
            if fallback:
                continue  # inside a workflow the probe succeeds: the handler serves other callers
            if handler.type is not None:
                self._expr(handler.type, frame, scope, guard)
            # a handler of a body that starts with a replay exit only catches guarded code
            current = self._open(guard, handler.body, frame, scope, line) if line else guard
            self._block(handler.body, frame, scope, current)
        self._block(stmt.orelse, frame, scope, guard)
        self._block(stmt.finalbody, frame, scope, guard)

    def _probes_workflow(self, body: list[ast.stmt], frame: _Frame, scope: Scope) -> bool:
        """A ``try`` body that only asks the workflow API something (``now = workflow.now()``):
        it succeeds inside a workflow, so its handlers are fallbacks for other callers."""
        prefixes = frame.framework.workflow_only_api
        probed = False
        for stmt in body:
            if not isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.Expr, ast.Return)):
                return False
            for node in ast.walk(stmt):
                if isinstance(node, (ast.Await, ast.Yield, ast.YieldFrom, ast.Lambda)):
                    return False
                if not isinstance(node, ast.Call):
                    continue
                name = qualname(node.func, scope)
                if name is not None and name.startswith(prefixes):
                    probed = True  # ``workflow.now()``, and ``workflow.now().isoformat()``
                elif name not in _CONVERSIONS:
                    return False  # anything else could fail inside a workflow too
        return probed

    def _leading_guard(self, body: list[ast.stmt], frame: _Frame, scope: Scope) -> int:
        """The line of an early replay exit that opens a ``try`` body, when everything before it
        only reads the flag: then the handlers can only catch what the guarded code raised."""
        for stmt in body:
            if isinstance(stmt, ast.If) and stmt.body and isinstance(stmt.body[-1], _EXITS):
                if self.flags.exits_on_replay(stmt.test, scope, frame.tokens):
                    return stmt.lineno
                return 0
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                    isinstance(stmt.targets[0], ast.Name) and \
                    self.flags.atom(stmt.value, scope, frame.tokens) is not None:
                continue
            if isinstance(stmt, ast.Pass):
                continue
            return 0
        return 0

    def _children(self, node: ast.AST, frame: _Frame, scope: Scope, guard: Guard) -> None:
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    self._block(value, frame, scope, guard)
                else:
                    for item in value:
                        if isinstance(item, ast.expr):
                            self._expr(item, frame, scope, guard)
                        elif isinstance(item, ast.AST):
                            self._children(item, frame, scope, guard)
            elif isinstance(value, ast.expr):
                self._expr(value, frame, scope, guard)
            elif isinstance(value, ast.AST):
                self._children(value, frame, scope, guard)

    # -- expressions ---------------------------------------------------------------------

    def _expr(self, node: ast.expr, frame: _Frame, scope: Scope, guard: Guard) -> None:
        if isinstance(node, ast.Call):
            self._call(node, frame, scope, guard)
            return
        if isinstance(node, (ast.Attribute, ast.Name)):
            tail = node.attr if isinstance(node, ast.Attribute) else node.id
            if (isinstance(node.ctx, ast.Load) and id(node) not in frame.suppressed
                    and (tail in self.index.reference_tails or isinstance(node, ast.Name))
                    and self.index.references):
                # a name read on its own is a hazard only when it is imported (``from os import
                # environ``), not when it holds a value copied earlier (``c = os.name``)
                name = qualname(node, scope) if isinstance(node, ast.Attribute) else imported_name(node.id, scope)
                match = self.index.match_reference(name)
                if match is not None:
                    self._found(match, node, frame, scope, guard, _text(node))
                    self._suppress_chain(node, frame)
            if isinstance(node, ast.Attribute):
                self._expr(node.value, frame, scope, guard)
            return
        if isinstance(node, _COMPREHENSIONS):
            if frame.collect is None and frame.unit is not None:
                for generator in node.generators:
                    self._iteration(generator.iter, node, frame, scope)
            frame.comprehensions += 1
            try:
                self._children(node, frame, scope, guard)
            finally:
                frame.comprehensions -= 1
            return
        if isinstance(node, ast.JoinedStr):
            frame.fstrings += 1
            try:
                self._children(node, frame, scope, guard)
            finally:
                frame.fstrings -= 1
            return
        if isinstance(node, ast.Lambda):
            for default in node.args.defaults:
                self._expr(default, frame, scope, guard)
            if id(node) in self._activity_nodes or id(node) in frame.offloaded:
                return  # run as an activity or step, or on another thread
            self._expr(node.body, frame, frame.module.scope_of(node, scope), guard)
            return
        if isinstance(node, ast.IfExp):
            self._expr(node.test, frame, scope, guard)
            flags, tokens = self.flags, frame.tokens
            body_guard = else_guard = guard
            if not guard.live and flags.mentions(node.test, scope, tokens):
                body_guard, else_guard = guard.branched(), guard.branched()
            self._expr(node.body, frame, scope, body_guard)
            self._expr(node.orelse, frame, scope, else_guard)
            return
        self._children(node, frame, scope, guard)

    def _iteration(self, iterable: ast.expr, owner: ast.AST, frame: _Frame, scope: Scope) -> None:
        unit = frame.unit
        assert unit is not None
        for rule in frame.iteration_rules:
            rule.check_iteration(iterable, owner, unit, self, scope)

    def _call(self, node: ast.Call, frame: _Frame, scope: Scope, guard: Guard) -> None:
        for rule in frame.call_rules:
            rule.check_call(node, frame.unit, self, scope, guard)
        known = self._call_node is node
        self._call_node = None  # shared only between this call's rules and its walk
        if id(node) not in frame.suppressed:
            name = self._call_name if known else qualname(node.func, scope)
            match = self.index.match_call(name, node, frame.framework)
            if match is not None and match.rule.accepts(node, frame.statement, scope):
                self._found(match, node, frame, scope, guard, _text(node))
                self._suppress_chain(node.func, frame)
            elif match is None:
                target = self.target(node.func, scope, name)
                if target is not None and target.kind == HELPER:
                    self._helper_call(target.module, target.function, node, frame, scope, guard)
                elif target is None:
                    built = class_at(node.func, scope, name, self.project)
                    sdk = runner_sdk(name) if built is None else None
                    if built is not None:
                        for module, function in construction(*built, node, self.project,
                                                             self._constructions):
                            self._helper_call(module, function, node, frame, scope, guard)
                    elif sdk is not None:  # an agent loop: its tools and hooks run right here
                        for module, function, role in agent_code(sdk, node, scope, self.project,
                                                                 self._agent_function):
                            self._helper_call(module, function, node, frame, scope, guard,
                                              (role, sdk.advice_for(frame.framework.name)))
        self._expr(node.func, frame, scope, guard)
        for arg in node.args:
            self._expr(arg, frame, scope, guard)
        for keyword in node.keywords:
            self._expr(keyword.value, frame, scope, guard)

    def _suppress_chain(self, node: ast.expr, frame: _Frame) -> None:
        """The receivers of a matched call are part of the same finding."""
        current: ast.expr | None = node
        while current is not None:
            frame.suppressed.add(id(current))
            if isinstance(current, ast.Attribute):
                current = current.value
            elif isinstance(current, ast.Call):
                current = current.func
            else:
                current = None

    # -- where values go -------------------------------------------------------------------

    def _escape(self, node: ast.expr, frame: _Frame, scope: Scope, guard: Guard) -> int:
        """Where the value of ``node`` goes, seen from the replay guard it is under."""
        statement = frame.statement
        if statement is None or guard.region is None or guard.function is None:
            return STORED
        region = guard.region
        key = (id(guard.function), id(region[0]) if region else 0, len(region))
        outside = self._outside.get(key)
        if outside is None:
            outside = self._outside[key] = names_read_outside(guard.function, region)
        return escape(node, statement, region, scope, outside)

    def _kind(self, node: ast.expr, frame: _Frame, scope: Scope) -> int:
        """Where the value of ``node`` goes, seen from the whole helper being summarised."""
        statement, function = frame.statement, frame.function
        if statement is None or function is None:
            return STORED
        return escape(node, statement, function.body, scope, frozenset())

    # -- findings ------------------------------------------------------------------------

    def _found(self, match: Match, node: ast.expr, frame: _Frame, scope: Scope, guard: Guard,
               text: str) -> None:
        rule = match.rule
        note = ""
        if guard.live and rule.replay_guardable:
            if self._escape(node, frame, scope, guard) == NOWHERE:
                return  # runs on the first execution only, and its value stays there
            where = f"{frame.module.path}:{guard.line}" if frame.collect is not None else f"line {guard.line}"
            note = f"its value outlives the replay guard at {where}"
        note = "; ".join(filter(None, [rule.note_for(match.qualname), note]))
        if frame.collect is not None:
            if rule.follows_helpers and not covers(frame.module.lines, node.lineno, rule.code):
                # (a suppression at the hazard's own line silences it through every chain)
                frame.collect.append(Hazard(rule, match.qualname, text, node.lineno, node.col_offset,
                                            node.end_lineno or node.lineno,
                                            node.end_col_offset or node.col_offset,
                                            (), frame.module.path, node.lineno,
                                            self._kind(node, frame, scope), note))
            return
        unit = frame.unit
        assert unit is not None
        if not rule.applies_to(unit):
            return
        if rule.code in FINAL_EPISODE_CODES and self.final_episode(unit, frame.statement, node):
            return  # nothing durable can follow: it runs once, in the final episode
        where = self.where(unit) + (f" ({note})" if note else "")
        message = rule.message.format(call=text, where=where,
                                      alternative=self.alternative(unit, rule.code, match.qualname))
        site = self.site(node, unit, scope, frame, guard)
        self.report(rule, node, message, rule.fix(site, match.qualname))

    # -- helpers -------------------------------------------------------------------------

    def callee_name(self, call: ast.Call, scope: Scope) -> str | None:
        """``qualname(call.func, scope)`` for the call being walked, worked out once for its
        call rules and the walk."""
        if call is not self._call_node:
            self._call_node, self._call_name = call, qualname(call.func, scope)
        return self._call_name

    def target(self, func: ast.expr, scope: Scope, name: str | None = None) -> Target | None:
        """The project function a call reaches, its module, and what it is: ``"helper"`` (to be
        followed), ``"activity"`` or ``"workflow"`` (never followed).

        A plain name resolves to a function of the same module; any other reference (an
        import, ``module.function``) to a function of another project module, following
        re-exports. Functions outside the project, and names listed as ``deterministic``, are
        not followed."""
        found: tuple[ModuleInfo, FunctionNode] | None = None
        if isinstance(func, ast.Name):
            local = resolve_function(func.id, scope)
            if local is not None:
                found = (scope.module, local)
        if found is None and self.project is not None:
            name = name if name is not None else qualname(func, scope)
            if name is not None and not name.endswith("()"):
                found = self.project.function(name)
        if found is None:
            return None
        module, fn = found
        if self.index.deterministic and self.index.is_deterministic(f"{module.name}.{fn.name}"):
            return None
        if module is self.module or self.project is None:
            units, activities = self._unit_nodes, self._activity_nodes
            kind = WORKFLOW if id(fn) in units else ACTIVITY if id(fn) in activities else HELPER
            if kind == HELPER and self.project is not None and self.project.is_activity(module, fn):
                kind = ACTIVITY
        else:
            kind = (ACTIVITY if self.project.is_activity(module, fn) else
                    WORKFLOW if self.project.discovery(module).unit_for(fn) is not None else HELPER)
        return Target(module, fn, kind)

    def callee(self, call: ast.Call, scope: Scope) -> tuple[ModuleInfo, FunctionNode] | None:
        """The project function or method (``self.method()``) a call reaches, whatever it is."""
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            method = _method(func.value.id, func.attr, scope)
            if method is not None:
                return scope.module, method
        found = self.target(func, scope)
        return (found.module, found.function) if found is not None else None

    def reaches(self, function: FunctionNode, module: ModuleInfo, predicate, depth: int = 3,
                _seen: set[int] | None = None) -> bool:
        """``predicate(call, scope)`` holds for a call in ``function`` or in a project function
        or method it calls, up to ``depth`` calls deep."""
        seen = _seen if _seen is not None else set()
        if id(function) in seen:
            return False
        seen.add(id(function))
        scope = module.scope_of(function, module.scope)
        key = (module.serial, function.lineno, function.col_offset)
        calls = self._calls.get(key)
        if calls is None:
            calls = self._calls[key] = [node for node in ast.walk(function) if isinstance(node, ast.Call)]
        if any(predicate(call, scope) for call in calls):
            return True
        if depth <= 0:
            return False
        for call in calls:
            found = self.callee(call, scope)
            if found is not None and self.reaches(found[1], found[0], predicate, depth - 1, seen):
                return True
        return False

    def issues_commands(self, function: FunctionNode, module: ModuleInfo, unit: WorkflowUnit,
                        depth: int = 3) -> bool:
        """``function`` (or a project function it calls) can add to the workflow's history: it
        yields a durable task, awaits something that may issue a command, or calls the
        framework's durable API."""
        key = (module.serial, function.lineno, function.col_offset, unit.framework.name)
        found = self._commands.get(key)
        if found is not None:
            return found
        if key in self._commands_active or depth < 0:
            return False
        self._commands_active.add(key)
        try:
            scope = module.scope_of(function, module.scope)
            found = any(self.is_command(node, unit, scope, depth)
                        for node in ast.walk(function)
                        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await, ast.Call,
                                             ast.AsyncFor, ast.AsyncWith)))
        finally:
            self._commands_active.discard(key)
        self._commands[key] = found
        return found

    def is_command(self, node: ast.AST, unit: WorkflowUnit, scope: Scope, depth: int = 3) -> bool:
        """Whether ``node`` can add to the workflow's history: a yielded task, an await of
        anything but a wait on local state (Temporal's ``wait_condition`` without a timeout), a
        durable framework call, or a call of a project function that does one of those."""
        framework = unit.framework
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return framework.style in ("generator", "any")
        if isinstance(node, (ast.AsyncFor, ast.AsyncWith)):
            return True
        if isinstance(node, ast.Await):
            value = node.value
            if not isinstance(value, ast.Call):
                return True  # a task or handle started earlier
            if qualname(value.func, scope) in STATE_WAITS or \
                    is_durable(value, framework, unit.ctx_name, scope) or \
                    is_framework_call(value, scope, framework):
                return self.is_command(value, unit, scope, depth)
            found = self.callee(value, scope)
            if found is not None:
                return self.issues_commands(found[1], found[0], unit, depth - 1)
            return True  # awaiting code wflint cannot see
        if isinstance(node, ast.Call):
            if qualname(node.func, scope) in STATE_WAITS:
                return len(node.args) > 1 or any(k.arg == "timeout" for k in node.keywords)
            if is_durable(node, framework, unit.ctx_name, scope) or is_framework_call(node, scope, framework):
                return True
            calls_steps = framework.activity_call is None  # steps are called directly (DBOS)
            if calls_steps or framework.style == "generator":
                found = self.callee(node, scope)
                if found is not None:
                    module, function = found
                    if self.project is not None and self.project.is_activity(module, function):
                        return calls_steps  # a step called directly runs durably
                    target = self.target(node.func, scope)
                    if target is not None and target.kind == WORKFLOW:
                        return True
        return False

    def site(self, node: ast.expr, unit: WorkflowUnit, scope: Scope, frame: _Frame | None = None,
             guard: Guard = NO_GUARD) -> FixSite:
        """Where a finding sits, for building its fix."""
        frame = frame or self._report_frame
        assert frame is not None
        return self.fixes.site(node, unit, scope, frame.module, frame.statement,
                               frame.comprehensions > 0, frame.fstrings > 0, bool(guard),
                               guard.replaying)

    def _tokens(self, call: ast.Call, helper: FunctionNode, frame: _Frame, scope: Scope
                ) -> dict[str, str]:
        """What the call's arguments tell the helper's parameters about the replay flag."""
        tokens: dict[str, str] = {}
        if not call.args and not call.keywords:
            return tokens
        params = [a.arg for a in (*helper.args.posonlyargs, *helper.args.args)]
        for position, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred) or position >= len(params):
                break
            said = falsy_when_replaying(arg, self.flags, scope, frame.tokens)
            if said is not None:
                tokens[params[position]] = said
        for keyword in call.keywords:
            if keyword.arg is not None:
                said = falsy_when_replaying(keyword.value, self.flags, scope, frame.tokens)
                if said is not None:
                    tokens[keyword.arg] = said
        return tokens

    def _agent_function(self, expr: ast.expr, scope: Scope
                        ) -> tuple[ModuleInfo, FunctionNode, bool] | None:
        """The project function an agent's field names, and whether it is an activity/step."""
        found = self.target(expr, scope)
        if found is None or found.kind == WORKFLOW:
            return None
        return found.module, found.function, found.kind == ACTIVITY

    def _helper_call(self, module: ModuleInfo, helper: FunctionNode, call: ast.Call,
                     frame: _Frame, scope: Scope, guard: Guard,
                     run_by: tuple[str, str] | None = None) -> None:
        """Report (or collect) the hazards of ``helper`` at ``call``. ``run_by``: the helper is
        not called with these arguments but run by an agent loop, in this role (a tool, a
        hook), with this advice."""
        tokens = self._tokens(call, helper, frame, scope) if run_by is None else {}
        hazards = self._summary(module, helper, frame, tokens)
        if not hazards:
            return
        call_goes: int | None = None
        call_kind: int | None = None
        reported: set[str] = set()
        final: bool | None = None
        for hazard in hazards:
            rule = hazard.rule
            note = hazard.note
            if guard.live and rule.replay_guardable:
                if hazard.kind == NOWHERE:
                    continue  # an effect of the helper, run on the first execution only
                if hazard.kind == RETURNED:
                    if call_goes is None:
                        call_goes = self._escape(call, frame, scope, guard)
                    if call_goes == NOWHERE:
                        continue  # the helper's result stays inside the guarded region
                note = f"under the replay guard at line {guard.line}, but its value outlives it"
            chain = (helper.name if run_by is None else f"{run_by[0]} {helper.name}", *hazard.chain)
            if frame.collect is not None:
                kind = hazard.kind
                if kind == RETURNED:
                    if call_kind is None:
                        call_kind = self._kind(call, frame, scope)
                    kind = call_kind
                frame.collect.append(Hazard(rule, hazard.qualname, hazard.text, call.lineno,
                                            call.col_offset, call.end_lineno or call.lineno,
                                            call.end_col_offset or call.col_offset, chain,
                                            hazard.origin_path, hazard.origin_line, kind, note))
                continue
            unit = frame.unit
            assert unit is not None
            if not rule.applies_to(unit) or rule.code in reported:
                continue
            if rule.code in FINAL_EPISODE_CODES:
                if final is None:
                    final = self.final_episode(unit, frame.statement, call)
                if final:
                    continue
            reported.add(rule.code)
            via = " -> ".join(f"{name}()" for name in chain)
            where = f"{self.where(unit)} via {via} at {hazard.origin_path}:{hazard.origin_line}"
            if note:
                where += f" ({note})"
            message = rule.message.format(call=hazard.text, where=where,
                                          alternative=self.alternative(unit, rule.code, hazard.qualname))
            if run_by is not None:
                reason = "the agent loop runs it inside the workflow"
                if rule.code not in FINAL_EPISODE_CODES:  # output only needs the message's logger
                    reason += f": {run_by[1]}"
                fix = display_only(f"Move {hazard.text} out of the agent's {run_by[0]} {helper.name}()",
                                   reason)
            else:
                fix = self.fixes.helper_call(self, self.site(call, unit, scope, frame, guard),
                                             module, helper, hazards, rule.code)
            if fix is None:
                fix = display_only(f"Move {hazard.text} out of {helper.name}() (or pass its value in)",
                                   f"the hazard is inside the helper at {hazard.origin_path}:{hazard.origin_line}")
            self.report(rule, call, message, fix,
                        ((hazard.origin_path, hazard.origin_line, f"{hazard.text} in {chain[-1]}()"),))

    def _summary(self, module: ModuleInfo, helper: FunctionNode, caller: _Frame,
                 tokens: dict[str, str]) -> list[Hazard]:
        """The hazards a helper reaches (its own and its helpers'), once per framework and per
        what its arguments say about the replay flag."""
        key = (module.serial, helper.lineno, helper.col_offset, caller.framework.name,
               tuple(sorted(tokens.items())), getattr(helper, SUMMARY_KEY, ()))
        cached = self._summaries.get(key)
        if cached is not None:
            hazards, paths = cached
            replay(self.project, paths)  # the files the summary was worked out from
            return hazards
        if key in self._active:
            caller.cut.add(key)
            return []
        self._active.add(key)
        frame = _Frame(None, caller.framework, module, [], helper, tokens)
        try:
            with recording(self.project) as paths:
                scope = module.scope_of(helper, module.scope)
                self._block(helper.body, frame, scope, NO_GUARD)
        finally:
            self._active.discard(key)
        hazards = frame.collect or []
        if frame.guard_line is not None:
            # the helper guards some of its code: say why these are still findings
            where = f"outside the replay guard at {frame.guard_line[0]}:{frame.guard_line[1]}"
            hazards = [h if h.note or not h.rule.replay_guardable else replace(h, note=where)
                       for h in hazards]
        frame.cut.discard(key)
        if frame.cut:
            caller.cut |= frame.cut  # incomplete while a cycle is open: do not keep it
        else:
            self._summaries[key] = (hazards, frozenset(paths))
        return hazards


def _method(receiver: str, name: str, scope: Scope) -> FunctionNode | None:
    """``self.name`` inside a method: the class's own method of that name."""
    current: Scope | None = scope
    while current is not None and not current.is_module:
        node = current.node
        if isinstance(node, _DEFS):
            params = [*node.args.posonlyargs, *node.args.args]
            if params and params[0].arg == receiver:
                cls = current.module.class_of(node)
                if cls is None:
                    return None
                found = [item for item in cls.body if isinstance(item, _DEFS) and item.name == name]
                return found[0] if len(found) == 1 else None
        if current.binds(receiver):
            return None
        current = current.parent
    return None


def _callee(expr: ast.expr) -> ast.expr:
    return expr.func if isinstance(expr, ast.Call) else expr


def _text(node: ast.expr) -> str:
    """A short rendering of a call or reference as written: ``dt.now()``, ``Path().read_text()``."""
    parts: list[str] = []
    current: ast.expr = node
    while True:
        if isinstance(current, ast.Call):
            parts.append("()")
            current = current.func
        elif isinstance(current, ast.Attribute):
            parts.append("." + current.attr)
            current = current.value
        elif isinstance(current, ast.Name):
            parts.append(current.id)
            break
        else:
            parts.append("(...)")
            break
    return "".join(reversed(parts))
