"""Fixes: data describing a rewrite (edits, imports, applicability), and the one engine that applies them."""

from wflint.fixes.model import Applicability, Edit, Fix, ImportRequest

__all__ = ["Applicability", "Edit", "Fix", "ImportRequest"]
