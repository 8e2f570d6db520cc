"""wflint: a static determinism linter for durable-workflow code.

The Python API (imported on first use, so ``import wflint`` stays cheap):

- :func:`check_source` — findings for one module's source text;
- :func:`check_paths` — findings for files and directories, as ``wflint check`` reports them;
- :func:`fix_source` — the source with ``--fix`` (optionally ``--unsafe-fixes``) applied;
- :class:`Diagnostic`, :class:`Fix`, :class:`Edit`, :class:`Applicability` — what they return;
- :class:`ConfigError`, :class:`CheckError` — what they raise.
"""

__version__ = "0.1.0"

__all__ = ["Applicability", "CheckError", "ConfigError", "Diagnostic", "Edit", "Fix",
           "__version__", "check_paths", "check_source", "fix_source"]

_LAZY = {
    "check_source": "wflint.api", "check_paths": "wflint.api", "fix_source": "wflint.api",
    "CheckError": "wflint.api", "ConfigError": "wflint.config", "Diagnostic": "wflint.diagnostics",
    "Fix": "wflint.fixes.model", "Edit": "wflint.fixes.model", "Applicability": "wflint.fixes.model",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wflint' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
