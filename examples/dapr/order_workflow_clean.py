"""The same order workflow, replay-safe: ids, clock, config and I/O come from activities or the context."""
import logging
import os
from datetime import timedelta

import dapr.ext.workflow as wf
import requests

logger = logging.getLogger(__name__)
wfr = wf.WorkflowRuntime()


@wfr.workflow(name="order_processing")
def order_workflow(ctx: wf.DaprWorkflowContext, order: dict):
    order_id = yield ctx.call_activity(new_order_id)
    if not ctx.is_replaying:
        logger.info("processing order %s", order_id)
    deadline = ctx.current_utc_datetime + timedelta(hours=24)
    tax = yield ctx.call_activity(fetch_tax, input=order["amount"])
    paid = yield ctx.call_activity(charge, input={"id": order_id, "tax": tax, "until": deadline.isoformat()})
    if not paid:
        yield ctx.create_timer(timedelta(seconds=30))
        paid = yield ctx.call_activity(charge, input={"id": order_id, "tax": tax})
    yield ctx.call_activity(ship, input=order_id)
    return order_id


@wfr.activity(name="new_order_id")
def new_order_id(ctx: wf.WorkflowActivityContext) -> str:
    import uuid
    return str(uuid.uuid4())


@wfr.activity(name="fetch_tax")
def fetch_tax(ctx: wf.WorkflowActivityContext, amount: float) -> dict:
    return requests.get(os.environ["TAX_SERVICE_URL"], params={"amount": amount}).json()


@wfr.activity(name="charge")
def charge(ctx: wf.WorkflowActivityContext, payment: dict) -> bool:
    return True


@wfr.activity(name="ship")
def ship(ctx: wf.WorkflowActivityContext, order_id: str) -> None:
    requests.post("https://shipping.example/orders", json={"id": order_id})


if __name__ == "__main__":
    wfr.start()
