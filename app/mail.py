"""Outgoing e-mail: SMTP when LC_MAIL_SERVER is set, else the log and an outbox file."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from app.db_types import utcnow


def send_mail(
    to: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Send a plain-text e-mail, with an HTML alternative and extra headers when given (e.g.
    `List-Unsubscribe`); the development outbox records both."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if config["MAIL_SERVER"]:
        import smtplib  # only where a server is configured (a twentieth of a second)

        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    # Development: no server, so the message goes to the log (a newcomer can follow its
    # link) and to the outbox file that tests and the demo read.
    outbox = Path(config["MAIL_OUTBOX"])
    outbox.parent.mkdir(parents=True, exist_ok=True)
    record = {"to": to, "subject": subject, "body": body, "sent_at": utcnow().isoformat()}
    if headers:
        record["headers"] = dict(headers)
    if html is not None:
        record["html"] = html
    with outbox.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    current_app.logger.info("mail to %s: %s\n%s\n(kept in %s)", to, subject, body, outbox)


def read_outbox(path: str | Path) -> list[dict]:
    """Messages written to the development outbox, oldest first."""
    outbox = Path(path)
    if not outbox.exists():
        return []
    return [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines() if line]
