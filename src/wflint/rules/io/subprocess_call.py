from wflint.rules.base import Rule, names

_OS_PROCESS = (
    "system", "popen", "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp",
    "execvpe", "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp",
    "spawnvpe", "fork", "forkpty", "posix_spawn", "posix_spawnp", "kill", "killpg", "wait",
    "waitpid", "wait3", "wait4", "waitid", "startfile",
)


class SubprocessCall(Rule):
    """
    ## What it does
    Flags starting or controlling processes in workflow code: `subprocess.*`, `os.system`,
    `os.popen`, `os.exec*`, `os.spawn*`, `os.fork`, `os.kill`,
    `asyncio.create_subprocess_exec/shell` and `pexpect`.

    ## Why is this bad?
    The command runs again on every replay, its output can differ each time, and a replay on
    another worker may not have the program at all.

    ## Example
    ```python
    import subprocess
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow(name="build")
    def build_wf(ctx: wf.DaprWorkflowContext, ref: str):
        commit = subprocess.check_output(["git", "rev-parse", ref], text=True).strip()
        yield ctx.call_activity(deploy, input=commit)

    @wfr.activity
    def deploy(ctx, commit):
        return commit
    ```

    ## Use instead
    ```python
    import subprocess
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.activity
    def resolve_ref(ctx, ref):
        return subprocess.check_output(["git", "rev-parse", ref], text=True).strip()

    @wfr.workflow(name="build")
    def build_wf(ctx: wf.DaprWorkflowContext, ref: str):
        commit = yield ctx.call_activity(resolve_ref, input=ref)
        yield ctx.call_activity(deploy, input=commit)

    @wfr.activity
    def deploy(ctx, commit):
        return commit
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

    code = "WFL303"
    fix_availability = "sometimes"
    message = "{call} runs a process in {where}; {alternative}"
    calls = {
        **names("os", _OS_PROCESS),
        **names("asyncio", ("create_subprocess_exec", "create_subprocess_shell")),
        "pty.spawn": None,
    }
    prefixes = {"subprocess": (), "pexpect": ()}
