from __future__ import annotations

from typing import TYPE_CHECKING

from wflint.fixes.model import Fix, display_only
from wflint.rules.base import Rule
from wflint.rules.output.unguarded_logging import REPLAY_ONLY

if TYPE_CHECKING:
    from wflint.frameworks.model import Framework
    from wflint.fixes.site import FixSite

_RICH_CONSOLE_METHODS = ("print", "log", "print_json", "rule", "out")


class UnguardedPrint(Rule):
    """
    ## What it does
    Flags console output in workflow code that is not replay-safe: `print()`,
    `sys.stdout.write()` / `sys.stderr.write()`, `pprint.pprint()`, `rich` printing and
    `click.echo()`.

    Not flagged: output under a replay guard (`if not ctx.is_replaying:` alone or in a
    conjunction, after an early `if ctx.is_replaying: return`, through a local or a predicate
    helper holding the flag, or inside a helper called under one), and output that can only run
    after the workflow's last durable call, on a path that ends it (it runs once, in the final
    episode). DBOS is exempt: it re-executes a workflow only to recover from a crash.

    ## Why is this bad?
    Every replay runs the workflow code again, so the output is repeated each time the
    workflow wakes up. It does not change decisions, hence a warning.

    ## Example
    ```python
    from durabletask import task

    def greet(ctx: task.OrchestrationContext, name):
        print("starting", ctx.instance_id)
        return (yield ctx.call_activity(hello, input=name))

    def hello(ctx, name):
        return f"hello {name}"
    ```

    ## Use instead
    ```python
    from durabletask import task

    def greet(ctx: task.OrchestrationContext, name):
        if not ctx.is_replaying:
            print("starting", ctx.instance_id)
        return (yield ctx.call_activity(hello, input=name))

    def hello(ctx, name):
        return f"hello {name}"
    ```

    ## Fix safety
    Safe: `if not ctx.is_replaying:` around the call (Dapr, durabletask, Azure). Display-only in
    Temporal (print output is not a log record: rewrite it as a `workflow.logger` call), for a
    call that is part of a larger statement, and in code that only runs while replaying.
    """

    code = "WFL502"
    fix_availability = "sometimes"
    message = "{call} prints again on every replay of {where}; {alternative}"
    calls = {
        "builtins.print": None,
        "sys.stdout.write": None,
        "sys.stdout.writelines": None,
        "sys.stderr.write": None,
        "sys.stderr.writelines": None,
        "pprint.pprint": None,
        "pprint.pp": None,
        "rich.print": None,
        "rich.print_json": None,
        "rich.inspect": None,
        "click.echo": None,
        "click.secho": None,
        "typer.echo": None,
        **{f"{console}.{method}": None
           for console in ("rich.console.Console()", "rich.get_console()")
           for method in _RICH_CONSOLE_METHODS},
    }

    def applies_to_framework(self, framework: Framework) -> bool:
        return framework.replays_code  # output repeats only where the code replays

    def fix(self, site: FixSite, qualname: str | None, **values: str) -> Fix | None:
        if site.replay_only:
            return display_only("Remove the call, or move it out of the replay branch", REPLAY_ONLY)
        return super().fix(site, qualname, **values)
