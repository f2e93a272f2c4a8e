# Checks that the queue starts at most 2 workflows per second.
llm_queue.set_polling_interval_sec(0.1)
handles = [DBOS.enqueue_workflow("llm", summarize, f"doc {i}") for i in range(5)]
assert [h.get_result(polling_interval_sec=0.1) for h in handles] == [f"answer to doc {i}" for i in range(5)]
# 5 workflows at 2 per second need three windows: the last starts at least ~1 s after the first.
started = [h.get_status().dequeued_at / 1000 for h in handles]
assert max(started) - min(started) >= 0.9, started
assert llm_queue.limiter == {"limit": 2, "period": 1.0}
