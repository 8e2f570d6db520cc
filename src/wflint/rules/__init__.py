"""wflint's rules, one module per rule, grouped by category.

The catalog in :mod:`wflint.codes` names each rule's class; :func:`load_rules`
imports only the selected ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from wflint.codes import FILE_CODES, rule_class
from wflint.rules.base import Rule

__all__ = ["FILE_CODES", "load_rules"]


def load_rules(codes: Iterable[str]) -> list[Rule]:
    """Instances of the rules for ``codes`` that walk workflow code, in catalog order."""
    return [rule_class(code)() for code in sorted(codes) if code not in FILE_CODES]
