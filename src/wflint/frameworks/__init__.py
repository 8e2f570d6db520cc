"""What wflint knows about each durable-workflow framework.

Each framework is one module here holding a :class:`~wflint.frameworks.model.Framework`: how
its workflows and activities are declared and registered, which context types mark workflow
code, its durable commands and replay flags, which deterministic API replaces each hazard,
and the planner that writes a new activity for it. The analysis, the rules and the fixes ask
these tables what a framework can do and never compare its name (``tests/test_layers.py``
checks it). Adding a framework means adding a module here, listing it in :func:`_load`, and
giving it fixtures, an example and an execution test (see the README's Development section).
"""

from __future__ import annotations

from wflint.frameworks.model import Framework

__all__ = ["CONFIGURED", "FRAMEWORKS", "GENERATOR_FRAMEWORKS", "SELECTABLE", "Framework"]


def _load() -> dict[str, Framework]:
    from wflint.frameworks import aws, azure, dapr, dbos, durabletask, generic, temporal

    frameworks = (dapr.FRAMEWORK, durabletask.FRAMEWORK, azure.FRAMEWORK, temporal.FRAMEWORK,
                  dbos.FRAMEWORK, aws.FRAMEWORK, generic.FRAMEWORK)
    return {fw.name: fw for fw in frameworks}


FRAMEWORKS: dict[str, Framework] = _load()
#: the frameworks a user can name in ``frameworks = [...]`` / ``--framework``
SELECTABLE = tuple(name for name, fw in FRAMEWORKS.items() if not fw.configured)
#: the framework of the workflows declared with configured decorators
CONFIGURED = next(fw for fw in FRAMEWORKS.values() if fw.configured)
GENERATOR_FRAMEWORKS = frozenset(n for n, fw in FRAMEWORKS.items() if fw.style == "generator")
