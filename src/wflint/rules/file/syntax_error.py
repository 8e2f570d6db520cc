from wflint.rules.base import Rule


class SyntaxErrorRule(Rule):
    """
    ## What it does
    Reports a file that may contain workflow code but cannot be parsed by the running Python.

    ## Why is this bad?
    wflint cannot check a file it cannot parse, so its hazards would go unnoticed. The
    finding sits at the line and column of the syntax error; the other files of the run are
    still checked.

    Files that cannot declare a workflow are never parsed (see the prefilter: a file must
    mention a framework and one of the ways it declares, registers or starts a workflow), so
    their syntax errors are left to your other tools.

    ## Example
    ```python
    from temporalio import workflow

    @workflow.defn
    class Broken:
        @workflow.run
        async def run(self) -> None
            pass
    ```

    ## Use instead
    ```python
    from temporalio import workflow

    @workflow.defn
    class Fixed:
        @workflow.run
        async def run(self) -> None:
            pass
    ```
    """

    code = "WFL001"
