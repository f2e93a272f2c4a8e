# Checks that importing a second module with a workflow also named `process` raises DBOSException at import.
import pathlib, sys
pathlib.Path("shipping_tasks.py").write_text(
    "from dbos import DBOS\n\n@DBOS.workflow()\ndef process(order_id: str) -> str:\n    return f'shipped {order_id}'\n"
)
sys.path.insert(0, str(pathlib.Path.cwd()))
import shipping_tasks  # raises DBOSException: Operation (Name: process) is registered by two different functions
