from __future__ import annotations

import ast

from wflint.rules.base import Rule, has_args, names, without_tz


def _astimezone_without_tz(call: ast.Call, framework: str) -> bool:
    if not call.args and not call.keywords:
        return True
    value = call.args[0] if call.args else next((kw.value for kw in call.keywords if kw.arg == "tz"), None)
    return isinstance(value, ast.Constant) and value.value is None


def _fromtimestamp_without_tz(call: ast.Call, framework: str) -> bool:
    return without_tz(call, framework, position=1)


#: ``threading`` functions that only tell which thread is running
THREAD_IDENTITY = ("current_thread", "currentThread", "get_ident", "get_native_id", "main_thread",
                   "active_count", "activeCount", "enumerate")


class HostState(Rule):
    """
    ## What it does
    Flags values that depend on the machine the workflow runs on: `socket.gethostname()` /
    `getfqdn()`, `platform.*`, `os.name`, `os.getpid()`, `os.cpu_count()`,
    `multiprocessing.cpu_count()`, `os.getcwd()`, `os.uname()`, `os.path.expanduser()` /
    `abspath()`, `Path.cwd()` / `Path.home()` / `Path(...).expanduser()`, `getpass.*`,
    `sys.argv`, `locale.*`, `gettext.*`, `signal.*`, `breakpoint()`, the identity of the running
    thread (`threading.current_thread()`, `get_ident()`, ...), and everything that
    depends on the host's time zone: `time.localtime(ts)`, `time.mktime()`, `time.tzset()`,
    `datetime.fromtimestamp(ts)` and `.astimezone()` without a time zone,
    `zoneinfo.ZoneInfo.clear_cache/from_file/reset_tzpath` and `zoneinfo.reset_tzpath()`.

    ## Why is this bad?
    A replay can run on another worker, with another host name, process id, working
    directory, locale or time zone. A decision made from any of them can change between the
    first run and the replay.

    ## Example
    ```python
    from datetime import datetime
    from dbos import DBOS

    @DBOS.workflow()
    def nightly_report(ts: float) -> str:
        day = datetime.fromtimestamp(ts).date()
        return day.isoformat()
    ```

    ## Use instead
    ```python
    from datetime import datetime, timezone
    from dbos import DBOS

    @DBOS.workflow()
    def nightly_report(ts: float) -> str:
        day = datetime.fromtimestamp(ts, tz=timezone.utc).date()
        return day.isoformat()
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
    """

    code = "WFL402"
    fix_availability = "sometimes"
    message = "{call} depends on the host in {where}; {alternative}"
    calls = {
        **names("socket", ("gethostname", "getfqdn")),
        **names("os", ("getpid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getgroups",
                       "getlogin", "getloadavg", "cpu_count", "process_cpu_count",
                       "sched_getaffinity", "getcwd", "getcwdb", "uname", "times", "umask",
                       "get_terminal_size", "ctermid", "isatty", "getpriority")),
        **names("os.path", ("expanduser", "abspath")),
        "multiprocessing.cpu_count": None,
        **names("pathlib.Path", ("cwd", "home")),
        **{f"{cls}().{method}": None
           for cls in ("pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath")
           for method in ("expanduser", "absolute")},
        "builtins.breakpoint": None,
        "time.localtime": has_args,
        "time.ctime": has_args,
        "time.mktime": None,
        "time.tzset": None,
        "time.get_clock_info": None,
        "time.pthread_getcpuclockid": None,
        "datetime.datetime.fromtimestamp": _fromtimestamp_without_tz,
        "datetime.date.fromtimestamp": None,
        **names("zoneinfo.ZoneInfo", ("clear_cache", "from_file", "reset_tzpath")),
        "zoneinfo.reset_tzpath": None,
        "dateutil.tz.tzlocal": None,
        "uuid.getnode": None,
        # which thread of which process runs the code: reading it starts nothing (not WFL701)
        **names("threading", THREAD_IDENTITY),
        **names("_thread", ("get_ident", "get_native_id")),
    }
    prefixes = {
        "platform": (),
        "getpass": (),
        "locale": (),
        "gettext": (),
        "signal": (),
        "getopt": (),
        "resource": (),
        "psutil": (),
        "tzlocal": (),
    }
    references = frozenset({"os.name", "sys.argv", "sys.orig_argv"})
    methods = {"astimezone": _astimezone_without_tz}

