"""Fixes the walker asks for: where a finding sits, and the fix of hazards reported at a
helper's call site.

The walker (analysis) finds hazards and knows where they are; it never writes fix text. It is
handed a :class:`Fixes` and asks it for a :class:`~wflint.fixes.site.FixSite` (which rules use
to build their own fixes from the framework's tables) and for the fix of a helper call whose
hazards it reports at the workflow's call site.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING

from wflint.analysis.construction import is_construction
from wflint.analysis.durable import is_framework_call
from wflint.analysis.flow import own_expressions, statements
from wflint.analysis.scope import qualname
from wflint.analysis.walker import FINAL_EPISODE_CODES
from wflint.fixes.extract import extract_helper_call
from wflint.fixes.inside import context_parameter, fix_construction, fix_inside
from wflint.fixes.model import REPLACE, VERSION_GATE_NOTE, WRAP, Applicability, Edit, Fix
from wflint.fixes.site import FixSite

if TYPE_CHECKING:
    from wflint.analysis.discovery import FunctionNode, WorkflowUnit
    from wflint.analysis.scope import ModuleInfo, Scope
    from wflint.analysis.walker import Hazard, Walker

#: calls and methods that compute a value and change nothing
_PURE_CALLS = frozenset(f"builtins.{name}" for name in (
    "str", "repr", "len", "int", "float", "bool", "round", "sorted", "list", "dict", "tuple", "min",
    "max", "sum", "abs", "format", "isinstance", "getattr", "type"))
_PURE_METHODS = frozenset({"format", "join", "get", "strip", "lower", "upper", "replace", "split",
                           "items", "keys", "values", "startswith", "endswith"})
_MUTATING_METHODS = frozenset({"append", "extend", "insert", "remove", "pop", "popitem", "clear",
                               "update", "setdefault", "add", "discard", "sort", "reverse"})


class Fixes:
    """The fixes layer as the walker sees it."""

    def site(self, node: ast.expr, unit: WorkflowUnit, scope: Scope, module: ModuleInfo,
             statement: ast.stmt | None, in_comprehension: bool, in_fstring: bool,
             guarded: bool, replaying: bool) -> FixSite:
        """Where a finding sits, for building its fix."""
        return FixSite(node, unit, scope, module, statement, in_comprehension, in_fstring,
                       guarded, replaying)

    def helper_call(self, walker: Walker, site: FixSite, helper_module: ModuleInfo,
                    helper: FunctionNode, hazards: list[Hazard], code: str) -> Fix | None:
        """The fix of a helper's ``code`` hazards reported at its call (``site.node``): where
        the framework runs steps by a call, run the whole call as a step; a helper that only
        writes output, guard the call; a helper handed the workflow's context, rewrite them
        inside it; else move the call into a new activity."""
        unit, call, module = site.unit, site.node, site.module
        assert isinstance(call, ast.Call)
        framework = unit.framework
        if framework.step_runner:
            return _step_call(walker, site, helper_module, helper, call, framework.step_runner)
        codes = {hazard.rule.code for hazard in hazards}
        if is_construction(helper) and helper_module is module and getattr(helper, "name", "") not in (
                "__init__", "__post_init__"):
            return fix_construction(site, helper, [h for h in hazards if h.rule.code == code])
        if codes <= FINAL_EPISODE_CODES and site.is_own_statement(call) and \
                _only_output(walker, helper, helper_module, unit):
            for wrap in ("WFL502", "WFL501"):
                entry = framework.rewrite_for(wrap, "*")
                if entry is not None and entry.kind == WRAP:
                    return site.build(entry)
        if helper_module is module and not site.replay_only:
            param = context_parameter(unit, helper, call, site.scope)
            if param is not None:
                statement = site.statement
                driven = statement is not None and any(
                    isinstance(node, ast.YieldFrom) and node.value is call for node in ast.walk(statement))
                fix = fix_inside(unit, helper_module, helper, param, driven, site.replay_guarded,
                                 [hazard for hazard in hazards if hazard.rule.code == code])
                if fix is not None:
                    return fix
        if codes <= FINAL_EPISODE_CODES:
            return None  # output alone is not worth an activity
        if not framework.rewrites or is_construction(helper) or mutates_parameters(helper) or \
                walker.reaches(helper, helper_module, lambda c, s: is_framework_call(c, s, framework)):
            return None
        fix = extract_helper_call(site, min(codes), helper_module, helper)
        if fix is not None and fix.edits:
            return replace(fix, title=f"Move the call of {helper.name}() into a new activity",
                           note=fix.note)
        return fix


def _step_call(walker: Walker, site: FixSite, module: ModuleInfo, helper: FunctionNode,
               call: ast.Call, runner: str) -> Fix | None:
    """The helper call run as a checkpointed step (``DBOS.run_step({"name": ...}, f, x)``)."""
    if (not site.directly_in_workflow or site.in_fstring or site.replay_guarded or site.awaited()
            or isinstance(helper, ast.AsyncFunctionDef) or any(isinstance(a, ast.Starred)
                                                              for a in call.args)):
        return None
    if walker.reaches(helper, module, lambda c, s: is_framework_call(c, s, site.unit.framework)) or \
            mutates_parameters(helper):
        return None  # it runs steps itself, or changes what it was given
    owner, _, method = runner.rpartition(".")
    package, _, attribute = owner.rpartition(".")
    step, request = site.symbol(package, attribute)
    arguments = "".join(f", {site.text(a)}" for a in call.args) + "".join(
        f", {site.text(k)}" if k.arg is None else f", {k.arg}={site.text(k.value)}"
        for k in call.keywords)
    code = f'{step}.{method}({{"name": "{helper.name}"}}, {site.text(call.func)}{arguments})'
    return Fix(Applicability.UNSAFE, f"Run {helper.name}() as a step",
               (Edit(REPLACE, *site.char_range(call), code),),
               (request,) if request is not None else (),
               "it records a checkpointed step; " + VERSION_GATE_NOTE)


def _only_output(walker: Walker, helper: FunctionNode, module: ModuleInfo, unit: WorkflowUnit) -> bool:
    """The helper only writes output: logging and print calls, branches, and locals built
    without calling anything but builtins (guarding its call then changes nothing else)."""
    scope = module.scope_of(helper, module.scope)
    for stmt in statements(helper.body):
        if isinstance(stmt, (ast.Pass, ast.If)) or (isinstance(stmt, ast.Return) and (
                stmt.value is None or isinstance(stmt.value, ast.Constant) and stmt.value.value is None)):
            pass
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # a docstring
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            match = walker.index.match_call(qualname(stmt.value.func, scope), stmt.value,
                                            unit.framework)
            if match is None or match.rule.code not in FINAL_EPISODE_CODES:
                return False
            continue
        elif isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
            pass
        else:
            return False
        for part in own_expressions(stmt):
            for node in ast.walk(part):
                if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr)):
                    return False
                if isinstance(node, ast.Call) and qualname(node.func, scope) not in _PURE_CALLS \
                        and not (isinstance(node.func, ast.Attribute) and node.func.attr in _PURE_METHODS):
                    return False
    return True


def mutates_parameters(function: FunctionNode) -> bool:
    """The function changes an object it was given (item or attribute stores, mutating methods)."""
    params = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
    for node in ast.walk(function):
        targets: list[ast.expr] = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in _MUTATING_METHODS:
            targets = [node.func.value]
        for target in targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)):
                root = target.value
                while isinstance(root, (ast.Attribute, ast.Subscript)):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in params:
                    return True
            elif isinstance(target, ast.Name) and target.id in params and \
                    isinstance(node, ast.Call):
                return True
    return False
