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

    ## Fix safety
    Unsafe: the expression moves into a new activity (a new `@DBOS.step()` in DBOS), called
    through the framework, which adds a durable command: in-flight instances need a version
    gate. The whole expression that depends on the hazard moves together (`sys.argv[1] if
    len(sys.argv) > 1 else d`, `json.load(open(p))`); datetimes and paths are sent as ISO strings
    and `str()` and rebuilt in the activity. Display-only when it cannot move: it uses the
    workflow context or its state, a live object (file, client, connection), yields or awaits
    itself, sits in a nested function, a helper or under a replay guard, or its value cannot
    cross the boundary.
    The value the activity returns is written into the workflow's history: do not move a
    secret this way.
    """

    code = "WFL401"
    fix_availability = "sometimes"
    message = "{call} reads the environment in {where}; {alternative}"
    calls = {
        **names("os", ("getenv", "getenvb", "putenv", "unsetenv")),
        "os.path.expandvars": None,
    }
    prefixes = {"os.environ": (), "os.environb": (), "dotenv": ()}
    references = frozenset({"os.environ", "os.environb"})
