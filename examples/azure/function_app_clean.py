"""The approval orchestration, replay-safe: an external event raced against a durable timer."""
import logging
from datetime import timedelta

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.orchestration_trigger(context_name="context")
def approval_orchestrator(context: df.DurableOrchestrationContext):
    request_id = context.new_uuid()
    if not context.is_replaying:
        logging.info("approval %s requested", request_id)
    expires = context.current_utc_datetime + timedelta(days=1)
    yield context.call_activity("send_request", request_id)
    answer = context.wait_for_external_event("answer")
    timeout = context.create_timer(expires)
    winner = yield context.task_any([answer, timeout])
    if winner == answer:
        timeout.cancel()
        return answer.result
    return "expired"


@app.activity_trigger(input_name="requestId")
def send_request(requestId: str) -> None:
    logging.info("sent %s", requestId)
