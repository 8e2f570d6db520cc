from datetime import timedelta

from temporalio import activity, workflow

from .support import billing_log, invoice_number


@activity.defn
async def send_invoice(number: str) -> None:
    billing_log.info("sending %s", number)  # ok: activities may log


@workflow.defn
class Invoice:
    @workflow.run
    async def run(self, customer: str) -> str:
        number = invoice_number()  # expect: WFL202
        billing_log.info("invoice %s for %s", number, customer)  # expect: WFL501
        await workflow.execute_activity(send_invoice, number, start_to_close_timeout=timedelta(seconds=30))
        return number
