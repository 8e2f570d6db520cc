"""Qualified names after import resolution, with Python's scoping rules.

Every banned call is matched by the qualified name of what it refers to, never
by spelling: ``from datetime import datetime as dt; dt.now()`` resolves to
``datetime.datetime.now``, while a parameter or local variable that happens to
be called ``time`` resolves to nothing.

A name bound only by assignments of the same constructor call carries that
call's type: after ``log = logging.getLogger(__name__)``, ``log.info`` resolves
to ``logging.getLogger().info``; after ``with httpx.Client() as c``, ``c.get``
resolves to ``httpx.Client().get``. A name bound in any other way, or to
different values, resolves to nothing: silence is preferred to a guess.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import itertools
import re
import unicodedata
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext

from wflint.source import split_lines

BUILTIN_NAMES = frozenset(dir(builtins))
_SERIALS = itertools.count()

_PATH_TYPES = frozenset({"pathlib.Path()", "pathlib.PurePath()", "pathlib.PosixPath()",
                         "pathlib.WindowsPath()"})
_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class Scope:
    """The names one function (or the module) binds, and what they are bound to."""

    __slots__ = ("node", "parent", "module", "params", "stores", "values", "imports",
                 "functions", "classes", "globals", "nonlocals", "_types", "_type_paths",
                 "_resolving")

    def __init__(self, node: ast.AST, parent: Scope | None, module: ModuleInfo) -> None:
        self.node = node
        self.parent = parent
        self.module = module
        self.params: set[str] = set()
        self.stores: dict[str, int] = {}
        self.values: dict[str, list[ast.expr]] = {}
        self.imports: dict[str, list[str]] = {}
        self.functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        self.classes: dict[str, list[ast.ClassDef]] = {}
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        self._types: dict[str, str | None] = {}
        #: the project files each remembered type was worked out from
        self._type_paths: dict[str, frozenset[str]] = {}
        self._resolving: set[str] = set()

    @property
    def is_module(self) -> bool:
        return self.parent is None

    def binds(self, name: str) -> bool:
        return (name in self.params or name in self.stores or name in self.imports
                or name in self.functions or name in self.classes)

    def binding_kinds(self, name: str) -> int:
        return sum(1 for table in (self.params, self.stores, self.imports, self.functions, self.classes)
                   if name in table)

    def binding_qualname(self, name: str) -> str | None:
        """The qualified name ``name`` stands for in this scope, if it is unambiguous."""
        if self.binding_kinds(name) != 1:
            return None
        if name in self.imports:
            targets = self.imports[name]
            if not all(t == targets[0] for t in targets):
                return None
            project = self.module.project
            if project is not None:
                kind = project.variable_type(targets[0])
                if kind is not None:
                    return kind  # ``from app.log import logger``: a logging.getLogger()
            return targets[0]
        if name in self.stores:
            return self.value_type(name)
        if self.is_module and (name in self.functions or name in self.classes):
            defs = self.functions.get(name) or self.classes.get(name)
            if defs and len(defs) == 1:
                return f"{self.module.name}.{name}" if self.module.name else name
        return None

    def value_type(self, name: str) -> str | None:
        """``callee()`` when every binding of ``name`` is the result of the same call."""
        if name in self._types:
            replay(self.module.project, self._type_paths.get(name))
            return self._types[name]
        values = self.values.get(name, [])
        result: str | None = None
        if values and len(values) == self.stores.get(name, 0) and name not in self._resolving:
            self._resolving.add(name)
            try:
                with recording(self.module.project) as paths:
                    kinds = {self._type_of(value) for value in values}
                self._type_paths[name] = frozenset(paths)
            finally:
                self._resolving.discard(name)
            if len(kinds) == 1:
                result = kinds.pop()
        self._types[name] = result
        return result

    def _type_of(self, value: ast.expr) -> str | None:
        if isinstance(value, ast.Await):  # ``conn = await asyncpg.connect(...)``
            value = value.value
        if isinstance(value, (ast.Set, ast.SetComp)):
            return "builtins.set()"
        if isinstance(value, ast.BinOp) and isinstance(value.op, (ast.BitOr, ast.BitAnd, ast.Sub, ast.BitXor)):
            sides = {self._type_of(value.left), self._type_of(value.right)}
            return "builtins.set()" if sides & {"builtins.set()", "builtins.frozenset()"} else None
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div):
            left = self._type_of(value.left)  # Path("reports") / name is a path too
            return left if left in _PATH_TYPES else None
        if isinstance(value, ast.Call):
            returned = _returned_type(value.func, self)
            if returned is not None:
                return returned
            callee = qualname(value.func, self)
            return f"{callee}()" if callee else None
        if isinstance(value, (ast.Name, ast.Attribute)):
            return qualname(value, self)
        return None


class ModuleInfo:
    """One parsed module: its tree, its module scope and the scopes of the functions walked."""

    def __init__(self, tree: ast.Module, name: str, path: str, source: str) -> None:
        self.tree = tree
        self.name = name
        self.path = path
        self.source = source
        self.package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
        #: unique for this parse of the module: caches keyed on it never outlive a rewrite
        self.serial = next(_SERIALS)
        self._scopes: dict[ast.AST, Scope] = {}
        #: the project this module belongs to, for names imported from its other modules
        self.project = None
        self._classes: dict[int, ast.ClassDef] | None = None
        self._attribute_types: dict[tuple[int, str], str | None] = {}
        self._return_types: dict[int, str | None] = {}
        #: the project files each remembered attribute or return type was worked out from
        self._memo_paths: dict[tuple, frozenset[str]] = {}
        self._lines: list[str] | None = None
        self._assignments: dict[int, dict[str, list[tuple[Scope, ast.stmt]]]] = {}
        self._names: set[str] | None = None
        self._calls: list[ast.Call] = []
        self._named: dict[frozenset[str], list[ast.Call]] = {}
        self._function_defs: dict[str, list] | None = None
        #: uses_name's answers worked out without the whole-module index
        self._spelled: dict[str, bool] = {}
        #: the source as its identifiers read (NFKC-normalised if not ASCII; on first use)
        self._normalized: str | None = None
        self._defs: dict[str, list] = {}
        self._all_imports: set[str] | None = None
        #: nested functions and lambdas run on another thread (see analysis.offload)
        self.offloaded: frozenset[int] | None = None
        self.scope = Scope(tree, None, self)
        _collect(self.scope, tree.body)
        self._scopes[tree] = self.scope

    def release(self) -> None:
        """Drop the scopes and caches once nothing will ask about the module again: its scopes
        point back at it, and without this the cycle keeps the whole tree alive until the
        garbage collector finds it."""
        self._scopes.clear()
        self._assignments.clear()
        self._attribute_types.clear()
        self._return_types.clear()
        self._memo_paths.clear()
        self._named.clear()
        self._function_defs = None
        self.scope = None  # type: ignore[assignment]
        self.project = None

    @property
    def lines(self) -> list[str]:
        """The source split as the tokenizer splits it (computed once)."""
        if self._lines is None:
            self._lines = split_lines(self.source)
        return self._lines

    @property
    def names(self) -> set[str]:
        """Every name defined, imported or used anywhere in the module."""
        return self._index()[0]

    def uses_name(self, name: str) -> bool:
        """Whether ``name`` is in :attr:`names`. Without the whole-module index, only the
        statements spanning a line that spells the name are walked."""
        if self._names is not None:
            return name in self._names
        known = self._spelled.get(name)
        if known is None:
            lines = self._spelled_lines(frozenset((name,))) if name in self._identifier_text() else []
            known = bool(lines) and any(_names_node(node, name) for node in self._nodes_on(lines))
            self._spelled[name] = known
        return known

    @property
    def calls(self) -> list[ast.Call]:
        """Every call in the module, at any depth."""
        return self._index()[1]

    @property
    def function_defs(self) -> dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]:
        """Every function definition in the module, at any depth, by name (found among the
        statements alone, when the whole-module index is not built yet)."""
        if self._names is not None:
            return self._defs
        if self._function_defs is None:
            defs: dict[str, list] = {}
            for node in _statements(self.tree.body):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    defs.setdefault(node.name, []).append(node)
            self._function_defs = defs
        return self._function_defs

    def _index(self):
        """One pass over the whole tree for the facts several analyses need (computed once)."""
        if self._names is None:
            names: set[str] = set()
            calls: list[ast.Call] = []
            defs: dict[str, list] = {}
            stack: list[ast.AST] = [self.tree]
            call, name, alias = ast.Call, ast.Name, ast.alias
            function_types = (ast.FunctionDef, ast.AsyncFunctionDef)
            while stack:
                node = stack.pop()
                kind = type(node)
                if kind is call:
                    calls.append(node)
                elif kind is name:
                    names.add(node.id)
                elif kind in function_types:
                    names.add(node.name)
                    defs.setdefault(node.name, []).append(node)
                elif kind is ast.ClassDef:
                    names.add(node.name)
                elif kind is alias:
                    names.add(node.asname or node.name.partition(".")[0])
                for field in node._fields:
                    value = getattr(node, field, None)
                    if type(value) is list:
                        stack.extend(item for item in value if isinstance(item, ast.AST))
                    elif isinstance(value, ast.AST):
                        stack.append(value)
            calls.reverse()  # source order, roughly, for deterministic processing
            self._names = names
            self._calls = calls
            self._defs = defs
        return self._names, self._calls, self._defs

    def calls_named(self, tails: frozenset[str]) -> list[ast.Call]:
        """The calls whose callee's last name is one of ``tails`` (``x.register_workflow(...)``,
        ``Worker(...)``), in the order of :attr:`calls`. Without the whole-module index, only the
        statements spanning a line that spells one of the names are walked: the callee's last
        name sits on the line where its expression ends."""
        known = self._named.get(tails)
        if known is not None:
            return known
        if self._names is not None:
            known = self._named[tails] = [call for call in self._calls
                                          if callee_tail(call.func) in tails]
            return known
        lines = self._spelled_lines(tails)
        found: list[ast.Call] = []
        if lines:
            call, search, last = ast.Call, bisect.bisect_left, len(lines)
            for node in self._nodes_on(lines):
                if type(node) is call:
                    func = node.func
                    end = getattr(func, "end_lineno", None)
                    if callee_tail(func) in tails and end is not None:
                        index = search(lines, end)
                        if index < last and lines[index] == end:
                            found.append(node)
        found.reverse()
        self._named[tails] = found
        return found

    def _identifier_text(self) -> str:
        """The source as its identifiers read: NFKC-normalised, as the parser normalises them,
        when it is not ASCII (NFKC makes no line break, so the lines are the same)."""
        if self._normalized is None:
            source = self.source
            self._normalized = source if source.isascii() else unicodedata.normalize("NFKC", source)
        return self._normalized

    def _spelled_lines(self, words: frozenset[str]) -> list[int]:
        """The numbers of the lines that spell one of ``words`` as a whole word (as the
        identifiers read, see :meth:`_identifier_text`), in order."""
        lines: list[int] = []
        source = self._identifier_text()
        if "\r" in source:  # lines end as the tokenizer ends them
            spelled = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(words))) + r")\b")
            split = self.lines if source is self.source else split_lines(source)
            return [number for number, text in enumerate(split, 1) if spelled.search(text)]
        line, position = 1, 0
        for start in _words_at(source, words):
            line += source.count("\n", position, start)
            position = start
            if not lines or lines[-1] != line:
                lines.append(line)
        return lines

    def _nodes_on(self, lines: list[int]) -> Iterator[ast.AST]:
        """The nodes of the tree whose lines include one of ``lines`` (sorted), and the nodes
        without a position on the way to them: subtrees that span none of the lines are not
        entered."""
        last = len(lines)
        stack: list[ast.AST] = [self.tree]
        node_type, search = ast.AST, bisect.bisect_left
        while stack:
            node = stack.pop()
            yield node
            for field in node._fields:
                value = getattr(node, field, None)
                if type(value) is not list:
                    if not isinstance(value, node_type):
                        continue
                    value = (value,)
                for child in value:
                    if not isinstance(child, node_type) or not child._fields:
                        continue  # an expression context has nothing inside
                    start = getattr(child, "lineno", None)
                    if start is not None:
                        decorators = getattr(child, "decorator_list", None)
                        if decorators:  # a definition's line is its ``def``: decorators come first
                            start = min(start, decorators[0].lineno)
                        index = search(lines, start)
                        if index == last or lines[index] > (child.end_lineno or start):
                            continue  # no line of this subtree spells a name looked for
                    stack.append(child)

    @property
    def imported_anywhere(self) -> set[str]:
        """Every qualified name imported in the module, inside functions too (found among the
        statements alone: an import is a statement)."""
        if self._all_imports is None:
            imports: set[str] = set()
            for node in _statements(self.tree.body):
                kind = type(node)
                if kind is ast.Import:
                    imports.update(a.name for a in node.names)
                elif kind is ast.ImportFrom and not node.level and node.module:
                    imports.update(f"{node.module}.{a.name}" for a in node.names)
            self._all_imports = imports
        return self._all_imports

    @property
    def imported(self) -> set[str]:
        """Every qualified name imported at module level."""
        return {target for targets in self.scope.imports.values() for target in targets}

    def scope_of(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda,
                 parent: Scope) -> Scope:
        """The scope of a function, built on first use."""
        scope = self._scopes.get(node)
        if scope is None:
            scope = Scope(node, parent, self)
            args = node.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                scope.params.add(arg.arg)
            if args.vararg:
                scope.params.add(args.vararg.arg)
            if args.kwarg:
                scope.params.add(args.kwarg.arg)
            if isinstance(node, ast.Lambda):
                _collect_expr(scope, node.body)
            else:
                _collect(scope, node.body)
            self._scopes[node] = scope
        return scope

    def class_of(self, function: ast.AST) -> ast.ClassDef | None:
        """The class a function is a method of."""
        if self._classes is None:
            self._classes = {}
            for node in _statements(self.tree.body):
                if isinstance(node, ast.ClassDef):
                    for item in node.body:
                        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                            self._classes[id(item)] = node
        return self._classes.get(id(function))

    def attribute_type(self, cls: ast.ClassDef, attr: str) -> str | None:
        """The type of ``self.<attr>`` when every assignment to it in the class agrees
        (``self.client = httpx.Client()`` in ``__init__``)."""
        key = (id(cls), attr)
        if key in self._attribute_types:
            replay(self.project, self._memo_paths.get(("attribute", key)))
            return self._attribute_types[key]
        self._attribute_types[key] = None  # guards against self-reference while computing
        kinds: set[str | None] = set()
        with recording(self.project) as paths:
            for scope, node in self._self_assignments(cls).get(attr, ()):
                kinds.add(scope._type_of(node.value) if not isinstance(node, ast.AugAssign)
                          and node.value is not None else None)
        self._memo_paths[("attribute", key)] = frozenset(paths)
        result = kinds.pop() if len(kinds) == 1 else None
        self._attribute_types[key] = result
        return result

    def _self_assignments(self, cls: ast.ClassDef) -> dict[str, list[tuple[Scope, ast.stmt]]]:
        """Every ``self.<attr> = ...`` in the class's methods, by attribute (one pass a class)."""
        found = self._assignments.get(id(cls))
        if found is not None:
            return found
        found = {}
        for method in cls.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not method.args.args:
                continue
            this = method.args.args[0].arg
            scope = self.scope_of(method, self.scope)
            for node in _statements(method.body):
                targets = node.targets if isinstance(node, ast.Assign) else \
                    [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
                for target in targets:
                    if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                            and target.value.id == this):
                        found.setdefault(target.attr, []).append((scope, node))
        self._assignments[id(cls)] = found
        return found

    def return_type(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
        """The type a function returns when all its ``return`` statements agree
        (``def make_client(): return httpx.Client()``)."""
        key = id(function)
        if key in self._return_types:
            replay(self.project, self._memo_paths.get(("return", key)))
            return self._return_types[key]
        self._return_types[key] = None
        scope = self.scope_of(function, self.scope)
        kinds: set[str | None] = set()
        stack: list[ast.AST] = list(function.body)
        with recording(self.project) as paths:
            while stack:
                node = stack.pop()
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                    continue
                if isinstance(node, ast.Return):
                    kinds.add(scope._type_of(node.value) if node.value is not None else None)
                stack.extend(ast.iter_child_nodes(node))
        self._memo_paths[("return", key)] = frozenset(paths)
        result = kinds.pop() if len(kinds) == 1 else None
        self._return_types[key] = result
        return result

    def resolve_import(self, module: str | None, level: int) -> str:
        """The absolute module of ``from <level dots><module> import ...``."""
        if level == 0:
            return module or ""
        base = self.package
        for _ in range(level - 1):
            base = base.rpartition(".")[0]
        if module:
            return f"{base}.{module}" if base else module
        return base


def recording(project) -> AbstractContextManager[set[str]]:
    """The project files touched while the block works out an answer to remember (see
    ``Project.recording``); outside a project, a set nothing is added to."""
    return project.recording() if project is not None else nullcontext(set())


def replay(project, paths: frozenset[str] | None) -> None:
    """A remembered answer is used again: the files it was worked out from count (see
    ``Project.replay``)."""
    if paths and project is not None:
        project.replay(paths)


def _names_node(node: ast.AST, name: str) -> bool:
    """Whether ``node`` puts ``name`` in a module's :attr:`ModuleInfo.names` (as ``_index``)."""
    kind = type(node)
    if kind is ast.Name:
        return node.id == name
    if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.ClassDef:
        return node.name == name
    if kind is ast.alias:
        return (node.asname or node.name.partition(".")[0]) == name
    return False


def _words_at(source: str, words: frozenset[str]) -> list[int]:
    """Where ``source`` spells one of ``words`` as a whole word, in order (each word found with
    ``str.find``: several times faster than one regular expression of alternatives)."""
    found = []
    size = len(source)
    for word in words:
        end = 0
        while (start := source.find(word, end)) != -1:
            end = start + len(word)
            before = source[start - 1] if start else " "
            after = source[end] if end < size else " "
            if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
                found.append(start)
    found.sort()
    return found


def callee_tail(func: ast.expr) -> str | None:
    """The last name of a callee (``Worker`` of ``temporalio.worker.Worker``)."""
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def qualname(expr: ast.expr, scope: Scope) -> str | None:
    """The qualified name an expression refers to; calls in a chain add ``()``."""
    suffix: list[str] = []
    node = expr
    while True:
        if isinstance(node, ast.Attribute):
            suffix.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            suffix.append("()")
            node = node.func
        elif isinstance(node, ast.Name):
            base = resolve_name(node.id, scope)
            if base is None and suffix and suffix[-1] != "()":
                base = _self_attribute(node.id, suffix[-1], scope)
                if base is not None:
                    suffix.pop()
            if base is None:
                return None
            for part in reversed(suffix):
                base = base + part if part == "()" else f"{base}.{part}"
            return base
        else:
            return None


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(body: list[ast.stmt]):
    """Every statement of a block and of the blocks inside it, not entering expressions."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        for field in _BLOCKS:
            block = getattr(node, field, None)
            if block:
                stack.extend(reversed(block))


def _self_attribute(name: str, attr: str, scope: Scope) -> str | None:
    """``self.client`` inside a method (or a function nested in one): the attribute's type."""
    current: Scope | None = scope
    while current is not None and not current.is_module:
        node = current.node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            params = node.args.posonlyargs + node.args.args
            if params and params[0].arg == name:
                cls = current.module.class_of(node)
                return current.module.attribute_type(cls, attr) if cls is not None else None
        if current.binds(name):
            return None
        current = current.parent
    return None


def _returned_type(func: ast.expr, scope: Scope) -> str | None:
    """The return type of the function a call invokes, for functions of this module or project."""
    if isinstance(func, ast.Name):
        local = resolve_function(func.id, scope)
        if local is not None:
            return scope.module.return_type(local)
    project = scope.module.project
    if project is not None:
        name = qualname(func, scope)
        found = project.function(name) if name and not name.endswith("()") else None
        if found is not None:
            module, function = found
            return module.return_type(function)
    return None


def binding_scope(name: str, scope: Scope) -> Scope | None:
    """The scope whose binding ``name`` refers to from ``scope`` (None: a builtin or unbound).

    Enclosing function scopes are searched first, then the module; class scopes are never
    on the chain, as in Python."""
    current: Scope | None = scope
    while current is not None and not current.is_module:
        if name in current.globals:
            break
        if current.binds(name):
            return current
        current = current.parent
    module = scope.module.scope
    return module if module.binds(name) else None


def resolve_name(name: str, scope: Scope) -> str | None:
    owner = binding_scope(name, scope)
    if owner is not None:
        return owner.binding_qualname(name)
    return f"builtins.{name}" if name in BUILTIN_NAMES else None


def imported_name(name: str, scope: Scope) -> str | None:
    """The qualified name of ``name`` when it is bound by an import (module or local)."""
    owner = binding_scope(name, scope)
    if owner is not None and name in owner.imports:
        return owner.binding_qualname(name)
    return None


def resolve_function(name: str, scope: Scope) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The module-level function ``name`` refers to from ``scope``, if that is certain."""
    owner = binding_scope(name, scope)
    if owner is None or not owner.is_module:
        return None
    defs = owner.functions.get(name)
    if defs and len(defs) == 1 and owner.binding_kinds(name) == 1:
        return defs[0]
    return None


def _bind_value(scope: Scope, target: ast.expr, value: ast.expr | None) -> None:
    if isinstance(target, ast.Name) and value is not None:
        scope.values.setdefault(target.id, []).append(value)


def _collect(scope: Scope, body: list[ast.stmt]) -> None:
    """Record every binding a block makes in ``scope`` (not descending into nested scopes)."""
    stack: list[ast.AST] = list(reversed(body))
    stores, node_type, name_type, load, plain = scope.stores, ast.AST, ast.Name, ast.Load, _PLAIN
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is name_type:
            if type(node.ctx) is not load:
                stores[node.id] = stores.get(node.id, 0) + 1
            continue
        if kind not in plain and _binds(scope, node, kind, stack):
            continue
        # the children, in ast.iter_child_nodes' order
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                stack.extend(item for item in value if isinstance(item, node_type))
            elif isinstance(value, node_type):
                stack.append(value)
    for name in scope.nonlocals | scope.globals:
        stores.pop(name, None)
        scope.values.pop(name, None)


def _binds(scope: Scope, node: ast.AST, kind: type, stack: list[ast.AST]) -> bool:
    """Record what ``node`` binds in ``scope``; True when its children are not to be visited
    (a nested scope's, an import's), else they are visited next."""
    if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
        scope.functions.setdefault(node.name, []).append(node)
        stack.extend(node.decorator_list)
        stack.extend(d for d in node.args.defaults)
        stack.extend(d for d in node.args.kw_defaults if d is not None)
        return True
    if kind is ast.ClassDef:
        scope.classes.setdefault(node.name, []).append(node)
        stack.extend(node.decorator_list)
        stack.extend(node.bases)
        return True
    if kind is ast.Lambda:
        stack.extend(node.args.defaults)
        return True
    if kind is ast.Import:
        for alias in node.names:
            if alias.asname:
                scope.imports.setdefault(alias.asname, []).append(alias.name)
            else:
                top = alias.name.partition(".")[0]
                scope.imports.setdefault(top, []).append(top)
        return True
    if kind is ast.ImportFrom:
        base = scope.module.resolve_import(node.module, node.level)
        for alias in node.names:
            if alias.name == "*":
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            scope.imports.setdefault(alias.asname or alias.name, []).append(target)
        return True
    if kind is ast.Global:
        scope.globals.update(node.names)
        return True
    if kind is ast.Nonlocal:
        scope.nonlocals.update(node.names)
        return True
    stores = scope.stores
    if kind is ast.Assign:
        if len(node.targets) == 1:
            _bind_value(scope, node.targets[0], node.value)
    elif kind is ast.AnnAssign:
        _bind_value(scope, node.target, node.value)
    elif kind is ast.With or kind is ast.AsyncWith:
        for item in node.items:
            if item.optional_vars is not None:
                _bind_value(scope, item.optional_vars, item.context_expr)
    elif kind is ast.ExceptHandler or kind is ast.MatchAs or kind is ast.MatchStar:
        if node.name:
            stores[node.name] = stores.get(node.name, 0) + 1
    elif kind is ast.MatchMapping:
        if node.rest:
            stores[node.rest] = stores.get(node.rest, 0) + 1
    return False


#: the node types that bind nothing themselves (only what is inside them may)
_PLAIN = frozenset(cls for cls in vars(ast).values() if isinstance(cls, type) and issubclass(cls, ast.AST)) - {
    ast.Name, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.Import,
    ast.ImportFrom, ast.Global, ast.Nonlocal, ast.Assign, ast.AnnAssign, ast.With,
    ast.AsyncWith, ast.ExceptHandler, ast.MatchAs, ast.MatchStar, ast.MatchMapping}


def _collect_expr(scope: Scope, expr: ast.expr) -> None:
    _collect(scope, [ast.Expr(expr)])
