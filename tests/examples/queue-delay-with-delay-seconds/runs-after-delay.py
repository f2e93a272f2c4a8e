# Checks that the workflow starts only after its delay.
import time
reminders.set_polling_interval_sec(0.1)
start = time.time()
assert handle.get_result(polling_interval_sec=0.1) == "reminded user-7"
assert 0.5 <= time.time() - start < 4, time.time() - start
