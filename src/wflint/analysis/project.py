"""The project's modules, parsed on demand, for following workflow code across files.

A helper imported from another module of the project (``from app.util import deadline``,
``from . import util; util.deadline()``, a re-export in a package's ``__init__.py``) is
analysed when workflow code calls it, and only then: files that workflow code never reaches
are never parsed, so the prefilter keeps its value. Modules outside the project (the standard
library, installed packages) are never entered; the rule catalog judges calls into them.

Registrations in one module of workflows defined in another (``w.add_orchestrator(flows.order)``,
``wfr.register_workflow(order)``, Temporal's ``Worker(workflows=[Order])``) are collected here
too, so the module that defines the workflow is analysed as workflow code even when it never
imports a framework.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from wflint.analysis.discovery import Discovery, FunctionNode, discover, enabled_frameworks
from wflint.analysis.replay import ReplayFlags
from wflint.analysis.scope import ModuleInfo, qualname
from wflint.frameworks import FRAMEWORKS
from wflint.prefilter import gate_words
from wflint.source import module_name as source_module_name

#: byte strings that a module registering workflows or activities must contain
REGISTRATION_MARKERS = tuple(dict.fromkeys(marker for framework in FRAMEWORKS.values()
                                           for marker in framework.registration_markers()))
_INVOCATIONS = sorted({entry.rpartition(".")[2] for framework in FRAMEWORKS.values()
                       for entry in framework.activity_invocations})
#: an activity invocation and the reference it runs (after DBOS's options argument, if any)
_INVOKED = re.compile(rb"\b(?:" + b"|".join(name.encode() for name in _INVOCATIONS)
                      + rb")\(\s*(?:(?:\{[^{}]*\}|None)\s*,\s*)?([A-Za-z_][\w.]*)")
_INVOCATION_NAMES = tuple(name.encode() for name in _INVOCATIONS)
#: a word of a module's text, as ``\b...\b`` delimits one
_WORD = re.compile(rb"\w+")
#: fewer strings, one of which each marker (each invocation's name) contains
_REGISTRATION_GATE = gate_words(REGISTRATION_MARKERS)
_INVOCATION_GATE = gate_words(_INVOCATION_NAMES)
_MAX_REEXPORT_DEPTH = 8
#: the last names of every call collect_registrations looks at: only these are resolved
_CALL_TAILS = frozenset(entry.rpartition(".")[2] for framework in FRAMEWORKS.values()
                        for entry in (*framework.workflow_registrations,
                                      *framework.activity_registrations,
                                      *framework.activity_invocations, *framework.worker_types))


def _matches(attr: str | None, name: str | None, entries: tuple[str, ...]) -> bool:
    """A call ``x.attr(...)`` matches a method name, or its qualified ``name`` a dotted entry."""
    return attr is not None and any(attr == entry if "." not in entry else name == entry
                                    for entry in entries)


def registers_or_invokes(data: bytes) -> bool:
    """Whether a module's source may register a workflow or an activity, or invoke a function
    of another module as an activity (``ctx.call_activity(steps.fetch)``, or a name it imports):
    only those modules are parsed before the analysis, the others cost nothing there."""
    if any(word in data for word in _REGISTRATION_GATE) and \
            any(marker in data for marker in REGISTRATION_MARKERS):
        return True
    if not any(word in data for word in _INVOCATION_GATE) or \
            not any(name in data for name in _INVOCATION_NAMES):
        return False
    imported: set[bytes] | None = None  # the words of the module's ``from ... import`` lines
    for match in _INVOKED.finditer(data):
        reference = match.group(1)
        if b"." in reference:
            return True
        if imported is None:
            imported = set(_WORD.findall(_from_imported(data)))
        if reference in imported:  # a whole word there (a pattern per name would be compiled)
            return True
    return False


_IMPORT_TAIL = re.compile(rb"import\b([^\n]*)")
_FROM_HEAD = re.compile(rb"[ \t]*from[ \t]+\S+[ \t]+")


def _from_imported(data: bytes) -> bytes:
    """The rest of every ``from module import ...`` line, after ``import`` (found by searching
    the literal, which is fast, and reading back to the line's start)."""
    found = []
    for match in _IMPORT_TAIL.finditer(data):
        start = match.start()
        if _FROM_HEAD.fullmatch(data, data.rfind(b"\n", 0, start) + 1, start):
            found.append(match.group(1))
    return b"\n".join(found)


@dataclass
class ExternalRegistration:
    """A workflow registered in another module: ``qualname`` names a function or a class."""

    qualname: str
    framework: str


@dataclass
class Project:
    #: the import roots, or what works them out when first asked (see ``roots``)
    _roots: list[str] | Callable[[], list[str]]
    #: frameworks to recognise, and the configured decorators (as in Settings)
    frameworks: tuple[str, ...] | None = None
    workflow_decorators: tuple[str, ...] = ()
    activity_decorators: tuple[str, ...] = ()
    _modules: dict[str, ModuleInfo | None] = field(default_factory=dict)
    _discoveries: dict[str, Discovery] = field(default_factory=dict)
    #: where each dotted module name was found on disk (None: nowhere under the roots)
    _located: dict[str, str | None] = field(default_factory=dict)
    #: the names in each directory looked into while locating modules
    _listings: dict[str, frozenset[str]] = field(default_factory=dict)
    #: the bytes of modules whose names were looked up without loading them
    _texts: dict[str, bytes] = field(default_factory=dict)
    #: the roots under which each first part of a module name exists (a directory or a file)
    _holding: dict[str, list[str]] = field(default_factory=dict)
    #: each module file's absolute path, and its dotted module name
    _absolute: dict[str, str] = field(default_factory=dict)
    _module_names: dict[str, str] = field(default_factory=dict)
    #: the directories of the files whose roots ``include`` added
    _included: set[str] = field(default_factory=set)
    #: variable_type's answers, with the files each answer depends on
    _variable_types: dict[str, tuple[str | None, frozenset[str]]] = field(default_factory=dict)
    #: the files touched while each answer being remembered is worked out
    _recording: list[set[str]] = field(default_factory=list)
    #: the files each helper module's discovery was worked out from
    _discovery_paths: dict[str, frozenset[str]] = field(default_factory=dict)
    #: the names each file binds, by way of binding (see _may_bind)
    _bound_words: dict[tuple[str, str], frozenset[bytes]] = field(default_factory=dict)
    #: the text of files open in an editor, by absolute path: read instead of the disk
    buffers: dict[str, str] = field(default_factory=dict)
    #: workflows registered elsewhere, by the qualified name of the function or class
    registrations: dict[str, ExternalRegistration] = field(default_factory=dict)
    #: functions registered or invoked as activities/steps by some module of the project
    activities: set[str] = field(default_factory=set)
    #: the registrations by every dotted tail of their defining module's name (built on demand)
    _by_owner: dict[str, list[ExternalRegistration]] | None = None
    #: helper summaries shared by every file of the run: (path, line, name, framework) -> hazards
    summaries: dict = field(default_factory=dict)
    #: what constructing each project class runs (see analysis.construction)
    constructions: dict = field(default_factory=dict)
    #: the files of the modules used since the last reset (what a file's result depends on)
    touched: set[str] = field(default_factory=set)
    replay_flags: ReplayFlags = field(init=False)

    def __post_init__(self) -> None:
        self.replay_flags = ReplayFlags(self)

    @property
    def roots(self) -> list[str]:
        """The directories absolute imports start from; a run whose files the cache settles
        never asks, so they may be worked out on first use."""
        if callable(self._roots):
            self._roots = self._roots()
        return self._roots

    # -- modules ---------------------------------------------------------------------------

    def module(self, dotted: str) -> ModuleInfo | None:
        """The project module ``dotted`` (None when it is not part of the project)."""
        if dotted in self._modules:
            known = self._modules[dotted]
            if known is not None:
                self._touch(known.path)
            return known
        self._modules[dotted] = None  # also guards against import cycles while loading
        path = self._locate(dotted)
        module = _load(path, dotted, self.buffers.get(self._absolute_path(path))) if path else None
        if module is not None:
            module.project = self
            self._touch(path)
        self._modules[dotted] = module
        return module

    def _touch(self, path: str) -> None:
        """The answer being worked out depends on the file at ``path``."""
        absolute = self._absolute_path(path)
        self.touched.add(absolute)
        for record in self._recording:
            record.add(absolute)

    @contextmanager
    def recording(self) -> Iterator[set[str]]:
        """The files touched while the block runs (an answer remembered for later files
        depends on them: see :meth:`replay`)."""
        record: set[str] = set()
        self._recording.append(record)
        try:
            yield record
        finally:
            self._recording.pop()

    def replay(self, paths: Iterable[str]) -> None:
        """A remembered answer is used again: the file being checked depends on the files it
        was worked out from, as it would had it worked it out itself."""
        self.touched.update(paths)
        for record in self._recording:
            record.update(paths)

    def module_name(self, path: str) -> str:
        """:func:`wflint.source.module_name` of a file, worked out once per path in a run."""
        found = self._module_names.get(path)
        if found is None:
            found = self._module_names[path] = source_module_name(path)
        return found

    def _absolute_path(self, path: str) -> str:
        """``os.path.abspath(path)``, worked out once per path (the working directory does not
        change during a run)."""
        found = self._absolute.get(path)
        if found is None:
            found = self._absolute[path] = os.path.abspath(path)
        return found

    def include(self, path: str) -> None:
        """Add the import root of ``path`` (checked outside a prepared run, e.g. one file)."""
        directory = os.path.dirname(path)
        if directory in self._included:
            return  # every file of a directory has the same root
        self._included.add(directory)
        for root in project_roots([path], with_cwd=False):
            if root not in self.roots:
                self.roots.append(root)
                self._holding.clear()
                self._variable_types.clear()
                # a module missing under the old roots may exist under the new one
                self._modules = {k: v for k, v in self._modules.items() if v is not None}
                self._located = {k: v for k, v in self._located.items() if v is not None}

    def forget(self, path: str) -> None:
        """Drop what is known of a file that has just been rewritten."""
        absolute = os.path.abspath(path)
        for name, module in list(self._modules.items()):
            if module is not None and os.path.abspath(module.path) == absolute:
                del self._modules[name]
                self._discoveries.pop(module.path, None)
        self._texts = {p: d for p, d in self._texts.items() if os.path.abspath(p) != absolute}
        self._bound_words = {k: v for k, v in self._bound_words.items() if os.path.abspath(k[0]) != absolute}
        self.summaries.clear()
        self.constructions.clear()
        self._variable_types.clear()
        self.replay_flags = ReplayFlags(self)

    def adopt(self, module: ModuleInfo) -> None:
        """Make a module parsed by the engine the project's copy, so it is not parsed again:
        only when its name leads to its file (in a project with several modules of one name,
        ``main`` of two services, the name leads to the first root's, whichever file was
        parsed first)."""
        if module.name and module.name not in self._modules:
            located = self._locate(module.name)
            if located is None or self._absolute_path(located) != self._absolute_path(module.path):
                return
            module.project = self
            self._modules[module.name] = module

    def loaded(self, path: str, name: str, source: str) -> ModuleInfo | None:
        """The project's copy of the module at ``path`` when it was parsed from this very
        source under this name (a helper module already loaded is not parsed again)."""
        module = self._modules.get(name)
        if module is not None and module.path == path and module.source == source:
            return module
        return None

    def drop(self, module: ModuleInfo) -> None:
        """Forget a module the project adopted (it is parsed again if it is needed again)."""
        if self._modules.get(module.name) is module:
            del self._modules[module.name]
        module.release()

    def keeps(self, module: ModuleInfo) -> bool:
        """Whether ``module`` is the project's copy (other modules may still use it)."""
        return self._modules.get(module.name) is module

    def _may_bind(self, path: str, name: str, defined: bool) -> bool:
        """:func:`_may_bind` for a project file, reading it once: for an ASCII name, from the
        sets of names the file's text binds by each way (found once per file and way)."""
        data = self._text(path)
        spelled = name.encode()
        if not spelled.isascii():
            return _may_bind(data, name, defined)
        return spelled in self._bound(path, data, "def" if defined else "assignment") \
            or spelled in self._bound(path, data, "import")

    def _defines_class(self, path: str, name: str) -> bool:
        """Whether a project file's text may define a class ``name`` (a ``class`` statement at
        any depth), judged without parsing it."""
        data = self._text(path)
        spelled = name.encode()
        if not spelled.isascii():
            return re.search(rb"^[ \t]*class[ \t]+" + re.escape(spelled) + rb"\b", data, re.M) is not None
        return spelled in self._bound(path, data, "class")

    def _text(self, path: str) -> bytes:
        """A project file's bytes (an editor's buffer, if open), read once."""
        data = self._texts.get(path)
        if data is None:
            buffer = self.buffers.get(self._absolute_path(path))
            try:
                if buffer is not None:
                    data = buffer.encode("utf-8", "surrogatepass")
                else:
                    with open(path, "rb") as handle:
                        data = handle.read()
            except OSError:
                data = b""
            self._texts[path] = data
        return data

    def _bound(self, path: str, data: bytes, way: str) -> frozenset[bytes]:
        """The ASCII names the file's text binds one ``way`` (see ``_BOUND``), found once per
        file and way."""
        key = (path, way)
        words = self._bound_words.get(key)
        if words is None:
            words = self._bound_words[key] = frozenset(_BOUND[way](data))
        return words

    def _locate(self, dotted: str) -> str | None:
        if dotted in self._located:
            return self._located[dotted]
        found = self._located[dotted] = self._find(dotted)
        return found

    def _find(self, dotted: str) -> str | None:
        """The file of module ``dotted`` under the first root that has it (``a/b.py`` or
        ``a/b/__init__.py``). Each directory is listed once per run, so looking a name up under
        hundreds of roots asks the disk only about the directories that exist."""
        parts = dotted.split(".")
        if "" in parts:  # not a module name an import spells: asked of the disk as it is
            for root in self.roots:
                base = os.path.join(root, *parts)
                for candidate in (base + ".py", os.path.join(base, "__init__.py")):
                    if os.path.isfile(candidate):
                        return candidate
            return None
        *packages, last = parts
        for root in self._roots_holding(parts[0]):
            directory = root
            for part in packages:
                names = self._listing(directory)
                if part not in names:
                    break
                directory = os.path.join(directory, part)
            else:
                names = self._listing(directory)
                for present, candidate in ((last + ".py", os.path.join(directory, last + ".py")),
                                           (last, os.path.join(directory, last, "__init__.py"))):
                    if present in names and os.path.isfile(candidate):
                        return candidate
        return None

    def _roots_holding(self, first: str) -> list[str]:
        """The roots, in order, that have a directory or a module file named ``first`` (the
        only ones a module name starting with it can be found under)."""
        found = self._holding.get(first)
        if found is None:
            names = (first, first + ".py")
            found = self._holding[first] = [root for root in self.roots
                                            if any(name in self._listing(root) for name in names)]
        return found

    def _listing(self, directory: str) -> frozenset[str]:
        """The names in ``directory`` (none when it cannot be listed), read once."""
        names = self._listings.get(directory)
        if names is None:
            try:
                names = frozenset(os.listdir(directory))
            except OSError:
                names = frozenset()
            self._listings[directory] = names
        return names

    def remember_discovery(self, module: ModuleInfo, discovery: Discovery | None) -> None:
        """The engine's discovery of the module being checked, so it is not run again (None:
        forget it once the module is done)."""
        self._discovery_paths.pop(module.path, None)  # its own file's: nothing to replay
        if discovery is None:
            self._discoveries.pop(module.path, None)
        else:
            self._discoveries[module.path] = discovery

    def discovery(self, module: ModuleInfo) -> Discovery:
        """The workflows and activities of a module (a helper's, worked out once per run)."""
        found = self._discoveries.get(module.path)
        if found is not None:
            self.replay(self._discovery_paths.get(module.path, ()))
            return found
        with self.recording() as paths:
            frameworks = enabled_frameworks(module, self.frameworks, self.workflow_decorators)
            found = discover(module, frameworks, self.workflow_decorators, self.activity_decorators)
        self._discoveries[module.path] = found
        self._discovery_paths[module.path] = frozenset(paths)
        return found

    # -- names -----------------------------------------------------------------------------

    def split_class(self, name: str) -> tuple[ModuleInfo, str] | None:
        """:meth:`split` for a name that is of use only as a class its module defines: a
        module not loaded yet is parsed only when its text has a ``class`` statement of that
        name (a module that merely imports it does not define it)."""
        return self._split_gated(name, self._defines_class)

    def split(self, name: str) -> tuple[ModuleInfo, str] | None:
        """The project module a qualified name lives in, and the name inside it."""
        head, _, tail = name.rpartition(".")
        while head:
            module = self.module(head)
            if module is not None:
                return module, tail
            head, _, rest = head.rpartition(".")
            tail = f"{rest}.{tail}"
        return None

    def _split_binding(self, name: str, defined: bool) -> tuple[ModuleInfo, str] | None:
        """The project module a qualified name lives in and the single name it takes from it,
        or None. Like :meth:`split`, but a module not loaded yet is parsed only when its text
        may bind that name (by a ``def`` when ``defined``, else by an assignment; by an import
        either way): resolving names imported from a framework inside the framework's own
        repository need not parse its modules."""
        return self._split_gated(name, lambda path, tail: self._may_bind(path, tail, defined))

    def _split_gated(self, name: str, may_hold: Callable[[str, str], bool]
                     ) -> tuple[ModuleInfo, str] | None:
        """:meth:`split` to a single name, where a module not loaded yet is parsed only when
        ``may_hold(its path, the name)`` says its text may hold what is looked for."""
        head, _, tail = name.rpartition(".")
        while head:
            if head not in self._modules:
                path = self._locate(head)
                if path is not None and ("." in tail or not may_hold(path, tail)):
                    self._touch(path)  # the answer depends on it
                    return None
            module = self.module(head)
            if module is not None:
                return (module, tail) if "." not in tail else None
            head, _, rest = head.rpartition(".")
            tail = f"{rest}.{tail}"
        return None

    def function(self, name: str) -> tuple[ModuleInfo, FunctionNode] | None:
        """The project function ``name`` refers to, following re-exports."""
        for _ in range(_MAX_REEXPORT_DEPTH):
            found = self._split_binding(name, True)
            if found is None:
                return None  # not a project module's own name (an attribute of one is not a function)
            module, local = found
            scope = module.scope
            defs = scope.functions.get(local)
            if defs and len(defs) == 1 and scope.binding_kinds(local) == 1:
                return module, defs[0]
            targets = scope.imports.get(local)
            if not targets or len(set(targets)) != 1 or scope.binding_kinds(local) != 1:
                return None
            name = targets[0]  # ``from .helpers import deadline`` in a package
        return None

    def variable_type(self, name: str) -> str | None:
        """The type of a module-level variable of the project (``app.log.logger`` is a
        ``logging.getLogger()``), following re-exports. Worked out once per name: a later
        question gets the same answer, and depends on the same files."""
        known = self._variable_types.get(name)
        if known is not None:
            kind, paths = known
            self.replay(paths)
            return kind
        with self.recording() as paths:
            kind = self._variable_type(name)
        self._variable_types[name] = (kind, frozenset(paths))
        return kind

    def _variable_type(self, name: str) -> str | None:
        for _ in range(_MAX_REEXPORT_DEPTH):
            found = self._split_binding(name, False)
            if found is None:
                return None
            module, local = found
            scope = module.scope
            if local in scope.stores and scope.binding_kinds(local) == 1:
                return scope.value_type(local)
            targets = scope.imports.get(local)
            if not targets or len(set(targets)) != 1 or scope.binding_kinds(local) != 1:
                return None
            name = targets[0]
        return None

    # -- registrations across modules ---------------------------------------------------------

    def collect_registrations(self, module: ModuleInfo) -> tuple[list[list[str]], list[str]]:
        """Record the workflows ``module`` registers that it imports from elsewhere, and the
        functions it registers or invokes as activities; returns them (each registration as
        ``[qualified name, framework]``, in sorted order), whether known before or not."""
        frameworks = [fw for name, fw in FRAMEWORKS.items()
                      if self.frameworks is None or name in self.frameworks]
        registered: dict[str, str] = {}
        activities: set[str] = set()
        for node in module.calls_named(_CALL_TAILS):
            func = node.func
            attr = func.attr if isinstance(func, ast.Attribute) else None
            name = qualname(func, module.scope)
            for framework in frameworks:
                if node.args and _matches(attr, name, framework.workflow_registrations):
                    self._register(module, node.args[0], framework.name, registered)
                if _matches(attr, name, (*framework.activity_registrations,
                                         *framework.activity_invocations)):
                    for argument in node.args[:2]:
                        self._register_activity(module, argument, activities)
                if name in framework.worker_types:
                    for keyword in node.keywords:
                        if keyword.arg in ("workflows", "activities") and \
                                isinstance(keyword.value, (ast.List, ast.Tuple)):
                            for element in keyword.value.elts:
                                if keyword.arg == "workflows":
                                    self._register(module, element, framework.name, registered)
                                else:
                                    self._register_activity(module, element, activities)
        return sorted([name, framework] for name, framework in registered.items()), sorted(activities)

    def add_registrations(self, registrations: list[list[str]], activities: list[str]) -> None:
        """What a module registers, as :meth:`collect_registrations` gave it (or a cache kept)."""
        for name, framework in registrations:
            self.registrations[name] = ExternalRegistration(name, framework)
        self.activities.update(activities)
        self._by_owner = None

    def replace_registrations(self, registrations: list[list[str]], activities: list[str]) -> None:
        """Know only these registrations and activities (the whole project's, gathered
        elsewhere)."""
        self.registrations.clear()
        self.activities.clear()
        self.add_registrations(registrations, activities)

    def _register(self, module: ModuleInfo, target: ast.expr, framework: str,
                  registered: dict[str, str]) -> None:
        name = qualname(target, module.scope)
        if name is None or name.endswith("()") or name.startswith(module.name + "."):
            return  # not a plain reference, or defined in the registering module itself
        self.registrations[name] = ExternalRegistration(name, framework)
        self._by_owner = None
        registered[name] = framework

    def _register_activity(self, module: ModuleInfo, target: ast.expr, activities: set[str]) -> None:
        name = qualname(target, module.scope)
        if name is None or name.endswith("()") or name.startswith(module.name + "."):
            return  # not a plain reference, or the module's own function (its discovery knows)
        self.activities.add(name)
        activities.add(name)

    def is_activity(self, module: ModuleInfo, function: FunctionNode) -> bool:
        """Registered, decorated or invoked as an activity, in its own module or another."""
        return (function in self.discovery(module).activities
                or f"{module.name}.{function.name}" in self.activities)

    def registered_from(self, module_name: str) -> list[ExternalRegistration]:
        """Registrations of workflows defined in the module ``module_name``, by name. A module
        outside any package has only its own name, so a registration that imports it through a
        longer path matches too (``app.flows.Flow`` is registered from ``flows``)."""
        if self._by_owner is None:
            index: dict[str, list[ExternalRegistration]] = {}
            for name, registration in sorted(self.registrations.items()):
                parts = name.split(".")[:-1]
                for start in range(len(parts)):
                    index.setdefault(".".join(parts[start:]), []).append(registration)
            self._by_owner = index
        return self._by_owner.get(module_name, [])


#: a module's import statements, parenthesised or continued lines included
_IMPORT_STATEMENT = re.compile(rb"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import\b(?:[ \t]*\([^)]*\)|(?:[^\n]*\\\n)*[^\n]*)",
                               re.M)


def _may_bind(data: bytes, name: str, defined: bool) -> bool:
    """Whether a module with this text may bind ``name`` in its own namespace by an import, and
    by a ``def`` (``defined``) or else by an assignment, judged without parsing it: an
    over-approximation (a binding anywhere, at any depth, counts)."""
    word = re.escape(name.encode())
    binding = rb"^[ \t]*(?:async[ \t]+)?def[ \t]+" + word + rb"\b" if defined else \
        rb"^[ \t]*" + word + rb"[ \t]*(?::[^=\n]*)?=(?!=)"
    if re.search(binding, data, re.M):
        return True
    pattern = re.compile(rb"\b" + word + rb"\b")
    return any(pattern.search(statement) for statement in _IMPORT_STATEMENT.findall(data))


#: the ASCII names a module's text binds, each way, as _may_bind's patterns find a given name:
#: by a ``def``, by an assignment at the start of a line, (any word of) an import statement;
#: and by a ``class`` statement
_BOUND: dict[str, Callable[[bytes], list[bytes]]] = {
    "def": re.compile(rb"^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)", re.M).findall,
    "assignment": re.compile(rb"^[ \t]*(\w+)[ \t]*(?::[^=\n]*)?=(?!=)", re.M).findall,
    "import": lambda data: _WORD.findall(b"\n".join(_IMPORT_STATEMENT.findall(data))),
    "class": re.compile(rb"^[ \t]*class[ \t]+(\w+)", re.M).findall,
}


def project_roots(paths: list[str], with_cwd: bool = True) -> list[str]:
    """The import roots of the files being checked: each file's top-level package's parent
    (and the working directory)."""
    roots: list[str] = []
    found: set[str] = set()
    depths: dict[str, int] = {}  # directory -> how many packages deep it is
    seen: set[str] = set()
    for path in paths:
        directory = os.path.dirname(path)
        if directory in seen:
            continue  # every file of a directory has the same root
        seen.add(directory)
        directory = os.path.abspath(directory)
        if directory in depths:
            continue
        root = directory
        # a.b.c lives in a/b/c.py (two levels under the root), a.b in a/b/__init__.py (two too)
        for _ in range(_package_depth(directory, depths)):
            root = os.path.dirname(root)
        if root not in found:
            found.add(root)
            roots.append(root)
    cwd = os.getcwd()
    if with_cwd and cwd not in roots:
        roots.append(cwd)
    return roots


def _package_depth(directory: str, depths: dict[str, int]) -> int:
    """How many packages (directories with an ``__init__.py``) ``directory`` is inside, itself
    included, as :func:`wflint.source.module_name` counts them; ``depths`` remembers each
    directory's answer, so the files of a tree ask the disk once per directory."""
    chain = []
    while directory not in depths:
        if not os.path.isfile(os.path.join(directory, "__init__.py")):
            depths[directory] = 0
            break
        chain.append(directory)
        parent = os.path.dirname(directory)
        if parent == directory:
            depths[directory] = 0
            break
        directory = parent
    depth = depths[directory]
    for package in reversed(chain):
        depth += 1
        depths[package] = depth
    return depth


def _load(path: str, dotted: str, text: str | None = None) -> ModuleInfo | None:
    """Parse a project module (``text``: its content when it is not read from disk, an
    editor's unsaved buffer)."""
    from wflint.source import decode

    try:
        if text is None:
            with open(path, "rb") as handle:
                data = handle.read()
            if b"\x00" in data:
                return None
            source = decode(data)
        else:
            source = text
        tree = ast.parse(source, filename=path)
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError, ValueError, RecursionError,
            MemoryError):
        return None  # the file's own check reports WFL001/WFL002
    display = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else path
    return ModuleInfo(tree, dotted, display, source)

