"""Azure Durable Functions (V2 model) with hazards (see function_app_clean.py)."""
import logging
import time
import uuid
from datetime import datetime, timedelta

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="orchestrators/{functionName}")
@app.durable_client_input(client_name="client")
async def http_start(req: func.HttpRequest, client):
    instance_id = await client.start_new(req.route_params["functionName"])
    return client.create_check_status_response(req, instance_id)


@app.orchestration_trigger(context_name="context")
def approval_orchestrator(context: df.DurableOrchestrationContext):
    request_id = uuid.uuid4().hex  # expect: WFL202
    logging.info("approval %s requested", request_id)  # expect: WFL501
    expires = datetime.utcnow() + timedelta(days=1)  # expect: WFL101
    yield context.call_activity("send_request", request_id)
    while True:  # expect: WFL601
        answer = yield context.call_activity("check_answer", request_id)
        if answer:
            return answer
        time.sleep(60)  # expect: WFL102
        if datetime.utcnow() > expires:  # expect: WFL101
            return "expired"


@app.activity_trigger(input_name="requestId")
def send_request(requestId: str) -> None:
    logging.info("sent %s at %s", requestId, datetime.utcnow())  # ok: activity


@app.activity_trigger(input_name="requestId")
def check_answer(requestId: str) -> str:
    return ""
