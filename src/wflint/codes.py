"""The rule catalog: every code wflint can report, in one reviewable table.

A code is never reused or renumbered. The catalog is read without importing any
rule module, so ``--select`` resolution and ``wflint rules`` stay cheap; the rule
class named in ``rule`` is imported only when its documentation or checks are
needed.
"""

from __future__ import annotations

from dataclasses import dataclass

#: codes reported by the engine itself (the file cannot be read or parsed, a suppression is
#: unused), not by a rule that walks workflow code
FILE_CODES = frozenset({"WFL001", "WFL002", "WFL003"})

ERROR = "error"
WARNING = "warning"

#: where each rule's documentation (``docs/rules/<CODE>.md``, generated from the rule) is published
DOCS_URL = "https://github.com/wflint/wflint/blob/main/docs/rules/{code}.md"


def rule_url(code: str) -> str:
    return DOCS_URL.format(code=code)


@dataclass(frozen=True)
class CodeEntry:
    code: str
    name: str
    severity: str
    summary: str
    rule: str  # "module:Class" under wflint.rules

    @property
    def category(self) -> str:
        return self.rule.split(".")[0]


CATALOG: tuple[CodeEntry, ...] = (
    CodeEntry("WFL001", "syntax-error", ERROR,
              "The file cannot be parsed.", "file.syntax_error:SyntaxErrorRule"),
    CodeEntry("WFL002", "unreadable-file", ERROR,
              "The file cannot be read or decoded.", "file.unreadable_file:UnreadableFile"),
    CodeEntry("WFL003", "unused-suppression", WARNING,
              "A suppression comment names a code that is not reported there.",
              "file.unused_suppression:UnusedSuppression"),
    CodeEntry("WFL101", "wall-clock", ERROR,
              "Reads the wall clock in workflow code.", "time.wall_clock:WallClock"),
    CodeEntry("WFL102", "blocking-sleep", ERROR,
              "Sleeps with a non-durable sleep in workflow code.",
              "time.blocking_sleep:BlockingSleep"),
    CodeEntry("WFL201", "random", ERROR,
              "Draws unseeded random numbers in workflow code.", "randomness.random_call:RandomCall"),
    CodeEntry("WFL202", "random-uuid", ERROR,
              "Generates a random or time-based UUID in workflow code.",
              "randomness.random_uuid:RandomUuid"),
    CodeEntry("WFL301", "file-io", ERROR,
              "Touches the file system in workflow code.", "io.file_io:FileIO"),
    CodeEntry("WFL302", "network-io", ERROR,
              "Does network I/O or creates a network client in workflow code.",
              "io.network_io:NetworkIO"),
    CodeEntry("WFL303", "subprocess", ERROR,
              "Starts or controls processes in workflow code.", "io.subprocess_call:SubprocessCall"),
    CodeEntry("WFL304", "database", ERROR,
              "Connects to a database in workflow code.", "io.database:Database"),
    CodeEntry("WFL305", "console-input", ERROR,
              "Reads from the console in workflow code.", "io.console_input:ConsoleInput"),
    CodeEntry("WFL401", "environment", ERROR,
              "Reads or changes environment variables in workflow code.",
              "host.environment:Environment"),
    CodeEntry("WFL402", "host-state", ERROR,
              "Depends on the host (name, platform, cwd, time zone, argv...) in workflow code.",
              "host.host_state:HostState"),
    CodeEntry("WFL501", "unguarded-logging", WARNING,
              "Logs without a replay guard in workflow code.",
              "output.unguarded_logging:UnguardedLogging"),
    CodeEntry("WFL502", "unguarded-print", WARNING,
              "Prints without a replay guard in workflow code.",
              "output.unguarded_print:UnguardedPrint"),
    CodeEntry("WFL601", "unbounded-loop", WARNING,
              "Loops forever over durable operations without continue-as-new.",
              "control.unbounded_loop:UnboundedLoop"),
    CodeEntry("WFL701", "threads-and-tasks", ERROR,
              "Starts threads, processes or non-replayable asyncio tasks in workflow code.",
              "concurrency.threads_and_tasks:ThreadsAndTasks"),
    CodeEntry("WFL801", "set-iteration", ERROR,
              "Iterates a set, whose order differs between worker processes.",
              "ordering.set_iteration:SetIteration"),
    CodeEntry("WFL802", "identity-hash", ERROR,
              "Uses id() or hash(), which differ between processes.",
              "ordering.identity_hash:IdentityHash"),
    CodeEntry("WFL803", "global-state", ERROR,
              "Mutates module-level state from workflow code.", "state.global_state:GlobalState"),
    CodeEntry("WFL901", "unyielded-task", ERROR,
              "Discards a durable task without yielding or awaiting it.",
              "framework.unyielded_task:UnyieldedTask"),
    CodeEntry("WFL902", "direct-activity-call", ERROR,
              "Calls an activity function directly instead of through the framework.",
              "framework.direct_activity_call:DirectActivityCall"),
    CodeEntry("WFL903", "async-workflow", ERROR,
              "Declares an async workflow in a framework that cannot run one.",
              "framework.async_workflow:AsyncWorkflow"),
    CodeEntry("WFL904", "replay-branch", ERROR,
              "Runs a durable call under a branch on the replay flag.",
              "framework.replay_branch:ReplayBranch"),
    CodeEntry("WFL905", "read-only-handler-effect", ERROR,
              "Draws from the deterministic stream or mutates state in a Temporal query or validator.",
              "framework.read_only_handler_effect:ReadOnlyHandlerEffect"),
)

BY_CODE: dict[str, CodeEntry] = {entry.code: entry for entry in CATALOG}
ALL_CODES: tuple[str, ...] = tuple(entry.code for entry in CATALOG)


class UnknownSelector(ValueError):
    """A --select/--ignore value that matches no code."""


def expand_selector(selector: str) -> set[str]:
    """Codes matched by a selector: a full code, a prefix such as ``WFL1``, or ``ALL``."""
    token = selector.strip().upper()
    if token == "ALL":
        return set(ALL_CODES)
    matched = {code for code in ALL_CODES if code.startswith(token)}
    if not token or not matched:
        raise UnknownSelector(selector)
    return matched


def rule_class(code: str):
    """Import and return the rule class for ``code``."""
    import importlib

    module_name, _, class_name = BY_CODE[code].rule.partition(":")
    module = importlib.import_module(f"wflint.rules.{module_name}")
    return getattr(module, class_name)


#: codes reported by ``wflint compat`` (explained in ``wflint.compat_docs``), never by ``check``
COMPAT_CATALOG: tuple[CodeEntry, ...] = (
    CodeEntry("WFL1001", "replay-incompatible-change", ERROR,
              "Changes the durable calls that instances in flight have already recorded.", ""),
    CodeEntry("WFL1002", "gate-lifecycle", ERROR,
              "Removes or reorders version gates that instances in flight may have recorded.", ""),
    CodeEntry("WFL1003", "workflow-removed", WARNING,
              "Removes a workflow (or its registered name) that instances in flight may still run.", ""),
    CodeEntry("WFL1004", "version-not-bumped", WARNING,
              "Adds a branch for a version that no new instance starts with.", ""),
    CodeEntry("WFL1005", "app-version-orphans", WARNING,
              "Changes the registered code a hashed application version covers, orphaning instances in flight.", ""),
)
COMPAT_CODES = {entry.code: entry for entry in COMPAT_CATALOG}


def entry_of(code: str) -> CodeEntry | None:
    """The catalog entry of a code ``check`` or ``compat`` reports."""
    return BY_CODE.get(code) or COMPAT_CODES.get(code)


def markdown_table() -> str:
    """The rule table the README carries (a test keeps the two in step)."""
    lines = ["| Code | Name | Severity | What it flags |", "|---|---|---|---|"]
    for entry in CATALOG:
        lines.append(f"| {entry.code} | {entry.name} | {entry.severity} | {entry.summary} |")
    lines += ["", "Reported by `wflint compat` (comparing two versions of the code):", "",
              "| Code | Name | Severity | What it flags |", "|---|---|---|---|"]
    for entry in COMPAT_CATALOG:
        lines.append(f"| {entry.code} | {entry.name} | {entry.severity} | {entry.summary} |")
    return "\n".join(lines)
