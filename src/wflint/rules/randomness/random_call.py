from __future__ import annotations

import ast

from wflint.rules.base import Rule, names
from wflint.stdlib import RANDOM_FUNCTIONS

_NUMPY_SEEDABLE = ("default_rng", "RandomState", "Generator", "SeedSequence", "BitGenerator",
                   "PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


def unseeded(call: ast.Call, framework: str) -> bool:
    """No seed, or an explicit ``None`` seed."""
    args = [*call.args, *(kw.value for kw in call.keywords if kw.arg in (None, "seed", "x"))]
    if not args:
        return True
    return len(args) == 1 and isinstance(args[0], ast.Constant) and args[0].value is None


class RandomCall(Rule):
    """
    ## What it does
    Flags random numbers drawn in workflow code: every `random` module function
    (`random.random()`, `randint`, `choice`, `shuffle`, ...), an unseeded `random.Random()`,
    `random.SystemRandom()` (it ignores any seed), `secrets.*` (except `compare_digest`),
    `os.urandom()`, `numpy.random` module functions and an unseeded
    `numpy.random.default_rng()`.

    A generator seeded with a deterministic value, such as `random.Random(42)` or
    `random.Random(ctx.new_uuid())`, is replay-safe and not flagged.

    ## Why is this bad?
    Replay draws different numbers than the first run did, so a decision made from them
    (which server, how long to back off, which branch) changes and the workflow diverges from
    its history.

    ## Example
    ```python
    import random
    from temporalio import workflow

    @workflow.defn
    class Backoff:
        @workflow.run
        async def run(self, attempts: int) -> float:
            return random.uniform(1, 5) * attempts
    ```

    ## Use instead
    ```python
    from temporalio import workflow

    @workflow.defn
    class Backoff:
        @workflow.run
        async def run(self, attempts: int) -> float:
            return workflow.random().uniform(1, 5) * attempts
    ```

    ## Fix safety
    Unsafe: Temporal's `workflow.random()` draws from the workflow's deterministic stream, so
    every later deterministic value of an in-flight instance shifts on replay; elsewhere the
    draw moves into a new activity or step, which adds a durable command. Display-only under a
    branch on the replay flag (the draw would happen on the first execution only), in a
    Temporal query or update validator (read-only), and for an in-place `shuffle`.
    """

    code = "WFL201"
    fix_availability = "sometimes"
    message = "{call} draws unseeded random numbers in {where}; {alternative}"
    calls = {
        **names("random", RANDOM_FUNCTIONS),
        "random.Random": unseeded,
        "random.SystemRandom": None,
        "os.urandom": None,
        "os.getrandom": None,
        "numpy.random.default_rng": unseeded,
        "numpy.random.RandomState": unseeded,
    }
    prefixes = {
        "secrets": ("secrets.compare_digest",),
        "numpy.random": tuple(f"numpy.random.{name}" for name in _NUMPY_SEEDABLE),
    }
