"""Invoice rendering and e-mail delivery (the e-mail "server" is a file: one line per e-mail sent)."""

import os


def render_pdf(invoice_id: str) -> str:
    """Render the invoice and return the path of its PDF."""
    return f"/invoices/{invoice_id}.pdf"


def email_invoice(invoice_id: str, pdf_path: str) -> None:
    """E-mail the invoice to its customer."""
    with open(os.environ.get("OUTBOX_FILE", "outbox.log"), "a", encoding="utf-8") as outbox:
        outbox.write(f"{invoice_id} {pdf_path}\n")
