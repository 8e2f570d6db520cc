"""Functions handed to another thread or process, which therefore are not workflow code.

``threading.Thread(target=work)``, ``executor.submit(work)``, ``loop.run_in_executor(None,
work)``: the body of ``work`` runs outside the workflow's deterministic execution. Starting
the concurrent work is the hazard (WFL701, reported where it is started); what ``work`` does
on its own thread is not replayed, so it is not reported as workflow code.
"""

from __future__ import annotations

import ast

from wflint.analysis.scope import ModuleInfo, qualname

#: qualified name of the call -> (keyword, position) of the callable it runs elsewhere
_BY_NAME = {
    "threading.Thread": ("target", -1),
    "threading.Timer": ("function", 1),
    "_thread.start_new_thread": ("function", 0),
    "_thread.start_new": ("function", 0),
    "multiprocessing.Process": ("target", -1),
    "asyncio.to_thread": ("func", 0),
}
#: methods, on any receiver, that run their callable argument on an executor or thread
_BY_METHOD = {
    "submit": ("fn", 0),
    "run_in_executor": ("func", 1),
    "call_soon_threadsafe": ("callback", 0),
    "apply_async": ("func", 0),
}


def offloaded(module: ModuleInfo) -> frozenset[int]:
    """The ids of nested functions and lambdas of ``module`` that run on another thread or
    process (computed once per module)."""
    found = module.offloaded
    if found is None and not any(word in module.source for word in _WORDS):
        found = module.offloaded = frozenset()
    if found is None:
        ids: set[int] = set()
        defs = module.function_defs
        top = {id(node) for node in module.tree.body}
        for call in module.calls_named(_CALLEES):
            where = _where(call, module)
            if where is None:
                continue
            keyword, position = where
            argument = next((k.value for k in call.keywords if k.arg == keyword), None)
            if argument is None and 0 <= position < len(call.args):
                argument = call.args[position]
            if isinstance(argument, ast.Lambda):
                ids.add(id(argument))
            elif isinstance(argument, ast.Name):
                # a function defined inside another one (module-level functions are only
                # workflow code when something calls them)
                ids.update(id(node) for node in defs.get(argument.id, ()) if id(node) not in top)
        found = module.offloaded = frozenset(ids)
    return found


def _where(call: ast.Call, module: ModuleInfo) -> tuple[str, int] | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr in _BY_METHOD:
            return _BY_METHOD[func.attr]
        tail = func.attr
    elif isinstance(func, ast.Name):
        tail = func.id
    else:
        return None
    if tail not in _TAILS:
        return None
    return _BY_NAME.get(qualname(func, module.scope) or "")


_TAILS = frozenset(name.rpartition(".")[2] for name in _BY_NAME)
#: the last names of the calls that may hand a callable to another thread
_CALLEES = frozenset({*_TAILS, *_BY_METHOD})
#: a module without any of these words hands nothing to another thread
_WORDS = tuple(sorted(_CALLEES))
