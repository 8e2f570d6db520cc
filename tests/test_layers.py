"""The package's import graph has no cycle, counting imports inside functions too (the lazy
ones); imports under ``if TYPE_CHECKING:`` never run and are left out."""

from __future__ import annotations

import ast
from pathlib import Path

import wflint

PACKAGE = Path(wflint.__file__).parent


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


class _Imports(ast.NodeVisitor):
    def __init__(self, package: str) -> None:
        self.package = package
        self.names: list[str] = []

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING" or \
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING":
            for stmt in node.orelse:
                self.visit(stmt)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.names.extend(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.package
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{node.module}" if node.module else package
        self.names.append(base)
        self.names.extend(f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        visitor = _Imports(package)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        targets = set()
        for target in visitor.names:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target != "wflint":
                targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_lazy_imports_and_skips_type_checking_ones():
    graph = import_graph()
    assert "wflint.engine" in graph["wflint.cli"]  # imported inside a function
    # the walker names Project in annotations only (``if TYPE_CHECKING:``)
    assert "wflint.analysis.project" not in graph["wflint.analysis.walker"]


def test_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def _framework_words() -> tuple[set[str], tuple[str, ...]]:
    from wflint.frameworks import FRAMEWORKS

    names = set(FRAMEWORKS)
    modules = tuple(module for framework in FRAMEWORKS.values() for module in framework.modules)
    return names, modules


def framework_names_in(path: Path) -> list[tuple[int, str]]:
    """String constants (docstrings aside) that name a framework or one of its modules."""
    names, modules = _framework_words()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and id(node) not in docstrings:
            text = node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
            if text in names or any(text == m or text.startswith(m + ".") for m in modules):
                found.append((node.lineno, text))
    return found


def test_the_framework_name_finder_finds_names(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""About temporal."""\nif fw.name == "temporal":\n    q = "dbos.DBOS.step"\n')
    assert framework_names_in(sample) == [(2, "temporal"), (3, "dbos.DBOS.step")]


def test_no_module_outside_frameworks_names_a_framework():
    """What is specific to a framework lives in its module under ``frameworks/``: the rules, the
    analysis and the fixes ask the Framework model, never compare a name."""
    offenders = {}
    for name, path in modules().items():
        if name.startswith("wflint.frameworks"):
            continue
        found = framework_names_in(path)
        if found:
            offenders[name] = found
    assert not offenders, offenders


#: the package's layers, lowest first: a module imports only from its own layer or lower ones.
#: The data findings and fixes are made of (``fixes.model``) is in the base; the fixes layer,
#: which builds and applies fixes, sits above the rules it builds them for.
LAYERS = (
    ("base", ("wflint", "wflint.codes", "wflint.stdlib", "wflint.source", "wflint.diagnostics",
              "wflint.outcome", "wflint.suppression", "wflint.fixes.model")),
    ("frameworks", ("wflint.frameworks",)),
    ("settings", ("wflint.config", "wflint.files", "wflint.gitignore", "wflint.prefilter")),
    ("analysis", ("wflint.analysis",)),
    ("rules", ("wflint.rules",)),
    ("fixes", ("wflint.fixes",)),
    ("engine", ("wflint.engine", "wflint.firstpass", "wflint.crew", "wflint.cache", "wflint.baseline", "wflint.noqa",
                "wflint.reach", "wflint.compat")),
    ("interface", ("wflint.cli", "wflint.output", "wflint.lsp", "wflint.api", "wflint.flake8_plugin", "wflint.watch",
                   "wflint.docs", "wflint.__main__")),
)


def layer_of(module: str) -> int:
    """The layer of a module: the most specific prefix listed wins (``wflint.fixes.model`` is in
    the base, the rest of ``wflint.fixes`` is not)."""
    best, length = -1, -1
    for position, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = position, len(prefix)
    return best


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if layer_of(target) > layer_of(module):
                found.append(f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} "
                             f"({LAYERS[layer_of(target)][0]})")
    return found


def test_the_layer_check_finds_an_upward_import():
    graph = {"wflint.analysis.walker": {"wflint.rules.base", "wflint.fixes.model"},
             "wflint.rules.base": {"wflint.analysis.scope"}}
    assert upward_imports(graph) == [
        "wflint.analysis.walker (analysis) imports wflint.rules.base (rules)"]


def test_every_module_has_a_layer():
    assert [name for name in modules() if layer_of(name) < 0] == []


def test_no_module_imports_from_a_higher_layer():
    """Analysis finds hazards without knowing the rules or writing fix text; rules describe
    their findings and fixes through what they are handed; the fixes layer builds and applies
    fixes; the engine runs it all; the command line, outputs and editor sit on top."""
    found = upward_imports(import_graph())
    assert not found, "imports against the layers:\n" + "\n".join(found)
