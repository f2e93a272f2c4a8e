# Checks that the reminder is sent once, not at all when cancelled, and that DELAYED rows hold no thread.
import sys
import time
h = on_trial_started("u1", "ada@example.com", 0.5)
h2 = on_trial_started("u1", "ada@example.com", 0.5)  # duplicate call: same workflow
assert h.workflow_id == h2.workflow_id == "trial-reminder-u1"
assert h.get_status().status == "DELAYED"
h.get_result(polling_interval_sec=0.05)
assert sent == ["ada@example.com"], sent
names = [s["function_name"] for s in DBOS.list_workflow_steps("trial-reminder-u1")]
assert names == ["send_email"], names
on_trial_started("u2", "bo@example.com", 0.5)
DBOS.cancel_workflow("trial-reminder-u2")  # the user upgraded
time.sleep(2.5)  # past the due time: the email step must not run
assert DBOS.get_workflow_status("trial-reminder-u2").status == "CANCELLED"
assert sent == ["ada@example.com"], sent

def threads_in_dbos_sleep() -> int:
    count = 0
    for frame in sys._current_frames().values():
        while frame is not None:
            if frame.f_code.co_name == "sleep" and frame.f_code.co_filename.endswith("dbos/_dbos.py"):
                count += 1
                break
            frame = frame.f_back
    return count

@DBOS.workflow()
def sleeping_reminder(seconds: float) -> None:
    DBOS.sleep(seconds)

for i in range(5):
    on_trial_started(f"d{i}", "x@example.com", 3600)
assert threads_in_dbos_sleep() == 0  # five DELAYED reminders: no thread waits
sleepers = [DBOS.start_workflow(sleeping_reminder, 1.0) for _ in range(5)]
time.sleep(0.3)
assert threads_in_dbos_sleep() == 5  # five sleeping workflows: five threads parked
for s in sleepers:
    s.get_result(polling_interval_sec=0.05)
DBOS.destroy()
