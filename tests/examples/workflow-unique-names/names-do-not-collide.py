# Checks that a second module's `process` with its own name= imports, and that each name runs its own function,
# also through a queue (dequeued by name).
import pathlib, sys
pathlib.Path("shipping_tasks.py").write_text(
    "from dbos import DBOS\n\n@DBOS.workflow(name='shipping.process')\n"
    "def process(order_id: str) -> str:\n    return f'shipped {order_id}'\n"
)
sys.path.insert(0, str(pathlib.Path.cwd()))
import shipping_tasks
DBOS.launch()
DBOS.register_queue("orders", polling_interval_sec=0.05)
billed = DBOS.enqueue_workflow("orders", process, "o-1")
shipped = DBOS.enqueue_workflow("orders", shipping_tasks.process, "o-1")
assert billed.get_result(polling_interval_sec=0.05) == "billed o-1"
assert shipped.get_result(polling_interval_sec=0.05) == "shipped o-1"
assert DBOS.get_workflow_status(billed.workflow_id).name == "billing.process"
DBOS.destroy()
