from __future__ import annotations

from typing import TYPE_CHECKING

import ast
import re
from dataclasses import replace

from wflint.analysis.scope import qualname
from wflint.fixes.model import Applicability, Fix, display_only
from wflint.rules.base import Rule, names, no_args, one_arg

if TYPE_CHECKING:
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.fixes.site import FixSite

#: what ``datetime.datetime`` has and the ``datetime`` module lacks
_MODULE_SLIPS = ("now", "utcnow", "today")
_SLIP = re.compile(r"(?<![\w.])datetime\.(?:now|utcnow|today)\b")
#: expressions that stand for UTC
UTC = frozenset({"datetime.timezone.utc", "datetime.UTC", "pytz.utc", "pytz.UTC", "dateutil.tz.UTC",
                 "dateutil.tz.tzutc()"})


class WallClock(Rule):
    """
    ## What it does
    Flags reads of the wall clock in workflow code: `datetime.now()`, `datetime.utcnow()`,
    `datetime.today()`, `date.today()`, `time.time()` and the other `time` clocks,
    `time.localtime()`/`gmtime()`/`ctime()`/`asctime()` without an argument,
    `time.strftime(fmt)` without a time tuple, `pendulum.now()` and `arrow.now()`. After
    `import datetime`, `datetime.now()` meant the wall clock too, and also raises
    `AttributeError` (the module has no `now`): the message says both.

    ## Why is this bad?
    A workflow is recovered by replaying its code against recorded history. The clock returns
    a different value on replay than on the first run, so every decision made from it (a
    deadline, a branch, an activity input) can come out differently and the instance fails
    or silently diverges. Each framework replays a deterministic clock instead.

    Reading the clock in a Temporal query handler or update validator is fine: those do not
    run on replay.

    ## Example
    ```python
    from datetime import datetime
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def order_wf(ctx: wf.DaprWorkflowContext, order):
        placed_at = datetime.utcnow()
        yield ctx.call_activity(save, input={"order": order, "at": placed_at.isoformat()})

    @wfr.activity
    def save(ctx, data):
        return data
    ```

    ## Use instead
    ```python
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def order_wf(ctx: wf.DaprWorkflowContext, order):
        placed_at = ctx.current_utc_datetime
        yield ctx.call_activity(save, input={"order": order, "at": placed_at.isoformat()})

    @wfr.activity
    def save(ctx, data):
        return data
    ```

    ## Fix safety
    Safe where the workflow clock gives the same kind of value: `datetime.utcnow()` becomes
    naive UTC workflow time, `datetime.now(timezone.utc)` and `datetime.now(tz)` aware workflow
    time, `time.time()` (and Temporal's `time.time_ns()`) the workflow clock's timestamp,
    `arrow.utcnow()` / `arrow.now(tz)` an `Arrow` and `pendulum.now(tz)` / `pendulum.today(tz)`
    a pendulum `DateTime` made from aware workflow time (`arrow.get(...)`,
    `pendulum.instance(...)`, moved to the zone asked for). The value then comes from history
    and no command is added, so in-flight instances replay (proven on every engine). Unsafe:
    `datetime.now()` / `today()`, `arrow.now()`, `pendulum.now()` / `today()` without a zone
    and `date.today()` (local time becomes UTC), Temporal's monotonic clocks (workflow time is
    not monotonic), `time.time_ns()` in generator frameworks (microsecond precision), and every
    DBOS rewrite (`DBOS.run_step` records a new step). Display-only: monotonic clocks in Dapr,
    durabletask and Azure (a duration inside one episode is always zero), and where the
    context is not in scope. `pendulum.yesterday()` / `tomorrow()` and the class methods
    (`Arrow.now()`, `DateTime.now()`) have no rewrite. `datetime.now()` on the module gets the
    rewrite of `datetime.datetime.now()`, always unsafe: the call raised `AttributeError`
    before.
    """

    code = "WFL101"
    fix_availability = "sometimes"
    message = "{call} reads the wall clock in {where}; {alternative}"
    calls = {
        **names("datetime.datetime", ("now", "utcnow", "today")),
        "datetime.date.today": None,
        **names("time", ("time", "time_ns", "monotonic", "monotonic_ns", "perf_counter",
                         "perf_counter_ns", "process_time", "process_time_ns", "thread_time",
                         "thread_time_ns", "clock_gettime", "clock_gettime_ns")),
        **names("time", ("localtime", "gmtime", "ctime", "asctime"), no_args),
        "time.strftime": one_arg,
        **names("pendulum", ("now", "today", "yesterday", "tomorrow")),
        **names("pendulum.DateTime", ("now", "today")),
        **names("arrow", ("now", "utcnow")),
        **names("arrow.Arrow", ("now", "utcnow")),
        **names("pandas.Timestamp", ("now", "utcnow", "today")),
        # ``import datetime`` then ``datetime.now()``: the module has no such function
        **names("datetime", _MODULE_SLIPS),
    }

    def note_for(self, qualname: str) -> str:
        if qualname.rpartition(".")[0] == "datetime":
            return (f"'datetime' is the module here, which has no {qualname.rpartition('.')[2]}(): "
                    "the call also raises AttributeError")
        return ""

    def shape(self, site: FixSite) -> str:
        """``local`` (no time zone), ``utc``, or ``tz`` (another zone) for ``datetime.now()``."""
        call = site.node
        if not isinstance(call, ast.Call):
            return ""
        zone = _zone_argument(call)
        if zone is None:
            return "local" if not call.args and not call.keywords else ""
        return "utc" if qualname(zone, site.scope) in UTC else "tz"

    def fix(self, site: FixSite, name: str | None, **values: str) -> Fix | None:
        if name is not None and name.rpartition(".")[0] == "datetime":
            return self._slip_fix(site, name, **values)
        zone = _zone_argument(site.node) if isinstance(site.node, ast.Call) else None
        return super().fix(site, name, tz=site.text(zone) if zone is not None else "")

    def _slip_fix(self, site: FixSite, name: str, **values: str) -> Fix | None:
        """``datetime.now()`` on the module: the fix of ``datetime.datetime.now()``, never safe
        (the call raised AttributeError before), and only when its text no longer calls the
        module's missing function."""
        meant = f"datetime.datetime.{name.rpartition('.')[2]}"
        fix = self.fix(site, meant, **values)
        if fix is None or not fix.edits:
            return fix
        if any(_SLIP.search(edit.content) for edit in fix.edits):
            return display_only(fix.title, "the rewrite would call the module's missing function again")
        note = "the call raised AttributeError as written; " + (fix.note or "it now reads the workflow clock")
        return replace(fix, applicability=Applicability.UNSAFE, note=note)

    def applies_to(self, unit: WorkflowUnit) -> bool:
        # queries and update validators never run on replay: reading the clock there is fine
        return unit.kind not in ("query", "validator")


def _zone_argument(call: ast.Call) -> ast.expr | None:
    if len(call.args) == 1 and not call.keywords:
        return call.args[0]
    if not call.args and len(call.keywords) == 1 and call.keywords[0].arg in ("tz", "tzinfo"):
        return call.keywords[0].value
    return None
