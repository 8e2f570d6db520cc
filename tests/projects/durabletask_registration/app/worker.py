from durabletask import worker

from app import flows
from app.flows import refund


def main():
    with worker.TaskHubGrpcWorker() as w:
        w.add_orchestrator(flows.order)
        w.add_orchestrator(refund)
        w.start()
