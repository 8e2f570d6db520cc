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

What the code says outside its workflows counts too (:class:`Deployment`): the versions new
instances start with decide whether a branch on the instance's version isolates a change, and
an application version hashed from the workflows' source means the new workers never take up
the instances in flight at all.

Findings (``WFL1001`` a breaking edit, ``WFL1002`` a gate removed too early or reordered,
``WFL1003`` a workflow removed, ``WFL1004`` a version branch no instance takes, ``WFL1005``
instances orphaned by a new application version; explained in :mod:`wflint.compat_docs`) go
through every output format ``check`` has.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import json
import operator
import os
import re
import subprocess
import tempfile
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from wflint.analysis.discovery import discover, enabled_frameworks
from wflint.analysis.project import Project, project_roots
from wflint.analysis.scope import BUILTIN_NAMES, ModuleInfo, binding_scope
from wflint.analysis.skeleton import END_LOOP, decorator_keyword, declared_name, GATE, GATE_ELSE, GATE_END, LOOP, RETIRE, Op, skeleton
from wflint.config import Settings
from wflint.diagnostics import Diagnostic
from wflint.fixes.model import INSERT_AFTER, INSERT_BEFORE, REMOVE, STATEMENT, WRAP, Applicability, Edit, Fix
from wflint.frameworks import FRAMEWORKS
from wflint.frameworks.model import Framework
from wflint.source import decode, module_name

BREAKING, GATE_REMOVED, REMOVED, NOT_BUMPED, ORPHANED = "WFL1001", "WFL1002", "WFL1003", "WFL1004", "WFL1005"


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

@dataclass
class BaseVersion:
    """The base version as a directory. From git it holds only what differs from the working
    tree (the base's text of the changed and deleted files, with their packages'
    ``__init__.py``): everything else is the working tree's (``fallback``), except the files
    the working tree added (``added``). ``changed`` (relative paths) is None when the base is
    a whole directory, whose differences are found by reading both."""

    root: Path
    holder: tempfile.TemporaryDirectory | None = None
    fallback: Path | None = None
    changed: set[str] | None = None
    deleted: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)

    def exists(self, relative: Path) -> bool:
        if (self.root / relative).exists():
            return True
        return self.fallback is not None and str(relative) not in self.added and \
            (self.fallback / relative).exists()

    def cleanup(self) -> None:
        if self.holder is not None:
            self.holder.cleanup()


def base_tree(base: str | None, head_root: Path) -> BaseVersion:
    """The base version: ``base`` itself when it is a directory, else the git revision
    (default: the merge base with the default branch), of which only the files that differ
    from the working tree are written out."""
    if base is not None and os.path.isdir(base):
        return BaseVersion(Path(base))
    if base is not None and (os.sep in base or base.startswith(".")) and not os.path.exists(base):
        raise CompatError(f"{base}: no such directory")
    revision = base or _merge_base(head_root)
    wanted = _settings_names()

    def relevant(path: str) -> bool:
        return path.endswith(".py") or os.path.basename(path) in wanted

    diff = _git(head_root, "diff", "--name-status", "-z", "--no-renames", revision, "--")
    fields = diff.split(b"\0")
    status = {fields[i + 1].decode("utf-8", "surrogateescape"): fields[i].decode()
              for i in range(0, len(fields) - 1, 2) if fields[i]}
    untracked = _git(head_root, "ls-files", "--others", "--exclude-standard", "-z").split(b"\0")
    for path in untracked:
        if path:
            status.setdefault(path.decode("utf-8", "surrogateescape"), "A")
    status = {path: kind for path, kind in status.items() if relevant(path)}
    in_base = [path for path, kind in status.items() if not kind.startswith("A")]
    packages = {str(Path(parent, "__init__.py")) for path in in_base for parent in Path(path).parents
                if str(parent) != "."}
    holder = tempfile.TemporaryDirectory(prefix="wflint-compat-")
    try:
        target = Path(holder.name) / "tree"
        target.mkdir()
        texts = _git_blobs(head_root, revision, [*in_base, *sorted(packages - set(status))])
        for path, data in texts.items():
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            (target / path).write_bytes(data)
    except BaseException:
        holder.cleanup()
        raise
    return BaseVersion(target, holder, head_root, set(status),
                       {p for p, kind in status.items() if kind.startswith("D")},
                       {p for p, kind in status.items() if kind.startswith("A")})


def _settings_names() -> set[str]:
    return {name for fw in FRAMEWORKS.values() for name, _ in fw.start_version_files}


def _git(root: Path, *args: str) -> bytes:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    if done.returncode != 0:
        raise CompatError(f"cannot read revision: git {args[0]}: "
                          f"{done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _git_blobs(root: Path, revision: str, paths: list[str]) -> dict[str, bytes]:
    """The text of ``paths`` at ``revision`` (those it has), read in one ``git cat-file``."""
    if not paths:
        return {}
    request = "".join(f"{revision}:{path}\n" for path in paths).encode("utf-8", "surrogateescape")
    done = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=request,
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise CompatError(f"cannot read revision {revision!r}: "
                          f"{done.stderr.decode(errors='replace').strip()}")
    out, position, texts = done.stdout, 0, {}
    for path in paths:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            texts[path] = out[position:position + size]
            position += size + 1
    return texts


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


def changed_files(base: BaseVersion, head_root: Path, files: list[Path]) -> list[Path]:
    """The head files (relative) whose workflows may have changed: the files that differ from
    the base, and the files that import a module that differs."""
    if base.changed is not None:
        changed = [f for f in files if str(f) in base.changed]
    else:
        changed = [f for f in files if _read(base.root / f) != _read(head_root / f)]
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


# -- what a version says outside its workflows ----------------------------------------------------

class Deployment:
    """What one version of the code says, outside its workflows, about its instances: the
    version new instances start with, and the application version recovery matches. Read from
    every Python file of the version (and the framework's settings files) only when a
    comparison asks."""

    def __init__(self, root: Path, fallback: Path | None = None, added: set[str] = frozenset()) -> None:
        self.root = root
        #: where the files ``root`` lacks are read (a base version holding only what changed),
        #: but for those the newer version ``added``
        self.fallback = fallback
        self.added = added
        self._files: list[tuple[Path, bytes]] | None = None
        self._trees: dict[Path, ast.Module | None] = {}
        self._answers: dict[tuple, object] = {}  # (question, framework, application) -> answer

    def _once(self, question: str, fw: Framework, under: str, compute):
        key = (question, fw.name, under)
        if key not in self._answers:
            self._answers[key] = compute(fw, under)
        return self._answers[key]

    def _paths(self, listing, under: str = "") -> list[Path]:
        """``listing(directory)`` (absolute paths) over ``root``, then over ``fallback``, of the
        files under the directory ``under`` (relative; "" for all)."""
        def inside(relative: str) -> bool:
            return not under or relative.startswith(under + os.sep)

        own = [path for path in listing(self.root) if inside(os.path.relpath(path, self.root))]
        if self.fallback is None:
            return own
        mine = {os.path.relpath(path, self.root) for path in own}
        return own + [path for path in listing(self.fallback)
                      if (relative := os.path.relpath(path, self.fallback)) not in mine
                      and relative not in self.added and inside(relative)]

    def _sources(self, under: str = "") -> list[tuple[Path, bytes]]:
        if self._files is None:
            self._files = []
            for path in self._paths(lambda top: [top / f for f in _python_files(top, [])]):
                data = _read(Path(path))
                if data is not None:
                    self._files.append((Path(path), data))
        if not under:
            return self._files
        tops = [os.path.join(top, under, "") for top in (self.root, self.fallback) if top is not None]
        return [(path, data) for path, data in self._files if str(path).startswith(tuple(tops))]

    def _tree(self, relative: Path, data: bytes) -> ast.Module | None:
        if relative not in self._trees:
            try:
                self._trees[relative] = ast.parse(decode(data))
            except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
                self._trees[relative] = None
        return self._trees[relative]

    def mentions(self, needles: tuple[bytes, ...], under: str = "") -> bool:
        """Whether a Python file under ``under`` mentions one of ``needles``."""
        return any(needle in data for _, data in self._sources(under) for needle in needles)

    def settings(self, words: tuple[str, ...], under: str = "") -> list[tuple[str, ast.expr | None]]:
        """Where the code sets one of ``words``: a keyword (``default_version="2"``; a dotted
        word names the call too: ``schedule_new_orchestration.version``), a dictionary key or
        an item assigned (``{"application_version": "1"}``), each with its value; a string
        naming it anywhere else (an environment variable read) comes with None."""
        plain = {w for w in words if "." not in w}
        dotted = {w for w in words if "." in w}
        needles = {(w.rpartition(".")[2]).encode() for w in words}
        found: list[tuple[str, ast.expr | None]] = []
        for relative, data in self._sources(under):
            if not any(n in data for n in needles):
                continue
            tree = self._tree(relative, data)
            if tree is None:
                continue
            keys: set[int] = set()
            named: list[ast.Constant] = []  # strings naming a word, taken unless they are keys
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant):
                    if isinstance(node.value, str) and node.value in plain:
                        named.append(node)
                elif isinstance(node, ast.Call):
                    tail = node.func.attr if isinstance(node.func, ast.Attribute) else \
                        node.func.id if isinstance(node.func, ast.Name) else ""
                    for keyword in node.keywords:
                        if keyword.arg in plain or f"{tail}.{keyword.arg}" in dotted:
                            found.append((keyword.arg, keyword.value))
                elif isinstance(node, ast.Dict):
                    for key, value in zip(node.keys, node.values):
                        if isinstance(key, ast.Constant) and key.value in plain:
                            keys.add(id(key))
                            found.append((key.value, value))
                elif isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                        isinstance(node.targets[0], ast.Subscript) and \
                        isinstance(node.targets[0].slice, ast.Constant) and node.targets[0].slice.value in plain:
                    keys.add(id(node.targets[0].slice))
                    found.append((node.targets[0].slice.value, node.value))
            found += [(node.value, None) for node in named if id(node) not in keys]
        return found

    def start_versions(self, fw: Framework, under: str = "") -> tuple[set[str], bool]:
        """The versions new instances start with, and whether some are set by a value only known
        when the code runs."""
        return self._once("start versions", fw, under, self._start_versions)

    def _start_versions(self, fw: Framework, under: str) -> tuple[set[str], bool]:
        versions: set[str] = set()
        unknown = False
        for _, value in self.settings(fw.start_versions, under) if fw.start_versions else []:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                versions.add(value.value)
            elif not (isinstance(value, ast.Constant) and value.value is None):
                unknown = True
        for filename, key in fw.start_version_files:
            for path in self._paths(lambda top, name=filename: _settings_files(top, name), under):
                try:
                    data = json.loads(path.read_text(encoding="utf-8-sig"))
                except (OSError, ValueError):
                    unknown = True
                    continue
                for part in key.split("."):
                    data = data.get(part) if isinstance(data, dict) else None
                if isinstance(data, str):
                    versions.add(data)
                elif data is not None:
                    unknown = True
        return versions, unknown

    def app_version(self, fw: Framework, under: str = "") -> str:
        """How the application's version is decided: "upgrades" (new code takes up instances of
        older versions), "fixed:<value>", "unknown" (from the environment or a computed value),
        or "hashed" (the default: from what the application registers)."""
        return self._once("app version", fw, under, self._app_version)

    def _app_version(self, fw: Framework, under: str) -> str:
        for _, value in self.settings(fw.app_version_upgrades, under):
            if not (isinstance(value, ast.Constant) and value.value in (False, None)):
                return "upgrades"
        fixed: set[str] = set()
        for _, value in self.settings(fw.app_version_settings, under):
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                fixed.add(value.value)
            elif not (isinstance(value, ast.Constant) and value.value is None):
                return "unknown"
        if len(fixed) == 1:
            return f"fixed:{fixed.pop()}"
        return "unknown" if fixed else "hashed"


def _settings_files(root: Path, filename: str) -> list[Path]:
    from wflint.config import DEFAULT_EXCLUDES, Excluder
    from wflint.files import _walk

    return [Path(path) for path in _walk(str(root), Excluder(DEFAULT_EXCLUDES, root), names=(filename,))]


#: files that mark the root of one application (a repository may hold several)
_APPLICATION_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "host.json",
                        "dbos-config.yaml")


@lru_cache(maxsize=4096)
def application_of(root: Path, relative: str) -> str:
    """The directory (relative to ``root``; "" for all of it) of the application a file
    belongs to: the nearest one above it holding a project file."""
    parent = Path(relative).parent
    while str(parent) not in ("", "."):
        if any((root / parent / marker).exists() for marker in _APPLICATION_MARKERS):
            return str(parent)
        parent = parent.parent
    return ""


# -- skeletons ----------------------------------------------------------------------------------

def workflows(root: Path, files: list[Path], settings: Settings, fallback: Path | None = None,
              declared: dict[str, set[str]] | None = None) -> dict[tuple[str, str], list[Workflow]]:
    """The workflows of ``files`` (relative to ``root``) by (framework, registered identity);
    more than one where separate applications of one repository reuse a name."""
    absolute = [str(root / f) for f in files]
    roots = project_roots(absolute, with_cwd=False)
    if fallback is not None:  # the modules a partial base lacks are the working tree's
        roots += [os.path.join(fallback, os.path.relpath(r, root)) for r in roots
                  if not os.path.relpath(r, root).startswith("..")]
    project = Project(roots, settings.frameworks, settings.workflow_decorators,
                      settings.activity_decorators)
    found: dict[tuple[str, str], list[Workflow]] = {}
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
        if declared is not None:  # what the file registers with the engine, for its version hash
            declared[str(relative)] = {f"workflow {u.node.name}" for u in discovery.units} | \
                {f"step {getattr(node, 'name', '')}" for node in discovery.activities}
        for unit in discovery.units:
            handler = unit.kind in _HANDLERS
            if not unit.is_entry and not handler:
                continue
            identity = _identity(unit, module)
            if handler:  # compared on its own: where its calls land depends on when it ran
                identity = f"{_class_identity(unit, module)}.{unit.node.name}"
            ops = skeleton(unit, module, discovery, project)
            found.setdefault((unit.framework.name, identity), []).append(
                Workflow(unit.framework, unit.display, str(relative), path, unit.node.lineno, ops,
                         module, unit.node, unit.ctx_name, handler, _pinned(unit, module)))
    return found


def matched(head: dict[tuple[str, str], list[Workflow]], base: dict[tuple[str, str], list[Workflow]]
            ) -> tuple[list[tuple[Workflow, Workflow]], list[Workflow]]:
    """The (base, head) pairs of one workflow, and the base workflows gone from the head.

    A registered name is one workflow within one application; a repository holding several
    may reuse it. Workflows of one name pair up by file first; what remains pairs only when
    exactly one of each is left (a workflow moved to another module), and is otherwise left
    alone: which base workflow a new one continues cannot be told."""
    pairs: list[tuple[Workflow, Workflow]] = []
    gone: list[Workflow] = []
    for key in sorted(head.keys() | base.keys()):
        heads, bases = list(head.get(key, [])), list(base.get(key, []))
        for old in list(bases):
            same = next((new for new in heads if new.path == old.path), None)
            if same is not None:
                pairs.append((old, same))
                heads.remove(same)
                bases.remove(old)
        if len(heads) == 1 and len(bases) == 1:
            pairs.append((bases[0], heads[0]))
        elif not head.get(key):
            gone.extend(bases)
    return pairs, gone


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

def compare(base: Workflow, head: Workflow,
            deployments: tuple[Deployment, Deployment] | None = None) -> list[Diagnostic]:
    """The edits from ``base`` to ``head`` that instances in flight meet on replay;
    ``deployments`` (base, head) tell the versions instances start with."""
    fw = head.framework
    if head.pinned:
        return []  # running instances finish on the code they started on
    base_gates = {op.name for op in base.ops if op.kind in (GATE, RETIRE)}
    taken, never = _version_gates(head, base_gates, deployments)
    old_view = _as_replayed(head.ops, base_gates, set(taken))
    base_cmds, head_cmds = _keys(base.ops, fw), _keys(old_view, fw)
    found = [_never_taken(head, op, versions) for op, versions in never]
    note = "".join(f" (they started with version {version!r}, which `{_gate_text(head, name)}` "
                   f"takes)" for name, version in taken.items())
    matcher = difflib.SequenceMatcher(None, base_cmds, head_cmds, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for b, h in zip(base.ops[i1:i2], old_view[j1:j2]):
                if b.is_command and b.fields != h.fields:
                    found.append(_fields_changed(head, base, b, h))
                elif b.is_command and _retries_differ(fw, b.retry, h.retry):
                    found.append(_retry_changed(head, base, b, h))
            continue
        if not head.handler and not _reached(base.ops, i1):
            continue  # an append after everything an instance can have recorded
        removed = [op for op in base.ops[i1:i2] if op.is_command]
        added = [op for op in old_view[j1:j2] if op.is_command]
        if not removed and not added:
            continue  # only the control structure around no commands changed
        if any(op.name == "?" for op in removed + added) and len({op.kind for op in removed + added}) == 1:
            continue  # a name chosen while the workflow runs: which one it recorded cannot be told
        if fw.ignores_unreached_tail and not added and not any(op.is_command for op in base.ops[i2:]):
            continue  # the recorded calls the new code no longer reaches are ignored
        anchor = added[0] if added else (old_view[j1] if j1 < len(old_view) else None)
        later = next((op for op in base.ops[i1:] if op.is_command), None)
        fix = _gate_fix(head, base, added, removed, old_view[:j1], old_view[j2:])
        found.append(_finding(head, base, anchor, removed, added, later, fix, note))
    head_ids = {op.name for op in head.ops if op.kind in (GATE, RETIRE)}
    for op in base.ops:
        if op.kind == GATE and op.name not in head_ids and fw.gates:
            found.append(_gate_removed(head, op))
    retired = {op.name for op in base.ops if op.kind == RETIRE} - {op.name for op in base.ops if op.kind == GATE}
    found.extend(_gate_reused(head, op) for op in head.ops if op.kind == GATE and op.name in retired)
    if fw.gate_order_recorded:
        kept = [op.name for op in head.ops if op.kind == GATE and op.name in base_gates]
        before = [op.name for op in base.ops if op.kind == GATE and op.name in kept]
        if kept != before:
            found.append(_gates_reordered(head, before, kept))
    return found


def _under_app_version(base: Workflow, head: Workflow, deployments: tuple[Deployment, Deployment],
                       rehashed: set[tuple[str, str]]) -> list[Diagnostic]:
    """The comparison where the engine's workers take up only instances of their own
    application version: with the version fixed (or new code upgrading older instances) they
    replay instances in flight on the new code; with the default version, a hash of every
    workflow's source, they do too as long as no workflow's source changed, and otherwise the
    change orphans them; with the version changed on purpose, the old version's workers finish
    them. ``rehashed``: the (framework, application) pairs whose hashed version changes."""
    found = compare(base, head, deployments)
    fw = head.framework
    if not fw.app_version_hashed:
        return found
    under = application_of(deployments[1].root, head.path)
    before, after = deployments[0].app_version(fw, under), deployments[1].app_version(fw, under)
    if "upgrades" in (before, after) or "unknown" in (before, after) or \
            (before == after and after != "hashed"):
        return found
    if after != "hashed":
        return []  # the version was fixed or changed on purpose: the old workers finish them
    if before == "hashed" and (fw.name, under) not in rehashed:
        return found  # no workflow's source changed: the same version recovers them on this code
    return [_orphaned(base, head, found)] if _source(base) != _source(head) or before != "hashed" else []


def _rehashed(pairs: list[tuple[Workflow, Workflow]], new: list[Workflow], gone: list[Workflow],
              declared: tuple[dict[str, set[str]], dict[str, set[str]]], root: Path) -> set[tuple[str, str]]:
    """The applications (framework, directory) of a framework that hashes what they register
    into the application version, where that changes: a workflow edited, added or removed, or
    a file's registered steps and workflows (``declared``, base and head) changing."""
    changed = [head for base, head in pairs if _source(base) != _source(head)] + new + gone
    found = {(workflow.framework.name, application_of(root, workflow.path)) for workflow in changed
             if workflow.framework.app_version_hashed}
    before, after = declared
    for relative in before.keys() | after.keys():
        if before.get(relative, set()) != after.get(relative, set()):
            found |= {(fw.name, application_of(root, relative)) for fw in FRAMEWORKS.values()
                      if fw.app_version_hashed}
    return found


def _compared(pairs: list[tuple[Workflow, Workflow]], added: list[Workflow],
              deployments: tuple[Deployment, Deployment], rehashed: set[tuple[str, str]],
              root: Path) -> list[Diagnostic]:
    """The findings of every pair of versions, with one warning per application whose hashed
    version changes (at a changed workflow, else a new one, else any of the application's)."""
    found: list[Diagnostic] = []
    warned: set[tuple[str, str]] = set()
    for old, workflow in pairs:
        results = _under_app_version(old, workflow, deployments, rehashed)
        if any(d.code == ORPHANED for d in results):
            warned.add((workflow.framework.name, application_of(root, workflow.path)))
        found.extend(results)
    for fw_name, under in sorted(rehashed - warned):  # edits elsewhere change the version too
        fw = FRAMEWORKS[fw_name]
        if not (deployments[0].app_version(fw, under) == deployments[1].app_version(fw, under)
                == "hashed" and deployments[0].mentions(fw.markers, under)):
            continue  # not the default version at both ends, or a new application
        def mine(workflow: Workflow) -> bool:
            return workflow.framework is fw and application_of(root, workflow.path) == under

        new = next((w for w in added if mine(w)), None)
        pair = next(((o, w) for o, w in pairs if mine(w)), None)
        if new is not None:
            found.append(_orphaned(None, new, []))
        elif pair is not None:
            found.append(_orphaned(*pair, [], registered=True))
    return found


def _source(workflow: Workflow) -> str:
    """A workflow function's text as the engine hashes it (decorators included)."""
    node, module = workflow.node, workflow.module
    if node is None or module is None:
        return ""
    start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
    return "\n".join(module.lines[start - 1:node.end_lineno or node.lineno])


def _orphaned(base: Workflow | None, head: Workflow, breaking: list[Diagnostic],
              registered: bool = False) -> Diagnostic:
    """The warning that instances in flight are left to the workers of the old version: for a
    workflow changed, added (``base`` None), or the steps and workflows its application
    registers changed (``registered``)."""
    fw = head.framework
    also = ""
    if breaking:
        also = (f" (were they forked to the new version, the edit at line {breaking[0].line} would "
                f"break them as well)")
    if registered:
        what = (f"changes the steps or workflows registered beside workflow '{head.display}' (one "
                f"is added or removed)")
    elif base is not None:
        what = f"changes workflow '{head.display}' (base {base.path}:{base.line})"
    else:
        what = f"adds workflow '{head.display}'"
    message = (f"{what} while the "
               f"application's version is the default, a hash of every workflow's source: the new "
               f"code runs as a new application version, whose workers take up no instance in flight "
               f"of the old one, of any workflow; they stay pending{also}; {fw.app_version_advice}")
    return Diagnostic(_display_path(head.source), head.line, 1, ORPHANED, message, "warning",
                      head.line, 1)


def _gate_reused(head: Workflow, op: Op) -> Diagnostic:
    message = (f"reuses the retired version gate '{op.name}' in workflow '{head.display}': "
               f"instances that recorded it take the new branch as well, and "
               f"{head.framework.replay_error}; give the new change a fresh id")
    return Diagnostic(_display_path(op.path), op.line, 1, GATE_REMOVED, message, "error", op.line, 1)


def _gates_reordered(head: Workflow, before: list[str], after: list[str]) -> Diagnostic:
    fw = head.framework
    message = (f"reorders the version gates of workflow '{head.display}' ({', '.join(before)} → "
               f"{', '.join(after)}): the engine checks that the gates an instance recorded come "
               f"in the same order, and {fw.replay_error}; keep existing gates in their order and "
               f"nest new ones inside them")
    return Diagnostic(_display_path(head.source), head.line, 1, GATE_REMOVED, message, "error",
                      head.line, 1)


def _as_replayed(ops: list[Op], known: set[str], taken: set[str] = frozenset()) -> list[Op]:
    """The head as an instance started on the base code runs it: a gate the base did not know
    returns False there, so only its old branch remains; a version gate the instances' own
    version passes (``taken``) leaves only its new branch."""
    result: list[Op] = []
    skipping: list[tuple[str, bool]] = []  # (gate id, whether this branch is skipped)
    for op in ops:
        if op.kind == GATE and (op.name not in known or op.name in taken):
            skipping.append((op.name, op.name not in taken))
            continue
        if op.kind == GATE_ELSE and skipping and skipping[-1][0] == op.name:
            skipping[-1] = (op.name, not skipping[-1][1])
            continue
        if op.kind == GATE_END and skipping and skipping[-1][0] == op.name:
            skipping.pop()
            continue
        if any(skipped for _, skipped in skipping):
            continue
        result.append(op)
    return result


#: a version gate's id (``_Builder._gate``): the comparison and the constant
_VERSION_GATE = re.compile(r"version (==|>=|>) (.+)")
_COMPARE = {"==": operator.eq, ">=": operator.ge, ">": operator.gt}


def _passes(gate: str, version: str) -> bool | None:
    """Whether an instance of ``version`` takes the new branch of version gate ``gate`` (None:
    the comparison fails, or ``gate`` is not a version gate)."""
    match = _VERSION_GATE.fullmatch(gate)
    if match is None:
        return None
    try:
        return bool(_COMPARE[match.group(1)](version, ast.literal_eval(match.group(2))))
    except (TypeError, ValueError, SyntaxError):
        return None


def _version_gates(head: Workflow, known: set[str], deployments: tuple[Deployment, Deployment] | None):
    """The new version gates instances in flight take (id → the version that takes it), and
    those no new instance takes either (with the versions new instances start with)."""
    fw = head.framework
    taken: dict[str, str] = {}
    never: list[tuple[Op, set[str]]] = []
    if not fw.version_attribute or deployments is None:
        return taken, never
    under = application_of(deployments[1].root, head.path)
    for op in head.ops:
        if op.kind != GATE or op.name in known or _VERSION_GATE.fullmatch(op.name) is None:
            continue
        old_versions, _ = deployments[0].start_versions(fw, under)
        passing = sorted(v for v in old_versions if _passes(op.name, v))
        if passing:
            taken[op.name] = passing[0]
            continue
        new_versions, unknown = deployments[1].start_versions(fw, under)
        if not unknown and not any(_passes(op.name, v) for v in new_versions):
            never.append((op, new_versions))
    return taken, never


def _gate_text(head: Workflow, gate: str) -> str:
    return f"{head.ctx or head.framework.default_context_name}.{gate}"


def _never_taken(head: Workflow, op: Op, versions: set[str]) -> Diagnostic:
    fw = head.framework
    settings = [f"{w.rpartition('.')[2]}=" + (f" of {w.partition('.')[0]}()" if "." in w else "")
                for w in fw.start_versions] + [f"{key} in {name}" for name, key in fw.start_version_files]
    started = (f"new instances start with version {', '.join(repr(v) for v in sorted(versions))}"
               if versions else "new instances start without a version (the code sets none)")
    message = (f"the branch `{_gate_text(head, op.name)}` of workflow '{head.display}' is never "
               f"taken: {started}, so the gated code never runs; bump the default version "
               f"({', '.join(settings)}) to one the branch takes, in the same change")
    return Diagnostic(_display_path(op.path), op.line, 1, NOT_BUMPED, message, "warning", op.line, 1)


def _retries_differ(fw: Framework, before: str, after: str) -> bool:
    """Whether a changed retry policy can decide differently whether a failed attempt is
    retried (only its waits changed: no, replay does not compare a timer's fire time)."""
    if before == after or not fw.retry_keywords:
        return False
    try:
        old, new = ast.parse(before, mode="eval").body, ast.parse(after, mode="eval").body
    except SyntaxError:
        return True
    if not (isinstance(old, ast.Call) and isinstance(new, ast.Call)) or \
            ast.dump(old.func) != ast.dump(new.func) or \
            [ast.dump(a) for a in old.args] != [ast.dump(a) for a in new.args]:
        return True
    olds = {k.arg: ast.dump(k.value) for k in old.keywords}
    news = {k.arg: ast.dump(k.value) for k in new.keywords}
    changed = {k for k in olds.keys() | news.keys() if olds.get(k) != news.get(k)}
    return not changed <= set(fw.retry_timing_keywords)


def _fields_changed(head: Workflow, base: Workflow, before: Op, after: Op) -> Diagnostic:
    fw = head.framework
    message = (f"changes {_describe(after)} in workflow '{head.display}' (base {base.path}:"
               f"{before.line}: {before.fields or 'plain'}; now {after.fields or 'plain'}): the "
               f"engine compares that too, so instances in flight that recorded it replay another "
               f"command than their history holds, and {fw.replay_error}; {fw.compat_advice}")
    return Diagnostic(_display_path(after.path), after.line, 1, BREAKING, message, "error",
                      after.line, 1)


def _retry_changed(head: Workflow, base: Workflow, before: Op, after: Op) -> Diagnostic:
    fw = head.framework
    was = f"`{before.retry}`" if before.retry else "none"
    now = f"`{after.retry}`" if after.retry else "none"
    message = (f"changes the retry policy of {_describe(after)} in workflow '{head.display}' "
               f"(base {base.path}:{before.line}: {was}; now {now}): the engine retries with "
               f"timers of the workflow's own, so instances in flight that recorded a failed "
               f"attempt of it replay other commands than their history holds (or fail where "
               f"they retried), and {fw.replay_error}; change only the waits, or {fw.compat_advice}")
    return Diagnostic(_display_path(after.path), after.line, 1, BREAKING, message, "error",
                      after.line, 1)


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


def _gate_fix(head: Workflow, base: Workflow, added: list[Op], removed: list[Op],
              before: list[Op], after: list[Op]) -> Fix | None:
    """Gate the edit with the framework's gate and a fresh id, so that instances in flight
    replay the old code and new ones run the new: inserted statements are wrapped in the gate,
    a replaced statement gets the base's statement back in the ``else`` branch, and a removed
    one comes back under ``if not`` the gate. Only whole simple statements of the workflow's
    own function, in the same blocks at both versions, whose old text uses only names the new
    version binds, and whose new statements bind no name the old ones leave unbound."""
    fw, module, function = head.framework, head.module, head.node
    if not fw.gate_template or module is None or function is None or base.module is None or base.node is None:
        return None
    if isinstance(function, ast.AsyncFunctionDef) and any(g.endswith("_async") for g in fw.gates):
        return None  # an async workflow would need the gate's awaited form
    old = _own_statements(base.node, base.module.path, removed)
    new = _own_statements(function, module.path, added, consecutive=bool(removed))
    if new is None or old is None or (not new and not old):
        return None
    if not old and any(not isinstance(statement, ast.Expr) for statement in new):
        return None  # an assignment would leave its name unbound on the old path
    if old and not _same_block(base.node, old, function, new):
        return None
    if old and (_bound(new) - _bound(old) or not _names_available(old, module, function)):
        return None
    if not all(_simple_line(module.lines, s) for s in new) or \
            not all(_simple_line(base.module.lines, s) for s in old):
        return None
    place = (new[0], None) if new else _neighbour(function, module.path, before, after)
    if place is None:
        return None
    digest = hashlib.sha256(f"{head.display}:{place[0].lineno}".encode()).hexdigest()[:8]
    gate = fw.gate_template.format(ctx=head.ctx or fw.default_context_name, id=f'"wflint-{digest}"')
    lines = module.lines

    def span(statement: ast.stmt) -> tuple[tuple[int, int], tuple[int, int]]:
        end_line = statement.end_lineno or statement.lineno
        return ((statement.lineno, _char_col(lines[statement.lineno - 1], statement.col_offset)),
                (end_line, _char_col(lines[end_line - 1], statement.end_col_offset or 0)))

    if not old:  # an insertion: wrap it
        edits = tuple(Edit(WRAP, *span(statement), f"if {gate}:") for statement in new)
        title = f"Gate the new code with `{gate}`"
    else:
        old_text = _text(base.module.lines, old)
        if new:
            block = f"if {gate}:\n{_indented(_text(lines, new))}else:\n{_indented(old_text)}"
            edits = (Edit(STATEMENT, *span(new[0]), block),
                     *(Edit(REMOVE, *span(statement), "") for statement in new[1:]))
            title = f"Gate the change with `{gate}`, the base's code in the else branch"
        else:
            statement, kind = place
            edits = (Edit(kind, *span(statement), f"if not {gate}:\n{_indented(old_text)}"),)
            title = f"Keep the removed code for instances in flight under `if not {gate}`"
    return Fix(Applicability.UNSAFE, title, edits,
               note="instances in flight replay the old code and new ones run the new: keep the "
                    "gate until no instance started before it can replay, then retire it")


def _own_statements(function: ast.AST, path: str, ops: list[Op], consecutive: bool = True
                    ) -> list[ast.stmt] | None:
    """The simple statements of ``function`` (in order; if ``consecutive``, siblings one after
    the other) that issue ``ops``; None when one lies elsewhere (a helper, another module) or
    they are not consecutive."""
    statements: list[ast.stmt] = []
    for op in ops:
        if op.path != path:
            return None
        found = [node for node in ast.walk(function) if isinstance(node, ast.stmt) and node is not function
                 and node.lineno <= op.line <= (node.end_lineno or node.lineno)]
        inner = min(found, key=lambda n: (n.end_lineno or n.lineno) - n.lineno, default=None)
        if inner is None or isinstance(inner, _COMPOUND):
            return None
        if inner not in statements:
            statements.append(inner)
    if consecutive and len(statements) > 1:
        body = _body_of(function, statements[0])
        if body is None:
            return None
        index = body.index(statements[0])
        if body[index:index + len(statements)] != statements:
            return None
    return statements


_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try,
             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match,
             getattr(ast, "TryStar", ast.Try))


def _body_of(function: ast.AST, statement: ast.stmt) -> list[ast.stmt] | None:
    for node in ast.walk(function):
        for name in ("body", "orelse", "finalbody"):
            body = getattr(node, name, None)
            if isinstance(body, list) and statement in body:
                return body
        for handler in getattr(node, "handlers", []) or []:
            if statement in handler.body:
                return handler.body
    return None


def _block_path(function: ast.AST, statement: ast.stmt) -> list[str] | None:
    """The blocks around ``statement`` inside ``function``, as text (``if x:``/else, loops…)."""
    path: list[str] = []
    current: ast.AST = function
    while True:
        for node in ast.iter_child_nodes(current):
            if isinstance(node, ast.stmt) and node.lineno <= statement.lineno <= (node.end_lineno or node.lineno):
                break
        else:
            return None
        if node is statement:
            return path
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            return None
        branch = next(field for field in ("body", "orelse", "finalbody", "handlers", "cases")
                      if any(statement in ast.walk(child) for child in getattr(node, field, []) or []))
        path.append(f"{type(node).__name__}:{branch}:{ast.unparse(getattr(node, 'test', None) or getattr(node, 'iter', None) or ast.Pass())}")
        current = node


def _same_block(old_function: ast.AST, old: list[ast.stmt], function: ast.AST, new: list[ast.stmt]) -> bool:
    if not new:
        return _block_path(old_function, old[0]) == []
    return _block_path(old_function, old[0]) == _block_path(function, new[0]) is not None


def _neighbour(function: ast.AST, path: str, before: list[Op], after: list[Op]):
    """Where a removed statement comes back: before the statement of the next command of the
    new version, or after that of the previous one, at the top of the workflow's body."""
    body = getattr(function, "body", [])
    for ops, kind in ((after, INSERT_BEFORE), (before[::-1], INSERT_AFTER)):
        command = next((op for op in ops if op.is_command), None)
        if command is None:
            continue
        statements = _own_statements(function, path, [command])
        if statements and statements[0] in body:
            return statements[0], kind
        return None
    return None


def _bound(statements: list[ast.stmt]) -> set[str]:
    return {node.id for statement in statements for node in ast.walk(statement)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


def _names_available(old: list[ast.stmt], module: ModuleInfo, function: ast.AST) -> bool:
    """Whether every name the old statements read is bound where they go back (the new
    function, its module, or a builtin)."""
    scope = module.scope_of(function, module.scope)
    stored = _bound(old)
    return all(binding_scope(node.id, scope) is not None or node.id in BUILTIN_NAMES
               for statement in old for node in ast.walk(statement)
               if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in stored)


def _simple_line(lines: list[str], statement: ast.stmt) -> bool:
    """A statement alone on its lines (no ``a(); b()``)."""
    first = lines[statement.lineno - 1].encode("utf-8")
    last = lines[(statement.end_lineno or statement.lineno) - 1].encode("utf-8")
    return not first[:statement.col_offset].strip() and \
        last[statement.end_col_offset or 0:].strip().split(b"#")[0].strip() in (b"", b"\\")


def _text(lines: list[str], statements: list[ast.stmt]) -> str:
    """The lines of consecutive statements (comments between them included), dedented."""
    first, last = statements[0].lineno, statements[-1].end_lineno or statements[-1].lineno
    return textwrap.dedent("\n".join(lines[first - 1:last])) + "\n"


def _indented(text: str) -> str:
    return textwrap.indent(text, "    ", lambda line: bool(line.strip()))


def _char_col(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _finding(head: Workflow, base: Workflow, anchor: Op | None, removed: list[Op], added: list[Op],
             later: Op | None, fix: Fix | None = None, note: str = "") -> Diagnostic:
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
               f"replay other commands than their history holds{note}, and {fw.replay_error}; "
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
    application_of.cache_clear()  # the files on disk may have changed since the last run
    version = base_tree(base, head_root)
    base_root = version.root
    try:
        files = _python_files(head_root, paths)
        candidates = changed_files(version, head_root, files)
        if version.changed is not None:
            deleted = [Path(p) for p in sorted(version.deleted) if p.endswith(".py") and
                       (not paths or any(_inside(p, given) for given in paths))]
        else:
            deleted = [f for f in _python_files(base_root, [p for p in paths if (base_root / p).exists()]
                                                or ([] if paths else ["."]))
                       if not (head_root / f).exists()]
        if not candidates and not deleted:
            return []
        declared: dict[str, set[str]] = {}
        declared_before: dict[str, set[str]] = {}
        head = workflows(head_root, candidates, settings, declared=declared)
        in_base = [f for f in candidates if version.exists(f)] + deleted
        for relative in in_base:
            _materialize(version, relative)
        before = workflows(base_root, in_base, settings, version.fallback, declared_before)
        deployments = (Deployment(base_root, version.fallback, version.added), Deployment(head_root))
        pairs, gone = matched(head, before)
        paired = {id(workflow) for _, workflow in pairs}
        added = [w for workflows_ in head.values() for w in workflows_ if id(w) not in paired]
        rehashed = _rehashed(pairs, added, gone, (declared_before, declared), head_root)
        found = _compared(pairs, added, deployments, rehashed, head_root)
        for old in gone:
            if not old.handler and old.ops:
                found.append(_removed(old, head_root))
        return sorted(found, key=lambda d: (d.path, d.line, d.code, d.message))
    finally:
        version.cleanup()


def _inside(path: str, given: str) -> bool:
    given = os.path.normpath(given)
    return given == "." or path == given or path.startswith(given.rstrip(os.sep) + os.sep)


def _materialize(version: BaseVersion, relative: Path) -> None:
    """Write beside a partial base a file it shares with the working tree (an unchanged module
    that imports a changed one), with the packages around it, so that it is read as a module of
    the base."""
    if version.fallback is None:
        return
    for path in (relative, *(parent / "__init__.py" for parent in relative.parents if str(parent) != ".")):
        target = version.root / path
        if target.exists() or str(path) in version.added:
            continue
        data = _read(version.fallback / path)
        if data is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def _python_files(root: Path, paths: list[str]) -> list[Path]:
    """The Python files of ``paths`` (default: all of ``root``), walked as ``check`` walks
    directories, relative to ``root``."""
    from wflint.config import DEFAULT_EXCLUDES, Excluder
    from wflint.files import _walk

    excluder = Excluder(DEFAULT_EXCLUDES, root)
    top = os.path.realpath(root)
    result: set[Path] = set()
    for given in paths or ["."]:
        target = (root / given) if not os.path.isabs(given) else Path(given)
        if not target.exists():
            raise CompatError(f"{given}: no such file or directory")
        # the walk does not follow links: only the starting point needs resolving
        start = os.path.realpath(target)
        found = [start] if target.is_file() else \
            [path for path in _walk(start, excluder) if path.endswith(".py")]
        result.update(Path(os.path.relpath(path, top)) for path in found)
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
