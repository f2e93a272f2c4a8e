# Checks that resume/fork with queue_name= keep the gpu queue, that without it they land on the internal queue,
# and that cancelling clears the status's queue_name.
import threading
gate, started = threading.Event(), threading.Event()
DBOS.register_queue(RENDER_QUEUE, worker_concurrency=1, polling_interval_sec=0.05)
@DBOS.step()
def load(job):
    return job
@DBOS.step()
def render(job):
    started.set()
    gate.wait(10)
    return f"{job}.png"
@DBOS.workflow()
def render_job(job):
    return render(load(job))
h = DBOS.enqueue_workflow(RENDER_QUEUE, render_job, "scene-1")
assert started.wait(10)
assert DBOS.get_workflow_status(h.workflow_id).queue_name == "gpu"
DBOS.cancel_workflow(h.workflow_id)
assert DBOS.get_workflow_status(h.workflow_id).queue_name is None
gate.set()
resumed = unpause_render(h.workflow_id)
assert DBOS.get_workflow_status(h.workflow_id).queue_name == "gpu"
assert resumed.get_result(polling_interval_sec=0.05) == "scene-1.png"
fork = rerender_from(h.workflow_id, 2)
assert DBOS.get_workflow_status(fork.workflow_id).queue_name == "gpu"
assert fork.get_result(polling_interval_sec=0.05) == "scene-1.png"
bare = DBOS.fork_workflow(h.workflow_id, 2)  # the Incorrect form
assert DBOS.get_workflow_status(bare.workflow_id).queue_name == "_dbos_internal_queue"
bare.get_result(polling_interval_sec=0.05)
DBOS.destroy()
