from .timeutil import deadline  # re-exported for ``from shop import deadline``

__all__ = ["deadline"]
