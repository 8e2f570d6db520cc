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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wflint.analysis.discovery import Discovery, FunctionNode, WorkflowUnit
from wflint.analysis.scope import ModuleInfo, Scope, imported_name, qualname, resolve_function

if TYPE_CHECKING:
    from wflint.analysis.project import Project
from wflint.diagnostics import Diagnostic
from wflint.fixes.model import Fix, display_only
from wflint.fixes.site import FixSite
from wflint.frameworks import Framework
from wflint.rules.base import HazardIndex, Match, Rule

REPLAY_FLAG_CALLS = frozenset({
    "temporalio.workflow.unsafe.is_replaying",
    "temporalio.workflow.unsafe.is_replaying_history_events",
})
_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
#: what the replay flag says about the code being walked (a bit set)
NOT_REPLAYING = 1   # runs only when the workflow is not replaying (a replay guard)
REPLAY_BRANCH = 2   # runs on one side of a branch on the replay flag
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
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


class _Frame:
    """What is being walked: a workflow unit (report) or a helper (collect), and in which module."""

    __slots__ = ("unit", "framework", "module", "collect", "suppressed", "cut", "statement",
                 "comprehensions", "fstrings")

    def __init__(self, unit: WorkflowUnit | None, framework: Framework, module: ModuleInfo,
                 collect: list[Hazard] | None) -> None:
        self.unit = unit
        self.framework = framework
        self.module = module
        self.collect = collect
        self.suppressed: set[int] = set()
        self.cut: set[tuple[int, str]] = set()
        #: the statement being walked, and how many comprehensions enclose the current node
        self.statement: ast.stmt | None = None
        self.comprehensions = 0
        self.fstrings = 0


class Walker:
    def __init__(self, module: ModuleInfo, discovery: Discovery, index: HazardIndex,
                 display_path: str, project: Project | None = None) -> None:
        self.module = module
        self.discovery = discovery
        self.index = index
        self.display_path = display_path
        self.project = project
        self.diagnostics: list[Diagnostic] = []
        self._unit_nodes = {id(unit.node): unit for unit in discovery.units}
        self._activity_nodes = {id(node) for node in discovery.activities}
        self._activity_nodes.update(id(node) for node in discovery.lambda_activities)
        self._summaries: dict = project.summaries if project is not None else {}
        self._active: set = set()
        self._report_frame: _Frame | None = None

    # -- entry points -------------------------------------------------------------------

    def run(self) -> list[Diagnostic]:
        for unit in self.discovery.units:
            for rule in self.index.unit_rules:
                if rule.applies_to(unit):
                    rule.check_unit(unit, self)
            frame = _Frame(unit, unit.framework, self.module, None)
            self._report_frame = frame
            scope = self.module.scope_of(unit.node, self.module.scope)
            self._block(unit.node.body, frame, scope, 0)
        return self.diagnostics

    def report(self, rule: Rule, node: ast.AST, message: str, fix: Fix | None = None) -> None:
        """Emit a finding at ``node`` (used by shape rules such as WFL601 and WFL903)."""
        self.diagnostics.append(Diagnostic.at(self.display_path, rule.code, rule.severity,
                                              message, node, fix))

    def where(self, unit: WorkflowUnit) -> str:
        return f"workflow '{unit.display}'"

    def alternative(self, unit: WorkflowUnit, code: str, name: str | None = None) -> str:
        ctx = unit.ctx_name or unit.framework.default_context_name
        return unit.framework.alternative(code, name, ctx)

    # -- statements --------------------------------------------------------------------

    def _block(self, body: list[ast.stmt], frame: _Frame, scope: Scope, guarded: int) -> None:
        for stmt in body:
            self._stmt(stmt, frame, scope, guarded)
            if (not guarded & NOT_REPLAYING and isinstance(stmt, ast.If) and stmt.body
                    and isinstance(stmt.body[-1], _EXITS) and self._when_replaying(stmt.test, scope)):
                guarded |= NOT_REPLAYING | REPLAY_BRANCH  # an early ``if ctx.is_replaying: return``

    def _stmt(self, stmt: ast.stmt, frame: _Frame, scope: Scope, guarded: int) -> None:
        frame.statement = stmt
        reporting = frame.collect is None and frame.unit is not None
        if reporting and self.index.statement_rules:
            for rule in self.index.statement_rules:
                if rule.applies_to(frame.unit):
                    rule.check_statement(stmt, frame.unit, self, scope, guarded)
        if reporting and isinstance(stmt, (ast.For, ast.AsyncFor)):
            self._iteration(stmt.iter, frame, scope)
        if isinstance(stmt, _DEFS):
            for expr in (*stmt.decorator_list, *stmt.args.defaults,
                         *(d for d in stmt.args.kw_defaults if d is not None)):
                self._expr(expr, frame, scope, guarded)
            if id(stmt) in self._unit_nodes or id(stmt) in self._activity_nodes:
                return
            self._block(stmt.body, frame, frame.module.scope_of(stmt, scope), guarded)
            return
        if isinstance(stmt, ast.If):
            self._expr(stmt.test, frame, scope, guarded)
            branch = REPLAY_BRANCH if self._mentions_replay(stmt.test, scope) else 0
            body_guard = NOT_REPLAYING if self._when_not_replaying(stmt.test, scope) else 0
            else_guard = NOT_REPLAYING if self._when_replaying(stmt.test, scope) else 0
            self._block(stmt.body, frame, scope, guarded | branch | body_guard)
            self._block(stmt.orelse, frame, scope, guarded | branch | else_guard)
            return
        if isinstance(stmt, (ast.While, ast.For, ast.AsyncFor)):
            if frame.collect is None and frame.unit is not None:
                for rule in self.index.loop_rules:
                    if rule.applies_to(frame.unit):
                        rule.check_loop(stmt, frame.unit, self, scope)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            unrestricted = frame.framework.unrestricted_blocks
            if unrestricted and any(qualname(_callee(item.context_expr), scope) in unrestricted
                                    for item in stmt.items):
                return  # an explicit escape hatch: not workflow code
        self._children(stmt, frame, scope, guarded)

    def _children(self, node: ast.AST, frame: _Frame, scope: Scope, guarded: int) -> None:
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    self._block(value, frame, scope, guarded)
                else:
                    for item in value:
                        if isinstance(item, ast.expr):
                            self._expr(item, frame, scope, guarded)
                        elif isinstance(item, ast.AST):
                            self._children(item, frame, scope, guarded)
            elif isinstance(value, ast.expr):
                self._expr(value, frame, scope, guarded)
            elif isinstance(value, ast.AST):
                self._children(value, frame, scope, guarded)

    # -- expressions ---------------------------------------------------------------------

    def _expr(self, node: ast.expr, frame: _Frame, scope: Scope, guarded: int) -> None:
        if isinstance(node, ast.Call):
            self._call(node, frame, scope, guarded)
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
                    self._found(match, node, frame, scope, guarded, _text(node))
                    self._suppress_chain(node, frame)
            if isinstance(node, ast.Attribute):
                self._expr(node.value, frame, scope, guarded)
            return
        if isinstance(node, _COMPREHENSIONS):
            if frame.collect is None and frame.unit is not None:
                for generator in node.generators:
                    self._iteration(generator.iter, frame, scope)
            frame.comprehensions += 1
            try:
                self._children(node, frame, scope, guarded)
            finally:
                frame.comprehensions -= 1
            return
        if isinstance(node, ast.JoinedStr):
            frame.fstrings += 1
            try:
                self._children(node, frame, scope, guarded)
            finally:
                frame.fstrings -= 1
            return
        if isinstance(node, ast.Lambda):
            for default in node.args.defaults:
                self._expr(default, frame, scope, guarded)
            if id(node) in self._activity_nodes:
                return  # run as an activity or step
            self._expr(node.body, frame, frame.module.scope_of(node, scope), guarded)
            return
        self._children(node, frame, scope, guarded)

    def _iteration(self, iterable: ast.expr, frame: _Frame, scope: Scope) -> None:
        unit = frame.unit
        assert unit is not None
        for rule in self.index.iteration_rules:
            if rule.applies_to(unit):
                rule.check_iteration(iterable, unit, self, scope)

    def _call(self, node: ast.Call, frame: _Frame, scope: Scope, guarded: int) -> None:
        if frame.collect is None and frame.unit is not None and self.index.call_rules:
            for rule in self.index.call_rules:
                if rule.applies_to(frame.unit):
                    rule.check_call(node, frame.unit, self, scope, guarded)
        if id(node) not in frame.suppressed:
            name = qualname(node.func, scope)
            match = self.index.match_call(name, node, frame.framework.name)
            if match is not None:
                self._found(match, node, frame, scope, guarded, _text(node))
                self._suppress_chain(node.func, frame)
            else:
                target = self.target(node.func, scope, name)
                if target is not None and target[2] == "helper":
                    self._helper_call(target[0], target[1], node, frame, guarded)
        self._expr(node.func, frame, scope, guarded)
        for arg in node.args:
            self._expr(arg, frame, scope, guarded)
        for keyword in node.keywords:
            self._expr(keyword.value, frame, scope, guarded)

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

    # -- findings ------------------------------------------------------------------------

    def _found(self, match: Match, node: ast.expr, frame: _Frame, scope: Scope, guarded: int,
               text: str) -> None:
        rule = match.rule
        if guarded & NOT_REPLAYING and rule.replay_guardable:
            return
        if frame.collect is not None:
            if rule.follows_helpers:
                frame.collect.append(Hazard(rule, match.qualname, text, node.lineno, node.col_offset,
                                            node.end_lineno or node.lineno,
                                            node.end_col_offset or node.col_offset,
                                            (), frame.module.path, node.lineno))
            return
        unit = frame.unit
        assert unit is not None
        if not rule.applies_to(unit):
            return
        message = rule.message.format(call=text, where=self.where(unit),
                                      alternative=self.alternative(unit, rule.code, match.qualname))
        site = self.site(node, unit, scope, frame, guarded)
        self.report(rule, node, message, rule.fix(site, match.qualname))

    # -- helpers -------------------------------------------------------------------------

    def target(self, func: ast.expr, scope: Scope, name: str | None = None
               ) -> tuple[ModuleInfo, FunctionNode, str] | None:
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
            kind = "workflow" if id(fn) in units else "activity" if id(fn) in activities else "helper"
            if kind == "helper" and self.project is not None and self.project.is_activity(module, fn):
                kind = "activity"
        else:
            kind = ("activity" if self.project.is_activity(module, fn) else
                    "workflow" if self.project.discovery(module).unit_for(fn) is not None else "helper")
        return module, fn, kind

    def site(self, node: ast.expr, unit: WorkflowUnit, scope: Scope, frame: _Frame | None = None,
             guarded: int = 0) -> FixSite:
        """Where a finding sits, for building its fix."""
        frame = frame or self._report_frame
        return FixSite(node, unit, scope, frame.module, frame.statement, frame.comprehensions > 0,
                       frame.fstrings > 0, bool(guarded))

    def _helper_call(self, module: ModuleInfo, helper: FunctionNode, call: ast.Call,
                     frame: _Frame, guarded: int) -> None:
        hazards = self._summary(module, helper, frame)
        for hazard in hazards:
            rule = hazard.rule
            if guarded & NOT_REPLAYING and rule.replay_guardable:
                continue
            chain = (helper.name, *hazard.chain)
            if frame.collect is not None:
                frame.collect.append(Hazard(rule, hazard.qualname, hazard.text, call.lineno,
                                            call.col_offset, call.end_lineno or call.lineno,
                                            call.end_col_offset or call.col_offset, chain,
                                            hazard.origin_path, hazard.origin_line))
                continue
            unit = frame.unit
            assert unit is not None
            if not rule.applies_to(unit):
                continue
            via = " -> ".join(f"{name}()" for name in chain)
            where = f"{self.where(unit)} via {via} at {hazard.origin_path}:{hazard.origin_line}"
            message = rule.message.format(call=hazard.text, where=where,
                                          alternative=self.alternative(unit, rule.code, hazard.qualname))
            fix = display_only(f"Move {hazard.text} out of {helper.name}() (or pass its value in)",
                               f"the hazard is inside the helper at {hazard.origin_path}:{hazard.origin_line}")
            self.report(rule, call, message, fix)

    def _summary(self, module: ModuleInfo, helper: FunctionNode, caller: _Frame) -> list[Hazard]:
        """The hazards a helper reaches (its own and its helpers'), once per framework."""
        key = (module.serial, helper.lineno, helper.col_offset, caller.framework.name)
        cached = self._summaries.get(key)
        if cached is not None:
            return cached
        if key in self._active:
            caller.cut.add(key)
            return []
        self._active.add(key)
        frame = _Frame(None, caller.framework, module, [])
        try:
            scope = module.scope_of(helper, module.scope)
            self._block(helper.body, frame, scope, 0)
        finally:
            self._active.discard(key)
        frame.cut.discard(key)
        if frame.cut:
            caller.cut |= frame.cut  # incomplete while a cycle is open: do not keep it
        else:
            self._summaries[key] = frame.collect or []
        return frame.collect or []

    # -- replay guards -------------------------------------------------------------------

    def _when_replaying(self, test: ast.expr, scope: Scope) -> bool:
        """``test`` is true whenever the workflow is replaying."""
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
            return any(self._when_replaying(v, scope) for v in test.values)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            right = test.comparators[0]
            if isinstance(right, ast.Constant) and right.value is True and \
                    isinstance(test.ops[0], (ast.Eq, ast.Is)):
                return self._is_replay_flag(test.left, scope)
            return False
        return self._is_replay_flag(test, scope)

    def _when_not_replaying(self, test: ast.expr, scope: Scope) -> bool:
        """``test`` is true only when the workflow is not replaying."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._is_replay_flag(test.operand, scope)
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            return any(self._when_not_replaying(v, scope) for v in test.values)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            right = test.comparators[0]
            op = test.ops[0]
            if isinstance(right, ast.Constant) and (
                    (right.value is False and isinstance(op, (ast.Eq, ast.Is)))
                    or (right.value is True and isinstance(op, (ast.NotEq, ast.IsNot)))):
                return self._is_replay_flag(test.left, scope)
        return False

    def _mentions_replay(self, test: ast.expr, scope: Scope) -> bool:
        return any(self._is_replay_flag(node, scope) for node in ast.walk(test)
                   if isinstance(node, (ast.Attribute, ast.Call)))

    def _is_replay_flag(self, expr: ast.expr, scope: Scope) -> bool:
        if isinstance(expr, ast.Attribute) and expr.attr == "is_replaying":
            return True
        if isinstance(expr, ast.Call) and not expr.args:
            return qualname(expr.func, scope) in REPLAY_FLAG_CALLS
        return False


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
