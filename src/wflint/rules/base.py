"""The rule base class and the index that matches calls against every enabled rule.

Most rules are tables: the qualified names they ban (``calls``), whole APIs they
ban (``prefixes``), values whose mere reading is the hazard (``references``) and
methods banned on any receiver (``methods``). A condition may narrow an entry
(``time.localtime()`` only without an argument, asyncio tasks only where the framework
drives generators). Rules that look at shapes rather than names (loops, ``async def``)
override the hooks instead. The rule's docstring is its documentation.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, ClassVar

from wflint.codes import BY_CODE

if TYPE_CHECKING:
    from wflint.analysis.discovery import WorkflowUnit
    from wflint.analysis.scope import Scope
    from wflint.analysis.walker import Guard, Walker
    from wflint.fixes.model import Fix
    from wflint.fixes.site import FixSite
    from wflint.frameworks.model import Framework

#: ``condition(call, framework)``: whether a table entry applies to this call
Condition = Callable[[ast.Call, "Framework"], bool]


class Rule:
    code: ClassVar[str]
    #: what the finding says, from ``{call}``, ``{where}`` and ``{alternative}``
    message: ClassVar[str] = "{call} in {where}; {alternative}"
    calls: ClassVar[Mapping[str, Condition | None]] = {}
    prefixes: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    #: constructors whose objects are hazards to use: every method call on one is reported
    clients: ClassVar[frozenset[str]] = frozenset()
    references: ClassVar[frozenset[str]] = frozenset()
    methods: ClassVar[Mapping[str, Condition | None]] = {}
    #: under a replay guard the hazard runs on the first execution only, which is harmless when
    #: its value stays inside the guarded code; False for hazards that block the worker whenever
    #: they run (a sleep, a console read)
    replay_guardable: ClassVar[bool] = True
    #: the hazard matters inside helpers too (reported at the workflow's call site)
    follows_helpers: ClassVar[bool] = True
    #: whether findings carry a fix: "none", "display-only" (a suggestion that is never
    #: applied), "sometimes" (an applicable fix where the code allows one) or "always"
    fix_availability: ClassVar[str] = "none"

    @property
    def name(self) -> str:
        return BY_CODE[self.code].name

    @property
    def severity(self) -> str:
        return BY_CODE[self.code].severity

    def applies_to_framework(self, framework: Framework) -> bool:
        """Whether the rule can fire in this framework's workflows at all (asked of what the
        framework can do, never of its name)."""
        return True

    def applies_to(self, unit: WorkflowUnit) -> bool:
        return self.applies_to_framework(unit.framework)

    def note_for(self, qualname: str) -> str:
        """What the message adds about this particular call ("" for nothing)."""
        return ""

    def shape(self, site: FixSite) -> str:
        """A refinement of the hazard that selects the fix (``utc``, ``local``, ``str`` ...)."""
        return ""

    def fix(self, site: FixSite, qualname: str | None, **values: str) -> Fix | None:
        """The fix for a finding at ``site``: the framework's rewrite for this code, call and
        shape, built where the finding sits (``values`` fill the template's placeholders)."""
        return site.from_table(self.code, qualname, self.shape(site), **values)

    def accepts(self, node: ast.Call, statement: ast.stmt | None, scope: Scope) -> bool:
        """Whether a call the tables matched is a hazard where it is (how its value is used)."""
        return True

    def check_unit(self, unit: WorkflowUnit, walker: Walker) -> None:
        """Called once for each function that is workflow code in place."""

    def check_loop(self, loop: ast.While | ast.For | ast.AsyncFor, unit: WorkflowUnit,
                   walker: Walker, scope: Scope) -> None:
        """Called for each loop in workflow code."""

    def check_statement(self, stmt: ast.stmt, unit: WorkflowUnit, walker: Walker, scope: Scope,
                        guard: Guard) -> None:
        """Called for each statement of workflow code (``guard``: what the replay flag says)."""

    def check_call(self, call: ast.Call, unit: WorkflowUnit, walker: Walker, scope: Scope,
                   guard: Guard) -> None:
        """Called for each call in workflow code, before the tables are matched."""

    def check_iteration(self, iterable: ast.expr, owner: ast.AST, unit: WorkflowUnit,
                        walker: Walker, scope: Scope) -> None:
        """Called for what each ``for`` loop and comprehension (``owner``) in workflow code
        iterates."""


class Match:
    __slots__ = ("rule", "qualname")

    def __init__(self, rule: Rule, qualname: str) -> None:
        self.rule = rule
        self.qualname = qualname


class HazardIndex:
    """All enabled rules' tables merged, so each call is looked up once."""

    def __init__(self, rules: Iterable[Rule], extra_calls: Mapping[str, str] | None = None,
                 deterministic: Iterable[str] = ()) -> None:
        self.rules = list(rules)
        by_code = {rule.code: rule for rule in self.rules}
        self.exact: dict[str, list[tuple[Rule, Condition | None]]] = {}
        self.prefixes: dict[str, list[tuple[Rule, tuple[str, ...]]]] = {}
        self.references: dict[str, Rule] = {}
        self.clients: dict[str, Rule] = {}
        self.methods: dict[str, list[tuple[Rule, Condition | None]]] = {}
        for rule in self.rules:
            for name, condition in rule.calls.items():
                self.exact.setdefault(name, []).append((rule, condition))
            for prefix, excluded in rule.prefixes.items():
                self.prefixes.setdefault(prefix, []).append((rule, excluded))
            for name in rule.references:
                self.references[name] = rule
            for name in rule.clients:
                self.clients[name] = rule
            for method, condition in rule.methods.items():
                self.methods.setdefault(method, []).append((rule, condition))
        for name, code in (extra_calls or {}).items():
            if code in by_code:
                self.exact.setdefault(name, []).insert(0, (by_code[code], None))
        self.deterministic = tuple(deterministic)
        #: last segments of reference names: only these attribute/name nodes are resolved
        self.reference_tails = frozenset(name.rpartition(".")[2] for name in self.references)
        self.loop_rules = _overriding(self.rules, "check_loop")
        self.unit_rules = _overriding(self.rules, "check_unit")
        self.statement_rules = _overriding(self.rules, "check_statement")
        self.call_rules = _overriding(self.rules, "check_call")
        self.iteration_rules = _overriding(self.rules, "check_iteration")

    def is_deterministic(self, qualname: str) -> bool:
        return any(qualname == name or qualname.startswith(name + ".") for name in self.deterministic)

    def match_call(self, qualname: str | None, call: ast.Call, framework: Framework) -> Match | None:
        if qualname is not None:
            if self.deterministic and self.is_deterministic(qualname):
                return None
            if framework.command_kind(qualname) is not None:
                return None  # the framework's own durable command (Temporal's asyncio.sleep)
            for rule, condition in self.exact.get(qualname, ()):
                if condition is None or condition(call, framework):
                    return Match(rule, qualname)
            call_at = qualname.find("()")
            if call_at >= 0:
                # a method of an object some call returned: a hazard only on a known client
                constructor = qualname[:call_at]
                client_rule = self.clients.get(constructor)
                if client_rule is not None:
                    return Match(client_rule, constructor)
            else:
                prefix = qualname
                while prefix:
                    for rule, excluded in self.prefixes.get(prefix, ()):
                        if not any(qualname == e or qualname.startswith(e + ".") for e in excluded) \
                                and not _is_exception_class(qualname):
                            return Match(rule, prefix)
                    prefix = prefix.rpartition(".")[0]
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in self.methods:
            for rule, condition in self.methods[func.attr]:
                if condition is None or condition(call, framework):
                    return Match(rule, f".{func.attr}")
        return None

    def match_reference(self, qualname: str | None) -> Match | None:
        if qualname is None:
            return None
        rule = self.references.get(qualname)
        if rule is None or (self.deterministic and self.is_deterministic(qualname)):
            return None
        return Match(rule, qualname)


def _overriding(rules: list[Rule], hook: str) -> list[Rule]:
    return [rule for rule in rules if getattr(type(rule), hook) is not getattr(Rule, hook)]


def _is_exception_class(qualname: str) -> bool:
    """Building an exception does no I/O: ``raise requests.HTTPError(...)`` is not a request."""
    return qualname.endswith(("Error", "Exception", "Warning"))


# Conditions shared by several rules ------------------------------------------------

def no_args(call: ast.Call, framework: Framework) -> bool:
    return not call.args and not call.keywords


def one_arg(call: ast.Call, framework: Framework) -> bool:
    return len(call.args) + len(call.keywords) <= 1


def has_args(call: ast.Call, framework: Framework) -> bool:
    return bool(call.args or call.keywords)


def without_tz(call: ast.Call, framework: Framework, position: int = 1) -> bool:
    """No time zone given: no ``tz=`` keyword and fewer than ``position + 1`` arguments."""
    if any(kw.arg in ("tz", "tzinfo") for kw in call.keywords):
        return False
    return len(call.args) <= position and not any(kw.arg is None for kw in call.keywords)


def in_generators(call: ast.Call, framework: Framework) -> bool:
    """In a framework that drives generators (no event loop of its own)."""
    return framework.style == "generator"


def names(prefix: str, members: Iterable[str], condition: Condition | None = None
          ) -> dict[str, Condition | None]:
    """``{prefix.member: condition}`` for a table entry list."""
    return {f"{prefix}.{member}": condition for member in members}
