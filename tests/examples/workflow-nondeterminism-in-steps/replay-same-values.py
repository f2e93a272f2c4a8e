# Checks that a replay (same workflow ID) returns the recorded values and calls nothing again, against a local stub API.
import http.server, threading
from dbos import SetWorkflowID
hits = []
class Rates(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        hits.append(self.path)
        body = b'{"rate": 1.1}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Rates)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_port}/eur"
with SetWorkflowID("quote-1"):
    first = quote("o-1", 1000, url)
assert first["cents"] == 1100 and len(first["ref"]) == 32, first
with SetWorkflowID("quote-1"):
    again = quote("o-1", 1000, url)
assert again == first and hits == ["/eur"], (again, hits)
with open("audit.log") as log:
    assert log.read().splitlines() == [f"o-1 {first['ref']}"]
names = [s["function_name"] for s in DBOS.list_workflow_steps("quote-1")]
assert names == ["fetch_rate", "new_reference", "append_audit", "pick_coupon", "now_iso", "read_region"], names
# A fork re-runs the body from the start and replays steps 1-3 from their records: no new HTTP call, no new line.
fork = DBOS.fork_workflow("quote-1", 4)
forked = fork.get_result(polling_interval_sec=0.05)
assert forked["ref"] == first["ref"] and forked["cents"] == 1100 and hits == ["/eur"], (forked, hits)
with open("audit.log") as log:
    assert len(log.read().splitlines()) == 1
def roll() -> float:
    return random.random()
@DBOS.workflow()
def one_off() -> float:
    return DBOS.run_step(None, roll)
with SetWorkflowID("one-off-1"):
    value = one_off()
assert [s["output"] for s in DBOS.list_workflow_steps("one-off-1")] == [value]
server.shutdown()
DBOS.destroy()
