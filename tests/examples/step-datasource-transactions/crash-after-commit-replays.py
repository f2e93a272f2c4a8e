# Checks that after a crash past the commit, recovery returns the recorded result.
from dbos import SetWorkflowID
from dbos._dbos import _get_dbos_instance
with ds.engine.begin() as conn:
    conn.execute(text("CREATE TABLE payments (order_id TEXT, cents INTEGER)"))
DBOS.launch()

# Simulate a crash after the SQL committed but before the step's system-database checkpoint.
class Crash(BaseException):
    pass
sys_db = _get_dbos_instance()._sys_db
record = sys_db.record_operation_result
def crash(*args, **kwargs):
    raise Crash()
sys_db.record_operation_result = crash
try:
    with SetWorkflowID("order-1"):
        checkout("o-1", 1999)
except Crash:
    pass
sys_db.record_operation_result = record
assert DBOS.get_workflow_status("order-1").status == "PENDING"
assert DBOS.list_workflow_steps("order-1") == []

[handle] = DBOS._recover_pending_workflows()
assert handle.get_result() == 1  # the recorded result of the committed transaction
with ds.engine.connect() as conn:
    assert conn.execute(text("SELECT COUNT(*) FROM payments")).scalar_one() == 1  # inserted once
[step] = DBOS.list_workflow_steps("order-1")
assert step["function_name"] == "record_payment" and step["output"] == 1
