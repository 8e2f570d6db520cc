"""Fix tables shared by several frameworks (each framework module picks what applies to it)."""

from wflint.fixes.model import VERSION_GATE_NOTE, WRAP, Applicability, Rewrite, rewrite

#: the template that means "move the expression into a new activity or step"
EXTRACT_TEMPLATE = "@extract"

SAFE, UNSAFE, DISPLAY = Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY
LOCAL_TO_UTC = "the local time becomes UTC on hosts outside UTC"
UTC_DATE = "the date is taken in UTC, not in the host's time zone"
UUID5 = "a deterministic uuid5 replaces a random uuid4"
NS_PRECISION = "workflow time has microsecond precision"
EPISODE = ("elapsed time inside one workflow episode is always 0: "
           "measure durations with workflow time across yields, or in an activity")


#: the shape of an eternal workflow in a generator framework
GENERATOR_ETERNAL = """\
# one iteration per instance; the state travels in the input
result = yield {ctx}.call_activity(step, input=state)
yield {ctx}.create_timer(...)
{ctx}.continue_as_new(new_state)
return"""


def workflow_clock(now: str, aware: str, tz_now: str, timestamp: str) -> dict[str, Rewrite]:
    """Rewrites of the clock from a workflow clock: naive UTC (``now``), aware UTC (``aware``),
    in another zone (``tz_now``, with ``{tz}``) and as a POSIX timestamp (``timestamp``)."""
    return {
        "WFL101:time.strftime": rewrite(f"{now}.strftime({{arg0}})", UNSAFE, "ctx", note=LOCAL_TO_UTC),
        "WFL101:time.localtime": rewrite(f"{now}.timetuple()", UNSAFE, "ctx", note=LOCAL_TO_UTC),
        "WFL101:time.gmtime": rewrite(f"{now}.utctimetuple()", UNSAFE, "ctx",
                                      note="a struct_time of workflow time"),
        "WFL101:time.ctime": rewrite(f"{now}.ctime()", UNSAFE, "ctx", note=LOCAL_TO_UTC),
        "WFL101:time.asctime": rewrite(f"{now}.ctime()", UNSAFE, "ctx", note=LOCAL_TO_UTC),
        "WFL101:time.time": rewrite(timestamp, SAFE, "ctx"),
        "WFL101:time.time_ns": rewrite(f"int({timestamp} * 1_000_000) * 1000", UNSAFE, "ctx",
                                       note=NS_PRECISION),
        "WFL101:datetime.datetime.utcnow": rewrite(now, SAFE, "ctx"),
        "WFL101:datetime.datetime.now:utc": rewrite(aware, SAFE, "ctx"),
        "WFL101:datetime.datetime.now:tz": rewrite(tz_now, SAFE, "ctx"),
        "WFL101:datetime.datetime.now:local": rewrite(now, UNSAFE, "ctx", note=LOCAL_TO_UTC),
        "WFL101:datetime.datetime.today:local": rewrite(now, UNSAFE, "ctx", note=LOCAL_TO_UTC),
        "WFL101:datetime.date.today": rewrite(f"{now}.date()", UNSAFE, "ctx", note=UTC_DATE),
        "WFL101:time.monotonic": rewrite("", DISPLAY, note=EPISODE, title="Measure time with the workflow clock"),
        "WFL101:time.perf_counter": rewrite("", DISPLAY, note=EPISODE, title="Measure time with the workflow clock"),
        **library_clocks(aware),
    }


def library_clocks(aware: str) -> dict[str, Rewrite]:
    """arrow's and pendulum's clocks made from the aware UTC workflow clock (``aware``): the
    library's own type, in UTC or in the zone asked for (local time becomes UTC: unsafe)."""
    made = {"arrow": f"{{arrow}}.get({aware})", "pendulum": f"{{pendulum}}.instance({aware})"}
    zoned = {"arrow": ".to({tz})", "pendulum": ".in_timezone({tz})"}
    table = {"WFL101:arrow.utcnow": rewrite(made["arrow"], SAFE, "ctx")}
    for function, library, day in (("arrow.now", "arrow", ""), ("pendulum.now", "pendulum", ""),
                                    ("pendulum.today", "pendulum", '.start_of("day")')):
        table[f"WFL101:{function}:utc"] = rewrite(made[library] + day, SAFE, "ctx")
        table[f"WFL101:{function}:tz"] = rewrite(made[library] + zoned[library] + day, SAFE, "ctx")
        table[f"WFL101:{function}:local"] = rewrite(made[library] + day, UNSAFE, "ctx", note=LOCAL_TO_UTC)
    return table


def replay_guard() -> dict[str, Rewrite]:
    return {code: rewrite("if not {ctx}.is_replaying:", SAFE, "ctx", "statement", kind=WRAP,
                          title="Guard with `if not {ctx}.is_replaying:`")
            for code in ("WFL501:*", "WFL502:*")}


def timer(template: str) -> dict[str, Rewrite]:
    """A durable timer for a blocking sleep, a never-awaited ``asyncio.sleep`` statement and a
    wait on a fresh ``threading.Event()`` (which nothing can set)."""
    entry = rewrite(template, UNSAFE, "ctx", "yield", "statement", note=VERSION_GATE_NOTE)
    return {"WFL102:time.sleep": entry, "WFL102:asyncio.sleep": entry,
            "WFL102:threading.Event().wait:fresh": entry}


def extraction(*codes: str) -> dict[str, Rewrite]:
    """Extract to activity for every hazard of these codes without a more specific rewrite
    (console input excepted, which stays manual)."""
    entry = rewrite(EXTRACT_TEMPLATE, UNSAFE, note=VERSION_GATE_NOTE)
    return {**{f"{code}:*": entry for code in codes if code != "WFL305"}, **CONSOLE_INPUT,
            **CONCURRENCY, **STABLE_HASH,
            # a wait on an event or condition held in a local moves with the object
            "WFL102:threading.Event().wait": entry, "WFL102:threading.Condition().wait": entry,
            "WFL102:threading.Condition().wait_for": entry}


IO_CODES = ("WFL301", "WFL302", "WFL303", "WFL304", "WFL401", "WFL402")
#: hash() of a value: a digest of its text, the same in every process
STABLE_HASH = {"WFL802:builtins.hash": rewrite(
    "int({hashlib}.sha256(str({arg0}).encode()).hexdigest()[:16], 16)", UNSAFE,
    title="Hash the value's text with hashlib.sha256",
    note="other numbers than hash() gave, the same in every process (a value whose str() "
         "shows its address stays unstable)")}
def seeded(seed: str, *requires: str, note: str) -> dict[str, Rewrite]:
    """An unseeded generator seeded from a value the workflow replays (``seed`` a string)."""
    return {"WFL201:random.Random": rewrite(f"{{func}}({seed})", UNSAFE, "ctx", *requires, note=note),
            "WFL201:numpy.random.default_rng": rewrite(f"{{func}}(list({seed}.encode()))", UNSAFE,
                                                       "ctx", *requires, note=note)}


#: threads and processes started from workflow code: started from an activity instead
CONCURRENCY = {f"WFL701:{api}": rewrite(EXTRACT_TEMPLATE, UNSAFE, note=VERSION_GATE_NOTE)
               for api in ("threading", "_thread", "multiprocessing", "concurrent.futures",
                           "concurrent.futures.ThreadPoolExecutor",
                           "concurrent.futures.ProcessPoolExecutor", "multiprocessing.Pool")}
#: console input stays manual: a worker has no terminal, so an activity would fail (EOFError)
CONSOLE_INPUT = {"WFL305:*": rewrite("", DISPLAY, title="Receive the input as an external event",
                                     note="a worker has no terminal: send the value to the workflow "
                                          "as an external event (a signal) or in its input")}


# -- shared by the frameworks whose context clock is naive UTC (Dapr, durabletask) -------------

NAIVE_UTC_ALTERNATIVES = {
    "WFL101": "use {ctx}.current_utc_datetime (naive UTC, replayed from history;"
              " .replace(tzinfo=timezone.utc) makes it aware)",
    "WFL102": "use yield {ctx}.create_timer(timedelta(seconds=...))",
    "WFL502": "guard it with if not {ctx}.is_replaying:",
    "WFL601": "run one iteration per instance, then call {ctx}.continue_as_new(state)",
    "WFL903": "write it as a generator: def with yield {ctx}.call_activity(...)",
}
NAIVE_UTC_CALL_ALTERNATIVES = {
    ("WFL101", "time.time"): "use {ctx}.current_utc_datetime.replace(tzinfo=timezone.utc).timestamp()",
    ("WFL101", "time.time_ns"):
        "use int({ctx}.current_utc_datetime.replace(tzinfo=timezone.utc).timestamp() * 1e9)",
    ("WFL101", "datetime.date.today"): "use {ctx}.current_utc_datetime.date() (UTC date)",
}


def naive_utc_rewrites() -> dict[str, Rewrite]:
    """The clock, the replay guard and the timer for a naive-UTC generator context."""
    return {
        **workflow_clock(
            "{ctx}.current_utc_datetime",
            "{ctx}.current_utc_datetime.replace(tzinfo={timezone}.utc)",
            "{ctx}.current_utc_datetime.replace(tzinfo={timezone}.utc).astimezone({tz})",
            "{ctx}.current_utc_datetime.replace(tzinfo={timezone}.utc).timestamp()"),
        **replay_guard(),
        **timer("yield {ctx}.create_timer({timedelta}(seconds={arg0}))"),
    }
