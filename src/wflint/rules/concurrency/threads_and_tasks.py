from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from wflint.analysis.scope import qualname as resolve
from wflint.rules.base import Rule, in_generators, names
from wflint.rules.host.host_state import THREAD_IDENTITY

if TYPE_CHECKING:
    from wflint.fixes.model import Fix
    from wflint.fixes.site import FixSite

#: asyncio task APIs that the generator-based frameworks cannot replay
_ASYNCIO_TASKS = ("create_task", "gather", "ensure_future", "run", "wait_for", "get_event_loop",
                  "get_running_loop", "new_event_loop", "shield", "TaskGroup", "Runner", "timeout")


class ThreadsAndTasks(Rule):
    """
    ## What it does
    Flags concurrency that replay cannot reproduce. In every framework: `threading` (threads,
    timers and the rest of the module, except the functions that only tell which thread is
    running, such as `current_thread()`: those are WFL402), `concurrent.futures` executors, `multiprocessing`,
    `sched`, `asyncio.to_thread`, `loop.run_in_executor`, `asyncio.wait` and
    `asyncio.as_completed`. In Dapr, durabletask and Azure Durable Functions, which drive
    generators, also every `asyncio` task API (`create_task`, `gather`, `ensure_future`,
    `run`, `wait_for`, `get_event_loop`, ...).

    In Temporal and DBOS `asyncio.gather` is fine: the framework's event loop is deterministic.

    What a thread or executor runs (`threading.Thread(target=work)`, `executor.submit(work)`)
    is not workflow code: the start is the finding, reported once per call site in workflow
    code. Under a replay guard, fire-and-forget work whose result is discarded is not flagged.

    ## Why is this bad?
    Work on another thread or process is invisible to the framework: it is not recorded,
    it runs again on replay, and the order in which it finishes differs between runs.
    `asyncio.wait` and `asyncio.as_completed` return results in completion order, which a
    replay does not reproduce.

    ## Example
    ```python
    import asyncio
    from datetime import timedelta
    from temporalio import activity, workflow

    @activity.defn
    async def price(source: str) -> float:
        return 1.0

    @workflow.defn
    class BestPrice:
        @workflow.run
        async def run(self, sources: list[str]) -> float:
            tasks = [workflow.start_activity(price, s, start_to_close_timeout=timedelta(seconds=5))
                     for s in sources]
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            return done.pop().result()
    ```

    ## Use instead
    ```python
    import asyncio
    from datetime import timedelta
    from temporalio import activity, workflow

    @activity.defn
    async def price(source: str) -> float:
        return 1.0

    @workflow.defn
    class BestPrice:
        @workflow.run
        async def run(self, sources: list[str]) -> float:
            tasks = [workflow.start_activity(price, s, start_to_close_timeout=timedelta(seconds=5))
                     for s in sources]
            done, _ = await workflow.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            return done.pop().result()
    ```

    ## Fix safety
    Safe: Temporal's `asyncio.wait` / `asyncio.as_completed` become `workflow.wait` /
    `workflow.as_completed`: the same commands, in an order replay reproduces. Unsafe: DBOS's
    `asyncio.wait` becomes `DBOS.asyncio_wait`, which records a new checkpointed step. Threads,
    executors and other task APIs have no automatic fix.
    """

    code = "WFL701"
    fix_availability = "sometimes"
    message = "{call} runs work that replay cannot reproduce in {where}; {alternative}"
    calls = {
        **names("asyncio", ("to_thread", "run_coroutine_threadsafe", "wait", "as_completed")),
        **names("asyncio", _ASYNCIO_TASKS, in_generators),
    }
    prefixes = {"threading": tuple(f"threading.{name}" for name in THREAD_IDENTITY),
                "_thread": ("_thread.get_ident", "_thread.get_native_id"),
                "concurrent.futures": (), "multiprocessing": (), "sched": ()}
    clients = frozenset({"concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
                         "multiprocessing.Pool", "multiprocessing.pool.ThreadPool"})
    methods = {"run_in_executor": None}

    def fix(self, site: FixSite, qualname: str | None, **values: str) -> Fix | None:
        call = site.node
        if qualname == "asyncio.run" and isinstance(call, ast.Call) and len(call.args) == 1:
            inner = call.args[0]
            if isinstance(inner, ast.Call) and len(inner.args) == 1 and not inner.keywords and \
                    resolve(inner.func, site.scope) == "asyncio.sleep":
                # asyncio.run(asyncio.sleep(n)) only sleeps: a durable timer does that
                entry = site.unit.framework.rewrite_for("WFL102", "time.sleep")
                if entry is not None:
                    return site.build(entry, arg0=site.text(inner.args[0]))
        return super().fix(site, qualname, **values)
