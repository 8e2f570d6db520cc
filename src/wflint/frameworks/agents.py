"""What agent SDKs run inside a workflow.

An agent SDK's runner, called from workflow code, runs the agent loop right there: with the
durable integrations only the model calls become activities or steps, while the tools, the
lifecycle hooks, the guardrails and dynamic instructions the loop invokes run as workflow
code (the Temporal integration's documentation: "User-defined FunctionTools ... execute in the
workflow unless explicitly backed by a Temporal activity"; DBOS's: annotate tools and
guardrails with ``@DBOS.step()``). Each SDK is described here as data: its runner calls, the
agent class and which of its fields hand the loop code to run, and what turns such code into
an activity or step instead (an activity-backed tool is a call such as ``activity_as_tool(fn)``,
and a function declared as an activity or step is never followed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: what an agent's field holds: tool functions, other agents, guardrail functions, a hooks
#: object, or one callable
TOOLS, AGENTS, GUARDRAILS, HOOKS, CALLABLE = "tool", "agent", "guardrail", "hook", "callable"


@dataclass(frozen=True)
class AgentSDK:
    name: str
    title: str
    #: the calls that run an agent loop in the caller (qualified names)
    runners: frozenset[str]
    #: the agent class, and its method that copies an agent (``agent.clone(...)``)
    agent_types: frozenset[str]
    clone_method: str = ""
    #: the agent's keyword fields that hand the loop code to run, by what they hold
    agent_fields: dict[str, str] = field(default_factory=dict)
    #: the runner call's keywords that do the same (``Runner.run(..., hooks=RunHooks())``)
    runner_fields: dict[str, str] = field(default_factory=dict)
    #: decorators (or calls) that make a function a tool the loop calls in place
    tool_decorators: frozenset[str] = frozenset()
    #: decorators that make a function a guardrail, and the classes wrapping one
    #: (``InputGuardrail(guardrail_function=fn)``)
    guardrail_decorators: frozenset[str] = frozenset()
    guardrail_types: frozenset[str] = frozenset()
    guardrail_keyword: str = ""
    #: a call that hands off to another agent (``handoff(agent, on_handoff=fn)``), and the
    #: keywords of its callables
    handoff_calls: frozenset[str] = frozenset()
    handoff_callables: tuple[str, ...] = ()
    #: the agent method that makes it a tool of another agent (``agent.as_tool(...)``)
    as_tool_method: str = ""
    #: the prefix of the hook methods the loop calls (``on_agent_start``)
    hook_prefix: str = "on_"
    #: what to do instead, per framework name (and "*")
    advice: dict[str, str] = field(default_factory=dict)

    def advice_for(self, framework: str) -> str:
        return self.advice.get(framework, self.advice.get("*", ""))


def _names(*names: str) -> frozenset[str]:
    return frozenset(names)


OPENAI_AGENTS = AgentSDK(
    name="openai-agents",
    title="OpenAI Agents SDK",
    runners=_names("agents.Runner.run", "agents.Runner.run_sync", "agents.Runner.run_streamed",
                  "agents.run.Runner.run", "agents.run.Runner.run_sync",
                  "agents.run.Runner.run_streamed",
                  "dbos_openai_agents.DBOSRunner.run", "dbos_openai_agents.DBOSRunner.run_sync"),
    agent_types=_names("agents.Agent", "agents.agent.Agent"),
    clone_method="clone",
    agent_fields={"tools": TOOLS, "handoffs": AGENTS, "input_guardrails": GUARDRAILS,
                  "output_guardrails": GUARDRAILS, "hooks": HOOKS, "instructions": CALLABLE,
                  "tool_use_behavior": CALLABLE},
    runner_fields={"hooks": HOOKS},
    tool_decorators=_names("agents.function_tool", "agents.tool.function_tool"),
    guardrail_decorators=_names("agents.input_guardrail", "agents.output_guardrail",
                               "agents.guardrail.input_guardrail", "agents.guardrail.output_guardrail"),
    guardrail_types=_names("agents.InputGuardrail", "agents.OutputGuardrail",
                          "agents.guardrail.InputGuardrail", "agents.guardrail.OutputGuardrail"),
    guardrail_keyword="guardrail_function",
    handoff_calls=_names("agents.handoff", "agents.handoffs.handoff"),
    handoff_callables=("on_handoff", "input_filter"),
    as_tool_method="as_tool",
    advice={"temporal": "make it an activity and hand it to the agent with activity_as_tool(...), "
                        "or keep it deterministic",
            "dbos": "decorate it with @DBOS.step(), or keep it deterministic",
            "*": "run its effects in an activity or step, or keep it deterministic"},
)

AGENT_SDKS = (OPENAI_AGENTS,)
#: runner call -> its SDK
RUNNERS = {runner: sdk for sdk in AGENT_SDKS for runner in sdk.runners}
