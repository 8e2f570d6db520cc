"""The concrete-tree engine (libcst) behind :func:`wflint.fixes.apply.apply_fixes`, for the
fixes that cannot be applied as text: statements wrapped, inserted, replaced or removed, and
imports added.

Editing the concrete tree (rather than text) keeps every comment and all formatting around
the rewritten nodes. Imports a fix needs are requested, not written: LibCST's
``AddImportsVisitor`` adds each once, after all edits, merging into an existing
``from module import ...`` where there is one. Loading libcst costs more than checking a
long module, so this module is imported only when a fix needs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider

from wflint.fixes.unused import is_nested_import, mentioned, orphaned_imports, string_constants
from wflint.fixes.model import INSERT_AFTER, INSERT_BEFORE, REMOVE, REPLACE, STATEMENT, WRAP, Edit, Fix


def apply_on_tree(source: str, candidates: Sequence[Fix], also_read: frozenset[str]
                  ) -> tuple[str, list[Fix]]:
    """:func:`~wflint.fixes.apply.apply_fixes` on the module's concrete tree (``candidates``
    do not overlap)."""
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    by_range: dict[tuple[tuple[int, int], tuple[int, int]], list[cst.CSTNode]] = {}
    for node, where in positions.items():
        key = ((where.start.line, where.start.column), (where.end.line, where.end.column))
        by_range.setdefault(key, []).append(node)

    targets: dict[int, Edit] = {}
    applied: list[Fix] = []
    for fix in candidates:
        found = []
        for edit in fix.edits:
            node = _target(by_range.get((edit.start, edit.end), ()), edit.kind)
            if node is None or id(node) in targets:
                break
            found.append((node, edit))
        else:
            for node, edit in found:
                targets[id(node)] = edit
            applied.append(fix)
    if not applied:
        return source, []
    new_module = wrapper.module.visit(_Applier(targets))
    context = CodemodContext()
    for request in (request for fix in applied for request in fix.imports):
        if request.name is None:
            AddImportsVisitor.add_needed_import(context, request.module, asname=request.alias)
        else:
            AddImportsVisitor.add_needed_import(context, request.module, request.name, request.alias)
    orphaned = [entry for entry in orphaned_imports(source, new_module.code)
                if (entry[2] or entry[1] or entry[0].partition(".")[0]) not in also_read]
    if AddImportsVisitor.CONTEXT_KEY in context.scratch:
        new_module = AddImportsVisitor(context).transform_module(new_module)
    if orphaned:
        new_module = without_imports(new_module, orphaned)
    code = new_module.code
    if code.startswith(("\n", "\r")) and not source.startswith(("\n", "\r")):
        code = code.lstrip("\r\n")  # the imports that opened the file are gone
    return code, applied




def without_imports(module: cst.Module, orphaned: list[tuple[str, str | None, str | None]],
                     strings: list[str] | None = None) -> cst.Module:
    """The module without the module-level imports the edits left unused (``orphaned``, from
    :func:`orphaned_imports`). Only the top-level import statements are looked at, so this
    costs nothing on a large module; a name a string uses (an ``__all__`` entry, a quoted
    annotation) is kept."""
    if strings is None:
        strings = [node.value for node in string_constants(module.code)]
    names = {(m, o, a) for m, o, a in orphaned
             if not mentioned(a or o or m.partition(".")[0], strings)}
    if not names:
        return module
    body = []
    nested = False
    for statement in module.body:
        kept = _without_names(module, statement, names)
        if kept is not None:
            body.append(kept)
        nested = nested or isinstance(statement, cst.BaseCompoundStatement)
    module = module.with_changes(body=body)
    if nested and any(is_nested_import(line) for line in module.code.splitlines()):
        module = module.visit(_NestedImports(module, names))
    return module


def _without_names(module: cst.Module, statement: cst.CSTNode,
                   names: set[tuple[str, str | None, str | None]]) -> cst.CSTNode | None:
    """An import statement line without the ``names`` (None: nothing left of it); any other
    statement as it is."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 and \
            isinstance(statement.body[0], (cst.Import, cst.ImportFrom)) and \
            not isinstance(statement.body[0].names, cst.ImportStar):
        node = statement.body[0]
        keep = [alias for alias in node.names if _import_key(module, node, alias) not in names]
        if not keep:
            return None
        if len(keep) != len(node.names):
            keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return statement.with_changes(body=[node.with_changes(names=keep)])
    return statement


class _NestedImports(cst.CSTTransformer):
    """Removes the orphaned names from the import statements inside functions (a block left
    empty gets ``pass``). Only run when the module has an indented import at all."""

    def __init__(self, module: cst.Module, names: set) -> None:
        super().__init__()
        self.module = module
        self.names = names
        self.functions = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.functions += 1
        return True

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self.functions -= 1
        return updated

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock
                            ) -> cst.IndentedBlock:
        if not self.functions:
            return updated  # module-level blocks (``with workflow.unsafe.imports_passed_through():``)
        body = [kept for statement in updated.body
                if (kept := _without_names(self.module, statement, self.names)) is not None]
        if len(body) == len(updated.body) and all(a is b for a, b in zip(body, updated.body)):
            return updated
        if not body:
            body = [cst.SimpleStatementLine([cst.Pass()])]
        return updated.with_changes(body=body)


def _import_key(module: cst.Module, node: cst.Import | cst.ImportFrom, alias: cst.ImportAlias
                ) -> tuple[str, str | None, str | None]:
    """(module, name or None, alias) as :func:`orphaned_imports` names an imported alias."""
    asname = alias.asname.name.value if alias.asname is not None and \
        isinstance(alias.asname.name, cst.Name) else None
    imported = module.code_for_node(alias.name)
    if isinstance(node, cst.Import):
        return imported, None, asname
    if node.relative or node.module is None:
        return "", imported, asname  # relative imports are never orphaned
    return module.code_for_node(node.module), imported, asname


def _target(nodes: Iterable[cst.CSTNode], kind: str) -> cst.CSTNode | None:
    wanted: tuple[type, ...]
    if kind == REPLACE:
        wanted = (cst.BaseExpression,)
    elif kind == WRAP:
        wanted = (cst.SimpleStatementLine,)
    else:
        wanted = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
    matches = [node for node in nodes if isinstance(node, wanted)]
    return matches[0] if matches else None


def parse_expression(code: str) -> cst.BaseExpression:
    """An expression, including the ``yield``/``await`` forms ``parse_expression`` refuses."""
    try:
        return cst.parse_expression(code)
    except cst.ParserSyntaxError:
        statement = cst.parse_statement(f"def _():\n    {code}\n")
        assert isinstance(statement, cst.FunctionDef)
        body = statement.body.body[0]
        assert isinstance(body, cst.SimpleStatementLine) and isinstance(body.body[0], cst.Expr)
        return body.body[0].value


class _Applier(cst.CSTTransformer):
    def __init__(self, targets: dict[int, Edit]) -> None:
        super().__init__()
        self.targets = targets
        #: the ``if`` blocks this pass created, so adjacent ones can be merged
        self.guards: set[int] = set()

    def on_leave(self, original_node, updated_node):
        edit = self.targets.get(id(original_node))
        if edit is None:
            if self.guards and isinstance(updated_node, (cst.IndentedBlock, cst.Module)):
                return updated_node.with_changes(body=self._merge_guards(updated_node.body))
            return updated_node
        if edit.kind == REPLACE:
            new = parse_expression(edit.content)
            lpar = getattr(updated_node, "lpar", ())
            if lpar and hasattr(new, "lpar"):
                new = new.with_changes(lpar=lpar, rpar=updated_node.rpar)
            return new
        if edit.kind == REMOVE:
            return cst.RemoveFromParent()
        if edit.kind == STATEMENT:
            replacement = list(cst.parse_module(edit.content).body)
            if replacement:
                replacement[0] = replacement[0].with_changes(leading_lines=updated_node.leading_lines)
            return cst.FlattenSentinel(replacement)
        if edit.kind == WRAP:
            header = cst.parse_statement(f"{edit.content}\n    pass\n")
            inner = updated_node.with_changes(leading_lines=())
            wrapped = header.with_changes(body=cst.IndentedBlock(body=[inner]),
                                          leading_lines=updated_node.leading_lines)
            self.guards.add(id(wrapped))
            return wrapped
        statements = list(cst.parse_module(edit.content).body)
        blank_lines = len(edit.content) - len(edit.content.lstrip("\n"))
        if statements and blank_lines:
            statements[0] = statements[0].with_changes(leading_lines=[cst.EmptyLine()] * blank_lines)
        if edit.kind == INSERT_AFTER:
            return cst.FlattenSentinel([updated_node, *statements])
        if edit.kind == INSERT_BEFORE:
            return cst.FlattenSentinel([*statements, updated_node])
        return updated_node

    def _merge_guards(self, body):
        """Join guards this pass wrapped around consecutive statements into one block:
        ``if not ctx.is_replaying:`` once over both log lines, not twice."""
        merged: list = []
        for stmt in body:
            previous = merged[-1] if merged else None
            if (isinstance(stmt, cst.If) and isinstance(previous, cst.If) and id(stmt) in self.guards
                    and id(previous) in self.guards and not stmt.leading_lines
                    and _code(stmt.test) == _code(previous.test)):
                joined = previous.with_changes(
                    body=previous.body.with_changes(body=[*previous.body.body, *stmt.body.body]))
                self.guards.add(id(joined))
                merged[-1] = joined
            else:
                merged.append(stmt)
        return merged


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def header_without_imports(header: str, orphaned: list[tuple[str, str | None, str | None]]) -> str | None:
    """A module's header (its statements up to the last import) without the ``orphaned``
    imports, through the concrete tree (an import that keeps some of its names, or shares its
    line); None when the header does not parse alone."""
    try:
        return without_imports(cst.parse_module(header), orphaned, []).code
    except cst.ParserSyntaxError:
        return None
