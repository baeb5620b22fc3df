"""Outgoing email: a message type, a `Mailer` protocol and two mailers (files, SMTP).

No mail leaves the machine unless an operator sets HSA_SMTP_HOST: by default every message
is written as an `.eml` file under `$HSA_DATA_DIR/outbox`, which is what development, demos
and tests want (open the file to see exactly what would have been sent).
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Protocol

from hsa.models import utcnow
from hsa.settings import get_settings, private_dir

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10  # a hung mail server must not hang the reminder run
OUTBOX_KEEP = timedelta(days=30)


def _one_line(text: str) -> str:
    """Header values on one line: a newline in a subject would be a header injection."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (an invoice's PDF)."""

    filename: str
    content_type: str  # "application/pdf"
    data: bytes


@dataclass(frozen=True)
class Email:
    """A plain-text message to one recipient; the mailer adds From, Date and Message-ID."""

    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()

    def to_message(self, sender: str) -> EmailMessage:
        """The MIME message as it goes on the wire (or into the outbox file)."""
        msg = EmailMessage()
        msg["From"] = _one_line(sender)
        msg["To"] = _one_line(self.to)
        msg["Subject"] = _one_line(self.subject)
        msg["Date"] = format_datetime(utcnow())
        domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
        msg["Message-ID"] = make_msgid(domain=domain)
        msg.set_content(self.body)
        for a in self.attachments:
            maintype, _, subtype = a.content_type.partition("/")
            msg.add_attachment(a.data, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=_one_line(a.filename))
        return msg


class Mailer(Protocol):
    """Anything that can deliver an `Email`; raises on failure so callers can retry."""

    def send(self, message: Email) -> None: ...


class OutboxMailer:
    """Writes each message to `<directory>/<UTC time>-<random>.eml` (mode 600, atomic rename)."""

    def __init__(self, directory: Path | str, sender: str | None = None) -> None:
        self.directory = Path(directory)
        self.sender = sender or get_settings().mail_from

    def send(self, message: Email) -> None:
        private_dir(self.directory)  # the data folder above it too, when this creates it
        name = f"{utcnow():%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(4)}.eml"
        tmp = self.directory / f".{name}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(message.to_message(self.sender).as_bytes())
        tmp.replace(self.directory / name)

    def prune(self, *, now: datetime, keep: timedelta = OUTBOX_KEEP) -> int:
        """Delete messages older than `keep` (they contain names and addresses); returns how many."""
        if not self.directory.is_dir():
            return 0
        cutoff = (now - keep).timestamp()
        removed = 0
        for path in self.directory.glob("*.eml"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # another worker pruned it first
                continue
        return removed


class SmtpMailer:
    """Delivers through an SMTP server: STARTTLS (default, port 587) or implicit TLS on port 465."""

    def __init__(self, host: str, port: int, username: str, password: str, starttls: bool, sender: str,
                 *, timeout: float = SMTP_TIMEOUT_SECONDS, tls_context: ssl.SSLContext | None = None) -> None:
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.starttls, self.sender = starttls, sender
        self.timeout = timeout
        self.tls_context = tls_context

    def send(self, message: Email) -> None:
        context = self.tls_context or ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.port == 465:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            smtp.ehlo()
            if self.starttls and self.port != 465:
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(message.to_message(self.sender))


def mailer_from_settings() -> Mailer:
    """SMTP when HSA_SMTP_HOST is set, else the outbox folder: nothing is sent by accident."""
    settings = get_settings()
    if settings.smtp_host:
        return SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_username, settings.smtp_password,
                          settings.smtp_starttls, settings.mail_from)
    return OutboxMailer(settings.data_dir / "outbox", settings.mail_from)


__all__ = ["Attachment", "Email", "Mailer", "OutboxMailer", "SmtpMailer", "mailer_from_settings"]
