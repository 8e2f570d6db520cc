from __future__ import annotations

from typing import TYPE_CHECKING

from wflint.rules.base import Rule, names

if TYPE_CHECKING:
    from wflint.fixes.site import FixSite


class RandomUuid(Rule):
    """
    ## What it does
    Flags `uuid.uuid1()`, `uuid.uuid4()`, `uuid.uuid6()` and `uuid.uuid7()` in workflow code.
    `uuid.uuid3()` and `uuid.uuid5()` are name-based and deterministic, so they are not flagged.

    ## Why is this bad?
    A new random or time-based id on every replay means the id sent to an activity, used as a
    child workflow id or stored in state differs from the one in history: child workflows
    fail to match, and idempotency keys stop working.

    ## Example
    ```python
    import uuid
    import azure.durable_functions as df

    app = df.DFApp()

    @app.orchestration_trigger(context_name="context")
    def order_orchestrator(context: df.DurableOrchestrationContext):
        request_id = str(uuid.uuid4())
        return (yield context.call_activity("submit", request_id))
    ```

    ## Use instead
    ```python
    import azure.durable_functions as df

    app = df.DFApp()

    @app.orchestration_trigger(context_name="context")
    def order_orchestrator(context: df.DurableOrchestrationContext):
        request_id = context.new_uuid()
        return (yield context.call_activity("submit", request_id))
    ```

    ## Fix safety
    Unsafe: a deterministic id replaces a random one (durabletask `ctx.new_uuid()` and Azure
    `context.new_uuid()` / `new_guid()` give a uuid5; Temporal's `workflow.uuid4()` shifts the
    deterministic stream for in-flight instances), or the id is made in a new activity or step.
    Display-only under a branch on the replay flag and in a Temporal query or update validator.
    """

    code = "WFL202"
    fix_availability = "sometimes"
    message = "{call} creates a random UUID in {where}; {alternative}"
    calls = names("uuid", ("uuid1", "uuid4", "uuid6", "uuid7"))

    def shape(self, site: FixSite) -> str:
        return "str" if site.parent_str_call() is not None else ""
