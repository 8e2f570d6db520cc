"""An OpenAI agent in a Temporal workflow whose tool and hook carry hazards (see
weather_agent_clean.py): the model calls run as activities, but function tools and hooks run
inside the workflow."""
import requests
from agents import Agent, RunHooks, Runner, function_tool
from temporalio import workflow


@function_tool
def get_weather(city: str) -> str:
    return requests.get(f"https://wttr.in/{city}?format=3", timeout=5).text


class Progress(RunHooks):
    async def on_agent_start(self, context, agent) -> None:
        print("thinking:", agent.name)


weather_agent = Agent(name="weather", instructions="Answer with the weather.", tools=[get_weather])


@workflow.defn
class WeatherAgent:
    @workflow.run
    async def run(self, question: str) -> str:
        result = await Runner.run(weather_agent, question, hooks=Progress())  # expect: WFL302, WFL502
        return result.final_output
