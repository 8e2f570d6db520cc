"""Runs a fixed durabletask workflow module on the SDK's in-memory test backend; prints its final state."""
import importlib.util, json, socket, sys
from durabletask.testing.in_memory_backend import create_test_backend
from durabletask.client import TaskHubGrpcClient
from durabletask.worker import TaskHubGrpcWorker

spec = importlib.util.spec_from_file_location("fixed_wf", sys.argv[1])
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
backend = create_test_backend(port=port)
try:
    worker = TaskHubGrpcWorker(host_address=f"localhost:{port}")
    module.register(worker)
    worker.start()
    try:
        client = TaskHubGrpcClient(host_address=f"localhost:{port}")
        instance = client.schedule_new_orchestration(module.order, input="book")
        state = client.wait_for_orchestration_completion(instance, timeout=60)
        print(json.dumps({"status": state.runtime_status.name, "output": state.serialized_output,
                          "failure": str(state.failure_details) if state.failure_details else None}))
    finally:
        worker.stop()
finally:
    backend.stop()
