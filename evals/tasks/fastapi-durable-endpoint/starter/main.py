"""Invoice API."""

from fastapi import BackgroundTasks, FastAPI

import billing

app = FastAPI()


def deliver_invoice(invoice_id: str) -> None:
    pdf_path = billing.render_pdf(invoice_id)
    billing.email_invoice(invoice_id, pdf_path)


@app.post("/invoices/{invoice_id}/send", status_code=202)
def send_invoice(invoice_id: str, background: BackgroundTasks) -> dict:
    background.add_task(deliver_invoice, invoice_id)
    return {"invoice_id": invoice_id}


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app)
