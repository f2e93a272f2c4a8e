# Checks that a replay at another hour takes the recorded branch.
import datetime as _dt
from dbos import SetWorkflowID
class _Clock(_dt.datetime):
    hour = 12
    now = classmethod(lambda cls, tz=None: _dt.datetime(2024, 6, 1, cls.hour))
datetime = _Clock
with SetWorkflowID("notify-u1"):
    first = notify("u1")
_Clock.hour = 23
replay = DBOS.fork_workflow("notify-u1", 2).get_result(polling_interval_sec=0.05)
assert replay == first == "sms to u1", (first, replay)
names = [s["function_name"] for s in DBOS.list_workflow_steps("notify-u1")]
assert names == ["in_quiet_hours", "send_sms"], names
DBOS.destroy()
