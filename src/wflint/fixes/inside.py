"""Fixes written inside a helper that is handed the workflow's context.

``def charge(ctx, order): stamp = datetime.utcnow(); ...`` called as ``yield from
charge(ctx, order)`` is fixed where the hazard is: the framework's rewrite, with the helper's
own parameter as the context (``stamp = ctx.current_utc_datetime``). That is only right when
the parameter is a workflow context for every caller, not just this one: the helper must use
it as one already (``ctx.call_activity(...)``, ``ctx.current_utc_datetime``, ...) or declare
it with the framework's context type. Hazards under a branch on the replay flag, in nested
functions, reached through further helpers, or fixed by a new activity are left to the call
site.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from wflint.analysis.discovery import FunctionNode, WorkflowUnit
from wflint.analysis.flow import parent_map
from wflint.analysis.scope import ModuleInfo, Scope, qualname
from wflint.analysis.construction import FIELDS
from wflint.fixes.model import REPLACE, Applicability, Edit, Fix
from wflint.fixes.site import FixSite
from wflint.frameworks._fixes import EXTRACT_TEMPLATE

#: what only a workflow context has, with the framework's command methods: using a parameter
#: this way shows it is one
CONTEXT_MEMBERS = frozenset({
    "current_utc_datetime", "is_replaying", "new_uuid", "new_guid", "instance_id",
    "continue_as_new", "set_custom_status", "get_input", "create_replay_safe_logger",
    "call_entity", "signal_entity", "task_all", "task_any",
})
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def context_parameter(unit: WorkflowUnit, helper: FunctionNode, call: ast.Call,
                      scope: Scope) -> str | None:
    """The helper's parameter that receives the workflow's context at ``call`` and is a
    workflow context wherever the helper is called from; None when there is none."""
    ctx = unit.ctx_name
    if ctx is None or unit.framework.context == "module" or not isinstance(call.func, ast.Name):
        return None
    params = [a for a in (*helper.args.posonlyargs, *helper.args.args)]
    found: ast.arg | None = None
    for position, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred) or position >= len(params):
            break
        if isinstance(arg, ast.Name) and arg.id == ctx:
            found = params[position]
    for keyword in call.keywords:
        if keyword.arg is not None and isinstance(keyword.value, ast.Name) and keyword.value.id == ctx:
            found = next((a for a in (*params, *helper.args.kwonlyargs) if a.arg == keyword.arg), None)
    if found is None:
        return None
    name = found.arg
    for node in ast.walk(helper):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return None  # rebound: not the context everywhere
        if isinstance(node, _NESTED) and node is not helper and _binds(node, name):
            return None
    annotated = found.annotation is not None and \
        qualname(found.annotation, scope) in unit.framework.context_types
    members = CONTEXT_MEMBERS | unit.framework.context_methods
    used = any(isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
               and node.value.id == name and node.attr in members for node in ast.walk(helper))
    return name if annotated or used else None


def _binds(node: ast.AST, name: str) -> bool:
    if isinstance(node, ast.ClassDef):
        return node.name == name
    args = node.args  # type: ignore[attr-defined]
    return any(a.arg == name for a in (*args.posonlyargs, *args.args, *args.kwonlyargs,
                                       *filter(None, (args.vararg, args.kwarg))))


def fix_inside(unit: WorkflowUnit, module: ModuleInfo, helper: FunctionNode, param: str,
               driven: bool, guarded: bool, hazards: list) -> Fix | None:
    """One fix that rewrites each of ``hazards`` (all of one code, all directly in ``helper``)
    in place, with ``param`` as the context; None unless every one of them has a rewrite there.
    ``driven``: the helper is a generator the workflow drives with ``yield from``, so a
    rewrite may yield a durable task in it; ``guarded``: this call is under a replay guard.
    Deterministic draws are never moved into a helper: another caller may call it under a
    replay guard, where the draw would shift the stream."""
    if not hazards or any(h.chain or h.origin_path != module.path for h in hazards):
        return None
    if any(isinstance(stmt, ast.If) and _on_replay_flag(stmt.test) and stmt.body
           and isinstance(stmt.body[-1], _EXITS) for stmt in ast.walk(helper)):
        return None  # an early exit on the replay flag: what follows runs on the first pass only
    parents = parent_map(helper)
    scope = module.scope_of(helper, module.scope)
    local = replace(unit, node=helper, ctx_name=param, display=helper.name,
                    kind="workflow" if driven else "helper", decorator=None, registration=None,
                    external=False)
    fixes: list[Fix] = []
    for hazard in hazards:
        node = _node_at(helper, hazard)
        if node is None:
            return None
        chain = _ancestors(node, parents)
        if any(isinstance(a, _NESTED) or isinstance(a, (ast.If, ast.IfExp, ast.While))
               and _on_replay_flag(a.test) for a in chain):
            return None  # in a nested function, or on one side of a branch on the replay flag
        statement = next((a for a in chain if isinstance(a, ast.stmt)), None)
        site = FixSite(node, local, scope, module, statement,
                       any(isinstance(a, _COMPREHENSIONS) for a in chain),
                       any(isinstance(a, ast.JoinedStr) for a in chain), guarded)
        rule = hazard.rule
        entry = unit.framework.rewrite_for(rule.code, hazard.qualname, rule.shape(site))
        if entry is None or entry.template == EXTRACT_TEMPLATE or "draw" in entry.requires:
            return None
        fix = rule.fix(site, hazard.qualname)
        if fix is None or fix.applicability is Applicability.DISPLAY_ONLY or not fix.edits:
            return None
        fixes.append(fix)
    unsafe = any(f.applicability is Applicability.UNSAFE for f in fixes)
    notes = list(dict.fromkeys(f.note for f in fixes if f.note))
    title = fixes[0].title if len(fixes) == 1 else f"Rewrite {len(fixes)} calls"
    return Fix(Applicability.UNSAFE if unsafe else Applicability.SAFE,
               f"{title} inside {helper.name}(), whose '{param}' is the workflow context",
               tuple(e for f in fixes for e in f.edits),
               tuple(dict.fromkeys(i for f in fixes for i in f.imports)), "; ".join(notes))


def _on_replay_flag(test: ast.expr) -> bool:
    return any(isinstance(node, ast.Attribute) and node.attr == "is_replaying" for node in ast.walk(test))


def _ancestors(node: ast.AST, parents: dict[int, ast.AST]) -> list[ast.AST]:
    """From the node's parent up to (not including) the helper itself."""
    found: list[ast.AST] = []
    current = parents.get(id(node))
    while current is not None and id(current) in parents:
        found.append(current)
        current = parents.get(id(current))
    return found


def _node_at(helper: FunctionNode, hazard) -> ast.expr | None:
    for node in ast.walk(helper):
        if isinstance(node, ast.expr) and node.lineno == hazard.line and node.col_offset == hazard.col \
                and node.end_lineno == hazard.end_line and node.end_col_offset == hazard.end_col:
            return node
    return None


def fix_construction(site: FixSite, synthetic: FunctionNode, hazards: list) -> Fix | None:
    """Give the fields whose default factories hold ``hazards`` at the construction instead
    (``Turn(text=t)`` → ``Turn(text=t, id=str(ctx.new_uuid()))``): each factory's value, with
    the framework's rewrite of every hazard in it, becomes a keyword argument of the call.
    None unless every hazard has such a rewrite."""
    call = site.node
    fields = getattr(synthetic, FIELDS, None)
    if not isinstance(call, ast.Call) or not fields or not hazards:
        return None
    unit = site.unit
    chosen: dict[str, tuple[ast.expr, list[tuple[ast.expr, Fix]]]] = {}
    for hazard in hazards:
        if hazard.chain:
            return None
        owner = next(((name, factory) for name, factory in fields if _inside(hazard, factory)), None)
        if owner is None:
            return None
        name, factory = owner
        value = factory.body if isinstance(factory, ast.Lambda) else factory
        node = value if not isinstance(factory, ast.Lambda) and _same_span(factory, hazard) else \
            _node_at(factory, hazard)
        if node is None:
            return None
        here = FixSite(node, unit, site.scope, site.module, site.statement, False, False,
                       site.replay_guarded, site.replay_only)
        rule = hazard.rule
        entry = unit.framework.rewrite_for(rule.code, hazard.qualname, rule.shape(here))
        if entry is None or entry.template == EXTRACT_TEMPLATE:
            return None
        fix = rule.fix(here, hazard.qualname)
        if fix is None or fix.applicability is Applicability.DISPLAY_ONLY or len(fix.edits) != 1:
            return None
        chosen.setdefault(name, (value, []))[1].append((node, fix))
    keywords, fixes = [], []
    for name, (value, rewrites) in chosen.items():
        text = _rewritten(site, value, rewrites, isinstance(fields_factory(fields, name), ast.Lambda))
        if text is None:
            return None
        keywords.append(f"{name}={text}")
        fixes.extend(fix for _, fix in rewrites)
    inner = site.text(call)
    if not inner.endswith(")"):
        return None
    head = inner[:-1].rstrip()
    separator = "" if head.endswith(("(", ",")) else ", "
    if head.endswith(","):
        separator = " "
    replacement = head + separator + ", ".join(keywords) + ")"
    unsafe = any(f.applicability is Applicability.UNSAFE for f in fixes)
    notes = list(dict.fromkeys(f.note for f in fixes if f.note))
    return Fix(Applicability.UNSAFE if unsafe else Applicability.SAFE,
               f"Pass {', '.join(f'`{name}`' for name in chosen)} to the constructor, from the "
               "workflow's deterministic API",
               (Edit(REPLACE, *site.char_range(call), replacement),),
               tuple(dict.fromkeys(i for f in fixes for i in f.imports)), "; ".join(notes),
               removes_inner=False)


def fields_factory(fields: list, name: str) -> ast.expr:
    return next(factory for field, factory in fields if field == name)


def _inside(hazard, node: ast.AST) -> bool:
    start, end = (hazard.line, hazard.col), (hazard.end_line, hazard.end_col)
    return (node.lineno, node.col_offset) <= start and \
        end <= (node.end_lineno or node.lineno, node.end_col_offset or 0)


def _same_span(node: ast.AST, hazard) -> bool:
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset) == \
        (hazard.line, hazard.col, hazard.end_line, hazard.end_col)


def _rewritten(site: FixSite, value: ast.expr, rewrites: list[tuple[ast.expr, Fix]],
               lambda_body: bool) -> str | None:
    """The factory's value as source, each hazard replaced by its rewrite (a factory given by
    reference, ``uuid.uuid4``, is itself the call that its rewrite replaces)."""
    (line, col), (end_line, end_col) = site.char_range(value)
    if line != end_line and not lambda_body:
        return None
    text = site.text(value)
    pieces = []
    for _, fix in sorted(rewrites, key=lambda item: item[1].edits[0].start, reverse=True):
        edit = fix.edits[0]
        if edit.kind != REPLACE or edit.start[0] != line or edit.end[0] != line:
            return None
        pieces.append((edit.start[1] - col, edit.end[1] - col, edit.content))
    for start, end, content in pieces:  # from the right, so earlier offsets stay valid
        if start < 0 or end > len(text):
            return None
        text = text[:start] + content + text[end:]
    return text
