"""Which functions of a module are workflow code, and which are activities.

A function is workflow code *in place* when it is a workflow (decorated,
registered, or taking an annotated workflow context), a method of a Temporal
``@workflow.defn`` class, or a DBOS ``@DBOS.workflow()``. Activities and steps
(decorated, registered, annotated, or passed to ``call_activity`` /
``execute_activity`` / ``DBOS.run_step``) are never workflow code, even when
something else would make them look like one.
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass, field

from wflint.analysis.scope import ModuleInfo, Scope, callee_tail, qualname
from wflint.frameworks import CONFIGURED, FRAMEWORKS, Framework

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class WorkflowUnit:
    """A function that is workflow code in place."""

    node: FunctionNode
    framework: Framework
    display: str
    #: the name that reaches the context in this function (``ctx``, ``workflow``, ``DBOS``)
    ctx_name: str | None
    #: "workflow" (an entry point), "method" (a Temporal helper method) or a handler kind
    kind: str = "workflow"
    class_name: str | None = None
    #: how it was declared, for fixes that register a new activity the same way: the
    #: decorator, or the registration call (``wfr.register_workflow(fn)``)
    decorator: ast.expr | None = None
    registration: ast.Call | None = None
    #: registered by another module of the project, or started as a (child) workflow
    external: bool = False
    #: how an undeclared orchestrator was recognised by its shape (``yield ctx.call_activity(...)``)
    recognised: str = ""

    @property
    def is_entry(self) -> bool:
        """An entry point the engine runs (decorated or registered, or Temporal's run method),
        not a helper that merely takes the context."""
        if self.kind == "run":
            return True
        return self.kind == "workflow" and (self.decorator is not None or self.registration is not None
                                            or self.external)


@dataclass
class Discovery:
    units: list[WorkflowUnit] = field(default_factory=list)
    activities: set[FunctionNode] = field(default_factory=set)
    #: lambdas run as activities/steps (``DBOS.run_step(None, lambda: ...)``)
    lambda_activities: set[ast.Lambda] = field(default_factory=set)
    frameworks: tuple[Framework, ...] = ()

    def unit_for(self, node: ast.AST) -> WorkflowUnit | None:
        for unit in self.units:
            if unit.node is node:
                return unit
        return None


def _imported_frameworks(imported: set[str], allowed: tuple[str, ...] | None) -> list[Framework]:
    found = []
    for fw in FRAMEWORKS.values():
        if fw.configured:
            continue
        if allowed is not None and fw.name not in allowed:
            continue
        if any(name == m or name.startswith(m + ".") or m.startswith(name + ".")
               for name in imported for m in fw.modules):
            found.append(fw)
    return found


def enabled_frameworks(module: ModuleInfo, allowed: tuple[str, ...] | None,
                       workflow_decorators: tuple[str, ...]) -> tuple[Framework, ...]:
    """The frameworks a module imports (limited to ``allowed`` when configured), at module level
    or, when it imports none there, inside a function (``from dapr.ext.workflow import ...``
    in the function that sets the runtime up)."""
    found = _imported_frameworks(module.imported, allowed) or \
        _imported_frameworks(module.imported_anywhere, allowed)
    if workflow_decorators:
        found.append(CONFIGURED)
    return tuple(found)


def discover(module: ModuleInfo, frameworks: tuple[Framework, ...],
             workflow_decorators: tuple[str, ...] = (),
             activity_decorators: tuple[str, ...] = (),
             external: tuple[tuple[str, str], ...] = ()) -> Discovery:
    """``external``: (name, framework) of workflows another module registers from this one."""
    result = Discovery(frameworks=frameworks)
    if not frameworks:
        return result
    finder = _Finder(module, frameworks, workflow_decorators, activity_decorators)
    finder.run()
    for local, framework in external:
        fw = FRAMEWORKS[framework]
        if local in finder.module_functions:
            finder._add(finder.module_functions[local], fw, None, None, external=True)
        elif local in finder.module_classes and fw.workflow_class_decorators:
            finder._workflow_class(finder.module_classes[local], fw)
    activities = finder.activities
    driven = None
    for unit in finder.units:
        if unit.node in finder.started:
            unit.external = True  # started as a workflow: an entry point
        elif (unit.kind == "workflow" and unit.decorator is None and unit.registration is None
              and unit.framework.style == "generator" and _is_generator(unit.node)):
            # a public generator taking the context that no code of the module drives with
            # ``yield from``: the engine runs it, so it is a workflow of its own (a private
            # one is taken for a helper that another module may drive)
            if driven is None:
                driven = _driven_names(module)
            unit.external = unit.node.name not in driven and not unit.node.name.startswith("_")
    result.activities = activities
    result.lambda_activities = finder.lambda_activities
    seen: dict[int, WorkflowUnit] = {}
    for unit in finder.units:
        if unit.node in activities:
            continue
        first = seen.get(id(unit.node))
        if first is not None:  # declared twice (annotated and registered): keep both ways
            first.decorator = first.decorator or unit.decorator
            first.registration = first.registration or unit.registration
            first.external = first.external or unit.external
            continue
        seen[id(unit.node)] = unit
        result.units.append(unit)
    for unit in result.units:
        if unit.decorator is not None or unit.registration is not None:
            unit.recognised = ""  # declared after all: no need to say how it was recognised
    result.units.sort(key=lambda u: (u.node.lineno, u.node.col_offset))
    return result


_SDK_MODULES = tuple(m for fw in FRAMEWORKS.values() for m in fw.modules)


def _is_sdk(name: str | None) -> bool:
    return name is not None and any(name == m or name.startswith(m + ".") for m in _SDK_MODULES)


class _Finder:
    def __init__(self, module: ModuleInfo, frameworks: tuple[Framework, ...],
                 workflow_decorators: tuple[str, ...], activity_decorators: tuple[str, ...]) -> None:
        self.module = module
        self.scope: Scope = module.scope
        self.frameworks = frameworks
        #: what a context-typed parameter makes a function, first parameter and later ones
        self.context_roles = _context_roles(frameworks)
        self.workflow_decorators = frozenset(workflow_decorators)
        self.activity_decorators = frozenset(activity_decorators)
        self.units: list[WorkflowUnit] = []
        self.activities: set[FunctionNode] = set()
        self.lambda_activities: set[ast.Lambda] = set()
        #: functions started as workflows somewhere in the module (a child workflow, a schedule)
        self.started: set[FunctionNode] = set()
        self.module_functions = {name: defs[0] for name, defs in module.scope.functions.items()
                                 if len(defs) == 1}
        self.module_classes = {name: defs[0] for name, defs in module.scope.classes.items()
                               if len(defs) == 1}
        #: the names the module drives with ``yield from`` (computed on first use)
        self.driven: set[str] | None = None
        #: the numbers of the lines that mention ``yield`` (computed on first use)
        self.yield_lines: list[int] | None = None

    # -- entry -------------------------------------------------------------------------

    def run(self) -> None:
        for node in _definitions(self.module.tree.body):
            if isinstance(node, ast.ClassDef):
                self._class(node)
            else:
                self._function(node, None)
        self._registrations()

    # -- decorators ----------------------------------------------------------------------

    def _decorator_role(self, decorator: ast.expr) -> tuple[str, Framework, ast.expr] | None:
        """("workflow" | "activity", framework, decorator) for a recognised decorator."""
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = qualname(target, self.scope)
        for fw in self.frameworks:
            if fw.configured:
                text = name or ""
                if text in self.workflow_decorators:
                    return "workflow", fw, decorator
                if text in self.activity_decorators:
                    return "activity", fw, decorator
                continue
            if name in fw.workflow_decorators:
                return "workflow", fw, decorator
            if name in fw.activity_decorators:
                return "activity", fw, decorator
            if isinstance(target, ast.Attribute):
                if target.attr in fw.workflow_decorator_attrs and self._registry(target.value, fw):
                    return "workflow", fw, decorator
                if target.attr in fw.activity_decorator_attrs and self._registry(target.value, fw):
                    return "activity", fw, decorator
        if name is not None and (name in self.activity_decorators):
            return "activity", self.frameworks[0], decorator
        return None

    def _registry(self, receiver: ast.expr, fw: Framework) -> bool:
        """Whether ``receiver`` can be the framework's runtime/app/worker object."""
        name = qualname(receiver, self.scope)
        if name is None:
            return True
        if name.endswith("()") and name[:-2] in fw.registry_types:
            return True
        # an object created elsewhere (imported, or built by a project factory)
        return not _is_sdk(name)

    def _function(self, node: FunctionNode, class_name: str | None) -> None:
        roles = [role for d in node.decorator_list if (role := self._decorator_role(d))]
        if any(role == "activity" for role, _, _ in roles):
            self.activities.add(node)  # an activity wins over anything else
            return
        for role, fw, decorator in roles:
            if role == "workflow":
                self._add(node, fw, class_name, decorator)
                return
        annotated = self._annotated_framework(node, class_name is not None)
        if annotated is not None:
            role, fw, param = annotated
            if role == "activity":
                self.activities.add(node)
            else:
                self._add(node, fw, class_name, None, ctx_name=param)
            return
        shape = self._orchestrator_shape(node, class_name is not None)
        if shape is not None:
            fw, param, recognised = shape
            self._add(node, fw, class_name, None, ctx_name=param)
            self.units[-1].recognised = recognised
            return
        # a plain function (a test, a factory) may declare workflows of its own; the functions
        # nested in a workflow or an activity are part of it instead
        for inner in _definitions(node.body):
            if isinstance(inner, ast.ClassDef):
                self._class(inner)
            else:
                self._function(inner, None)

    def _orchestrator_shape(self, node: FunctionNode, is_method: bool
                            ) -> tuple[Framework, str, str] | None:
        """A generator that yields durable commands of its first parameter is an orchestrator,
        however it is registered: (framework, the parameter, the yield that shows it). Private
        functions and the generators the module drives with ``yield from`` are helpers."""
        if isinstance(node, ast.AsyncFunctionDef) or node.name.startswith("_"):
            return None
        params = [*node.args.posonlyargs, *node.args.args]
        if is_method and params and params[0].arg in ("self", "cls"):
            params = params[1:]
        candidates = [fw for fw in self.frameworks if fw.style == "generator" and fw.context_methods]
        if not params or not candidates or not self._yields_between(node.lineno, node.end_lineno):
            return None
        ctx = params[0].arg
        for found in _own_nodes(node):
            if not isinstance(found, ast.Yield) or not isinstance(found.value, ast.Call):
                continue
            func = found.value.func
            if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id == ctx):
                continue
            for fw in candidates:
                if func.attr in fw.context_methods:
                    if self.driven is None:
                        self.driven = _driven_names(self.module)
                    if node.name in self.driven:
                        return None
                    return fw, ctx, f"yield {ctx}.{func.attr}(...)"
        return None

    def _yields_between(self, first: int, last: int | None) -> bool:
        """Whether a line of the range mentions ``yield`` (a cheap test before any walk)."""
        if self.yield_lines is None:
            self.yield_lines = [number for number, text in enumerate(self.module.lines, start=1)
                                if "yield" in text]
        index = bisect.bisect_left(self.yield_lines, first)
        return index < len(self.yield_lines) and self.yield_lines[index] <= (last or first)

    def _annotated_framework(self, node: FunctionNode, is_method: bool
                             ) -> tuple[str, Framework, str] | None:
        params = [*node.args.posonlyargs, *node.args.args]
        if is_method and params and params[0].arg in ("self", "cls"):
            params = params[1:]
        first, later = self.context_roles
        for index, param in enumerate(params):
            if param.annotation is None:
                continue
            annotation = _annotation_name(param.annotation, self.scope)
            # the context is the first parameter, except in Azure where it is any
            found = (later if index > 0 else first).get(annotation) if annotation else None
            if found is not None:
                return found[0], found[1], param.arg
        return None

    def _class(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = qualname(target, self.scope)
            for fw in self.frameworks:
                if name in fw.workflow_class_decorators:
                    self._workflow_class(node, fw)
                    return
        for item in _definitions(node.body):
            if not isinstance(item, ast.ClassDef):
                self._function(item, node.name)

    def _workflow_class(self, node: ast.ClassDef, fw: Framework) -> None:
        methods = {item.name for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for item in _definitions(node.body):
            if isinstance(item, ast.ClassDef):
                continue
            kind = "method"
            for decorator in item.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = qualname(target, self.scope)
                if name in fw.handler_decorators:
                    kind = fw.handler_decorators[name]
                elif (isinstance(target, ast.Attribute) and target.attr == "validator"
                      and isinstance(target.value, ast.Name) and target.value.id in methods):
                    kind = "validator"
            self.units.append(WorkflowUnit(item, fw, f"{node.name}.{item.name}",
                                           self._module_context(fw), kind, node.name))

    def _module_context(self, fw: Framework) -> str:
        """The local spelling of a module-style context (``workflow``, ``wf``, ``DBOS``)."""
        for local, targets in self.scope.imports.items():
            if fw.context_module in targets:
                return local
        return fw.default_context_name

    def _add(self, node: FunctionNode, fw: Framework, class_name: str | None,
             decorator: ast.expr | None, ctx_name: str | None = None,
             registration: ast.Call | None = None, external: bool = False) -> None:
        if class_name is None and self.module_functions.get(node.name) is not node:
            owner = self.module.class_of(node)  # a method registered as ``self.flow``
            class_name = owner.name if owner is not None else None
        if fw.context == "module":
            ctx_name = self._module_context(fw)
        elif ctx_name is None:
            ctx_name = _context_param(node, fw, decorator, class_name is not None, self.scope)
        display = f"{class_name}.{node.name}" if class_name else node.name
        self.units.append(WorkflowUnit(node, fw, display, ctx_name, "workflow", class_name,
                                       decorator, registration, external))

    # -- registration calls ----------------------------------------------------------------

    def _registrations(self) -> None:
        tails, by_tail = _registration_table(self.frameworks)
        for call in self.module.calls_named(tails):
            func = call.func
            attr = func.attr if isinstance(func, ast.Attribute) else None
            name = None
            for fw, entries in zip(self.frameworks, by_tail):
                # only an entry whose last name is the callee's can match (see _is_call_to)
                for kind, entry in entries.get(attr, ()) if attr is not None else ():
                    if not self._is_call_to(entry, attr, func):
                        continue
                    if kind == "workflow registration":
                        if call.args:
                            fn = self._function_arg(call.args[0])
                            if fn is not None:
                                self._add(fn, fw, None, None, registration=call)
                    elif kind == "activity registration":
                        for arg in call.args[:2]:
                            fn = self._function_arg(arg)
                            if fn is not None:
                                self.activities.add(fn)
                    elif kind == "activity invocation":
                        self._invoked(call)
                    else:
                        started = next((k.value for k in call.keywords
                                        if k.arg in ("workflow", "orchestrator")),
                                       call.args[0] if call.args else None)
                        fn = self._function_arg(started) if started is not None else None
                        if fn is not None:
                            self.started.add(fn)
                if fw.worker_types and callee_tail(func) in fw.worker_tails:
                    name = name or qualname(func, self.scope)
                    if name in fw.worker_types:
                        self._worker(call, fw)

    @property
    def nested_defs(self) -> dict[str, list[FunctionNode]]:
        """Every function definition of the module, at any depth, by name."""
        return self.module.function_defs

    def _invoked(self, call: ast.Call) -> None:
        """What ``call_activity`` / ``execute_activity`` / ``DBOS.run_step`` runs is an activity,
        including a function defined inside the workflow or a lambda."""
        for arg in call.args[:2]:
            if isinstance(arg, ast.Lambda):
                self.lambda_activities.add(arg)
            elif isinstance(arg, ast.Name):
                fn = self._function_arg(arg)
                if fn is not None:
                    self.activities.add(fn)
                for nested in self.nested_defs.get(arg.id, ()):
                    self.activities.add(nested)

    def _is_call_to(self, entry: str, attr: str | None, func: ast.expr) -> bool:
        if "." in entry:
            return (attr is not None and entry.endswith("." + attr)
                    and qualname(func, self.scope) == entry)
        return attr == entry

    def _function_arg(self, arg: ast.expr) -> FunctionNode | None:
        if isinstance(arg, ast.Name):
            return self.module_functions.get(arg.id)
        if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and \
                arg.value.id in ("self", "cls"):
            # ``register_workflow(self.flow)``: the one method of that name in the module
            methods = [fn for fn in self.nested_defs.get(arg.attr, ())
                       if self.module.class_of(fn) is not None]
            return methods[0] if len(methods) == 1 else None
        return None

    def _worker(self, call: ast.Call, fw: Framework) -> None:
        for keyword in call.keywords:
            if keyword.arg == "activities" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                for element in keyword.value.elts:
                    fn = self._function_arg(element)
                    if fn is not None:
                        self.activities.add(fn)


def _own_nodes(function: FunctionNode):
    """The nodes of a function's body, without those of nested functions, lambdas and classes."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        current = stack.pop()
        yield current
        stack.extend(child for child in ast.iter_child_nodes(current)
                     if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                               ast.ClassDef)))


def _is_generator(function: FunctionNode) -> bool:
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return False


_YIELD_FROM = re.compile(r"\byield\s+from\s+(?:[A-Za-z_][\w.]*\.)?([A-Za-z_]\w*)\s*\(")


def _driven_names(module: ModuleInfo) -> set[str]:
    """Names of the functions and methods the module drives with ``yield from f(...)``."""
    return set(_YIELD_FROM.findall(module.source))


def _context_param(node: FunctionNode, fw: Framework, decorator: ast.expr | None,
                   is_method: bool, scope: Scope) -> str | None:
    params = [*node.args.posonlyargs, *node.args.args]
    if is_method and params and params[0].arg in ("self", "cls"):
        params = params[1:]
    if fw.context == "named" and isinstance(decorator, ast.Call):
        for keyword in decorator.keywords:
            if keyword.arg == "context_name" and isinstance(keyword.value, ast.Constant) \
                    and isinstance(keyword.value.value, str):
                return keyword.value.value
    if decorator is not None and fw.context_positions and params:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        position = fw.context_positions.get(qualname(target, scope) or "")
        if position is not None and -len(params) <= position < len(params):
            return params[position].arg
    return params[0].arg if params else None


#: what discovery looks up, by the frameworks' identities: (the frameworks, kept so that no
#: identity is reused; what _registration_table and _context_roles build from them)
_TABLES: dict[tuple[int, ...], tuple[tuple[Framework, ...], dict[str, object]]] = {}


def _per_frameworks(frameworks: tuple[Framework, ...], what: str, build) -> object:
    """``build(frameworks)``, worked out once per set of frameworks (and ``what``)."""
    key = tuple(map(id, frameworks))
    known = _TABLES.setdefault(key, (frameworks, {}))[1]
    if what not in known:
        known[what] = build(frameworks)
    return known[what]


def _registration_table(frameworks: tuple[Framework, ...]
                        ) -> tuple[frozenset[str], list[dict[str, list[tuple[str, str]]]]]:
    """What ``_registrations`` looks for: the last names of the calls it recognises (each is
    called as an attribute by its last name, or is a worker), and for each framework its
    registration and invocation entries by last name, each as (kind, entry), in the order the
    framework lists them (workflow registrations, activity registrations, activity
    invocations, workflow invocations)."""
    return _per_frameworks(frameworks, "registrations", _build_registration_table)  # type: ignore[return-value]


def _build_registration_table(frameworks: tuple[Framework, ...]):
    tails: set[str] = set()
    tables = []
    for fw in frameworks:
        table: dict[str, list[tuple[str, str]]] = {}
        for kind, entries in (("workflow registration", fw.workflow_registrations),
                              ("activity registration", fw.activity_registrations),
                              ("activity invocation", fw.activity_invocations),
                              ("workflow invocation", fw.workflow_invocations)):
            for entry in entries:
                tail = entry.rpartition(".")[2]
                table.setdefault(tail, []).append((kind, entry))
                tails.add(tail)
        if fw.worker_types:
            tails.update(fw.worker_tails)
        tables.append(table)
    return frozenset(tails), tables


def _context_roles(frameworks: tuple[Framework, ...]
                   ) -> tuple[dict[str, tuple[str, Framework]], dict[str, tuple[str, Framework]]]:
    """What a parameter annotated with each context type makes a function ("workflow" or
    "activity", and the framework): for the first parameter, and for a later one (frameworks
    whose context may be any parameter). The first framework, in order, that knows the type
    decides, and its workflow context before its activity context."""
    return _per_frameworks(frameworks, "roles", _build_context_roles)  # type: ignore[return-value]


def _build_context_roles(frameworks: tuple[Framework, ...]):
    first: dict[str, tuple[str, Framework]] = {}
    later: dict[str, tuple[str, Framework]] = {}
    for fw in frameworks:
        for role, types in (("workflow", fw.context_types), ("activity", fw.activity_context_types)):
            for name in types:
                first.setdefault(name, (role, fw))
                if fw.context == "named":
                    later.setdefault(name, (role, fw))
    return first, later


def _annotation_name(annotation: ast.expr, scope: Scope) -> str | None:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None
    return qualname(annotation, scope)


def _definitions(body: list[ast.stmt]):
    """Function and class definitions of a block, including those under if/try/with."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node
        elif isinstance(node, (ast.If, ast.Try, ast.With, ast.AsyncWith)) or \
                type(node).__name__ == "TryStar":
            for name in ("handlers", "finalbody", "orelse", "body"):
                block = getattr(node, name, None)
                if block:
                    stack.extend(reversed(block))
        elif isinstance(node, ast.ExceptHandler):
            stack.extend(reversed(node.body))


