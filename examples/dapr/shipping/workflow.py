"""The workflow itself: every hazard below sits in a helper module and is reported here."""
import dapr.ext.workflow as wf

from .carriers import carrier_for
from .clock import pickup_window

wfr = wf.WorkflowRuntime()


@wfr.workflow(name="ship_order")
def ship_order(ctx: wf.DaprWorkflowContext, order: dict):
    carrier = carrier_for(order["country"])  # expect: WFL401, WFL302
    window = pickup_window(4)  # expect: WFL101
    return (yield ctx.call_activity(book_pickup, input={"carrier": carrier, "window": window}))


@wfr.activity(name="book_pickup")
def book_pickup(ctx: wf.WorkflowActivityContext, booking: dict) -> str:
    return f"{booking['carrier']}:{booking['window'][0]}"
