from wflint.rules.base import Rule


class ConsoleInput(Rule):
    """
    ## What it does
    Flags console input in workflow code: `input()`, reads from `sys.stdin`, and the
    `curses` / `readline` modules.

    ## Why is this bad?
    A worker has no one typing at it, and a replay cannot type the same answer again: the
    workflow blocks or decides differently. Input belongs in the workflow's arguments or in an
    external event / signal.

    ## Example
    ```python
    from temporalio import workflow

    @workflow.defn
    class Approval:
        @workflow.run
        async def run(self, order_id: str) -> bool:
            return input(f"approve {order_id}? ") == "y"
    ```

    ## Use instead
    ```python
    from temporalio import workflow

    @workflow.defn
    class Approval:
        def __init__(self) -> None:
            self.approved: bool | None = None

        @workflow.signal
        def decide(self, approved: bool) -> None:
            self.approved = approved

        @workflow.run
        async def run(self, order_id: str) -> bool:
            await workflow.wait_condition(lambda: self.approved is not None)
            return bool(self.approved)
    ```

    ## Fix safety
    Display-only: a worker has no terminal, so moving the read into an activity would fail;
    send the value to the workflow as an external event (a signal) or in its input.
    """

    code = "WFL305"
    fix_availability = "display-only"
    replay_guardable = False
    message = "{call} reads console input in {where}; {alternative}"
    calls = {"builtins.input": None}
    prefixes = {"sys.stdin": (), "curses": (), "readline": ()}
    references = frozenset({"sys.stdin"})
