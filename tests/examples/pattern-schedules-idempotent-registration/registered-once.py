# Checks that repeated registrations leave each schedule once.
from dbos import SetWorkflowID
on_startup()
on_startup()  # restart: no error
for _ in range(2):  # same workflow ID twice: the schedule is created once, no error
    with SetWorkflowID("onboard-c42"):
        onboard_customer("c42")
names = sorted(s["schedule_name"] for s in DBOS.list_schedules())
assert names == ["customer-c42-sync", "nightly-report"], names
DBOS.destroy()
