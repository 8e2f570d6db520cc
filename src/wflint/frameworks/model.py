"""The :class:`Framework` table: everything wflint knows about one durable-workflow framework."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from wflint.fixes.model import Rewrite


@dataclass(frozen=True)
class ActivityCall:
    """How workflow code runs an activity through the framework: the advice when it calls one
    directly (``{ctx}``, ``{name}``) and the call a fix writes instead."""

    advice: str
    #: "yield" or "await": what the call's task needs ("": the call blocks until it is done)
    keyword: str
    #: the call, with ``{ctx}``, ``{name}``, ``{input}`` and ``{timedelta}``
    template: str
    #: one input value (``{value}``), and several (``{values}``; empty: only one is possible)
    one: str
    several: str = ""
    #: parameters of an activity function before its input (a generator framework's activity
    #: context): a direct call passing only those passes no input
    leading: int = 0
    #: what calling the activity directly does instead
    effect: str = "it runs inline on every replay and its result is not recorded"


def attribute_use(name: str) -> bytes:
    """The shape of a name that is only ever written as an attribute (``runtime.workflow``,
    ``DBOS.workflow``): not the part of an imported module's dotted name (``dapr.ext.workflow``
    followed by ``import``, ``as`` or another dot)."""
    return rb"\.[ \t]*" + re.escape(name).encode() + rb"\b(?![ \t]+(?:import|as)\b|[ \t]*\.)"


#: a class defined anywhere in the module
CLASS_DEFINITION = rb"(?:^|\n)[ \t]*class[ \t]"

#: what may come between two tokens of one expression: white space, line breaks inside
#: brackets, continuation backslashes, comments
_GAP = rb"(?:[\s\\]|#[^\n]*)*"


def yielded_method(methods: frozenset[str]) -> bytes:
    """The shape of ``yield ctx.call_activity(...)``: ``yield``, a name, a dot and one of
    ``methods`` (an opening parenthesis may follow ``yield``)."""
    names = b"|".join(re.escape(name).encode() for name in sorted(methods))
    return (rb"\byield\b(?:[\s(\\]|#[^\n]*)*[\w\x80-\xff]+" + _GAP + rb"\." + _GAP
            + rb"(?:" + names + rb")\b")


@dataclass(frozen=True)
class Framework:
    name: str
    title: str
    #: import prefixes whose presence enables the framework in a module
    modules: tuple[str, ...]
    #: byte strings of which at least one must appear in a file that uses it
    markers: tuple[bytes, ...]
    #: "generator", "async" or "any": how workflow bodies must be written
    style: str
    #: how the workflow's context is reached: "first" parameter, "named"
    #: (the decorator's ``context_name=`` or the only parameter), or "module"
    #: (a module or class, e.g. ``temporalio.workflow``, ``dbos.DBOS``)
    context: str
    #: workflows are whatever the user's configured decorators declare (no library of its own)
    configured: bool = False
    #: the qualified name of that module/class when ``context == "module"``
    context_module: str = ""
    #: the name used in messages when no context name is known
    default_context_name: str = "ctx"
    #: the context's parameter position for functions declared by a decorator, when it is not
    #: the first (``-1``: the last, as in ``handler(event, context)``)
    context_positions: dict[str, int] = field(default_factory=dict)
    #: placeholders the framework's templates use for its own names (``{Duration}``): the
    #: placeholder -> (module, attribute or None), imported where a fix needs it
    symbols: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: qualified names of the parameter annotations that mark a workflow
    context_types: tuple[str, ...] = ()
    #: qualified names of parameter annotations that mark an activity
    activity_context_types: tuple[str, ...] = ()
    #: constructors of the objects that carry registration decorators/methods
    registry_types: tuple[str, ...] = ()
    #: exact qualified names of workflow decorators (bare or called)
    workflow_decorators: tuple[str, ...] = ()
    #: decorator attribute names on a registry object (``@wfr.workflow``)
    workflow_decorator_attrs: tuple[str, ...] = ()
    #: class decorators whose methods are all workflow code (Temporal)
    workflow_class_decorators: tuple[str, ...] = ()
    #: exact qualified names of activity/step decorators
    activity_decorators: tuple[str, ...] = ()
    activity_decorator_attrs: tuple[str, ...] = ()
    #: methods/functions whose first argument becomes a workflow or an activity
    workflow_registrations: tuple[str, ...] = ()
    activity_registrations: tuple[str, ...] = ()
    #: calls that run a function as an activity/step (its argument is never workflow code)
    activity_invocations: tuple[str, ...] = ()
    #: calls that start a function as a workflow (a child workflow, a client's schedule call):
    #: a function taking the context that is started this way is an entry point, not a helper
    workflow_invocations: tuple[str, ...] = ()
    #: how a declaration marker (see :meth:`declaration_markers`) is spelled where it declares
    #: something: a regular expression one of the module's bytes must match for the marker to
    #: count (``@wfr.workflow`` is an attribute, never the ``workflow`` of an import line)
    declaration_shapes: dict[bytes, bytes] = field(default_factory=dict)
    #: the durable commands, mapped to their kind ("activity", "child", "timer", "event",
    #: "http", "entity", "step", "signal", "schedule", "wait"): a dotted key is a qualified name
    #: (``temporalio.workflow.execute_activity``), a plain key a method of the context parameter
    #: (``call_activity``)
    commands: dict[str, str] = field(default_factory=dict)
    #: combinators whose result is a task to wait on (dotted: qualified; plain: context methods)
    combinators: tuple[str, ...] = ()
    #: commands that return a coroutine, which issues nothing until it is awaited
    coroutines: tuple[str, ...] = ()
    #: waits on the workflow's own state: a command only when given a timeout
    state_waits: tuple[str, ...] = ()
    #: prefixes of the framework's own API, through which code may add to the history, and
    #: the parts of it that never do (clock, logger, info)
    api: tuple[str, ...] = ()
    api_without_commands: tuple[str, ...] = ()
    #: replay compatibility (``wflint compat``): the calls that gate a change for instances
    #: already in flight (``workflow.patched("id")``; dotted: qualified, plain: context methods),
    #: those that retire a gate, what the engine raises when replay meets other commands, and
    #: how it compares the names of recorded calls ("exact" or "casefold"; where the engine
    #: compares none, a different function at a recorded position still gets another's result,
    #: so "exact" is right there too)
    gates: tuple[str, ...] = ()
    #: the context attribute holding the version an instance started with (``ctx.version``): a
    #: branch taken only for a version the base never names (``if ctx.version == "2":``) is a gate
    version_attribute: str = ""
    #: where new instances get the version ``version_attribute`` reads: keywords of any call
    #: (``default_version``) or of a call with that last name (``schedule_new_orchestration.
    #: version``), and settings files with the path of the key in them (``host.json``,
    #: ``extensions.durableTask.defaultVersion``). A version gate isolates a change only when
    #: instances in flight started with a version it does not take, and new ones with one it does
    start_versions: tuple[str, ...] = ()
    start_version_files: tuple[tuple[str, str], ...] = ()
    #: the engine records the gates an instance took in order and refuses another order
    gate_order_recorded: bool = False
    #: the application's version is by default a hash of its workflows' source, and recovery
    #: takes up only instances of its own version: a changed workflow leaves the instances in
    #: flight to the workers of the old version (orphaned) rather than replaying them. The
    #: settings that fix the version instead (a config key or keyword, an environment variable
    #: named in code), and those with which new code takes up instances of older versions
    app_version_hashed: bool = False
    app_version_settings: tuple[str, ...] = ()
    app_version_upgrades: tuple[str, ...] = ()
    app_version_advice: str = ""
    #: the keywords of a command that set a retry policy the engine carries out with timers of
    #: the workflow's own (a changed policy meets recorded failed attempts with other timers)
    retry_keywords: tuple[str, ...] = ()
    #: what else replay compares of a command than its kind and name: keywords by command kind
    #: (an explicit activity id, a child workflow's id), and the commands recorded as another
    #: type under the same kind (a local activity), by qualified name, with their label
    compared_keywords: tuple[tuple[str, str], ...] = ()
    command_variants: dict[str, str] = field(default_factory=dict)
    #: the keywords of a retry policy that only change how long its timers wait (not compared
    #: on replay), as against whether a failed attempt is retried
    retry_timing_keywords: tuple[str, ...] = ()
    #: a workflow-declaration keyword that pins running instances to the code they started on
    #: (``versioning_behavior=VersioningBehavior.PINNED``), and the value text that does it
    pinning: tuple[str, str] = ("", "")
    #: the gate as the fix writes it around new code (``{ctx}.patched({id})``; "" for none)
    gate_template: str = ""
    gate_retirements: tuple[str, ...] = ()
    replay_error: str = ""
    #: how to make such a change safe for them
    compat_advice: str = "deploy the change as a new workflow so that instances in flight keep the old code"
    recorded_names: str = "exact"
    #: replay ignores recorded commands the new code never reaches at its end (a removed last
    #: call), rather than failing
    ignores_unreached_tail: bool = False
    #: a command call blocks and may stop the function, which later runs again from the start
    #: (rather than handing a task to ``yield`` or ``await``)
    commands_block: bool = False
    #: whether workflow code runs again on every replay, repeating its output (False: it runs
    #: again only when a crashed instance is recovered)
    replays_code: bool = True
    #: how code learns that the workflow is replaying: a plain name is an attribute of the
    #: context (``is_replaying``), a dotted one a function (``temporalio.workflow.unsafe...``)
    replay_flags: tuple[str, ...] = ()
    #: the deterministic clock: functions (dotted) or attributes of the context (plain)
    clocks: tuple[str, ...] = ()
    #: calls that are true exactly when the code runs inside a workflow (``workflow.in_workflow()``)
    in_workflow_calls: tuple[str, ...] = ()
    #: APIs that draw from the workflow's deterministic random/UUID stream
    draws: tuple[str, ...] = ()
    #: the function that runs any function as a checkpointed step, with an options dict first
    #: (``dbos.DBOS.run_step``): a helper call can be wrapped in it where it is
    step_runner: str = ""
    #: how an activity is run through the framework (None: activities/steps are called directly)
    activity_call: ActivityCall | None = None
    #: for generator frameworks: what happens to an ``async def`` workflow
    async_effect: str = ""
    #: the shape of an eternal workflow in this framework (shown for unbounded loops)
    continue_as_new_example: str = ""
    #: the framework re-imports a workflow's module for every run (Temporal's sandbox), unless a
    #: decorator keyword says otherwise or the module names one of ``sandbox_opt_outs``
    sandbox_decorator: str = ""
    sandbox_opt_outs: tuple[str, ...] = ()
    #: what a new function that runs hazards durably is called ("activity", "step")
    activity_noun: str = "activity"
    #: values crossing the activity boundary travel as JSON (DBOS pickles them)
    json_boundary: bool = True
    #: the workflow clock that gives a datetime: an attribute of the context or a function
    datetime_clock: str = ""
    #: ``plan(toolkit, site, name, body, free, imports, discarded)``: the new activity that
    #: runs ``body`` (its definition, call, registration), or why there cannot be one
    extract: Callable[..., Any] | None = field(default=None, compare=False)
    #: why no activity can be added for this workflow at all ("" when one can)
    extract_refusal: Callable[[Any], str] | None = field(default=None, compare=False)
    #: constructors that take ``workflows=[...]`` / ``activities=[...]`` lists (Temporal's Worker)
    worker_types: tuple[str, ...] = ()
    #: Temporal method decorators, mapped to the handler kind they declare
    handler_decorators: dict[str, str] = field(default_factory=dict)
    #: escape hatches: ``with`` blocks whose body is not workflow code
    unrestricted_blocks: tuple[str, ...] = ()
    #: prefixes of the API that only works inside a workflow (raises elsewhere): a ``try`` around
    #: it has handlers that are fallbacks for callers outside a workflow
    workflow_only_api: tuple[str, ...] = ()
    #: deterministic replacement per code, with ``{ctx}`` for the context
    alternatives: dict[str, str] = field(default_factory=dict)
    #: replacement per (code, qualified name of the hazard) where it differs
    call_alternatives: dict[tuple[str, str], str] = field(default_factory=dict)
    #: fixes: "CODE:qualname:shape", "CODE:qualname" or "CODE:*" -> rewrite template
    rewrites: dict[str, Rewrite] = field(default_factory=dict)

    def rewrite_for(self, code: str, qualname: str | None, shape: str = "") -> Rewrite | None:
        keys = [f"{code}:{qualname}:{shape}", f"{code}:{qualname}"] if qualname else []
        for key in (*keys, f"{code}:*"):
            if key in self.rewrites:
                return self.rewrites[key]
        return None

    def alternative(self, code: str, qualname: str | None, ctx: str) -> str:
        template = None
        if qualname is not None:
            template = self.call_alternatives.get((code, qualname))
        if template is None:
            template = self.alternatives.get(code, self.alternatives.get("*", ""))
        return template.replace("{ctx}", ctx)

    def registration_markers(self) -> tuple[bytes, ...]:
        """Byte strings one of which a module that registers this framework's workflows or
        activities must contain."""
        names = (*self.workflow_registrations, *self.activity_registrations)
        found = [".".join(name.split(".")[-2:]).encode() for name in names]
        if self.worker_types:
            found += [b"workflows=", b"activities="]
        return tuple(dict.fromkeys(found))

    @cached_property
    def worker_tails(self) -> frozenset[str]:
        """The last names of the worker types (``Worker``): only calls by these names are
        resolved to see whether they construct one."""
        return frozenset(name.rpartition(".")[2] for name in self.worker_types)

    @cached_property
    def marker_shapes(self) -> dict[bytes, bytes]:
        """:attr:`declaration_shapes`, and the shape of ``yield`` where orchestrators are
        recognised by theirs (a generator yielding a method of its context parameter)."""
        shapes = dict(self.declaration_shapes)
        if self.style == "generator" and self.context_methods:
            shapes.setdefault(b"yield", yielded_method(self.context_methods))
        return shapes

    def declaration_markers(self) -> tuple[bytes, ...]:
        """Byte strings one of which a module must contain to declare, register or start one of
        this framework's workflows in place: the last name of every way to do it (a decorator,
        a registration or start call, a context annotation; ``yield`` where orchestrators are
        also recognised by their shape). Whatever the aliases, the last name is written in
        the module, if only on its import line."""
        names = (*self.workflow_decorators, *self.workflow_decorator_attrs,
                 *self.workflow_class_decorators, *self.workflow_invocations, *self.context_types)
        found = [name.rpartition(".")[2].encode() for name in names]
        found += self.registration_markers()
        if self.style == "generator" and self.context_methods:
            found.append(b"yield")
        return tuple(dict.fromkeys(found))

    def command_kind(self, name: str | None, method: str | None = None) -> str | None:
        """The kind of durable command a call is: by its qualified ``name``, or as ``method`` of
        the context parameter; None when it is none."""
        if name is not None and name in self.commands:
            return self.commands[name]
        if method is not None and "." not in method and method in self.commands:
            return self.commands[method]
        return None

    @cached_property
    def command_methods(self) -> frozenset[str]:
        """The context parameter's methods that issue commands."""
        return frozenset(key for key in self.commands if "." not in key)

    @cached_property
    def context_methods(self) -> frozenset[str]:
        """The context parameter's methods that issue commands or combine tasks."""
        return frozenset(key for key in (*self.commands, *self.combinators) if "." not in key)
