"""An order workflow on Dapr with the determinism hazards wflint finds (see order_workflow_clean.py)."""
import logging
import os
import time
import uuid
from datetime import datetime, timedelta

import dapr.ext.workflow as wf
import requests

logger = logging.getLogger(__name__)
wfr = wf.WorkflowRuntime()


def payment_deadline(hours: int) -> datetime:
    return datetime.utcnow() + timedelta(hours=hours)


@wfr.workflow(name="order_processing")
def order_workflow(ctx: wf.DaprWorkflowContext, order: dict):
    order_id = str(uuid.uuid4())  # expect: WFL202
    logger.info("processing order %s", order_id)  # expect: WFL501
    deadline = payment_deadline(24)  # expect: WFL101
    tax_url = os.environ["TAX_SERVICE_URL"]  # expect: WFL401
    tax = requests.get(tax_url, params={"amount": order["amount"]}).json()  # expect: WFL302
    paid = yield ctx.call_activity(charge, input={"id": order_id, "tax": tax, "until": deadline.isoformat()})
    if not paid:
        time.sleep(30)  # expect: WFL102
        paid = yield ctx.call_activity(charge, input={"id": order_id, "tax": tax})
    yield ctx.call_activity(ship, input=order_id)
    return order_id


@wfr.activity(name="charge")
def charge(ctx: wf.WorkflowActivityContext, payment: dict) -> bool:
    logger.info("charging %s at %s", payment["id"], datetime.utcnow())  # ok: activities may do anything
    return True


@wfr.activity(name="ship")
def ship(ctx: wf.WorkflowActivityContext, order_id: str) -> None:
    requests.post("https://shipping.example/orders", json={"id": order_id})  # ok: activity


if __name__ == "__main__":
    wfr.start()
