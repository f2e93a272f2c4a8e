# Checks that a replay at another hour takes another branch and fails.
import datetime as _dt
from dbos import SetWorkflowID
class _Clock(_dt.datetime):
    hour = 12
    now = classmethod(lambda cls, tz=None: _dt.datetime(2024, 6, 1, cls.hour))
datetime = _Clock
with SetWorkflowID("notify-u1"):
    notify("u1")  # noon: step 1 is send_sms
_Clock.hour = 23  # recovered at night
DBOS.fork_workflow("notify-u1", 2).get_result(polling_interval_sec=0.05)
