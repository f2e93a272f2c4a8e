"""Invoice API: sending an invoice is a durable DBOS workflow."""

import os

from dbos import DBOS, DBOSConfig, SetWorkflowID
from fastapi import FastAPI, HTTPException

import billing

app = FastAPI()


@DBOS.step()
def render_pdf(invoice_id: str) -> str:
    return billing.render_pdf(invoice_id)


@DBOS.step()
def email_invoice(invoice_id: str, pdf_path: str) -> None:
    billing.email_invoice(invoice_id, pdf_path)


@DBOS.workflow()
def deliver_invoice(invoice_id: str) -> None:
    pdf_path = render_pdf(invoice_id)
    email_invoice(invoice_id, pdf_path)


def workflow_id(invoice_id: str) -> str:
    return f"invoice-{invoice_id}"


@app.post("/invoices/{invoice_id}/send", status_code=202)
def send_invoice(invoice_id: str) -> dict:
    with SetWorkflowID(workflow_id(invoice_id)):
        handle = DBOS.start_workflow(deliver_invoice, invoice_id)
    return {"invoice_id": invoice_id, "workflow_id": handle.get_workflow_id()}


@app.get("/invoices/{invoice_id}")
def invoice_status(invoice_id: str) -> dict:
    status = DBOS.get_workflow_status(workflow_id(invoice_id))
    if status is None:
        raise HTTPException(status_code=404, detail="invoice was never sent")
    return {"status": status.status}


if __name__ == "__main__":
    import uvicorn

    # Launched only under python main.py: uvicorn main:app never runs this.
    config: DBOSConfig = {
        "name": "invoice-api",
        "system_database_url": os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///dbos.sqlite"),
    }
    DBOS(config=config)
    DBOS.launch()
    uvicorn.run(app)
