import logging
import uuid

billing_log = logging.getLogger("billing")


def invoice_number() -> str:
    return f"INV-{uuid.uuid4()}"  # ok: reported at the workflow's call site
