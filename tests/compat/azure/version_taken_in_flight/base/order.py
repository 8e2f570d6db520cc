# The version in flight.
from datetime import timedelta

import azure.durable_functions as df

app = df.DFApp()


@app.orchestration_trigger(context_name="context")
def order(context: df.DurableOrchestrationContext):
    item = context.get_input()
    reserved = yield context.call_activity("reserve", item)
    yield context.create_timer(context.current_utc_datetime + timedelta(seconds=1))
    charged = yield context.call_activity("charge", reserved)
    return charged


@app.activity_trigger(input_name="item")
def reserve(item: str) -> str:
    return f"reserved {item}"


@app.activity_trigger(input_name="item")
def charge(item: str) -> str:
    return f"charged {item}"


@app.activity_trigger(input_name="item")
def ship(item: str) -> str:
    return f"shipped {item}"
