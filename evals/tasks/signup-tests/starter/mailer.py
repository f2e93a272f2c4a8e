"""Outgoing e-mail."""

import os
import smtplib
from email.message import EmailMessage


def send(to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = "hello@example.com"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(os.environ.get("SMTP_HOST", "localhost"), timeout=5) as smtp:
        smtp.send_message(message)
