"""``wflint compat``: the edits between two versions of workflow code that break instances in
flight.

Each workflow of the base and of the head version is reduced to its durable-call skeleton
(:mod:`wflint.analysis.skeleton`) and the two are matched by the workflow's registered identity.
The head is read as an instance started on the base code replays it: a version gate the base
did not have takes its old branch. The skeletons are then aligned under the engine's matching
rule (the kind of each operation, and its name exactly, case-insensitively, or not at all),
and an edit breaks replay when an instance may already have recorded history at or past the
edit's position: some base operation comes at or after it, or it lies inside a loop whose
earlier turns were recorded. Appends after the last durable call, argument and duration changes,
logging and pure computation never do.

Findings (``WFL1001`` a breaking edit, ``WFL1002`` a gate removed too early or reordered,
``WFL1003`` a workflow removed) go through every
output format ``check`` has.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from wflint.analysis.discovery import discover, enabled_frameworks
from wflint.analysis.project import Project, project_roots
from wflint.analysis.scope import ModuleInfo
from wflint.analysis.skeleton import END_LOOP, decorator_keyword, declared_name, GATE, GATE_ELSE, GATE_END, LOOP, RETIRE, Op, skeleton
from wflint.config import Settings
from wflint.diagnostics import Diagnostic
from wflint.fixes.model import WRAP, Applicability, Edit, Fix
from wflint.frameworks.model import Framework
from wflint.source import decode, module_name

BREAKING, GATE_REMOVED, REMOVED = "WFL1001", "WFL1002", "WFL1003"


class CompatError(Exception):
    """The comparison cannot run (no base, not a git repository): a message for the user."""


@dataclass
class Workflow:
    framework: Framework
    display: str
    #: where it is declared: relative to its version's root, and as read
    path: str
    source: str
    line: int
    ops: list[Op]
    #: the parsed module and the function (for the fix)
    module: ModuleInfo | None = None
    node: ast.AST | None = None
    ctx: str | None = None
    #: a signal or update handler: its calls interleave with the run's wherever it was handled
    handler: bool = False
    #: declared so that running instances stay on the code they started on
    pinned: bool = False


# -- the two versions ------------------------------------------------------------------------

def base_tree(base: str | None, head_root: Path) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """The base version as a directory: ``base`` itself when it is one, else the git revision
    (default: the merge base with the default branch) exported to a temporary directory."""
    if base is not None and os.path.isdir(base):
        return Path(base), None
    if base is not None and (os.sep in base or base.startswith(".")) and not os.path.exists(base):
        raise CompatError(f"{base}: no such directory")
    revision = base or _merge_base(head_root)
    holder = tempfile.TemporaryDirectory(prefix="wflint-compat-")
    try:
        archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=head_root,
                                 capture_output=True, check=False)
        if archive.returncode != 0:
            raise CompatError(f"cannot read revision {revision!r}: "
                              f"{archive.stderr.decode(errors='replace').strip()}")
        tar_path = Path(holder.name) / "base.tar"
        tar_path.write_bytes(archive.stdout)
        target = Path(holder.name) / "tree"
        target.mkdir()
        with tarfile.open(tar_path) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".py")]
            tar.extractall(target, members=members, filter="data")
    except BaseException:
        holder.cleanup()
        raise
    return target, holder


def git_root(start: Path) -> Path | None:
    found = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True,
                           text=True, check=False)
    return Path(found.stdout.strip()) if found.returncode == 0 else None


def _merge_base(root: Path) -> str:
    for branch in ("origin/HEAD", "origin/main", "origin/master", "main", "master"):
        found = subprocess.run(["git", "merge-base", "HEAD", branch], cwd=root, capture_output=True,
                               text=True, check=False)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    raise CompatError("no default branch to compare with: pass --base REV (or a directory)")


def changed_files(base_root: Path, head_root: Path, files: list[Path]) -> list[Path]:
    """The head files (relative) whose workflows may have changed: the files that differ from
    the base, and the files that import a module that differs."""
    changed = [f for f in files if _read(base_root / f) != _read(head_root / f)]
    names = {module_name(str(head_root / f)).rpartition(".")[2] for f in changed}
    names.discard("")
    result = list(changed)
    for f in files:
        if f in changed:
            continue
        data = _read(head_root / f) or b""
        if any(f"import {n}".encode() in data or f"{n} import".encode() in data or
               f".{n} ".encode() in data for n in names):
            result.append(f)
    return result


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


# -- skeletons ----------------------------------------------------------------------------------

def workflows(root: Path, files: list[Path], settings: Settings) -> dict[tuple[str, str], Workflow]:
    """The workflows of ``files`` (relative to ``root``) by (framework, registered identity)."""
    absolute = [str(root / f) for f in files]
    project = Project(project_roots(absolute, with_cwd=False), settings.frameworks,
                      settings.workflow_decorators, settings.activity_decorators)
    found: dict[tuple[str, str], Workflow] = {}
    for relative, path in zip(files, absolute):
        data = _read(Path(path))
        if data is None:
            continue
        try:
            source = decode(data)
            tree = ast.parse(source)
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
            continue
        module = ModuleInfo(tree, module_name(path), path, source)
        module.project = project
        project.include(path)
        frameworks = enabled_frameworks(module, settings.frameworks, settings.workflow_decorators)
        if not frameworks:
            continue
        discovery = discover(module, frameworks, settings.workflow_decorators, settings.activity_decorators)
        for unit in discovery.units:
            handler = unit.kind in _HANDLERS
            if not unit.is_entry and not handler:
                continue
            identity = _identity(unit, module)
            if handler:  # compared on its own: where its calls land depends on when it ran
                identity = f"{_class_identity(unit, module)}.{unit.node.name}"
            ops = skeleton(unit, module, discovery, project)
            found[(unit.framework.name, identity)] = Workflow(unit.framework, unit.display,
                                                              str(relative), path, unit.node.lineno, ops,
                                                              module, unit.node, unit.ctx_name, handler,
                                                              _pinned(unit, module))
    return found


#: the kinds of workflow method that issue commands whenever a message arrives
_HANDLERS = frozenset({"signal", "update"})


def _pinned(unit, module: ModuleInfo) -> bool:
    """Declared with the framework's pinning (Temporal: ``@workflow.defn(versioning_behavior=
    VersioningBehavior.PINNED)``, with worker versioning): instances never meet new code."""
    keyword, value = unit.framework.pinning
    if not keyword:
        return False
    holders = [unit.node, *(module.scope.classes.get(unit.class_name or "") or [])]
    return any(isinstance(d, ast.Call) and any(k.arg == keyword and value in ast.unparse(k.value)
                                               for k in d.keywords)
               for holder in holders for d in getattr(holder, "decorator_list", []))


def _class_identity(unit, module: ModuleInfo) -> str:
    classes = module.scope.classes.get(unit.class_name or "") or []
    return declared_name(classes[0]) if classes else unit.class_name or ""


def _identity(unit, module: ModuleInfo) -> str:
    """The name the engine knows a workflow by: the decorator's ``name=``, else its own name
    (a Temporal workflow is its class); a Dapr named version (``version_name=``) runs apart."""
    name = _class_identity(unit, module) if unit.kind == "run" and unit.class_name else \
        declared_name(unit.node)
    version = decorator_keyword(unit.node, "version_name")
    return f"{name}@{version}" if version else name


# -- the comparison ---------------------------------------------------------------------------

def compare(base: Workflow, head: Workflow) -> list[Diagnostic]:
    fw = head.framework
    if head.pinned:
        return []  # running instances finish on the code they started on
    base_gates = {op.name for op in base.ops if op.kind in (GATE, RETIRE)}
    old_view = _as_replayed(head.ops, base_gates)
    base_cmds, head_cmds = _keys(base.ops, fw), _keys(old_view, fw)
    found: list[Diagnostic] = []
    matcher = difflib.SequenceMatcher(None, base_cmds, head_cmds, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if not head.handler and not _reached(base.ops, i1):
            continue  # an append after everything an instance can have recorded
        removed = [op for op in base.ops[i1:i2] if op.is_command]
        added = [op for op in old_view[j1:j2] if op.is_command]
        if not removed and not added:
            continue  # only the control structure around no commands changed
        if fw.ignores_unreached_tail and not added and not any(op.is_command for op in base.ops[i2:]):
            continue  # the recorded calls the new code no longer reaches are ignored
        anchor = added[0] if added else (old_view[j1] if j1 < len(old_view) else None)
        later = next((op for op in base.ops[i1:] if op.is_command), None)
        fix = _gate_fix(head, added) if added and not removed else None
        found.append(_finding(head, base, anchor, removed, added, later, fix))
    head_ids = {op.name for op in head.ops if op.kind in (GATE, RETIRE)}
    for op in base.ops:
        if op.kind == GATE and op.name not in head_ids and fw.gates:
            found.append(_gate_removed(head, op))
    if fw.gate_order_recorded:
        kept = [op.name for op in head.ops if op.kind == GATE and op.name in base_gates]
        before = [op.name for op in base.ops if op.kind == GATE and op.name in kept]
        if kept != before:
            found.append(_gates_reordered(head, before, kept))
    return found


def _gates_reordered(head: Workflow, before: list[str], after: list[str]) -> Diagnostic:
    fw = head.framework
    message = (f"reorders the version gates of workflow '{head.display}' ({', '.join(before)} → "
               f"{', '.join(after)}): the engine checks that the gates an instance recorded come "
               f"in the same order, and {fw.replay_error}; keep existing gates in their order and "
               f"nest new ones inside them")
    return Diagnostic(_display_path(head.source), head.line, 1, GATE_REMOVED, message, "error",
                      head.line, 1)


def _as_replayed(ops: list[Op], known: set[str]) -> list[Op]:
    """The head as an instance started on the base code runs it: a gate the base did not know
    returns False there, so only its old branch remains."""
    result: list[Op] = []
    skipping: list[tuple[str, bool]] = []  # (gate id, inside its new branch)
    for op in ops:
        if op.kind == GATE and op.name not in known:
            skipping.append((op.name, True))
            continue
        if op.kind == GATE_ELSE and skipping and skipping[-1][0] == op.name:
            skipping[-1] = (op.name, False)
            continue
        if op.kind == GATE_END and skipping and skipping[-1][0] == op.name:
            skipping.pop()
            continue
        if any(inside for _, inside in skipping):
            continue
        result.append(op)
    return result


def _keys(ops: list[Op], fw: Framework) -> list[tuple[str, str]]:
    """What aligns two skeletons: kinds and names (case-folded where the engine folds them)."""
    fold = fw.recorded_names == "casefold"
    return [(op.kind, op.name.casefold() if fold and op.is_command else op.name) for op in ops]


def _reached(ops: list[Op], position: int) -> bool:
    """Whether an instance may have recorded history at or past ``position`` of the base:
    a command comes at or after it, or it lies inside a loop that records commands."""
    if any(op.is_command for op in ops[position:]):
        return True
    depth = 0
    for op in ops[:position]:
        if op.kind == LOOP:
            depth += 1
        elif op.kind == END_LOOP:
            depth -= 1
    return depth > 0 and any(op.is_command for op in ops[:position])


def _describe(op: Op) -> str:
    return f"{op.kind} '{op.name}'" if op.name else op.kind


def _gate_fix(head: Workflow, added: list[Op]) -> Fix | None:
    """Wrap the inserted calls in the framework's gate with a fresh id: instances in flight skip
    them, new ones run them. Only whole statements whose value is discarded, in the workflow's
    own file and function, are wrapped (an assignment would leave its name unbound on the old
    path)."""
    fw, module, function = head.framework, head.module, head.node
    if not fw.gate_template or module is None or function is None:
        return None
    if isinstance(function, ast.AsyncFunctionDef) and any(g.endswith("_async") for g in fw.gates):
        return None  # an async workflow would need the gate's awaited form
    statements = []
    for op in added:
        if op.path != module.path:
            return None
        found = [node for node in ast.walk(function) if isinstance(node, ast.stmt)
                 and node.lineno <= op.line <= (node.end_lineno or node.lineno)]
        inner = min(found, key=lambda n: (n.end_lineno or n.lineno) - n.lineno, default=None)
        if not isinstance(inner, ast.Expr):
            return None
        if inner not in statements:
            statements.append(inner)
    digest = hashlib.sha256(f"{head.display}:{statements[0].lineno}".encode()).hexdigest()[:8]
    header = "if " + fw.gate_template.format(ctx=head.ctx or fw.default_context_name,
                                            id=f'"wflint-{digest}"') + ":"
    lines = module.lines
    edits = []
    for statement in statements:
        start = (statement.lineno, _char_col(lines[statement.lineno - 1], statement.col_offset))
        end_line = statement.end_lineno or statement.lineno
        end = (end_line, _char_col(lines[end_line - 1], statement.end_col_offset or 0))
        edits.append(Edit(WRAP, start, end, header))
    return Fix(Applicability.UNSAFE, f"Gate the new code with `{header[3:-1]}`", tuple(edits),
               note="instances in flight skip it and new ones run it: keep the gate until no "
                    "instance started before it can replay, then retire it")


def _char_col(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _finding(head: Workflow, base: Workflow, anchor: Op | None, removed: list[Op], added: list[Op],
             later: Op | None, fix: Fix | None = None) -> Diagnostic:
    fw = head.framework
    if removed and added:
        what = f"replaces {_describe(removed[0])} with {_describe(added[0])}"
    elif added:
        what = f"inserts {_describe(added[0])}" + (f" before {_describe(later)}" if later else "")
    else:
        what = f"removes {_describe(removed[0])}"
    first = removed[0] if removed else later
    was = f" (base {base.path}:{first.line})" if first is not None else ""
    line = anchor.line if anchor is not None else head.line
    path = anchor.path if anchor is not None else head.source
    message = (f"{what} in workflow '{head.display}'{was}: instances in flight past that point "
               f"replay other commands than their history holds, and {fw.replay_error}; "
               f"{fw.compat_advice}")
    return Diagnostic(_display_path(path), line, 1, BREAKING, message, "error", line, 1, fix)


def _removed(base: Workflow, head_root: Path) -> Diagnostic:
    """A workflow of the base that the new version no longer declares (under that name)."""
    fw = base.framework
    where = head_root / base.path
    path = _display_path(str(where)) if where.exists() else base.path
    line = base.line if where.exists() else 1
    message = (f"removes workflow '{base.display}' (base {base.path}:{base.line}), or its "
               f"registered name: instances in flight of it find no code to replay on the new "
               f"workers; keep it registered until they finish (with {fw.title}, "
               f"{fw.compat_advice})")
    return Diagnostic(path, line, 1, REMOVED, message, "warning", line, 1)


def _gate_removed(head: Workflow, op: Op) -> Diagnostic:
    fw = head.framework
    retire = f"; retire it first with {fw.gate_retirements[0].rpartition('.')[2]}(\"{op.name}\")" \
        if fw.gate_retirements else "; keep it while instances that took it may still replay"
    message = (f"removes the version gate '{op.name}' from workflow '{head.display}' (base "
               f"{head.path}:{op.line}): instances that recorded it replay into code without it, "
               f"and {fw.replay_error}{retire}")
    return Diagnostic(_display_path(head.source), head.line, 1, GATE_REMOVED, message, "error",
                      head.line, 1)


def _display_path(path: str) -> str:
    """A path as ``check`` prints it: relative to the working directory when under it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def run(head_root: Path, base: str | None, paths: list[str], settings: Settings) -> list[Diagnostic]:
    """Compare the workflows of ``paths`` (files or directories under ``head_root``; default:
    all of it) between ``base`` and the working tree."""
    base_root, holder = base_tree(base, head_root)
    try:
        files = _python_files(head_root, paths)
        candidates = changed_files(base_root, head_root, files)
        deleted = [f for f in _python_files(base_root, [p for p in paths if (base_root / p).exists()]
                                            or ([] if paths else ["."]))
                   if not (head_root / f).exists()]
        if not candidates and not deleted:
            return []
        head = workflows(head_root, candidates, settings)
        before = workflows(base_root, [f for f in candidates if (base_root / f).exists()] + deleted,
                           settings)
        found: list[Diagnostic] = []
        for key, workflow in sorted(head.items()):
            old = before.get(key)
            if old is not None:
                found.extend(compare(old, workflow))
        for key, old in sorted(before.items()):
            if key not in head and not old.handler and old.ops:
                found.append(_removed(old, head_root))
        return sorted(found, key=lambda d: (d.path, d.line, d.code, d.message))
    finally:
        if holder is not None:
            holder.cleanup()


def _python_files(root: Path, paths: list[str]) -> list[Path]:
    """The Python files of ``paths`` (default: all of ``root``), walked as ``check`` walks
    directories, relative to ``root``."""
    from wflint.config import DEFAULT_EXCLUDES, Excluder
    from wflint.files import _walk

    excluder = Excluder(DEFAULT_EXCLUDES, root)
    result: set[Path] = set()
    for given in paths or ["."]:
        target = (root / given) if not os.path.isabs(given) else Path(given)
        if not target.exists():
            raise CompatError(f"{given}: no such file or directory")
        found = [str(target)] if target.is_file() else \
            [path for path in _walk(str(target), excluder) if path.endswith(".py")]
        result.update(Path(path).resolve().relative_to(root.resolve()) for path in found)
    return sorted(result)


def apply(diagnostics: list[Diagnostic]) -> int:
    """Write the fixes of ``diagnostics`` (all unsafe: the caller asked for them); a file whose
    fixed text would not compile is left alone. Returns how many findings were fixed."""
    from wflint.fixes.apply import apply_fixes
    from wflint.fixes.writer import write_atomic
    from wflint.source import decode_with_encoding

    by_path: dict[str, list[Fix]] = {}
    for d in diagnostics:
        if d.fix is not None and d.fix.edits:
            by_path.setdefault(d.path, []).append(d.fix)
    fixed = 0
    for path, fixes in by_path.items():
        data = Path(path).read_bytes()
        text, encoding, bom = decode_with_encoding(data)
        new, applied = apply_fixes(text, fixes)
        if not applied or new == text:
            continue
        try:
            compile(new, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            continue
        write_atomic(path, new, encoding, bom)
        fixed += len(applied)
    return fixed
