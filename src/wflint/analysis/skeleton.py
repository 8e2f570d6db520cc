"""A workflow's durable-call skeleton: what the engine records, in the order the code issues it.

Replay matches new code against recorded history by position: each durable operation the code
issues must be the one recorded at that position (its kind, and the name the engine compares).
The skeleton keeps exactly that — activities, steps, timers, child workflows, external events,
signals — in source order, with the control structure around them (a branch, a loop, a
version gate) as markers, and follows the helpers the workflow calls, across modules. Logging,
pure computation and arguments are left out: replay does not compare them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wflint.analysis.scope import Scope, binding_scope, qualname, resolve_function

if TYPE_CHECKING:
    from wflint.analysis.discovery import Discovery, WorkflowUnit
    from wflint.analysis.project import Project
    from wflint.analysis.scope import ModuleInfo

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
#: control markers: a branch, a loop, a handler, and a version gate (with the gate's id)
IF, ELSE, END, LOOP, END_LOOP, GATE, GATE_ELSE, GATE_END, RETIRE = (
    "if", "else", "end", "loop", "end-loop", "gate", "gate-else", "gate-end", "retire")
CONTROL = frozenset({IF, ELSE, END, LOOP, END_LOOP, GATE, GATE_ELSE, GATE_END, RETIRE})
_MAX_DEPTH = 6
#: the kinds of command whose recorded name replay compares (a timer or a wait is matched by
#: its kind alone)
NAMED_KINDS = frozenset({"activity", "child", "step", "signal", "entity"})


@dataclass(frozen=True)
class Op:
    """One recorded operation (``kind`` a command kind, ``name`` what the engine compares) or a
    control marker (``kind`` in CONTROL, ``name`` its condition text or gate id)."""

    kind: str
    name: str
    path: str
    line: int
    text: str = ""
    #: the retry policy a command is given, as written where it is defined (frameworks that
    #: retry with timers of the workflow's own)
    retry: str = ""
    #: what else replay compares of the command (``local activity``, ``activity_id='a1'``)
    fields: str = ""

    @property
    def is_command(self) -> bool:
        return self.kind not in CONTROL


def skeleton(unit: WorkflowUnit, module: ModuleInfo, discovery: Discovery,
             project: Project | None) -> list[Op]:
    builder = _Builder(unit, project, discovery)
    return builder.function(module, unit.node, unit.ctx_name, 0)


class _Builder:
    def __init__(self, unit: WorkflowUnit, project: Project | None, discovery: Discovery) -> None:
        self.unit = unit
        self.framework = unit.framework
        self.project = project
        self.activities = {id(node) for node in discovery.activities}
        self.workflows = {id(u.node): u for u in discovery.units}
        self.active: set[int] = set()

    def function(self, module: ModuleInfo, node: FunctionNode, ctx: str | None, depth: int) -> list[Op]:
        if id(node) in self.active or depth > _MAX_DEPTH:
            return []
        self.active.add(id(node))
        try:
            scope = module.scope_of(node, module.scope)
            return self.block(node.body, module, scope, ctx, depth)
        finally:
            self.active.discard(id(node))

    # -- statements -------------------------------------------------------------------------

    def block(self, body: list[ast.stmt], module: ModuleInfo, scope: Scope, ctx: str | None,
              depth: int) -> list[Op]:
        ops: list[Op] = []
        for stmt in body:
            ops.extend(self.statement(stmt, module, scope, ctx, depth))
        return ops

    def statement(self, stmt: ast.stmt, module: ModuleInfo, scope: Scope, ctx: str | None,
                  depth: int) -> list[Op]:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return []
        sub = lambda body: self.block(body, module, scope, ctx, depth)  # noqa: E731
        where = lambda kind, name: Op(kind, name, module.path, stmt.lineno)  # noqa: E731
        if isinstance(stmt, ast.If):
            # ``if not patched("id"):`` keeps the old code first: its branches swap
            negated = isinstance(stmt.test, ast.UnaryOp) and isinstance(stmt.test.op, ast.Not)
            gate = self._gate(stmt.test.operand if negated else stmt.test, scope, ctx)
            if gate is not None:
                new, old = (stmt.orelse, stmt.body) if negated else (stmt.body, stmt.orelse)
                return [where(GATE, gate), *sub(new), where(GATE_ELSE, gate), *sub(old),
                        where(GATE_END, gate)]
            test = self.expression(stmt.test, module, scope, ctx, depth)
            then, other = sub(stmt.body), sub(stmt.orelse)
            if not then and not other:
                return test
            return [*test, where(IF, ast.unparse(stmt.test)), *then, where(ELSE, ""), *other,
                    where(END, "")]
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            head = self.expression(stmt.iter if not isinstance(stmt, ast.While) else stmt.test,
                                   module, scope, ctx, depth)
            body = sub(stmt.body)
            loop = [where(LOOP, ""), *body, where(END_LOOP, "")] if body else []
            return [*head, *loop, *sub(stmt.orelse)]
        if isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            ops = sub(stmt.body)
            for handler in stmt.handlers:
                caught = sub(handler.body)
                if caught:
                    ops += [where(IF, "except"), *caught, where(ELSE, ""), where(END, "")]
            return [*ops, *sub(stmt.orelse), *sub(stmt.finalbody)]
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            ops = []
            for item in stmt.items:
                ops += self.expression(item.context_expr, module, scope, ctx, depth)
            return ops + sub(stmt.body)
        if isinstance(stmt, ast.Match):
            ops = self.expression(stmt.subject, module, scope, ctx, depth)
            for case in stmt.cases:
                body = sub(case.body)
                if body:
                    ops += [where(IF, "case"), *body, where(ELSE, ""), where(END, "")]
            return ops
        ops = []
        for child in ast.iter_child_nodes(stmt):
            if isinstance(child, ast.expr):
                ops += self.expression(child, module, scope, ctx, depth)
        return ops

    # -- expressions --------------------------------------------------------------------------

    def expression(self, expr: ast.expr, module: ModuleInfo, scope: Scope, ctx: str | None,
                   depth: int) -> list[Op]:
        calls = [node for node in _own_nodes(expr) if isinstance(node, ast.Call)]
        calls.sort(key=lambda c: (c.lineno, c.col_offset))
        ops: list[Op] = []
        for call in calls:
            ops += self.call(call, module, scope, ctx, depth)
        return ops

    def call(self, call: ast.Call, module: ModuleInfo, scope: Scope, ctx: str | None,
             depth: int) -> list[Op]:
        fw = self.framework
        func = call.func
        name = qualname(func, scope)
        text = ast.unparse(func)
        on_ctx = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
            ctx is not None and func.value.id == ctx
        method = func.attr if on_ctx else None
        gate = self._gate(call, scope, ctx)
        if gate is not None:
            # a gate whose value is kept (``new = workflow.patched("id")``): recorded, no branch
            return [Op(kind, gate, module.path, call.lineno, text) for kind in (GATE, GATE_ELSE, GATE_END)]
        if self._is(name, method, fw.gate_retirements):
            return [Op(RETIRE, _constant(call.args[0]) if call.args else "?", module.path, call.lineno, text)]
        kind = fw.command_kind(name, method)
        if kind is not None:
            if kind == "wait" and not call.keywords and len(call.args) < 2:
                return []  # a state wait without a timeout records nothing
            fields = self._fields(call, kind, name)
            name = self._recorded_name(call, module, scope) if kind in NAMED_KINDS else ""
            return [Op(kind, name, module.path, call.lineno, text, self._retry(call, scope), fields)]
        found = self._function(func, module, scope, name)
        if found is None:
            return []
        target_module, target = found
        if id(target) in self.activities:
            if fw.activity_call is not None:
                return []  # it only builds the call the command around it records
            # a step called directly (DBOS)
            return [Op("step", declared_name(target), module.path, call.lineno, text)]
        called = self.workflows.get(id(target))
        if called is not None and called.is_entry and target is not self.unit.node and \
                fw.activity_call is None:  # a workflow called directly starts a child (DBOS)
            return [Op("child", declared_name(target), module.path, call.lineno, text)]
        params = [a.arg for a in (*target.args.posonlyargs, *target.args.args)]
        inner_ctx = ctx
        if fw.context != "module":  # the helper reaches the context through its parameter
            inner_ctx = None
            for position, arg in enumerate(call.args):
                if isinstance(arg, ast.Name) and arg.id == ctx and position < len(params):
                    inner_ctx = params[position]
            for keyword in call.keywords:
                if isinstance(keyword.value, ast.Name) and keyword.value.id == ctx:
                    inner_ctx = keyword.arg
            if params and params[0] in ("self", "cls") and isinstance(func, ast.Attribute):
                inner_ctx = inner_ctx or ctx
        return self.function(target_module, target, inner_ctx, depth + 1)

    # -- names ----------------------------------------------------------------------------

    def _gate(self, expr: ast.expr, scope: Scope, ctx: str | None) -> str | None:
        """The id of a version gate: a gate call (``workflow.patched("v2")``), or a test that the
        instance's version is (at least) a given one (``ctx.version == "2"``)."""
        attribute = self.framework.version_attribute
        if attribute and isinstance(expr, ast.Compare) and len(expr.ops) == 1 and \
                isinstance(expr.ops[0], (ast.Eq, ast.Gt, ast.GtE)):
            left, right = expr.left, expr.comparators[0]
            if isinstance(left, ast.Attribute) and left.attr == attribute and \
                    isinstance(left.value, ast.Name) and left.value.id == ctx and \
                    isinstance(right, ast.Constant) and isinstance(right.value, (str, int, float)):
                symbol = {ast.Eq: "==", ast.Gt: ">", ast.GtE: ">="}[type(expr.ops[0])]
                return f"version {symbol} {right.value!r}"
            return None
        if isinstance(expr, ast.Await):
            expr = expr.value
        if not isinstance(expr, ast.Call) or not expr.args:
            return None
        func = expr.func
        method = func.attr if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
            and func.value.id == ctx else None
        if not self._is(qualname(func, scope), method, self.framework.gates):
            return None
        return _constant(expr.args[0]) or ast.unparse(expr.args[0])

    def _fields(self, call: ast.Call, kind: str, qualified: str | None) -> str:
        """What replay compares of a command besides its kind and name, as text."""
        fw = self.framework
        parts = [fw.command_variants[qualified]] if qualified in fw.command_variants else []
        wanted = {keyword for command_kind, keyword in fw.compared_keywords if command_kind == kind}
        parts += [f"{k.arg}={ast.unparse(k.value)}" for k in call.keywords if k.arg in wanted]
        return ", ".join(parts)

    def _retry(self, call: ast.Call, scope: Scope) -> str:
        """The retry policy of a command (``retry_policy=RetryPolicy(...)``), followed to the
        value of a name bound once (``retry_policy=RETRY``)."""
        for keyword in call.keywords:
            if keyword.arg in self.framework.retry_keywords:
                value = keyword.value
                for _ in range(_MAX_DEPTH):  # ``RETRY = BASE_RETRY`` is followed, a cycle is not
                    bound = _single_value(scope, value.id) if isinstance(value, ast.Name) else None
                    if bound is None:
                        break
                    value = bound
                return ast.unparse(value)
        return ""

    @staticmethod
    def _is(name: str | None, method: str | None, table: tuple[str, ...]) -> bool:
        return (name is not None and name in table) or (method is not None and method in table)

    def _recorded_name(self, call: ast.Call, module: ModuleInfo, scope: Scope) -> str:
        """The name the engine records for a command: the activity or workflow it runs (its
        registered name when it is declared with one), a string as written, else "?"."""
        target: ast.expr | None = call.args[0] if call.args else None
        if isinstance(target, ast.Call):
            target = target.func  # ``context.step(reserve(item))``: the step ``reserve``
        for keyword in call.keywords:
            if keyword.arg in ("activity", "workflow", "fn", "func", "orchestrator"):
                target = keyword.value
        if isinstance(target, ast.Dict):  # DBOS.run_step({"name": ...}, fn)
            for key, value in zip(target.keys, target.values):
                if isinstance(key, ast.Constant) and key.value == "name":
                    return _constant(value) or "?"
            target = call.args[1] if len(call.args) > 1 else None
        if target is None:
            return ""
        text = _constant(target)
        if text is not None:
            return text
        found = self._function(target, module, scope, qualname(target, scope))
        if found is not None:
            return declared_name(found[1])
        if isinstance(target, ast.Attribute):
            owner = target.value  # ``Child.run``: the workflow type is the class
            if isinstance(owner, ast.Name):
                classes = module.scope.classes.get(owner.id)
                if classes and len(classes) == 1:
                    return declared_name(classes[0])
            return target.attr
        if isinstance(target, ast.Name):
            holder = binding_scope(target.id, scope)
            if holder is not None and not holder.is_module and \
                    (target.id in holder.params or target.id in holder.stores):
                return "?"  # chosen while the workflow runs (``fn = a if x else b``)
            return target.id
        return "?"

    def _function(self, func: ast.expr, module: ModuleInfo, scope: Scope, name: str | None
                  ) -> tuple[ModuleInfo, FunctionNode] | None:
        if isinstance(func, ast.Name):
            found = resolve_function(func.id, scope)
            if found is not None:
                return module, found
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                func.value.id in ("self", "cls"):
            owner = self.unit.class_name
            cls = next((c for c in module.scope.classes.get(owner or "", [])), None)
            if cls is not None:
                for item in cls.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == func.attr:
                        return module, item
        if self.project is not None and name and not name.endswith("()"):
            return self.project.function(name)
        return None


def decorator_keyword(holder: ast.AST | None, keyword: str) -> str | None:
    """The string a decorator of ``holder`` is given as ``keyword`` (``name="charge"``)."""
    for decorator in getattr(holder, "decorator_list", []):
        if isinstance(decorator, ast.Call):
            for given in decorator.keywords:
                if given.arg == keyword:
                    value = _constant(given.value)
                    if value is not None:
                        return value
    return None


def declared_name(function: FunctionNode | ast.ClassDef) -> str:
    """The name a function or class is registered under: a decorator's ``name=`` when given."""
    return decorator_keyword(function, "name") or function.name


def _single_value(scope: Scope, name: str) -> ast.expr | None:
    """The value ``name`` is bound to, when the scope binding it assigns it exactly once."""
    scope = binding_scope(name, scope)
    if scope is None or scope.binding_kinds(name) != 1:
        return None
    values = scope.values.get(name, [])
    return values[0] if len(values) == 1 and scope.stores.get(name) == 1 else None


def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _own_nodes(expr: ast.expr):
    """The nodes of an expression, without those of lambdas (run later, elsewhere)."""
    stack: list[ast.AST] = [expr]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(child for child in ast.iter_child_nodes(current) if not isinstance(child, ast.Lambda))
