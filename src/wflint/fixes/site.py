"""Where a finding sits, as a fix sees it, and how a rewrite template becomes a Fix.

A template is code with placeholders: ``{ctx}`` (the workflow's context name, or the local
name of a framework's context module), the context module itself by its usual name
(``{workflow}``, ``{DBOS}``: imported when missing), ``{timezone}``, ``{timedelta}``, ``{uuid}``
(resolved to an existing import or alias, else imported), ``{func}`` and ``{args}`` (the
call's callee and arguments as written), ``{arg0}``, ``{tz}``, ``{name}`` and ``{method}``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cached_property

from wflint.analysis.discovery import WorkflowUnit
from wflint.analysis.flow import parent_map
from wflint.analysis.scope import ModuleInfo, Scope, binding_scope
from wflint.fixes.extract import extract_fix
from wflint.frameworks import FRAMEWORKS
from wflint.frameworks._fixes import EXTRACT_TEMPLATE
from wflint.fixes.model import (VERSION_GATE_NOTE, WRAP, Applicability, Edit, Fix, ImportRequest,
                                Rewrite, display_only)

#: where each symbol placeholder comes from: (module, attribute or None for the module itself)
SYMBOLS = {
    "timezone": ("datetime", "timezone"),
    "timedelta": ("datetime", "timedelta"),
    "uuid": ("uuid", None),
    "Path": ("pathlib", "Path"),
    "datetime": ("datetime", "datetime"),
    "date": ("datetime", "date"),
    "numpy": ("numpy", None),
    "hashlib": ("hashlib", None),
    "base64": ("base64", None),
    "arrow": ("arrow", None),
    "pendulum": ("pendulum", None),
}
#: a framework whose context is a module or class (``temporalio.workflow``, ``dbos.DBOS``) is
#: named by its usual name
SYMBOLS.update({fw.default_context_name: tuple(fw.context_module.rsplit(".", 1))  # type: ignore[misc]
                for fw in FRAMEWORKS.values() if fw.context == "module"})
#: and the names a framework's templates import (``{Duration}``)
SYMBOLS.update({key: value for fw in FRAMEWORKS.values() for key, value in fw.symbols.items()})
_PLACEHOLDER = re.compile(
    r"\{(" + "|".join(("ctx", *SYMBOLS, "func", "args", "rest", "arg0", "tz", "name", "method")) + r")\}")


@dataclass
class FixSite:
    node: ast.expr
    unit: WorkflowUnit
    scope: Scope
    module: ModuleInfo
    statement: ast.stmt | None
    in_comprehension: bool
    in_fstring: bool = False
    #: under a replay guard (``if not ctx.is_replaying:``)
    replay_guarded: bool = False
    #: in code that runs only while the workflow replays (``if ctx.is_replaying:``)
    replay_only: bool = False

    # -- source ---------------------------------------------------------------------------

    @property
    def lines(self) -> list[str]:
        return self.module.lines

    @cached_property
    def parents(self) -> dict[int, ast.AST]:
        """Each node of the statement (by ``id``) mapped to its parent (built once)."""
        return parent_map(self.statement)

    def char_col(self, line: int, byte_col: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():  # a byte is a character
            return min(byte_col, len(text))
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))

    def char_range(self, node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
        end_line = node.end_lineno or node.lineno
        end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return ((node.lineno, self.char_col(node.lineno, node.col_offset)),
                (end_line, self.char_col(end_line, end_col)))

    def text(self, node: ast.AST) -> str:
        """The node's source as written (``ast.get_source_segment`` re-splits the whole file
        on every call; this reuses the lines)."""
        (line, col), (end_line, end_col) = self.char_range(node)
        lines = self.lines
        if line == end_line:
            return lines[line - 1][col:end_col]
        parts = [lines[line - 1][col:], *lines[line:end_line - 1], lines[end_line - 1][:end_col]]
        return "\n".join(parts)

    # -- context ----------------------------------------------------------------------------

    @property
    def framework(self) -> str:
        return self.unit.framework.name

    def ctx_in_scope(self) -> bool:
        """The workflow's context parameter is visible, unshadowed, where the finding is."""
        ctx = self.unit.ctx_name
        if ctx is None:
            return False
        if self.unit.framework.context == "module":
            return self._module_name_usable(ctx)
        owner = binding_scope(ctx, self.scope)
        return owner is not None and owner.node is self.unit.node and ctx in owner.params

    def _module_name_usable(self, name: str) -> bool:
        owner = binding_scope(name, self.scope)
        return owner is None or owner.is_module

    @property
    def directly_in_workflow(self) -> bool:
        return self.scope.node is self.unit.node and not self.in_comprehension

    @property
    def is_async(self) -> bool:
        return isinstance(self.unit.node, ast.AsyncFunctionDef)

    def is_own_statement(self, node: ast.expr | None = None) -> bool:
        """The node is the whole expression of a statement that stands alone on its lines."""
        node = node or self.node
        stmt = self.statement
        if not isinstance(stmt, ast.Expr):
            return False
        value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
        return value is node and self.stands_alone(stmt)

    def stands_alone(self, stmt: ast.stmt) -> bool:
        first = self.lines[stmt.lineno - 1]
        last = self.lines[(stmt.end_lineno or stmt.lineno) - 1]
        before = first.encode("utf-8")[:stmt.col_offset].decode("utf-8", "replace")
        after = last.encode("utf-8")[stmt.end_col_offset or 0:].decode("utf-8", "replace")
        return not before.strip() and (not after.strip() or after.strip().startswith("#"))

    def awaited(self) -> bool:
        """The node is already the operand of an ``await``."""
        return any(isinstance(n, ast.Await) and n.value is self.node
                   for n in (ast.walk(self.statement) if self.statement else ()))

    def parent_str_call(self) -> ast.Call | None:
        """``str(node)``, when the finding is the only argument of a ``str`` call."""
        for candidate in ast.walk(self.statement) if self.statement else ():
            if (isinstance(candidate, ast.Call) and len(candidate.args) == 1 and not candidate.keywords
                    and candidate.args[0] is self.node and isinstance(candidate.func, ast.Name)
                    and candidate.func.id == "str" and binding_scope("str", self.scope) is None):
                return candidate
        return None

    # -- symbols -----------------------------------------------------------------------------

    def symbol(self, module: str, name: str | None) -> tuple[str, ImportRequest | None]:
        """How code at this site can name ``module.name`` (or the module): an existing import
        or alias when there is one, else a new import."""
        target = f"{module}.{name}" if name else module
        imports = self.module.scope.imports
        for local, targets in sorted(imports.items()):
            if all(t == target for t in targets) and self._module_name_usable(local):
                return local, None
        if name is not None:
            for local, targets in sorted(imports.items()):
                if all(t == module for t in targets) and self._module_name_usable(local):
                    return f"{local}.{name}", None
        wanted = name or module.rpartition(".")[2]
        if not self.module.scope.binds(wanted) and self._module_name_usable(wanted):
            return wanted, ImportRequest(module, name)
        alias = f"_{wanted}"
        return alias, ImportRequest(module, name, alias)

    # -- building fixes -------------------------------------------------------------------------

    def from_table(self, code: str, qualname: str | None, shape: str = "", **values: str) -> Fix | None:
        """The framework's rewrite for ``code`` and the matched call (refined by ``shape``)
        built here: a template filled in, or the hazard moved into a new activity or step; None
        when the framework has no rewrite for it."""
        entry = self.unit.framework.rewrite_for(code, qualname, shape)
        if entry is None:
            return None
        if entry.template == EXTRACT_TEMPLATE:
            return extract_fix(self, code, qualname)
        if not isinstance(self.node, ast.Call) and "{func}" in entry.template:
            return extract_fix(self, code, qualname)  # os.environ["X"]: a new step, not run_step
        return self.build(entry, **values)

    def build(self, entry: Rewrite, title: str | None = None, **values: str) -> Fix:
        """Turn a table entry into a Fix, or a display-only one that says why it cannot apply."""
        template = entry.async_template if entry.async_template and self.is_async else entry.template
        if self.in_fstring and entry.plain_template and not (self.is_async and entry.async_template):
            template = entry.plain_template
        reason = self._blocked(entry, template)
        node: ast.AST = self.node
        if entry.target == "str":
            node = self.parent_str_call() or self.node
        if entry.kind == WRAP:
            node = self.statement  # type: ignore[assignment]
        imports: list[ImportRequest] = []
        code = self.render(template, imports, **values)
        if code.startswith(("await ", "yield ")) and not self._whole_value(node):
            code = f"({code})"
        if not reason and self.in_fstring and any(ch in code for ch in "'\"\\{}"):
            reason = "the call is inside an f-string: move it to a variable first"
        heading = title or (self.render(entry.title, [], **values) if entry.title else
                            f"Wrap in `{code}`" if entry.kind == WRAP else f"Replace with `{code}`")
        if reason:
            return display_only(heading, reason, suggestion=code)
        start, end = self.char_range(node)
        edit = Edit(entry.kind, start, end, code)
        return Fix(entry.applicability, heading, (edit,), tuple(dict.fromkeys(imports)), entry.note)

    def _whole_value(self, node: ast.AST) -> bool:
        """The node is a statement's whole value, where ``await``/``yield`` need no parentheses."""
        stmt = self.statement
        if isinstance(stmt, (ast.Expr, ast.Return, ast.Assign, ast.AnnAssign, ast.AugAssign)):
            value = stmt.value
            return value is node or (isinstance(value, ast.Await) and value.value is node)
        return False

    def _blocked(self, entry: Rewrite, template: str) -> str:
        if entry.applicability is Applicability.DISPLAY_ONLY:
            return entry.note or "a suggestion: review and apply it by hand"
        if ("{func}" in template or "{args}" in template or "{rest}" in template) \
                and not isinstance(self.node, ast.Call):
            return "only a call can be moved into a step this way"
        if self.replay_guarded and entry.note.endswith(VERSION_GATE_NOTE):
            return "a durable command under a replay guard would run on the first pass only"
        if template.startswith("await ") and not (self.directly_in_workflow and self.is_async):
            return "awaiting needs the code to be directly in an async def workflow"
        if "ctx" in entry.requires and not self.ctx_in_scope():
            return f"'{self.unit.ctx_name}' is not in scope here"
        if "yield" in entry.requires and not (self.directly_in_workflow and self.unit.kind == "workflow"):
            return "a durable timer must be yielded directly in the workflow generator"
        if "yield" in entry.requires and self.is_async:
            return "an async def cannot yield a durable task: make the workflow a generator first (WFL903)"
        if "draw" in entry.requires and self.replay_guarded:
            return ("a deterministic draw under a replay guard happens on the first execution only, "
                    "so every later deterministic value shifts on replay")
        if "draw" in entry.requires and self.unit.kind in ("query", "validator"):
            return ("a query or update validator is read-only: drawing from the workflow's "
                    "deterministic stream there shifts it for the workflow (WFL905)")
        if "await" in entry.requires and not (self.directly_in_workflow and self.is_async):
            return "awaiting needs the code to be directly in an async def workflow"
        if "statement" in entry.requires:
            target = self.statement if entry.kind == WRAP else self.node
            ok = (self.statement is not None and self.stands_alone(self.statement)
                  and isinstance(self.statement, ast.Expr)) if entry.kind == WRAP \
                else self.is_own_statement(target)  # type: ignore[arg-type]
            if not ok:
                return "the call is not a statement on its own line"
        if entry.kind == WRAP and self.statement is not None and isinstance(self.statement, ast.Expr):
            if self.statement.value is not self.node and not (
                    isinstance(self.statement.value, ast.Await) and self.statement.value.value is self.node):
                return "the call is part of a larger statement"
        return ""

    def render(self, template: str, imports: list[ImportRequest], **values: str) -> str:
        call = self.node if isinstance(self.node, ast.Call) else None

        def substitute(match: re.Match[str]) -> str:
            key = match.group(1)
            if key in values:
                return values[key]
            if key == "ctx":
                return self.unit.ctx_name or self.unit.framework.default_context_name
            if key in SYMBOLS:
                text, request = self.symbol(*SYMBOLS[key])
                if request is not None:
                    imports.append(request)
                return text
            if key == "func" and call is not None:
                return self.text(call.func)
            if key in ("args", "rest") and call is not None:
                args = ", ".join(self.text(a) for a in (*call.args, *call.keywords))
                return (", " + args if args else "") if key == "rest" else args
            if key == "arg0" and call is not None and call.args:
                return self.text(call.args[0])
            if key == "method" and call is not None and isinstance(call.func, ast.Attribute):
                return call.func.attr
            if key == "name" and call is not None:
                func = call.func
                return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "call")
            return match.group(0)

        return _PLACEHOLDER.sub(substitute, template)
