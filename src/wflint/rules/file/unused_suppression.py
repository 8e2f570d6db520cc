from wflint.rules.base import Rule


class UnusedSuppression(Rule):
    """
    ## What it does
    Reports a suppression comment (`# wflint: ignore[CODE]` or `# noqa: CODE`) in workflow code
    that names a wflint code not reported on its line: a typo, the code of another rule than
    the one that fires there, or a hazard that has since been removed.

    ## Why is this bad?
    A suppression that silences nothing looks like a decision someone made, and it hides the
    finding it was meant for when that finding has another code: the line still reports it,
    or it will silence a new hazard of the named code without anyone noticing.

    Only codes wflint checks in this run are judged, only in the workflow code it walked (a
    suppression on a helper's line silences the reports of that hazard at every workflow that
    calls the helper, and is not judged there), and blanket suppressions (`# noqa` without
    codes, `# wflint: ignore[]`) are left alone: other tools may rely on them.

    ## Example
    ```python
    import time

    from temporalio import workflow

    @workflow.defn
    class Orders:
        @workflow.run
        async def run(self) -> float:
            return time.time()  # wflint: ignore[WFL102]
    ```

    ## Use instead
    ```python
    import time

    from temporalio import workflow

    @workflow.defn
    class Orders:
        @workflow.run
        async def run(self) -> float:
            return time.time()  # wflint: ignore[WFL101] the clock is only logged
    ```
    """

    code = "WFL003"
