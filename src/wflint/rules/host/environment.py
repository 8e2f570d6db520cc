from wflint.rules.base import Rule, names


class Environment(Rule):
    """
    ## What it does
    Flags environment variables in workflow code: any access to `os.environ` (subscript,
    `.get`, iteration, `in`, passing it on), `os.getenv`, `os.putenv`, `os.unsetenv`,
    `os.path.expandvars` and `python-dotenv`'s `load_dotenv` / `dotenv_values`.

    ## Why is this bad?
    Configuration changes between deployments, and replays run on whatever worker picks the
    workflow up, so a value read from the environment can differ from the one the first run
    saw. Pass configuration in the workflow's input, or read it in an activity.

    ## Example
    ```python
    import os
    import azure.durable_functions as df

    app = df.DFApp()

    @app.orchestration_trigger(context_name="context")
    def billing(context: df.DurableOrchestrationContext):
        region = os.environ.get("BILLING_REGION", "eu")
        return (yield context.call_activity("bill", region))
    ```

    ## Use instead
    ```python
    import azure.durable_functions as df

    app = df.DFApp()

    @app.orchestration_trigger(context_name="context")
    def billing(context: df.DurableOrchestrationContext):
        region = context.get_input()["region"]
        return (yield context.call_activity("bill", region))
    ```
    """

    code = "WFL401"
    message = "{call} reads the environment in {where}; {alternative}"
    calls = {
        **names("os", ("getenv", "getenvb", "putenv", "unsetenv")),
        "os.path.expandvars": None,
    }
    prefixes = {"os.environ": (), "os.environb": (), "dotenv": ()}
    references = frozenset({"os.environ", "os.environb"})
