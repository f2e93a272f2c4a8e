"""An API that sets the caller's identity only inside DBOS contexts (a DBOSContextSetAuth block in a route, a
DBOSContextEnsure block in an HTTP middleware, a workflow, a helper only workflows call), and Kafka consumers that
are registered only when a broker is configured: workflows under the decorator, and a workflow wrapped by a call."""

import os

from dbos import DBOS, DBOSConfig, DBOSContextEnsure, DBOSContextSetAuth, KafkaMessage, error
from fastapi import FastAPI, Header, Request
from fastapi.testclient import TestClient

app = FastAPI()


@DBOS.required_roles(["admin"])
@DBOS.workflow()
def purge(account: str) -> str:
    return f"{account} purged by {DBOS.authenticated_user}"


def act_as(user: str) -> None:
    """Called from workflows only, where a DBOS context exists."""
    DBOS.set_authentication(user, ["admin"])


@DBOS.workflow()
def nightly_purge(account: str) -> str:
    act_as("nightly-job")
    return purge(account)


@app.middleware("http")
async def identify(request: Request, call_next):
    user = request.headers.get("X-User")
    with DBOSContextEnsure():
        DBOS.set_authentication(user, ["admin"] if user == "root" else [])
        return await call_next(request)


@app.post("/accounts/{account}/purge")
def purge_endpoint(account: str) -> dict:
    try:
        return {"result": purge(account)}
    except error.DBOSNotAuthorizedError:
        return {"result": "denied"}


@app.post("/accounts/{account}/purge-as")
def purge_as(account: str, user: str = Header(alias="X-Act-As")) -> dict:
    with DBOSContextSetAuth(None, None):
        DBOS.set_authentication(user, ["admin"])
        return {"result": purge(account)}


if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):  # consumers only where a broker is configured
    KAFKA = {"bootstrap.servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"], "group.id": "accounts"}

    @DBOS.kafka_consumer(KAFKA, ["account-closed"], ordering="partition")
    @DBOS.workflow()
    def on_account_closed(msg: KafkaMessage) -> None:
        purge(str(msg.key))

    @DBOS.kafka_consumer(KAFKA, ["audit"])
    @DBOS.workflow()
    async def on_audit(msg: KafkaMessage) -> None:
        DBOS.logger.info(f"audit {msg.offset}")

    def on_invoice(msg: KafkaMessage) -> None:
        DBOS.logger.info(f"invoice {msg.value!r}")

    DBOS.kafka_consumer(KAFKA, ["invoices"])(DBOS.workflow()(on_invoice))


def main() -> None:
    config: DBOSConfig = {
        "name": "lint-fixture",
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
    }
    DBOS(config=config)
    DBOS.launch()
    client = TestClient(app)
    assert client.post("/accounts/a1/purge", headers={"X-User": "root"}).json() == {"result": "a1 purged by root"}
    assert client.post("/accounts/a2/purge", headers={"X-User": "eve"}).json() == {"result": "denied"}
    assert client.post("/accounts/a3/purge-as", headers={"X-Act-As": "ops"}).json() == {"result": "a3 purged by ops"}
    assert nightly_purge("a4") == "a4 purged by nightly-job"
    DBOS.destroy()


if __name__ == "__main__":
    main()
