"""Extract to activity: move a hazardous expression into a new activity (or DBOS step).

The new function is written just before the workflow (or its class), takes the expression's free variables as
input, and is registered the way the file already registers things: a decorator on the same
runtime or app object (``@wfr.activity``, ``@app.activity_trigger``), ``register_activity``
beside ``register_workflow``, ``add_activity`` beside ``add_orchestrator``, ``@activity.defn``
(with a note to add it to the Temporal ``Worker``) or ``@DBOS.step()``. The expression is
replaced by the framework's call of it. Adding an activity adds a durable command, so the
fix is unsafe and says that in-flight instances need a version gate.

When the expression cannot be moved — it uses the workflow context or its state, assigns
locals, returns a live object (a file, a client, a response) or mutates its argument — the
fix is display-only and says why.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wflint.analysis.scope import binding_scope
from wflint.analysis.scope import qualname as resolve
from wflint.fixes.model import (INSERT_BEFORE, REMOVE, REPLACE, STATEMENT, VERSION_GATE_NOTE,
                                Applicability, Edit, Fix,
                                ImportRequest, display_only)
from wflint.frameworks import FRAMEWORKS

if TYPE_CHECKING:
    from wflint.fixes.site import FixSite

#: calls whose result is a live object that cannot be sent back from an activity
_LIVE_RESULTS = ("builtins.open", "io.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open",
                 "tarfile.open", "zipfile.ZipFile", "tempfile.", "socket.", "sqlite3.connect",
                 "subprocess.Popen", "subprocess.run", "shelve.open", "dbm.open", "mmap.", "asyncio.",
                 "random.Random", "random.SystemRandom", "numpy.random.default_rng",
                 "numpy.random.RandomState", "os.scandir", "os.walk", "os.fwalk", "os.popen",
                 "glob.iglob", "os.fdopen", "os.open", "threading.", "_thread.", "multiprocessing.",
                 "concurrent.futures.", "sched.")
#: calls under a live-object prefix that return plain values (a host name is a string)
_PLAIN_RESULTS = frozenset({"socket.gethostname", "socket.getfqdn", "socket.gethostbyname",
                            "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.getservbyname",
                            "socket.has_ipv6", "tempfile.gettempdir", "tempfile.gettempdirb",
                            "tempfile.mkdtemp", "multiprocessing.cpu_count"})
#: calls whose result JSON carries as it is
_PLAIN_CALLS = frozenset({
    "builtins.str", "builtins.int", "builtins.float", "builtins.bool", "builtins.len",
    "builtins.round", "os.getenv", "os.environ.get", "platform.system", "platform.node",
    "socket.gethostname", "json.load", "json.loads", "yaml.safe_load", "random.random",
    "random.uniform", "random.randint", "random.randrange", "random.gauss", "random.triangular",
    "random.getrandbits", "os.cpu_count", "os.getpid", "os.getcwd", "time.time"})
#: references whose value is a plain value an activity can return
_PLAIN_REFERENCES = frozenset({"os.name", "sys.argv", "sys.orig_argv", "sys.platform"})
#: results that are bytes, which a JSON-based framework cannot carry back from an activity
_BYTES_RESULTS = frozenset({"subprocess.check_output", "pathlib.Path().read_bytes", "os.urandom",
                            "os.getrandom", "secrets.token_bytes", "random.randbytes",
                            "urllib.request.urlopen", "gzip.open", "bz2.open", "lzma.open"})
_TEXT_KEYWORDS = frozenset({"text", "universal_newlines", "encoding", "errors"})
#: local values of these types cannot be sent to an activity as input
_OBJECT_TYPES = ("pathlib.", "builtins.open()", "io.", "socket.", "requests.", "httpx.", "aiohttp.",
                 "urllib3.", "random.Random()", "random.SystemRandom()", "numpy.", "sqlite3.",
                 "psycopg", "asyncpg.", "pymysql.", "MySQLdb.", "mysql.", "aiomysql.", "aiosqlite.",
                 "redis.", "pymongo.", "motor.", "sqlalchemy.", "oracledb.", "cx_Oracle.", "pyodbc.",
                 "duckdb.", "elasticsearch.", "boto3.", "openai.", "anthropic.", "grpc.",
                 "dapr.clients.", "dapr.aio.", "smtplib.", "ftplib.", "imaplib.", "poplib.",
                 "subprocess.", "tempfile.", "zipfile.", "tarfile.", "gzip.", "bz2.", "lzma.",
                 "shelve.", "dbm.", "mmap.", "threading.", "concurrent.", "multiprocessing.")
#: results a JSON-based framework cannot carry back, and how to carry them: the activity
#: returns ``send`` of the value, the workflow rebuilds it with ``receive``
_ADAPTERS = {
    **{f"uuid.{fn}": ("str({})", "{uuid}.UUID({})") for fn in ("uuid1", "uuid4", "uuid6", "uuid7")},
    **{name: ("str({})", "{Path}({})") for name in (
        "pathlib.Path.home", "pathlib.Path.cwd", "pathlib.Path().resolve", "pathlib.Path().absolute",
        "pathlib.Path().expanduser")},
    "datetime.datetime.fromtimestamp": ("{}.isoformat()", "{datetime}.fromisoformat({})"),
    "datetime.date.fromtimestamp": ("{}.isoformat()", "{date}.fromisoformat({})"),
    # arrow's and pendulum's own types cross as ISO text and are parsed back into them
    **{f"arrow.{fn}": ("{}.isoformat()", "{arrow}.get({})") for fn in ("utcnow", "now")},
    **{f"arrow.Arrow.{fn}": ("{}.isoformat()", "{arrow}.get({})") for fn in ("utcnow", "now")},
    **{f"pendulum.{fn}": ("{}.isoformat()", "{pendulum}.parse({})")
       for fn in ("now", "today", "yesterday", "tomorrow")},
    **{f"pendulum.DateTime.{fn}": ("{}.isoformat()", "{pendulum}.parse({})") for fn in ("now", "today")},
}
#: the workflow clocks that give a datetime (``ctx.current_utc_datetime``, ``workflow.now()``)
_DATETIME_CLOCKS = frozenset(fw.datetime_clock for fw in FRAMEWORKS.values() if fw.datetime_clock)
#: results no adapter carries: the code that uses them belongs in the activity
_UNSERIALISABLE = frozenset({"time.localtime", "time.gmtime", "os.stat", "os.lstat", "os.uname",
                             "os.times", "pathlib.Path().stat", "pathlib.Path().lstat",
                             "pathlib.Path().iterdir", "pathlib.Path().glob", "pathlib.Path().rglob",
                             "pathlib.Path().open"})
#: calls that change their argument in place: moving them changes a copy
_MUTATORS = frozenset({"random.shuffle"})
#: a call's result is a response object unless read further (``requests.get(u).json()``)
_RESPONSE_CODES = frozenset({"WFL302", "WFL304"})
_BUILTINS = frozenset(dir(builtins))
#: builtins that turn what they are given into a plain value the activity can return
_CONVERTERS = frozenset({"str", "int", "float", "bool", "dict", "list", "sorted", "len", "tuple"})
#: expressions that can become an activity's body (a bare reference such as ``os.environ`` cannot:
#: the object it names does not cross the boundary)
_MOVABLE = (ast.Call, ast.Subscript, ast.Compare, ast.IfExp, ast.BoolOp, ast.BinOp, ast.UnaryOp,
            ast.Tuple, ast.List, ast.Dict, ast.JoinedStr)


#: reasons an expression cannot move alone that moving its statements whole can answer
_MOVE_WHOLE = ("it returns a live object", "it returns a client or response object",
               "its result is used as a context manager", "it uses the local object",
               "its result is awaited")
#: an environment value an activity returns is recorded in the workflow's history
_HISTORY_NOTE = ("the value the {noun} returns is written into the workflow's history: "
                 "do not move a secret this way")


@dataclass
class _Plan:
    definition: str        # the new function, decorators included
    call: str              # what replaces the expression
    registration: str = ""  # a statement to add after the workflow's registration call
    imports: tuple[ImportRequest, ...] = ()
    note: str = ""
    #: another expression to replace (a Temporal Worker's activities list) and its new text
    extra: tuple[ast.expr, str] | None = None


def extract_helper_call(site: FixSite, code: str, helper_module, helper: ast.FunctionDef) -> Fix | None:
    """Move a call of a helper that holds hazards into a new activity, when what goes in and
    what comes back can cross the boundary (None when the call cannot move)."""
    call = site.node
    if not isinstance(call, ast.Call) or isinstance(helper, ast.AsyncFunctionDef):
        return None
    target = call.func
    root = target
    while isinstance(root, ast.Attribute):
        root = root.value
    owner = binding_scope(root.id, site.scope) if isinstance(root, ast.Name) else None
    if owner is None or not owner.is_module:
        return None  # the activity is written at module level: it must see the helper
    if any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in ast.walk(helper)):
        return None  # a generator: driven with yield from, not called
    if site.is_own_statement(call) and not _returns_value(helper):
        returns: tuple[str, str] | None = ("{}", "{}")
    else:
        returns = _return_adapter(helper_module, helper)
        if returns is None:
            return None  # what it returns might not cross the boundary
    return extract_fix(site, code, None, returns=returns, helper=helper.name)


def _returns_value(function: ast.FunctionDef) -> bool:
    return any(isinstance(node, ast.Return) and node.value is not None and not (
        isinstance(node.value, ast.Constant) and node.value.value is None) for node in ast.walk(function))


#: return annotations whose values an activity can send back as JSON (and how to rebuild them)
_ANNOTATED = {
    "builtins.str": ("{}", "{}"), "builtins.int": ("{}", "{}"), "builtins.float": ("{}", "{}"),
    "builtins.bool": ("{}", "{}"), "builtins.dict": ("{}", "{}"), "builtins.list": ("{}", "{}"),
    "builtins.tuple": ("list({})", "tuple({})"),
    "typing.Dict": ("{}", "{}"), "typing.List": ("{}", "{}"), "typing.Any": None,
    "datetime.datetime": ("{}.isoformat()", "{datetime}.fromisoformat({})"),
    "datetime.date": ("{}.isoformat()", "{date}.fromisoformat({})"),
    "pathlib.Path": ("str({})", "{Path}({})"),
    "uuid.UUID": ("str({})", "{uuid}.UUID({})"),
}
_SCALARS = frozenset({"builtins.str", "builtins.int", "builtins.float", "builtins.bool",
                      "datetime.datetime", "datetime.date", "pathlib.Path", "uuid.UUID"})
_CONTAINERS = frozenset({"builtins.dict", "builtins.list", "builtins.tuple", "typing.Dict",
                         "typing.List", "typing.Tuple"})


def _plain_annotation(annotation: ast.expr, module) -> bool:
    """A type annotation whose values JSON carries as they are (``str``, ``list[int]``,
    ``dict[str, float]``, ``str | None``)."""
    if isinstance(annotation, ast.Constant):
        return annotation.value is None or annotation.value is Ellipsis
    if isinstance(annotation, ast.Tuple):
        return all(_plain_annotation(e, module) for e in annotation.elts)
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _plain_annotation(annotation.left, module) and _plain_annotation(annotation.right, module)
    if isinstance(annotation, ast.Subscript):
        base = resolve(annotation.value, module.scope) if isinstance(
            annotation.value, (ast.Name, ast.Attribute)) else None
        return base in (*_CONTAINERS, "typing.Optional") and _plain_annotation(annotation.slice, module)
    name = resolve(annotation, module.scope) if isinstance(annotation, (ast.Name, ast.Attribute)) else None
    return name in ("builtins.str", "builtins.int", "builtins.float", "builtins.bool")


_KIND_ADAPTERS = {
    "datetime": ("{}.isoformat()", "{datetime}.fromisoformat({})"),
    "date": ("{}.isoformat()", "{date}.fromisoformat({})"),
    "path": ("str({})", "{Path}({})"),
    "plain": ("{}", "{}"),
}


def _return_adapter(module, function: ast.FunctionDef) -> tuple[str, str] | None:
    """How the helper's result crosses the boundary: from its return annotation, else from what
    every ``return`` gives (None when that cannot be known)."""
    scope = module.scope_of(function, module.scope)
    annotation = function.returns
    if annotation is not None:
        if isinstance(annotation, ast.Constant) and annotation.value is None:
            return "{}", "{}"
        base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        name = resolve(base, module.scope) if isinstance(base, (ast.Name, ast.Attribute)) else None
        if name in _SCALARS and not isinstance(annotation, ast.Subscript):
            return _ANNOTATED[name]
        if not _plain_annotation(annotation, module):
            return None  # only plain values and containers of them: dict[str, Any] may hold anything
        if name in ("builtins.tuple", "typing.Tuple"):
            return "list({})", "tuple({})"
        return "{}", "{}"
    kinds = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None:
            kinds.add(_plain_kind(node.value, scope))
    if len(kinds) == 1 and None not in kinds:
        return _KIND_ADAPTERS[kinds.pop()]
    return None


def _plain_kind(value: ast.expr, scope) -> str | None:
    """``plain`` (JSON as it is), ``datetime``, ``date``, ``path``, or None (unknown)."""
    kind = _value_kind(value, scope)
    if kind is not None:
        return kind
    if isinstance(value, ast.Constant) and not isinstance(value.value, bytes):
        return "plain"
    if isinstance(value, (ast.JoinedStr, ast.Compare)):
        return "plain"
    if isinstance(value, (ast.List, ast.Dict)):
        parts = [*getattr(value, "elts", ()), *(v for v in getattr(value, "values", ()))]
        return "plain" if all(_plain_kind(p, scope) == "plain" for p in parts) else None
    if isinstance(value, ast.Call):
        name = resolve(value.func, scope) or ""
        if name in _PLAIN_CALLS:
            return "plain"
        if isinstance(value.func, ast.Attribute) and value.func.attr in ("isoformat", "hexdigest",
                                                                         "strftime", "json"):
            return "plain"
    return None


def extract_fix(site: FixSite, code: str, matched: str | None, *,
                returns: tuple[str, str] | None = None, helper: str | None = None) -> Fix:
    """``returns`` and ``helper``: the call of a project helper being moved, and how its result
    crosses the boundary."""
    fw = site.unit.framework
    node = site.node
    qualname = resolve(node.func if isinstance(node, ast.Call) else node, site.scope) or matched
    expr = _extent(site, code) if helper is None else node
    title = f"Move into a new {fw.activity_noun}"
    reason = _cannot_move(site, expr, code, qualname, helper is not None)
    if reason and helper is None and reason.startswith(_MOVE_WHOLE):
        whole = _statements_fix(site, code, title)
        if whole is not None:
            return whole
    if reason:
        return display_only(title, reason)
    free = _free_variables(site, expr)
    if isinstance(free, str) and helper is None and free.startswith(_MOVE_WHOLE):
        whole = _statements_fix(site, code, title)
        if whole is not None:
            return whole
    if isinstance(free, str):
        return display_only(title, free)
    named_after = expr if isinstance(expr, ast.Subscript) or expr is not _unwrap(expr) else site.node
    name = _unique_name(site, _base_name(named_after).lower() + f"_{fw.activity_noun}")
    body = _expression_code(site, expr)
    imports: list[ImportRequest] = []
    send, receive = _ADAPTERS.get(qualname or "", ("{}", "{}")) if expr is site.node and \
        fw.json_boundary else ("{}", "{}")
    if returns is not None and fw.json_boundary:
        send, receive = returns
    elif fw.json_boundary and (qualname or "") in _BYTES_RESULTS and _bytes_shape(site, expr) == "bytes":
        # bytes are not JSON: base64 text on the way back, the same bytes again in the workflow
        send, receive = "{base64}.b64encode({}).decode()", "{base64}.b64decode({})"
    if fw.json_boundary and expr is site.node and (qualname or "").startswith("numpy.random."):
        # numpy values are not JSON: send plain numbers or lists, rebuild an array
        send, receive = "{numpy}.asarray({}).tolist()", \
            "{numpy}.asarray({})" if _returns_array(site.node) else "{}"
    body = site.render(send, imports).format(body)
    discarded = site.is_own_statement(expr)
    plan = _plan(site, name, body, free, imports, discarded)
    if not isinstance(plan, str) and receive != "{}":
        plan.call = site.render(receive, imports).format(f"({plan.call})")
    if not isinstance(plan, str) and plan.call.startswith(("yield ", "await ")) \
            and not site._whole_value(expr):
        plan.call = f"({plan.call})"
    if isinstance(plan, str):
        return display_only(title, plan)
    if site.in_fstring and any(ch in plan.call for ch in "'\"\\{}"):
        return display_only(title, "the call is inside an f-string: move it to a variable first")
    anchor = _top_level_statement(site)
    edits = [Edit(REPLACE, *site.char_range(expr), plan.call)]
    if plan.definition:  # a step run inline (a lambda) defines nothing
        edits.insert(0, Edit(INSERT_BEFORE, *site.char_range(anchor), "\n\n" + plan.definition))
    if plan.registration:
        statement = _statement_of(site, site.unit.registration)
        if statement is None:
            return display_only(title, "cannot find where the workflow is registered")
        edits.append(Edit(INSERT_BEFORE, *site.char_range(statement), plan.registration))
    if plan.extra is not None:
        target, text = plan.extra
        edits.append(Edit(REPLACE, *site.char_range(target), text))
    if code == "WFL401":
        plan.note = "; ".join(filter(None, [plan.note, _HISTORY_NOTE.format(noun=fw.activity_noun)]))
    note = VERSION_GATE_NOTE + (f"; {plan.note}" if plan.note else "")
    return Fix(Applicability.UNSAFE, f"{title} `{name}`", tuple(edits),
               tuple(dict.fromkeys([*imports, *plan.imports])), note)


# -- what to move ---------------------------------------------------------------------------------

def _extent(site: FixSite, code: str) -> ast.expr:
    """The expression to move: the hazard, grown over ``os.environ[...]``, ``"X" in os.environ``,
    the attributes and methods read from its result (``requests.get(url).json()``,
    ``uuid4().hex``, ``os.stat(p).st_size``), the call a live result is handed to
    (``json.load(open(p))``), and over the whole expression when the hazard occurs in it more
    than once (``sys.argv[1] if len(sys.argv) > 1 else d``): never half of what depends on it."""
    parents = site.parents
    node: ast.expr = site.node
    parent = parents.get(id(node))
    if isinstance(parent, ast.Subscript) and parent.value is node and not isinstance(node, ast.Call):
        node = parent
    elif isinstance(parent, ast.Compare) and len(parent.ops) == 1 and node in parent.comparators \
            and isinstance(parent.ops[0], (ast.In, ast.NotIn)):
        node = parent  # "X" in os.environ: the activity answers the question
    while True:
        parent = parents.get(id(node))
        if isinstance(parent, ast.Attribute) and parent.value is node:
            call = parents.get(id(parent))
            node = call if isinstance(call, ast.Call) and call.func is parent else parent
        elif (isinstance(parent, ast.Call) and parent.args == [node] and not parent.keywords
              and isinstance(parent.func, ast.Name) and parent.func.id in _CONVERTERS
              and binding_scope(parent.func.id, site.scope) is None):
            node = parent  # str(uuid.uuid4()), dict(os.environ): the activity returns the value
        elif (isinstance(parent, ast.Call) and node in parent.args and node is site.node
              and _live(resolve(node.func, site.scope) if isinstance(node, ast.Call) else None)):
            node = parent  # json.load(open(p)): what reads the live object moves with it
        else:
            break
    return _covering(site, node, parents)


def _returns_array(call: ast.expr) -> bool:
    """A ``numpy.random`` call that returns an array: it is given a size or a shape."""
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if any(k.arg == "size" for k in call.keywords):
        return True
    return name in ("rand", "randn") and bool(call.args)


def _live(name: str | None) -> bool:
    return name is not None and name not in _PLAIN_RESULTS and any(
        name == live or (live.endswith(".") and name.startswith(live)) for live in _LIVE_RESULTS)


def _hazard_key(node: ast.expr, site: FixSite) -> str | None:
    target = node.func if isinstance(node, ast.Call) else node
    return resolve(target, site.scope)


def _covering(site: FixSite, node: ast.expr, parents: dict[int, ast.AST]) -> ast.expr:
    """The smallest expression holding ``node`` and every other occurrence of the same hazard in
    the statement (the statement's whole value at most)."""
    statement = site.statement
    key = _hazard_key(site.node, site)
    if statement is None or key is None:
        return node
    inside = {id(n) for n in ast.walk(node)}
    others = [n for n in ast.walk(statement)
              if isinstance(n, (ast.Call, ast.Attribute, ast.Name)) and id(n) not in inside
              and _hazard_key(n, site) == key]
    if not others:
        return node
    covering: ast.AST | None = node
    while covering is not None and not _holds_all(covering, others):
        covering = parents.get(id(covering))
    if isinstance(covering, ast.expr):
        return covering
    return node  # only the statement holds them all: the planner decides (usually: cannot move)


def _holds_all(container: ast.AST, nodes: list[ast.AST]) -> bool:
    held = {id(n) for n in ast.walk(container)}
    return all(id(n) in held for n in nodes)


def _cannot_move(site: FixSite, expr: ast.expr, code: str, qualname: str | None,
                 helper: bool = False) -> str:
    fw = site.unit.framework
    if fw.style == "generator" and not (site.directly_in_workflow and site.unit.kind == "workflow"):
        return "the activity's result must be yielded directly in the workflow generator"
    if fw.style == "generator" and site.is_async:
        return "an async def cannot yield the activity: make the workflow a generator first (WFL903)"
    if fw.style == "async" and not (site.directly_in_workflow and site.is_async):
        return "awaiting the activity needs the code to be directly in an async def workflow method"
    if site.replay_guarded:
        return "an activity under a replay guard would run on the first pass only"
    refusal = fw.extract_refusal(site.unit) if fw.extract_refusal is not None else ""
    if refusal:
        return refusal
    if not isinstance(expr, _MOVABLE) and not (
            isinstance(expr, ast.Attribute) and isinstance(expr.value, (ast.Call, ast.Subscript))) \
            and not (expr is site.node and (qualname or "") in _PLAIN_REFERENCES):
        return "only a call, a lookup or an expression built on them can be moved into an activity"
    if isinstance(site.parents.get(id(expr)), ast.Await):
        return "its result is awaited: move the code that awaits it into an async activity"
    for node in ast.walk(expr):
        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await)):
            return "the expression waits on something itself"
        if isinstance(node, ast.NamedExpr):
            return "the expression assigns a local variable"
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return "the expression defines a function or comprehension"
    if helper:
        return ""  # what the helper returns was judged by its caller
    name = qualname or ""
    if name == "builtins.breakpoint":
        return "breakpoint() is for debugging: remove it"
    if name in _MUTATORS:
        return f"{name}() changes its argument in place; an activity would change a copy"
    discarded = site.is_own_statement(expr)
    if not discarded and expr is site.node and _live(name):
        return "it returns a live object (file, socket, connection) that cannot leave an activity: " \
               "move the code that uses it into an activity"
    if not discarded and code in _RESPONSE_CODES and expr is site.node:
        return "it returns a client or response object: move the code that reads it into an activity"
    if not discarded and fw.json_boundary and name in _BYTES_RESULTS and \
            _bytes_shape(site, expr) == "other":
        return "it returns bytes, which the framework cannot serialise: decode them in an activity"
    if not discarded and fw.json_boundary and expr is site.node and name in _UNSERIALISABLE:
        return "its result cannot be serialised as an activity result: move the code that uses it too"
    if site.statement is not None:
        for item in getattr(site.statement, "items", ()):
            if item.context_expr is expr:
                return "its result is used as a context manager"
    return ""


def _bytes_shape(site: FixSite, expr: ast.expr) -> str:
    """What a bytes-producing hazard's moved expression gives: ``bytes`` (the call itself, or
    ``.read()`` of what it opened), ``text`` (opened or run in text mode, or decoded), or
    ``other`` (something built on the bytes)."""
    if any(isinstance(node, ast.Call) and (any(k.arg in _TEXT_KEYWORDS for k in node.keywords)
                                           or _text_mode(node)) for node in ast.walk(expr)):
        return "text"
    if expr is site.node:
        return "bytes"
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.attr == "decode":
            return "text"
        if expr.func.attr == "read" and expr.func.value is site.node:
            return "bytes"
    return "other"


def _text_mode(call: ast.Call) -> bool:
    """``gzip.open(p, "rt")``: a mode argument that asks for text."""
    modes = [a for a in call.args[1:2]] + [k.value for k in call.keywords if k.arg == "mode"]
    return any(isinstance(m, ast.Constant) and isinstance(m.value, str) and "t" in m.value for m in modes)


def _free_variables(site: FixSite, expr: ast.AST, skip: set[str] = frozenset()) -> list[str] | str:
    """The workflow's local names the expression reads (its activity's input), or why not.
    ``skip``: names the moved code binds itself."""
    names: list[str] = []
    for node in ast.walk(expr):
        if not isinstance(node, ast.Name) or node.id in skip:
            continue
        owner = binding_scope(node.id, site.scope)
        if owner is None or owner.is_module:
            continue
        if node.id == site.unit.ctx_name and site.unit.framework.context != "module":
            return "it uses the workflow context"
        if node.id in ("self", "cls"):
            return "it uses the workflow's own state"
        if node.id in owner.functions or node.id in owner.classes:
            return f"it calls the local function '{node.id}'"
        kind = owner.value_type(node.id) or ""
        if kind.startswith(_OBJECT_TYPES) and _input_kind(node.id, owner) is None:
            return f"it uses the local object '{node.id}', which cannot be sent to an activity"
        if site.unit.framework.json_boundary and kind.startswith(_NOT_JSON):
            return f"the local '{node.id}' cannot be sent to an activity as JSON"
        if node.id not in names:
            names.append(node.id)
    return names


#: local values a JSON-based framework cannot send as an activity's input
_NOT_JSON = ("builtins.set()", "builtins.frozenset()", "builtins.bytes()", "builtins.bytearray()",
             "decimal.", "uuid.")
#: how a local of a known kind crosses the boundary: (what is sent, how the activity rebuilds it)
_INPUT_ADAPTERS = {
    "datetime": ("{}.isoformat()", "{datetime}.fromisoformat({})"),
    "date": ("{}.isoformat()", "{date}.fromisoformat({})"),
    "path": ("str({})", "{Path}({})"),
}


def _input_kind(name: str, owner) -> str | None:
    """``datetime``, ``date`` or ``path`` when every binding of the local is one."""
    values = owner.values.get(name) or []
    if not values or len(values) != owner.stores.get(name, 0):
        return None
    kinds = {_value_kind(value, owner) for value in values}
    return kinds.pop() if len(kinds) == 1 else None


def _value_kind(value: ast.expr, scope) -> str | None:
    if isinstance(value, ast.Attribute) and value.attr in _DATETIME_CLOCKS:
        return "datetime"  # the workflow clock
    if isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Add, ast.Sub)):
        left = _value_kind(value.left, scope)
        return left if left in ("datetime", "date") else None
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div):
        return "path" if _value_kind(value.left, scope) == "path" else None
    if isinstance(value, ast.Call):
        name = resolve(value.func, scope) or ""
        if name in _DATETIME_CLOCKS:
            return "datetime"
        if name.startswith("datetime.datetime") or (
                isinstance(value.func, ast.Attribute) and value.func.attr in ("replace", "astimezone")
                and _value_kind(value.func.value, scope) == "datetime"):
            return "datetime"
        if name.startswith("datetime.date"):
            return "date"
        if name.startswith(("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath")):
            return "path"
    return None


def _unwrap(expr: ast.expr) -> ast.expr:
    """The argument of a ``str(...)``-style conversion, else the expression itself."""
    if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name)
            and expr.func.id in ("str", "int", "float", "bool") and len(expr.args) == 1):
        return expr.args[0]
    return expr


def _base_name(expr: ast.expr) -> str:
    node = _unwrap(expr)  # str(uuid.uuid4()) is named after uuid4
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            return "read_" + _base_name(node.value)
        elif isinstance(node, ast.Attribute):
            return node.attr.strip("_") or "call"
        elif isinstance(node, ast.Name):
            return node.id.strip("_") or "call"
        else:
            return "call"


def _unique_name(site: FixSite, base: str) -> str:
    name, number = base, 2
    while site.module.uses_name(name):
        name, number = f"{base}_{number}", number + 1
    return name


def _expression_code(site: FixSite, expr: ast.expr) -> str:
    text = site.text(expr)
    return text if "\n" not in text else ast.unparse(expr)


def _top_level_statement(site: FixSite) -> ast.stmt:
    """The module-level statement (the workflow, or its class) that contains the workflow."""
    target = site.unit.node
    for statement in site.module.tree.body:
        end = statement.end_lineno or statement.lineno
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        if first <= target.lineno <= end:
            return statement
    return target


def _statement_of(site: FixSite, call: ast.Call | None) -> ast.stmt | None:
    if call is None:
        return None
    for node in ast.walk(site.module.tree):
        if isinstance(node, ast.Expr) and node.value is call:
            return node
    return None


# -- per framework -------------------------------------------------------------------------------

def _conversions(site: FixSite, free: list[str], imports: list[ImportRequest]
                 ) -> tuple[dict[str, str], list[str]]:
    """For a JSON-based framework: what the workflow sends for each input that needs converting,
    and the lines that rebuild them in the activity."""
    if not site.unit.framework.json_boundary:
        return {}, []
    sent: dict[str, str] = {}
    rebuilt: list[str] = []
    for name in free:
        owner = binding_scope(name, site.scope)
        kind = _input_kind(name, owner) if owner is not None else None
        if kind is None:
            continue
        send, receive = _INPUT_ADAPTERS[kind]
        sent[name] = send.format(name)
        rebuilt.append(f"{name} = {site.render(receive, imports).format(name)}")
    return sent, rebuilt


def _packed(free: list[str], unpack_from: str, sent: dict[str, str]) -> tuple[str, str]:
    """The single input value and the statement that unpacks it in the activity."""
    if not free:
        return "", ""
    if len(free) == 1:
        return sent.get(free[0], free[0]), ""
    packed = "{" + ", ".join(f'"{n}": {sent.get(n, n)}' for n in free) + "}"
    unpack = ", ".join(free) + " = " + ", ".join(f'{unpack_from}["{n}"]' for n in free)
    return packed, unpack


def _function(decorators: list[str], name: str, params: list[str], prelude: list[str], body: str,
              discarded: bool, is_async: bool = False) -> str:
    lines = [*decorators, f"{'async ' if is_async else ''}def {name}({', '.join(params)}):"]
    lines.extend(f"    {line}" for line in prelude if line)
    if "\n" in body or discarded:  # statements moved whole, or a call whose value is unused
        lines.extend(f"    {line}" if line else "" for line in body.split("\n"))
    else:
        lines.append(f"    return {body}")
    return "\n".join(lines) + "\n"


def _registry_text(site: FixSite) -> str | None:
    decorator = site.unit.decorator
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute):
        return site.text(target.value)
    registration = site.unit.registration
    if registration is not None and isinstance(registration.func, ast.Attribute):
        return site.text(registration.func.value)
    return None


def _registered_name(site: FixSite, name: str) -> str:
    """The name an activity is registered under: qualified by its module, so that activities
    extracted in several modules of one application never collide on a shared runtime."""
    if site.module.path in ("stdin", "-", "<source>"):
        return name  # text without a file name has no module to qualify the name with
    module = site.module.name or site.module.path.rpartition("/")[2].removesuffix(".py")
    return f"{module}.{name}" if module else name


def _symbol(site: FixSite, module: str, name: str, imports: list[ImportRequest]) -> str:
    text, request = site.symbol(module, name)
    if request is not None:
        imports.append(request)
    return text


def _plan(site: FixSite, name: str, body: str, free: list[str], imports: list[ImportRequest],
          discarded: bool) -> _Plan | str:
    """The framework's plan for a new activity (or a reason it cannot have one)."""
    planner = site.unit.framework.extract
    if planner is None:
        return f"no framework to register a new {site.unit.framework.activity_noun} with"
    return planner(TOOLKIT, site, name, body, free, imports, discarded)


class _Toolkit:
    """What a framework's extraction planner builds a new activity with (handed to it, so that
    framework modules need not import the fix layer)."""

    Plan = _Plan
    conversions = staticmethod(_conversions)
    packed = staticmethod(_packed)
    function = staticmethod(_function)
    registry_text = staticmethod(_registry_text)
    registered_name = staticmethod(_registered_name)
    symbol = staticmethod(_symbol)
    resolve = staticmethod(resolve)


TOOLKIT = _Toolkit()
#: the names framework modules annotate their planners with
Plan = _Plan
Toolkit = _Toolkit


# -- moving statements whole ---------------------------------------------------------------------

def _statements_fix(site: FixSite, code: str, title: str) -> Fix | None:
    """Move the statements that create a live object and use it (``with open(p) as fh: ...``,
    ``conn = sqlite3.connect(db)`` up to its last use) into one new activity, which returns the
    locals the rest of the workflow reads."""
    found = _statement_range(site)
    if found is None:
        return None
    block, start, stop, live = found
    statements_ = block[start:stop]
    fw = site.unit.framework
    function = site.unit.node
    if fw.style == "generator" and (not site.directly_in_workflow or site.is_async):
        return None
    if fw.style == "async" and not (site.directly_in_workflow and site.is_async):
        return None
    if site.replay_guarded or site.unit.kind not in ("workflow", "run"):
        return None
    if fw.extract_refusal is not None and fw.extract_refusal(site.unit):
        return None
    for stmt in statements_:
        for node in ast.walk(stmt):
            if isinstance(node, (ast.Return, ast.Break, ast.Continue, ast.Raise, ast.Yield,
                                 ast.YieldFrom, ast.Global, ast.Nonlocal, ast.Lambda,
                                 ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                return None
            if isinstance(node, ast.Await) and fw.style != "async":
                return None
            if isinstance(node, ast.Call) and _is_framework(node, site):
                return None
    region_ids = {id(n) for stmt in statements_ for n in ast.walk(stmt)}
    read_after = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)
                  and isinstance(n.ctx, ast.Load) and id(n) not in region_ids}
    assigned: dict[str, list[ast.AST]] = {}
    for stmt in statements_:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                assigned.setdefault(node.id, []).append(node)
    if live & read_after:
        return None  # the live object is used after the statements too
    outputs = sorted(name for name in assigned if name in read_after and name not in live)
    adapters: dict[str, tuple[str, str]] = {}
    if fw.json_boundary:
        for name in outputs:
            kind = _assigned_kind(name, statements_, site)
            if kind is None:
                return None  # what the rest of the workflow reads might not cross the boundary
            adapters[name] = _KIND_ADAPTERS[kind]
    inside = {name for name in assigned if not _read_before_written(name, statements_)}
    free = _free_variables(site, ast.Module(body=list(statements_), type_ignores=[]), skip=inside)
    if isinstance(free, str):
        return None
    imports: list[ImportRequest] = []
    body = _statements_code(site, statements_)
    if outputs:
        sent = [site.render(adapters.get(n, ("{}", "{}"))[0], imports).format(n) for n in outputs]
        body += "\n" + ("return " + sent[0] if len(sent) == 1 else "return [" + ", ".join(sent) + "]")
    name = _unique_name(site, _base_name(site.node).lower() + f"_{fw.activity_noun}")
    plan = _plan(site, name, body, free, imports, True)
    if isinstance(plan, str):
        return None
    call = plan.call
    if len(outputs) == 1:
        receive = adapters.get(outputs[0], ("{}", "{}"))[1]
        value = site.render(receive, imports).format(f"({call})") if receive != "{}" else call
        replacement = f"{outputs[0]} = {value}"
    elif outputs:
        temp = _unique_name(site, f"{name}_result")
        replacement = f"{temp} = {call}\n" + "\n".join(
            f"{n} = " + site.render(adapters.get(n, ("{}", "{}"))[1], imports).format(f"{temp}[{i}]")
            for i, n in enumerate(outputs))
    else:
        replacement = call
    indent = " " * statements_[0].col_offset
    replacement = "\n".join(indent + line if i else line for i, line in enumerate(replacement.split("\n")))
    edits = [Edit(INSERT_BEFORE, *site.char_range(_top_level_statement(site)), "\n\n" + plan.definition),
             Edit(STATEMENT, *site.char_range(statements_[0]), replacement)]
    edits.extend(Edit(REMOVE, *site.char_range(stmt), "") for stmt in statements_[1:])
    if plan.registration:
        statement = _statement_of(site, site.unit.registration)
        if statement is None:
            return None
        edits.append(Edit(INSERT_BEFORE, *site.char_range(statement), plan.registration))
    if plan.extra is not None:
        target, text = plan.extra
        edits.append(Edit(REPLACE, *site.char_range(target), text))
    note = VERSION_GATE_NOTE + (f"; {plan.note}" if plan.note else "")
    lines = f"lines {statements_[0].lineno}-{statements_[-1].end_lineno}" if len(statements_) > 1 or \
        statements_[0].end_lineno != statements_[0].lineno else f"line {statements_[0].lineno}"
    return Fix(Applicability.UNSAFE, f"{title} `{name}` ({lines} move together)", tuple(edits),
               tuple(dict.fromkeys([*imports, *plan.imports])), note)


def _statement_range(site: FixSite):
    """(block, start, stop, live names): the statements that hold the live object the finding
    is about, from where it is made to its last use in the same block."""
    chain = _locate(site.unit.node, site.statement)
    if not chain:
        return None
    block, index = chain[-1]
    statement = block[index]
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return block, index, index + 1, _bound_by(statement)
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
            isinstance(statement.targets[0], ast.Name):
        names = {statement.targets[0].id}
        start = index
    else:
        receiver = site.node.func.value if isinstance(site.node, ast.Call) and \
            isinstance(site.node.func, ast.Attribute) else None
        while isinstance(receiver, (ast.Attribute, ast.Call)):
            receiver = receiver.value if isinstance(receiver, ast.Attribute) else receiver.func
        if not isinstance(receiver, ast.Name):
            return None
        # where the receiver was made: earlier in this block, or by an enclosing ``with``
        for level in range(len(chain) - 1, -1, -1):
            outer, at = chain[level]
            holder = outer[at]
            if level < len(chain) - 1 and isinstance(holder, (ast.With, ast.AsyncWith)) and \
                    receiver.id in _bound_by(holder):
                return outer, at, at + 1, _bound_by(holder)
            for position in range(at, -1, -1):
                candidate = outer[position]
                if position != at and isinstance(candidate, (ast.With, ast.AsyncWith)) and \
                        receiver.id in _bound_by(candidate):
                    return None  # made by a with block that is over: nothing to move with it
                if isinstance(candidate, ast.Assign) and len(candidate.targets) == 1 and \
                        isinstance(candidate.targets[0], ast.Name) and candidate.targets[0].id == receiver.id:
                    if level != len(chain) - 1:
                        return None  # made outside the block that uses it
                    block, index, start, names = outer, at, position, {receiver.id}
                    break
            else:
                continue
            break
        else:
            return None
    stop = start + 1
    for position in range(start + 1, len(block)):
        if any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(block[position])):
            stop = position + 1
    return block, start, max(stop, index + 1), names


def _bound_by(statement: ast.With | ast.AsyncWith) -> set[str]:
    return {n.id for item in statement.items if item.optional_vars is not None
            for n in ast.walk(item.optional_vars) if isinstance(n, ast.Name)}


def _locate(function: ast.AST, statement: ast.stmt | None) -> list[tuple[list, int]]:
    """The blocks from the function's body down to the one holding ``statement``, each with the
    index of the statement on the way."""
    if statement is None:
        return []

    def search(node: ast.AST, path: list[tuple[list, int]]):
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            for index, item in enumerate(block):
                here = [*path, (block, index)] if isinstance(item, ast.stmt) else path
                if item is statement:
                    return here
                if isinstance(item, (ast.stmt, ast.excepthandler)) and \
                        not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    found = search(item, here)
                    if found:
                        return found
        return None

    return search(function, []) or []


def _is_framework(call: ast.Call, site: FixSite) -> bool:
    from wflint.analysis.durable import is_durable, is_framework_call

    return is_framework_call(call, site.scope, site.unit.framework) or is_durable(
        call, site.unit.framework, site.unit.ctx_name, site.scope)


def _read_before_written(name: str, statements_: list[ast.stmt]) -> bool:
    """The name's value from before the statements is read by them (an input, not only an
    output): its first occurrence in source order reads it, or it is updated in place
    (``x += 1``)."""
    occurrences = []
    for stmt in statements_:
        for node in ast.walk(stmt):
            if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and \
                    node.target.id == name:
                return True
            if isinstance(node, ast.Name) and node.id == name:
                occurrences.append(node)
    if not occurrences:
        return False
    first = min(occurrences, key=lambda n: (n.lineno, n.col_offset))
    return isinstance(first.ctx, ast.Load)


#: what reading a file, a response or a process gives: plain values
_PLAIN_READS = frozenset({"read", "readline", "readlines", "read_text", "json", "decode", "strip",
                          "splitlines", "isoformat", "hexdigest", "getvalue"})


def _assigned_kind(name: str, statements_: list[ast.stmt], site: FixSite) -> str | None:
    """The kind of every value the statements give ``name`` (``plain`` when JSON carries it)."""
    kinds: set[str | None] = set()
    for stmt in statements_:
        for node in ast.walk(stmt):
            value = None
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                    for t in node.targets):
                value = node.value
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name) \
                    and node.target.id == name:
                value = node.value
            elif isinstance(node, (ast.For, ast.With, ast.AsyncWith)):
                targets = [node.target] if isinstance(node, ast.For) else \
                    [i.optional_vars for i in node.items if i.optional_vars is not None]
                if any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t)):
                    return None
            if value is None:
                continue
            kind = _plain_kind(value, site.scope)
            if kind is None and isinstance(value, ast.Call):
                func = value.func
                if isinstance(func, ast.Attribute) and func.attr in _PLAIN_READS and not _binary(value):
                    kind = "plain"
                elif resolve(func, site.scope) in ("json.load", "json.loads", "yaml.safe_load"):
                    kind = "plain"
            if kind is None and isinstance(value, ast.Await):
                inner = value.value
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and \
                        inner.func.attr in ("text", "json", "read"):
                    kind = "plain"
            kinds.add(kind)
    return kinds.pop() if len(kinds) == 1 else None


def _binary(call: ast.Call) -> bool:
    """A read from something opened in binary mode (``open(p, "rb").read()``)."""
    for node in ast.walk(call):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                set(node.value) <= set("rwxab+t") and "b" in node.value:
            return True
    return False


def _statements_code(site: FixSite, statements_: list[ast.stmt]) -> str:
    """The statements' source, dedented to the activity's body level."""
    first = statements_[0]
    lines = site.lines[first.lineno - 1:(statements_[-1].end_lineno or first.lineno)]
    indent = first.col_offset
    out = []
    for line in lines:
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            return ast.unparse(ast.Module(body=list(statements_), type_ignores=[]))
        out.append(line[indent:] if line.strip() else "")
    return "\n".join(out).rstrip()
