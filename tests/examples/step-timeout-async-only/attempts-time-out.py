# Checks that each attempt times out quickly and the fallback is returned.
import time
DBOS.launch()
start = time.time()
assert asyncio.run(price_alert("DBOS")) == "quote unavailable"
assert time.time() - start < 3, time.time() - start  # two 0.5 s attempts, not 20 s
