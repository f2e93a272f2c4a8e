# Checks that the most urgent work runs first, equal priorities in order.
render_queue.set_polling_interval_sec(0.1)
import time
deadline = time.time() + 10
while len(rendered) < 3 and time.time() < deadline:
    time.sleep(0.05)
assert rendered == ["vip", "batch-1", "batch-2"], rendered
