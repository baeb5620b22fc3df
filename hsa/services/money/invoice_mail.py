"""Emailing each invoice to its customer, with the PDF attached, once, after the issuing commit.

Why after the commit: the payment's transaction holds the booking's lock (and on SQLite the
database's write lock) and may still roll back; a mail server is slow and cannot take a message
back. So:

1. `issue_if_settled` queues the new invoice's id on its session (`queue`); a rollback drops it.
2. When that session's transaction commits, `_after_commit` mails the queued invoices at once,
   in a fresh session, in the committing thread (services already run off the event loop:
   `asyncio.to_thread` for pages, the thread pool for the API). Nothing it does can fail the
   commit that has already happened.
3. Each delivery first claims `reminders_sent(kind="invoice_mail", key=<number>)` and commits the
   claim, so this path, the reminder pass and another worker never both send one invoice. The
   PDF is rendered before that commit and the mail server is called after it, with no
   transaction open (SQLite's write lock is not held while talking to it).
4. A failed send is retried by the reminder pass (`retry_unsent`: 5 minutes apart, 3 attempts,
   within a day), which also sends any invoice whose delivery never ran (the process stopped
   right after the commit). A crash between a claim and its send loses that attempt only
   until the retry: each attempt is at most once, like the reminders'.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from hsa.db import session_scope
from hsa.i18n import formats
from hsa.models import Invoice, ReminderSent, Service, ServiceRequest, User, utcnow
from hsa.services import notifications
from hsa.services.languages import language_of
from hsa.services.ledger import claim
from hsa.services.local_words import when_said
from hsa.services.mail import Attachment, Email, Mailer, mailer_from_settings
from hsa.services.mail_words import said_in
from hsa.services.money.invoice_pdf import file_name, render_pdf
from hsa.services.service_names import name_of

log = logging.getLogger(__name__)

KIND = "invoice_mail"  # reminders_sent.kind; key: the invoice number
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=5)
RETRY_WITHIN = timedelta(days=1)
_QUEUE = "hsa.invoices_to_mail"


def queue(session: Session, invoice_id: int) -> None:
    """Mail this invoice once the session's transaction commits."""
    session.info.setdefault(_QUEUE, []).append(invoice_id)


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: the outer transaction may still roll back
    ids = session.info.pop(_QUEUE, None)
    if ids:
        try:
            deliver(ids)
        except Exception:  # noqa: BLE001 - the payment is committed; the reminder pass retries
            log.exception("mailing invoices %s failed; the reminder pass retries", ids)


@event.listens_for(OrmSession, "after_soft_rollback")
def _discard(session: OrmSession, previous_transaction: Any) -> None:
    if not previous_transaction.nested:
        session.info.pop(_QUEUE, None)


def deliver(invoice_ids: Iterable[int], *, mailer: Mailer | None = None, now: datetime | None = None) -> int:
    """Mail these invoices now, each unless already claimed; returns how many were sent."""
    mailer = mailer or mailer_from_settings()
    with session_scope() as session:
        return sum(mail_invoice(session, i, mailer=mailer, now=now or utcnow()) for i in invoice_ids)


def invoice_email(session: Session, invoice: Invoice) -> Email | None:
    """The customer's message, in their language, with the PDF attached (None: no customer address
    to send it to)."""
    req = session.get(ServiceRequest, invoice.request_id)
    customer = session.get(User, req.customer_id) if req else None
    if req is None or customer is None or not customer.email:
        return None
    service = session.get(Service, req.service_id)
    lang = language_of(customer)  # the PDF stays as it is; the message is in their language
    said = said_in(lang)
    body = (said("svc_mail.hello", name=notifications.first_name(customer.full_name)) + "\n\n"
            + said("svc_mail.invoice_body", amount=formats.rupees(invoice.total_paise, lang),
                   service=name_of(service) if service else "HomeServe", when=when_said(req.scheduled_at),
                   number=invoice.number) + "\n\nHomeServe\n")
    return Email(to=customer.email, subject=said("svc_mail.invoice_subject", number=invoice.number), body=body,
                 attachments=(Attachment(file_name(invoice), "application/pdf", render_pdf(session, invoice)),))


def mail_invoice(session: Session, invoice_id: int, *, mailer: Mailer, now: datetime) -> bool:
    """Claim, render, commit, send, record. False when it was claimed already or failed."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.emailed_at is not None:
        session.rollback()
        return False
    row_id = claim(session, kind=KIND, key=invoice.number, now=now, request_id=invoice.request_id)
    if row_id is None:
        session.rollback()
        return False  # the reminder pass or another worker has it
    return _send(session, [(row_id, invoice)], mailer, now) == 1


def _send(session: Session, claimed: list[tuple[int, Invoice]], mailer: Mailer, now: datetime) -> int:
    """Render the claimed invoices' emails, commit the claims, then send with no transaction open."""
    emails = [(row_id, invoice.id, invoice_email(session, invoice)) for row_id, invoice in claimed]
    session.commit()
    delivered: list[tuple[int, int | None]] = []
    for row_id, invoice_id, email in emails:
        if email is None:
            continue
        try:
            mailer.send(email)
        except Exception:  # noqa: BLE001 - one bad address or a mail server hiccup must not stop the others
            log.exception("invoice email (claim %s) failed; the reminder pass retries it", row_id)
            continue
        delivered.append((row_id, invoice_id))
    if delivered:
        session.exec(update(ReminderSent).where(col(ReminderSent.id).in_([r for r, _ in delivered]))
                     .values(emailed_at=now).execution_options(synchronize_session=False))
        session.exec(update(Invoice).where(col(Invoice.id).in_([i for _, i in delivered]))
                     .values(emailed_at=now).execution_options(synchronize_session=False))
        session.commit()
    return len(delivered)


def retry_unsent(*, session: Session, now: datetime, mailer: Mailer) -> int:
    """The reminder pass's share: send each recent invoice nobody has emailed yet (a failed
    attempt 5 minutes on, at most 3 times; one never attempted at once). Returns how many went."""
    invoices = list(session.exec(select(Invoice).where(col(Invoice.emailed_at).is_(None),
                                                       col(Invoice.created_at) >= now - RETRY_WITHIN)))
    if not invoices:
        session.rollback()
        return 0
    claims = {c.key: c for c in session.exec(select(ReminderSent).where(
        ReminderSent.kind == KIND, col(ReminderSent.key).in_([i.number for i in invoices])))}
    claimed: list[tuple[int, Invoice]] = []
    for invoice in invoices:
        row = claims.get(invoice.number)
        if row is None:
            row_id = claim(session, kind=KIND, key=invoice.number, now=now, request_id=invoice.request_id)
        elif (row.emailed_at is None and row.attempts < MAX_ATTEMPTS and row.last_attempt_at is not None
              and row.last_attempt_at <= now - RETRY_AFTER):
            won = session.exec(update(ReminderSent).where(col(ReminderSent.id) == row.id,
                                                          col(ReminderSent.attempts) == row.attempts)
                               .values(attempts=row.attempts + 1, last_attempt_at=now)
                               .execution_options(synchronize_session=False)).rowcount
            row_id = row.id if won == 1 else None
        else:
            continue
        if row_id is not None:
            claimed.append((row_id, invoice))
    return _send(session, claimed, mailer, now)


__all__ = ["deliver", "invoice_email", "mail_invoice", "queue", "retry_unsent"]
