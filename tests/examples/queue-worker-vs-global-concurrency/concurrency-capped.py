# Checks that no more than 2 workflows run at once in this process.
reports.set_polling_interval_sec(0.1)
handles = [reports.enqueue(build_report, i) for i in range(6)]
peak = 0
while not all(h.get_status().status == "SUCCESS" for h in handles):
    running = DBOS.list_queued_workflows(queue_name="reports", status="PENDING", load_input=False)
    peak = max(peak, len(running))
    time.sleep(0.02)
assert [h.get_result(polling_interval_sec=0.1) for h in handles] == list(range(6))
assert peak == 2, peak
api = DBOS.retrieve_queue("licensed_api")
assert (api.global_concurrency, api.worker_concurrency) == (3, 1)
# A fork leaves the queue (and its caps) unless queue_name= is passed.
loose = DBOS.fork_workflow(handles[0].workflow_id, 1)
kept = DBOS.fork_workflow(handles[1].workflow_id, 1, queue_name="reports")
assert loose.get_status().queue_name == "_dbos_internal_queue", loose.get_status().queue_name
assert kept.get_status().queue_name == "reports", kept.get_status().queue_name
assert (loose.get_result(polling_interval_sec=0.1), kept.get_result(polling_interval_sec=0.1)) == (0, 1)
