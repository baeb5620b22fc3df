"""GST tax invoices: issued when a booking's money is both earned and received, numbered without gaps.

When: `issue_if_settled` runs in the transaction that records a payment (gateway capture, cash)
and in the moves that fix what is owed (completion, cancellation), with the booking's row
locked by the caller. It invoices the part of the charge not invoiced yet, once the balance is
≤ 0 and the work is done: a prepayment is invoiced at completion, not when it arrives (no
supply yet); an extra approved and paid after the job's invoice gets an invoice of its own; a
paid cancellation fee gets a "cancellation" invoice.

Numbers: "HS/<fy>/<seq>" per Indian financial year (1 April to 31 March, IST). The year's
counter row is incremented by one upsert in the payment's own transaction; the statement
holds that row's lock until commit (PostgreSQL's ON CONFLICT DO UPDATE locks the row exactly
like SELECT … FOR UPDATE; SQLite's BEGIN IMMEDIATE already holds the database's write lock),
so concurrent payments queue for the next number, a rollback gives the number back, and no
number is skipped or used twice (also `uq_invoices_fy_seq`).

Amounts are frozen on the invoice. The parts are differences against the booking's bill, whose
GST is rounded once per booking (`pricing`), so a booking's invoices add up to exactly what the
customer paid.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import Invoice, InvoiceCounter, RequestStatus, ServiceRequest
from hsa.services import scheduling, signed_links
from hsa.services.actors import Actor
from hsa.services.errors import NotFound
from hsa.services.money import invoice_mail
from hsa.services.money.invoice_pdf import file_name, render_pdf
from hsa.services.money.payments import paid_amounts
from hsa.services.money.pricing import bill, inclusive_tax
from hsa.services.permissions import is_party, require_actor

log = logging.getLogger(__name__)

JOB, EXTRA, CANCELLATION = "job", "extra", "cancellation"
DONE = (RequestStatus.completed, RequestStatus.closed)
# An invoice link sits on a booking card the customer may open a while later; an hour bounds
# what a leaked URL (browser history, a shared screen) can fetch.
LINK_SECONDS = 3600


def financial_year(moment: datetime) -> str:
    """India's financial year of `moment` in IST: "2026-27" from 1 April 2026 to 31 March 2027."""
    local = moment.astimezone(scheduling.IST)
    start = local.year if local.month >= 4 else local.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _next_seq(session: Session, fy: str) -> int:
    """The year's next number: one upsert that creates the counter row or adds one to it, and
    keeps the row locked until this transaction ends (a rollback returns the number)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = InvoiceCounter.__table__  # type: ignore[attr-defined]
    stmt = (insert(table).values(fy=fy, last=1)
            .on_conflict_do_update(index_elements=[table.c.fy], set_={"last": table.c.last + 1})
            .returning(table.c.last))
    return int(session.exec(stmt).scalar_one())


def _charged(req: ServiceRequest, status: RequestStatus) -> tuple[int, int]:
    """(taxable, GST) the booking has earned once it is in `status`: its bill when the work is
    done, the GST-inclusive fee when cancelled, nothing while the work is still ahead."""
    if status is RequestStatus.cancelled:
        tax = inclusive_tax(req.cancel_fee_paise, req.gst_bps)
        return req.cancel_fee_paise - tax, tax
    if status in DONE:
        b = bill(req)
        return b.taxable_paise, b.gst_paise
    return 0, 0


def _invoiced(session: Session, request_id: int) -> tuple[int, int, int]:
    """(taxable, GST, how many) already invoiced for a booking."""
    taxable, gst, count = session.exec(
        select(func.coalesce(func.sum(Invoice.taxable_paise), 0), func.coalesce(func.sum(Invoice.gst_paise), 0),
               func.count()).where(Invoice.request_id == request_id)).one()
    return int(taxable), int(gst), int(count)


def issue_if_settled(session: Session, req: ServiceRequest, *, now: datetime,
                     status: RequestStatus | None = None) -> Invoice | None:
    """Issue the invoice for what is charged, paid and not invoiced yet (in the caller's
    transaction; the caller holds the booking's row lock, so two payments never both issue).

    `status`: the status the booking has once the caller's move lands; effects run before the
    engine sets it (completion, cancellation). Returns None when there is nothing to invoice.
    The customer's email goes out after the commit (`invoice_mail`).
    """
    assert req.id is not None
    status = status or req.status
    taxable, gst = _charged(req, status)
    if taxable + gst <= 0:
        return None
    done_taxable, done_gst, count = _invoiced(session, req.id)
    rest_taxable, rest_gst = taxable - done_taxable, gst - done_gst
    if rest_taxable + rest_gst <= 0:
        return None
    if rest_taxable < 0 or rest_gst < 0:  # the bill went down after an invoice: a credit note's job
        log.warning("booking %s: not invoicing a negative part (%s + %s)", req.id, rest_taxable, rest_gst)
        return None
    if taxable + gst - paid_amounts(session, [req.id]).get(req.id, 0) > 0:
        return None  # something is still owed: invoiced once it is paid
    fy = financial_year(now)
    seq = _next_seq(session, fy)
    invoice = Invoice(number=f"HS/{fy}/{seq:06d}", fy=fy, seq=seq, request_id=req.id,
                      kind=CANCELLATION if status is RequestStatus.cancelled else EXTRA if count else JOB,
                      taxable_paise=rest_taxable, gst_paise=rest_gst, total_paise=rest_taxable + rest_gst,
                      created_at=now)
    session.add(invoice)
    session.flush()
    assert invoice.id is not None
    invoice_mail.queue(session, invoice.id)
    return invoice


# ------------------------------------------------------------------ reading and downloading


def invoices_for(session: Session, request_ids: list[int]) -> dict[int, list[Invoice]]:
    """Each booking's invoices, oldest first (one query)."""
    if not request_ids:
        return {}
    out: dict[int, list[Invoice]] = {}
    for inv in session.exec(select(Invoice).where(col(Invoice.request_id).in_(request_ids))
                            .order_by(col(Invoice.id))):
        out.setdefault(inv.request_id, []).append(inv)
    return out


def _subject(invoice_id: int) -> str:
    return f"invoice:{invoice_id}"  # "invoice:" keeps these signatures apart from documents'


def download_url(invoice: Invoice, *, now: float | None = None) -> str:
    """A signed link to the PDF; mint it only for someone `is_party` allows."""
    assert invoice.id is not None
    return f"/api/v1/invoices/{invoice.id}.pdf?" + signed_links.query(_subject(invoice.id), seconds=LINK_SECONDS,
                                                                       now=now)


def links_by_request(session: Session, actor: Actor, rows: list[ServiceRequest], *,
                     now: float | None = None) -> dict[int, list[tuple[str, str]]]:
    """(number, signed URL) per booking the actor is a party to (booking views: rows already
    loaded, one query for all); bookings they are not a party to get no entry."""
    party = [r for r in rows if r.id is not None and is_party(actor, r)]
    found = invoices_for(session, [r.id for r in party if r.id is not None])
    return {r.id: [(inv.number, download_url(inv, now=now)) for inv in found.get(r.id, [])]
            for r in party if r.id is not None}


def invoice_links(session: Session, actor: Actor | None, request_id: int, *,
                  now: float | None = None) -> list[tuple[str, str]]:
    """(number, signed URL) of a booking's invoices, for its customer, its professional or an
    admin; NotFound for anyone else (as for an unknown booking)."""
    actor = require_actor(actor)
    req = session.get(ServiceRequest, request_id)
    if req is None or not is_party(actor, req):
        raise NotFound("request")
    return links_by_request(session, actor, [req], now=now)[request_id]


def open_signed(*, session: Session, invoice_id: int, expires: int, signature: str,
                now: float | None = None) -> tuple[bytes, str]:
    """The PDF and its file name for a valid, unexpired link; Forbidden otherwise. The signature
    is checked before anything is read, so a guessed id learns nothing."""
    signed_links.check(_subject(invoice_id), expires=expires, sig=signature, now=now,
                       message=msg("svc_money.link_expired_invoice"))
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound("invoice")
    return render_pdf(session, invoice), file_name(invoice)


__all__ = ["download_url", "financial_year", "invoice_links", "invoices_for", "issue_if_settled", "links_by_request",
           "open_signed", "render_pdf"]
