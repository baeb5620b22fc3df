"""Outgoing SMS: a message type, an `SmsSender` protocol and the outbox sender.

Like mail (`hsa.services.mail`), nothing leaves the machine by default: each message is written
as a small text file under `$HSA_DATA_DIR/sms-outbox`, which demos and tests read (the OTP of
"verify your number"). A deployment plugs in its SMS provider by implementing `SmsSender`
and naming it in HSA_SMS_SENDER (`package.module:factory`, called with no arguments).
"""

from __future__ import annotations

import importlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from hsa.models import utcnow
from hsa.settings import get_settings, private_dir

OUTBOX_KEEP = timedelta(days=1)  # codes are worthless after 10 minutes; numbers are personal data


@dataclass(frozen=True)
class Sms:
    """One text message to an E.164 number."""

    to: str
    body: str


class SmsSender(Protocol):
    """Anything that can deliver an `Sms`; raises on failure so callers can say so."""

    def send(self, message: Sms) -> None: ...


class OutboxSms:
    """Writes each message to `<directory>/<UTC time>-<random>.txt` (mode 600, atomic rename):
    first line `To: <number>`, then a blank line and the text."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def send(self, message: Sms) -> None:
        private_dir(self.directory)
        name = f"{utcnow():%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(4)}.txt"
        tmp = self.directory / f".{name}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"To: {message.to}\n\n{message.body}\n")
        tmp.replace(self.directory / name)

    def prune(self, *, now: datetime, keep: timedelta = OUTBOX_KEEP) -> int:
        """Delete messages older than `keep`; returns how many."""
        if not self.directory.is_dir():
            return 0
        cutoff, removed = (now - keep).timestamp(), 0
        for path in self.directory.glob("*.txt"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed


def outbox() -> OutboxSms:
    return OutboxSms(get_settings().data_dir / "sms-outbox")


def sender_from_settings() -> SmsSender:
    """The provider named in HSA_SMS_SENDER, else the outbox folder: nothing is sent by accident."""
    spec = get_settings().sms_sender
    if not spec:
        return outbox()
    module, _, factory = spec.partition(":")
    return getattr(importlib.import_module(module), factory or "sender")()


__all__ = ["OutboxSms", "Sms", "SmsSender", "outbox", "sender_from_settings"]
