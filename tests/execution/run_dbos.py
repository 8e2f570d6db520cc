"""Runs a fixed DBOS workflow module on SQLite; prints its result and the steps DBOS recorded."""
import importlib.util, json, sys
from dbos import DBOS

db, module_path, data_path = sys.argv[1:4]
DBOS(config={"name": "wflint-fix-check", "system_database_url": f"sqlite:///{db}"})
spec = importlib.util.spec_from_file_location("fixed_wf", module_path)
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
DBOS.launch()
try:
    handle = DBOS.start_workflow(module.report, data_path)
    result = handle.get_result()
    steps = [step["function_name"] for step in DBOS.list_workflow_steps(handle.workflow_id)]
    print(json.dumps({"status": handle.get_status().status, "result": result, "steps": steps}))
finally:
    DBOS.destroy()
