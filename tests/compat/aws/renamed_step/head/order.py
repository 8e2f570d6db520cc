# The new version: the same step under another name: the SDK matches by position only (safe).
from aws_durable_execution_sdk_python import DurableContext, StepContext, durable_execution, durable_step
from aws_durable_execution_sdk_python.config import Duration


@durable_step
def reserve(step_context: StepContext, item: str) -> str:
    return f"reserved {item}"


@durable_step
def charge(step_context: StepContext, item: str) -> str:
    return f"charged {item}"


@durable_step
def ship(step_context: StepContext, item: str) -> str:
    return f"shipped {item}"


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:
    reserved = context.step(reserve(event["item"]))
    context.wait(Duration.from_seconds(1))
    charged = context.step(charge(reserved), name="charge-v2")
    return {"result": charged}
