from wflint.rules.base import Rule

CONNECTORS = (
    "sqlite3.connect", "psycopg.connect", "psycopg.Connection.connect",
    "psycopg.AsyncConnection.connect", "psycopg2.connect", "asyncpg.connect", "asyncpg.create_pool",
    "pymysql.connect", "MySQLdb.connect", "mysql.connector.connect", "aiomysql.connect",
    "aiomysql.create_pool", "aiosqlite.connect", "redis.Redis", "redis.StrictRedis",
    "redis.from_url", "redis.asyncio.Redis", "redis.asyncio.from_url", "pymongo.MongoClient",
    "motor.motor_asyncio.AsyncIOMotorClient", "sqlalchemy.create_engine",
    "sqlalchemy.ext.asyncio.create_async_engine", "oracledb.connect", "cx_Oracle.connect",
    "pyodbc.connect", "duckdb.connect", "elasticsearch.Elasticsearch",
)


class Database(Rule):
    """
    ## What it does
    Flags database connections in workflow code: `sqlite3.connect`, `psycopg.connect`,
    `psycopg2.connect`, `asyncpg.connect`, `pymysql.connect`, `redis.Redis(...)` /
    `redis.from_url`, `pymongo.MongoClient`, `sqlalchemy.create_engine` and similar drivers,
    and every use of a connection created that way.

    ## Why is this bad?
    Queries run again on every replay and may return different rows each time; writes are
    repeated. The answers must come from activities (or DBOS steps and transactions), whose
    results are recorded once.

    ## Example
    ```python
    import sqlite3
    from durabletask import task

    def stock_wf(ctx: task.OrchestrationContext, sku):
        conn = sqlite3.connect("stock.db")
        count = conn.execute("select count from stock where sku = ?", (sku,)).fetchone()[0]
        if count == 0:
            yield ctx.call_activity(reorder, input=sku)

    def reorder(ctx, sku):
        return sku
    ```

    ## Use instead
    ```python
    import sqlite3
    from durabletask import task

    def stock_count(ctx, sku):
        conn = sqlite3.connect("stock.db")
        return conn.execute("select count from stock where sku = ?", (sku,)).fetchone()[0]

    def stock_wf(ctx: task.OrchestrationContext, sku):
        count = yield ctx.call_activity(stock_count, input=sku)
        if count == 0:
            yield ctx.call_activity(reorder, input=sku)

    def reorder(ctx, sku):
        return sku
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

    code = "WFL304"
    fix_availability = "sometimes"
    message = "{call} connects to a database in {where}; {alternative}"
    prefixes = {name: () for name in CONNECTORS}
    clients = frozenset(CONNECTORS)
