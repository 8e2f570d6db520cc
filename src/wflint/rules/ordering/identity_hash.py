from wflint.rules.base import Rule


class IdentityHash(Rule):
    """
    ## What it does
    Flags `id(...)` and `hash(...)` in workflow code.

    ## Why is this bad?
    `id()` is a memory address, different in every process, and `hash()` of a `str` or `bytes`
    is salted per process (`PYTHONHASHSEED`). A replay on another worker computes other values,
    so any decision, key or activity input derived from them diverges.

    ## Example
    ```python
    from temporalio import workflow

    @workflow.defn
    class Shard:
        @workflow.run
        async def run(self, customer: str) -> int:
            return hash(customer) % 16
    ```

    ## Use instead
    ```python
    import hashlib
    from temporalio import workflow

    @workflow.defn
    class Shard:
        @workflow.run
        async def run(self, customer: str) -> int:
            return int(hashlib.sha256(customer.encode()).hexdigest(), 16) % 16
    ```
    """

    code = "WFL802"
    message = ("{call} differs between processes (object identity or salted hashing) in {where}; "
               "use a stable value such as hashlib.sha256 of the data")
    calls = {"builtins.id": None, "builtins.hash": None}
