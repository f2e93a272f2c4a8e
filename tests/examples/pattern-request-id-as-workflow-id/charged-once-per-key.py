# Checks that a retried request with the same key charges once.
from fastapi.testclient import TestClient
client = TestClient(app)
headers = {"Idempotency-Key": "req-7f3a"}
first = client.post("/orders/o-1?amount=42", headers=headers)
retry = client.post("/orders/o-1?amount=42", headers=headers)
assert first.status_code == retry.status_code == 200
assert first.json() == retry.json() == {"charge": "ch_o-1_42"}
assert charges == ["o-1"], charges  # charged exactly once
client.post("/orders/o-1?amount=42", headers={"Idempotency-Key": "req-other"})
assert charges == ["o-1", "o-1"]  # a new key is a new request
DBOS.destroy()
