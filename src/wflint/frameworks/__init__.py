"""What wflint knows about each durable-workflow framework.

Each framework is one module holding a :class:`Framework` table: how its
workflows and activities are declared and registered, which context types mark
workflow code, and which deterministic API replaces each hazard. The analysis
and the rules read these tables; adding a framework means adding a module here
and listing it in ``FRAMEWORKS``.
"""

from __future__ import annotations

from wflint.frameworks.model import Framework

__all__ = ["CONFIGURED", "FRAMEWORKS", "GENERATOR_FRAMEWORKS", "SELECTABLE", "Framework"]


def _load() -> dict[str, Framework]:
    from wflint.frameworks import azure, dapr, dbos, durabletask, generic, temporal

    frameworks = (dapr.FRAMEWORK, durabletask.FRAMEWORK, azure.FRAMEWORK, temporal.FRAMEWORK,
                  dbos.FRAMEWORK, generic.FRAMEWORK)
    return {fw.name: fw for fw in frameworks}


FRAMEWORKS: dict[str, Framework] = _load()
#: the frameworks a user can name in ``frameworks = [...]`` / ``--framework``
SELECTABLE = tuple(name for name, fw in FRAMEWORKS.items() if not fw.configured)
#: the framework of the workflows declared with configured decorators
CONFIGURED = next(fw for fw in FRAMEWORKS.values() if fw.configured)
GENERATOR_FRAMEWORKS = frozenset(n for n, fw in FRAMEWORKS.items() if fw.style == "generator")
