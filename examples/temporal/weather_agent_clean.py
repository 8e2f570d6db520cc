"""The weather agent, replay-safe: the tool is an activity handed to the agent with
activity_as_tool, and the hook logs through workflow.logger."""
from datetime import timedelta

import requests
from agents import Agent, RunHooks, Runner
from temporalio import activity, workflow
from temporalio.contrib.openai_agents.workflow import activity_as_tool


@activity.defn
def get_weather(city: str) -> str:
    return requests.get(f"https://wttr.in/{city}?format=3", timeout=5).text


class Progress(RunHooks):
    async def on_agent_start(self, context, agent) -> None:
        workflow.logger.info("thinking: %s", agent.name)


weather_agent = Agent(
    name="weather",
    instructions="Answer with the weather.",
    tools=[activity_as_tool(get_weather, start_to_close_timeout=timedelta(seconds=10))],
)


@workflow.defn
class WeatherAgent:
    @workflow.run
    async def run(self, question: str) -> str:
        result = await Runner.run(weather_agent, question, hooks=Progress())
        return result.final_output
