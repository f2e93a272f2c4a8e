# Checks that the reminder is sent once, and not at all when cancelled.
h = on_trial_started("u1", "ada@example.com", 0.5)
h2 = on_trial_started("u1", "ada@example.com", 0.5)  # duplicate call: same workflow
assert h.workflow_id == h2.workflow_id == "trial-reminder-u1"
h.get_result(polling_interval_sec=0.05)
assert sent == ["ada@example.com"], sent
names = [s["function_name"] for s in DBOS.list_workflow_steps("trial-reminder-u1")]
assert names == ["DBOS.sleep", "send_email"], names
import time
on_trial_started("u2", "bo@example.com", 0.5)
DBOS.cancel_workflow("trial-reminder-u2")  # the user upgraded
time.sleep(1.5)  # past the wake-up time: the email step must not run
assert DBOS.get_workflow_status("trial-reminder-u2").status == "CANCELLED"
assert sent == ["ada@example.com"], sent
DBOS.destroy()
