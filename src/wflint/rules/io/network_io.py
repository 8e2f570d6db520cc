from wflint.rules.base import Rule

_HTTPX_VALUES = tuple(f"httpx.{name}" for name in (
    "Timeout", "Limits", "URL", "Headers", "QueryParams", "Cookies", "Request", "Response",
    "codes", "Proxy", "BasicAuth", "DigestAuth", "Auth"))


class NetworkIO(Rule):
    """
    ## What it does
    Flags network access in workflow code: `requests`, `httpx` (functions, and `Client` /
    `AsyncClient` creation and calls), `urllib.request`, `http.client`, `socket`, `aiohttp`,
    `urllib3`, `grpc` channels, `smtplib`, `ftplib`, `imaplib`, `poplib`, `xmlrpc`,
    `webbrowser`, `dapr.clients.DaprClient` (state, pub/sub and service invocation from a
    workflow), `boto3` clients and OpenAI / Anthropic clients.

    A client created in workflow code is reported where it is created and again where it is
    used; a client created at module level is reported where workflow code uses it.

    ## Why is this bad?
    A network call is not recorded in history: it is sent again on every replay, and its
    answer can differ each time, so the workflow's decisions diverge from the ones that were
    recorded. Network calls belong in activities, whose results are recorded once.

    ## Example
    ```python
    import httpx
    from temporalio import workflow

    @workflow.defn
    class Quote:
        @workflow.run
        async def run(self, symbol: str) -> float:
            async with httpx.AsyncClient() as client:
                response = await client.get(f"https://quotes.example/{symbol}")
            return response.json()["price"]
    ```

    ## Use instead
    ```python
    from datetime import timedelta
    import httpx
    from temporalio import activity, workflow

    @activity.defn
    async def fetch_price(symbol: str) -> float:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"https://quotes.example/{symbol}")
        return response.json()["price"]

    @workflow.defn
    class Quote:
        @workflow.run
        async def run(self, symbol: str) -> float:
            return await workflow.execute_activity(
                fetch_price, symbol, start_to_close_timeout=timedelta(seconds=30))
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

    code = "WFL302"
    fix_availability = "sometimes"
    message = "{call} does network I/O in {where}; {alternative}"
    calls = {
        "asyncio.open_connection": None,
        "asyncio.open_unix_connection": None,
        "asyncio.start_server": None,
        "asyncio.start_unix_server": None,
    }
    clients = frozenset({
        "requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client",
        "httpx.AsyncClient", "urllib3.PoolManager", "urllib3.HTTPConnectionPool",
        "http.client.HTTPConnection", "http.client.HTTPSConnection", "socket.socket",
        "socket.create_connection", "aiohttp.ClientSession", "smtplib.SMTP", "smtplib.SMTP_SSL",
        "ftplib.FTP", "ftplib.FTP_TLS", "imaplib.IMAP4", "imaplib.IMAP4_SSL", "poplib.POP3",
        "poplib.POP3_SSL", "xmlrpc.client.ServerProxy", "websockets.connect",
        "grpc.insecure_channel", "grpc.secure_channel", "grpc.aio.insecure_channel",
        "grpc.aio.secure_channel", "dapr.clients.DaprClient", "dapr.aio.clients.DaprClient",
        "boto3.client", "boto3.resource", "boto3.Session", "boto3.session.Session",
        "openai.OpenAI", "openai.AsyncOpenAI", "openai.AzureOpenAI", "openai.AsyncAzureOpenAI",
        "anthropic.Anthropic", "anthropic.AsyncAnthropic",
    })
    prefixes = {
        "requests": ("requests.exceptions", "requests.codes", "requests.status_codes",
                     "requests.structures", "requests.utils", "requests.auth", "requests.Request",
                     "requests.PreparedRequest", "requests.adapters", "requests.compat",
                     "requests.cookies", "requests.models", "requests.hooks", "requests.help",
                     "requests.packages", "requests.certs"),
        "httpx": _HTTPX_VALUES,
        "urllib.request": ("urllib.request.Request", "urllib.request.pathname2url",
                           "urllib.request.url2pathname"),
        "http.client": ("http.client.responses",),
        "http.server": (),
        "socket": ("socket.inet_aton", "socket.inet_ntoa", "socket.inet_pton", "socket.inet_ntop",
                   "socket.htons", "socket.htonl", "socket.ntohs", "socket.ntohl"),
        "socketserver": (),
        "select": (),
        "selectors": (),
        "ssl.SSLSocket": (),
        "aiohttp": ("aiohttp.ClientTimeout", "aiohttp.BasicAuth", "aiohttp.FormData"),
        "urllib3": ("urllib3.util", "urllib3.Timeout", "urllib3.Retry"),
        "websockets": (),
        "smtplib": (),
        "ftplib": (),
        "imaplib": (),
        "poplib": (),
        "telnetlib": (),
        "xmlrpc.client": (),
        "xmlrpc.server": (),
        "webbrowser": (),
        "grpc.insecure_channel": (),
        "grpc.secure_channel": (),
        "grpc.aio.insecure_channel": (),
        "grpc.aio.secure_channel": (),
        "dapr.clients.DaprClient": (),
        "dapr.aio.clients.DaprClient": (),
        "boto3.client": (),
        "boto3.resource": (),
        "boto3.Session": (),
        "boto3.session.Session": (),
        "openai.OpenAI": (),
        "openai.AsyncOpenAI": (),
        "openai.AzureOpenAI": (),
        "openai.AsyncAzureOpenAI": (),
        "anthropic.Anthropic": (),
        "anthropic.AsyncAnthropic": (),
    }
