"""A professional's monthly earnings statement: what they earned, collected and were paid in one
IST month, between the balance HomeServe owed them when it began and when it ended.

Everything is read from the journal (`professional_payable` entries of that professional), the
same entries the payout batch and the earnings page sum, so the statement's closing balance is
the opening balance plus its own lines to the paisa:

- a job's line is its `charge` transaction (an extra approved after completion: its
  `charge_extra`); the price and extras are what the customer was charged less GST and the
  platform fee, the commission what HomeServe kept of them, the share what the professional was
  credited;
- a cancellation fee's line is its `cancel_fee` transaction (the fee incl. GST, their share);
- cash they collected is a `cash` entry (they hold HomeServe's commission and the GST from it);
- a payout is a `payout` entry, with its bank reference from the `Payout` row.

The month is a calendar month in IST ("2026-11" is 1 November 00:00 to 1 December 00:00 IST);
an entry belongs to the month its `created_at` falls in. The current month is a statement to date.
Who may read one: the professional themselves, or an admin for any professional. The PDF is
fetched by a signed link (`signed_links`), like an invoice, minted after that check.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import Account, LedgerEntry, Payout, Role, Service, ServiceRequest, User, utcnow
from hsa.services import scheduling, signed_links
from hsa.services.actors import Actor
from hsa.services.errors import Forbidden, NotFound, ValidationFailed
from hsa.services.money.invoices import LINK_SECONDS
from hsa.services.money.payouts import reference
from hsa.services.money.statement_pdf import render_statement_pdf
from hsa.services.permissions import require_role
from hsa.services.scheduling import IST

FIELD = "month"
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
CHOICES = 12  # months offered on the earnings page: this one and the eleven before
JOB_KINDS = ("charge", "charge_extra")
FEE_KIND, CASH_KIND, PAYOUT_KIND = "cancel_fee", "cash", "payout"


@dataclass(frozen=True)
class Line:
    """One row of a section. Jobs: `price` and `extras` charged, `commission` kept, `amount` their
    share. Cancellation fees: `price` the fee incl. GST, `commission` HomeServe's part before GST,
    `amount` their share. Cash: `amount` collected. Payouts: `amount` paid, `label` the reference."""

    day: date
    request_id: int | None
    label: str
    customer: str = ""
    price_paise: int = 0
    extras_paise: int = 0
    commission_paise: int = 0
    amount_paise: int = 0


def _sum(lines: tuple[Line, ...], attr: str = "amount_paise") -> int:
    return sum(getattr(line, attr) for line in lines)


@dataclass(frozen=True)
class Statement:
    """One professional's month. Balances are what HomeServe owes them (negative: they owe HomeServe,
    from cash jobs); closing = opening + job shares + fee shares − cash collected − payouts + other."""

    professional_id: int
    professional_name: str
    professional_email: str
    month: str                    # "2026-11"
    label: str                    # "November 2026"
    starts: datetime              # 1 Nov 00:00 IST, as aware UTC
    ends: datetime                # 1 Dec 00:00 IST (exclusive)
    to_date: bool                 # the month is not over: a statement so far
    jobs: tuple[Line, ...]
    fees: tuple[Line, ...]
    cash: tuple[Line, ...]
    payouts: tuple[Line, ...]
    opening_paise: int
    closing_paise: int

    @property
    def price_paise(self) -> int:
        return _sum(self.jobs, "price_paise")

    @property
    def extras_paise(self) -> int:
        return _sum(self.jobs, "extras_paise")

    @property
    def commission_paise(self) -> int:
        return _sum(self.jobs, "commission_paise")

    @property
    def earned_paise(self) -> int:
        """Their share of the month's jobs."""
        return _sum(self.jobs)

    @property
    def fee_share_paise(self) -> int:
        return _sum(self.fees)

    @property
    def cash_paise(self) -> int:
        return _sum(self.cash)

    @property
    def paid_out_paise(self) -> int:
        return _sum(self.payouts)

    @property
    def other_paise(self) -> int:
        """Movements of their balance in no section (none today; shown if a new kind ever appears)."""
        return (self.closing_paise - self.opening_paise - self.earned_paise - self.fee_share_paise
                + self.cash_paise + self.paid_out_paise)

    @property
    def last_day(self) -> date:
        return (self.ends - timedelta(days=1)).astimezone(IST).date()


# ------------------------------------------------------------------ months


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of an IST month "YYYY-MM" as aware UTC; ValidationFailed for anything else."""
    found = MONTH.match(month or "")
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise ValidationFailed({FIELD: msg("svc_money.choose_month")})
    year, number = int(found.group(1)), int(found.group(2))
    start = datetime(year, number, 1, tzinfo=IST)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=IST)
    return start.astimezone(UTC), end.astimezone(UTC)


def month_label(month: str) -> str:
    """"November 2026"."""
    start, _ = month_bounds(month)
    return f"{start.astimezone(IST):%B %Y}"


def recent_months(now: datetime, count: int = CHOICES) -> list[str]:
    """This IST month and the `count - 1` before it, newest first: ["2026-11", "2026-10", …]."""
    local = now.astimezone(IST)
    year, number = local.year, local.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{number:02d}")
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return out


# ------------------------------------------------------------------ who may read it


def _professional(session: Session, actor: Actor | None, professional_id: int | None) -> User:
    """The professional whose statement `actor` may read: their own, or (an admin) anyone's.
    Customers and other professionals are refused; an admin asking for a non-professional gets NotFound."""
    actor = require_role(actor, Role.professional, Role.admin)
    wanted = actor.id if professional_id is None and not actor.is_admin else professional_id
    if not actor.is_admin and wanted != actor.id:
        raise Forbidden(msg("svc_money.own_statements"))
    user = session.get(User, wanted) if wanted is not None else None
    if user is None or user.role is not Role.professional:
        raise NotFound("professional")
    return user


def statement(*, session: Session, actor: Actor | None, month: str, professional_id: int | None = None,
              now: datetime | None = None) -> Statement:
    """The month's statement for `professional_id` (default: the actor, who must be a professional).
    A month that has not begun yet is refused: it has nothing to show."""
    user = _professional(session, actor, professional_id)
    return _build(session, user, month, now=now or utcnow())


# ------------------------------------------------------------------ reading the journal


def _first_name(user: User | None) -> str:
    return user.full_name.split(" ")[0] if user else ""


def _build(session: Session, user: User, month: str, *, now: datetime) -> Statement:
    starts, ends = month_bounds(month)
    if starts > now:
        raise ValidationFailed({FIELD: msg("svc_money.month_not_begun")})
    assert user.id is not None
    mine = (LedgerEntry.account == Account.professional_payable, LedgerEntry.user_id == user.id)
    opening = -int(session.exec(select(func.coalesce(func.sum(LedgerEntry.amount_paise), 0))
                                .where(*mine, LedgerEntry.created_at < starts)).one())  # type: ignore[operator]
    entries = list(session.exec(select(LedgerEntry).where(
        *mine, LedgerEntry.created_at >= starts, LedgerEntry.created_at < ends)  # type: ignore[operator]
        .order_by(col(LedgerEntry.created_at), col(LedgerEntry.id))))
    billed = [e.txn for e in entries if e.kind in (*JOB_KINDS, FEE_KIND)]
    legs: dict[str, dict[Account, int]] = defaultdict(dict)  # the other lines of each charge and fee
    for txn, account, amount in session.exec(select(LedgerEntry.txn, LedgerEntry.account, LedgerEntry.amount_paise)
                                             .where(col(LedgerEntry.txn).in_(billed))):
        legs[txn][Account(account)] = legs[txn].get(Account(account), 0) + amount
    request_ids = {e.request_id for e in entries if e.request_id is not None}
    rows = {r.id: (r, s, c) for r, s, c in session.exec(
        select(ServiceRequest, Service, User).join(Service, Service.id == ServiceRequest.service_id)  # type: ignore[arg-type]
        .join(User, User.id == ServiceRequest.customer_id)  # type: ignore[arg-type]
        .where(col(ServiceRequest.id).in_(request_ids)))}
    refs = {p.txn: reference(p.batch_id, p.id or 0) for p in session.exec(
        select(Payout).where(col(Payout.txn).in_([e.txn for e in entries if e.kind == PAYOUT_KIND])))}
    sections: dict[str, list[Line]] = {"jobs": [], "fees": [], "cash": [], "payouts": []}
    for e in entries:
        day = scheduling.local_date(e.created_at)
        req, service, customer = rows.get(e.request_id or -1, (None, None, None))
        what, who = service.name if service else "", _first_name(customer)
        leg = legs.get(e.txn, {})
        if e.kind in JOB_KINDS and req is not None:
            gst, fee = -leg.get(Account.gst_payable, 0), req.platform_fee_paise if e.kind == "charge" else 0
            gross = leg.get(Account.customer_receivable, 0) - gst - fee  # their price and extras, as charged
            price = req.price_paise if e.kind == "charge" else 0
            sections["jobs"].append(Line(day, req.id, what if e.kind == "charge" else f"{what}: extra approved later",
                                         who, price, gross - price, gross + e.amount_paise, -e.amount_paise))
        elif e.kind == FEE_KIND:
            sections["fees"].append(Line(day, e.request_id, what, who, leg.get(Account.customer_receivable, 0), 0,
                                         -leg.get(Account.platform_commission, 0), -e.amount_paise))
        elif e.kind == CASH_KIND:
            sections["cash"].append(Line(day, e.request_id, what, who, amount_paise=e.amount_paise))
        elif e.kind == PAYOUT_KIND:
            sections["payouts"].append(Line(day, None, refs.get(e.txn, "Payout"), amount_paise=e.amount_paise))
    closing = opening - sum(e.amount_paise for e in entries)
    return Statement(professional_id=user.id, professional_name=user.full_name, professional_email=user.email,
                     month=month, label=month_label(month), starts=starts, ends=ends, to_date=ends > now,
                     opening_paise=opening, closing_paise=closing,
                     **{name: tuple(lines) for name, lines in sections.items()})


# ------------------------------------------------------------------ links and downloads


@dataclass(frozen=True)
class MonthLink:
    """One choice of the earnings page's month select and its signed PDF link."""

    month: str
    label: str
    url: str


def _subject(professional_id: int, month: str) -> str:
    return f"statement:{professional_id}:{month}"  # apart from invoices' and documents' signatures


def download_url(professional_id: int, month: str, *, now: float | None = None) -> str:
    """A signed link to the PDF; mint it only for someone `_professional` allows."""
    return (f"/api/v1/statements/{professional_id}/{month}.pdf?"
            + signed_links.query(_subject(professional_id, month), seconds=LINK_SECONDS, now=now))


def statement_links(*, session: Session, actor: Actor | None, professional_id: int | None = None,
                    now: datetime | None = None) -> list[MonthLink]:
    """The last twelve months (newest first), each with its signed link. Minted all at once
    when the page loads, so choosing a month needs no trip to the server; a link lives an hour."""
    user = _professional(session, actor, professional_id)
    assert user.id is not None
    moment = now or utcnow()
    return [MonthLink(m, month_label(m), download_url(user.id, m, now=moment.timestamp()))
            for m in recent_months(moment)]


def file_name(s: Statement) -> str:
    """"homeserve-statement-2026-11-12.pdf" (month, then the professional, for an admin's folder)."""
    return f"homeserve-statement-{s.month}-{s.professional_id}.pdf"


def open_signed(*, session: Session, professional_id: int, month: str, expires: int, signature: str,
                now: float | None = None) -> tuple[bytes, str]:
    """The PDF and its file name for a valid, unexpired link; Forbidden otherwise (checked before
    anything is read, so guessing ids and months learns nothing)."""
    signed_links.check(_subject(professional_id, month), expires=expires, sig=signature, now=now,
                       message=msg("svc_money.link_expired_statement"))
    user = session.get(User, professional_id)
    if user is None or user.role is not Role.professional:
        raise NotFound("professional")
    when = datetime.fromtimestamp(now, UTC) if now is not None else utcnow()
    s = _build(session, user, month, now=when)
    return render_statement_pdf(s), file_name(s)


__all__ = ["Line", "MonthLink", "Statement", "download_url", "month_bounds", "month_label", "open_signed",
           "recent_months", "render_statement_pdf", "statement", "statement_links"]
