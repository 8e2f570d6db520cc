"""wflint: a static determinism linter for durable-workflow code."""

__version__ = "0.1.0"
