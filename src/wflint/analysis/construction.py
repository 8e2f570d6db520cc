"""What constructing a project class runs in workflow code.

``Order()`` runs the default factories of the class's fields (``field(default_factory=uuid4)``,
pydantic's ``Field(default_factory=...)``, attrs' ``factory=``), inherited ones included, and
its ``__init__`` / ``__post_init__``. A default written as a plain value (``created: str =
str(uuid4())``) runs once, when the class is defined, and is not part of the construction.

The factories of a class are gathered into one synthetic function (``def Order(): uuid4()``,
each call at the factory's own position, so that findings point at the field), which the
walker follows like any helper; the methods are followed as they are.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.scope import ModuleInfo, Scope, binding_scope, qualname, recording, replay

if TYPE_CHECKING:
    from wflint.analysis.project import Project

#: field specifiers and the keywords that hold a factory
_FIELD_FACTORIES = {
    "dataclasses.field": ("default_factory",),
    "pydantic.Field": ("default_factory",),
    "pydantic.fields.Field": ("default_factory",),
    "sqlmodel.Field": ("default_factory",),
    "attr.ib": ("factory",), "attr.attrib": ("factory",), "attr.field": ("factory",),
    "attrs.field": ("factory",),
}
#: ``default=attr.Factory(f)``: a factory given as a default
_FACTORY_WRAPPERS = frozenset({"attr.Factory", "attrs.Factory"})
_METHODS = ("__init__", "__post_init__")
_MARK = "_wflint_construction"
#: an attribute of a synthetic function that belongs in the key of its summary
SUMMARY_KEY = "_wflint_summary_key"
#: an attribute of a synthetic function: the (field, factory) pairs its statements run
FIELDS = "_wflint_fields"
_MAX_BASES = 4


def class_at(func: ast.expr, scope: Scope, name: str | None, project: Project | None
             ) -> tuple[ModuleInfo, ast.ClassDef] | None:
    """The project class a call constructs (``Order(...)``, ``models.Order(...)``)."""
    if isinstance(func, ast.Name):
        owner = binding_scope(func.id, scope)
        module = scope.module
        classes = module.scope.classes.get(func.id)
        if owner is not None and owner.is_module and classes and len(classes) == 1 and \
                module.scope.binding_kinds(func.id) == 1:
            return module, classes[0]
    if project is not None and name is not None and not name.endswith("()"):
        found = project.split_class(name)
        if found is not None:
            module, local = found
            classes = module.scope.classes.get(local)
            if classes and len(classes) == 1 and module.scope.binding_kinds(local) == 1:
                return module, classes[0]
    return None


def is_construction(function: ast.AST) -> bool:
    """A function that constructing a class runs (its factories, ``__init__``, ``__post_init__``):
    its call is the construction, which never moves into an activity whole."""
    return getattr(function, _MARK, False) or getattr(function, "name", "") in _METHODS


def construction(module: ModuleInfo, cls: ast.ClassDef, call: ast.Call, project: Project | None,
                 cache: dict) -> list[tuple[ModuleInfo, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """The functions that constructing ``cls`` with ``call`` runs: a synthetic one holding the
    factories of the fields the call does not give (own and inherited), and the class's
    ``__init__`` / ``__post_init__``. With ``**kwargs`` any field may be given: no factory
    is counted."""
    unpacked = any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args)
    given = frozenset(k.arg for k in call.keywords if k.arg is not None)
    key = (module.serial, cls.lineno, cls.col_offset, unpacked, given, len(call.args))
    known = cache.get(key)
    if known is not None:
        found, paths = known
        replay(project, paths)  # the files the answer was worked out from
        return found
    with recording(project) as paths:
        found = _construction(module, cls, project, None if unpacked else given, len(call.args))
    cache[key] = (found, frozenset(paths))
    return found


def _construction(module: ModuleInfo, cls: ast.ClassDef, project: Project | None,
                  given: frozenset[str] | None, positional: int):
    found: list = []
    fields: list[tuple[str, ast.expr | None]] = []  # (name, factory) in declaration order
    methods: dict[str, tuple[ModuleInfo, ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    for owner_module, owner in reversed(list(_lineage(module, cls, project))):  # bases first
        scope = owner_module.scope
        for stmt in owner.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _METHODS:
                methods[stmt.name] = (owner_module, stmt)  # the subclass's wins
            name = _field_name(stmt)
            if name is None:
                continue
            value = stmt.value  # type: ignore[union-attr]
            factory = _factory(value, scope) if isinstance(value, ast.Call) else None
            fields = [entry for entry in fields if entry[0] != name]
            fields.append((name, factory if owner_module is module else None))
    passed = set() if given is None else set(given) | {name for name, _ in fields[:positional]}
    run = [(name, factory) for name, factory in fields
           if factory is not None and given is not None and name not in passed]
    factories = [_called(factory) for _, factory in run]
    if factories:
        synthetic = ast.FunctionDef(name=cls.name, args=_NO_ARGS, body=factories, decorator_list=[],
                                    returns=None, type_comment=None)
        ast.copy_location(synthetic, cls)
        setattr(synthetic, _MARK, True)
        # what tells it apart from the same class built with other fields given
        setattr(synthetic, SUMMARY_KEY, tuple((f.lineno, f.col_offset) for f in factories))
        setattr(synthetic, FIELDS, run)
        synthetic.end_lineno, synthetic.end_col_offset = cls.end_lineno, cls.end_col_offset
        found.append((module, synthetic))
    found.extend(methods[name] for name in _METHODS if name in methods)
    return found


def _field_name(stmt: ast.stmt) -> str | None:
    """The field a class-body statement declares (``id: str = ...``, ``ref = attr.ib(...)``)."""
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
            and isinstance(stmt.value, ast.Call):
        return stmt.targets[0].id
    return None


_NO_ARGS = ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


def _lineage(module: ModuleInfo, cls: ast.ClassDef, project: Project | None):
    """The class and its project bases (in the same module: inherited factories are gathered
    where they can be named; methods from anywhere in the project)."""
    seen = 0
    pending = [(module, cls)]
    while pending and seen <= _MAX_BASES:
        owner_module, owner = pending.pop(0)
        seen += 1
        yield owner_module, owner
        for base in owner.bases:
            found = class_at(base, owner_module.scope, qualname(base, owner_module.scope), project)
            if found is not None and found[1] is not owner:
                pending.append(found)


def _factory(call: ast.Call, scope: Scope) -> ast.expr | None:
    keywords = _FIELD_FACTORIES.get(qualname(call.func, scope) or "")
    if keywords is None:
        return None
    for keyword in call.keywords:
        if keyword.arg in keywords:
            return keyword.value
        if keyword.arg == "default" and isinstance(keyword.value, ast.Call) and \
                qualname(keyword.value.func, scope) in _FACTORY_WRAPPERS and keyword.value.args:
            return keyword.value.args[0]
    return None


def _called(factory: ast.expr) -> ast.stmt:
    """A statement that runs the factory: its body for a lambda, else a call of it."""
    if isinstance(factory, ast.Lambda):
        value = factory.body
    else:
        value = ast.copy_location(ast.Call(func=factory, args=[], keywords=[]), factory)
        value.end_lineno, value.end_col_offset = factory.end_lineno, factory.end_col_offset
    return ast.copy_location(ast.Expr(value=value), factory)
