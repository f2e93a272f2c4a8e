"""Identity set where no DBOS context exists (module level, route handlers), and Kafka consumers that are no
workflows."""

import json

from dbos import DBOS, DBOSContextSetAuth, KafkaMessage
from fastapi import APIRouter, FastAPI, Header

app = FastAPI()
router = APIRouter()
KAFKA = {"bootstrap.servers": "localhost:9092", "group.id": "billing"}

DBOS.set_authentication("setup-script", ["admin"])  # expect: pattern-required-roles-set-auth


@DBOS.required_roles(["support"])
@DBOS.workflow()
def refund_order(order_id: str) -> str:
    return f"{order_id} refunded"


@app.post("/orders/{order_id}/refund")
def refund(order_id: str, user: str = Header(alias="X-User")) -> dict:
    DBOS.set_authentication(user, ["support"])  # expect: pattern-required-roles-set-auth
    return {"result": refund_order(order_id)}


@router.post("/orders/{order_id}/refund-async")
async def refund_async(order_id: str, user: str = Header(alias="X-User")) -> dict:
    if user:
        DBOS.set_authentication(user, ["support"])  # expect: pattern-required-roles-set-auth
    with DBOSContextSetAuth(user, ["support"]):
        DBOS.set_authentication(user, ["support", "admin"])  # inside a context: fine
        return {"result": refund_order(order_id)}


@DBOS.kafka_consumer(KAFKA, ["orders"])  # expect: comm-kafka-consumer-workflow
def on_order(msg: KafkaMessage) -> None:
    print("charging", json.loads(msg.value)["id"])


@DBOS.kafka_consumer(KAFKA, ["refunds"], ordering="partition")  # expect: comm-kafka-consumer-workflow
async def on_refund(msg: KafkaMessage) -> None:
    print("refunding", msg.key)
