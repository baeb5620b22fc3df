"""The admin's finance figures for a range of IST days, read from the double-entry journal.

Why the journal and not the `payments` table: every figure (revenue, commission, GST, refunds,
payouts) then comes from the same rows, dated by the same clock (the entry's `created_at`, the
moment the money moved), so they add up with each other and with `docs/payments.md`'s table. The
dashboard's "Revenue this month" and the monthly report call `figures_between` too.

- **revenue**: money received from customers (gateway payments captured, cash the professional
  collected) less refunds decided, in the range;
- **commission and fees**: HomeServe's income, minus the balance of `platform_commission`;
- **GST collected**: minus the balance of `gst_payable`;
- **refunds**: refunds decided (the customer is owed them back);
- **payouts made**: money sent to professionals' banks;
- **payouts due**: what a payout run would send right now (`payables.owed`), whatever the range.

A fixed number of aggregates whatever the size of the data: one GROUP BY per IST day, one per
(service, pincode) of the booking the entry belongs to (cities are then summed in Python, one
`pincodes.city` look-up per pincode), the services' names; `payouts_due` is `payables.owed`'s two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import Account, LedgerEntry, Service, ServiceRequest, utcnow
from hsa.services import filters
from hsa.services.actors import Actor
from hsa.services.errors import ValidationFailed
from hsa.services.money import payables
from hsa.services.permissions import require_admin
from hsa.services.pincodes import city
from hsa.services.scheduling import IST

DEFAULT_DAYS = 30
MAX_DAYS = 366       # one bar a day: a year fits a chart, ten would not
TOP = 10             # services and cities shown by name; the rest are summed into "Others"
RECEIVED_KINDS = ("payment", "cash")  # `postings.gateway_payment` and `postings.cash_payment`
REFUND_KIND = "refund"                # `postings.refund_decided`
UNKNOWN_CITY = "Unknown pincode"
OTHERS = "Others"

A = Account
_ACCOUNTS = (A.customer_receivable, A.platform_commission, A.gst_payable, A.payouts)


@dataclass(frozen=True)
class Figures:
    """The money of one bucket (the range, a day, a service, a city), in paise, all positive."""

    received_paise: int = 0
    refunds_paise: int = 0
    commission_paise: int = 0
    gst_paise: int = 0
    payouts_paise: int = 0  # not attributed to services or cities (a payout covers many jobs)

    @property
    def revenue_paise(self) -> int:
        return self.received_paise - self.refunds_paise

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.received_paise + other.received_paise, self.refunds_paise + other.refunds_paise,
                       self.commission_paise + other.commission_paise, self.gst_paise + other.gst_paise,
                       self.payouts_paise + other.payouts_paise)


ZERO = Figures()


def _figures(lines: Iterable[tuple[str, str, int]]) -> Figures:
    """(account, kind, sum) groups of `_journal_filter`'s entries -> Figures. Credits are negative
    in the journal: a receipt credits the customer, commission, GST and payouts are credits too."""
    received = refunds = commission = gst = paid_out = 0
    for account, kind, amount in lines:
        if account == A.customer_receivable:
            if kind == REFUND_KIND:
                refunds += int(amount)   # the customer is owed it back: a debit
            else:
                received -= int(amount)  # a payment or cash (the filter reads no other kind)
        elif account == A.platform_commission:
            commission -= int(amount)
        elif account == A.gst_payable:
            gst -= int(amount)
        elif account == A.payouts:
            paid_out -= int(amount)
    return Figures(received, refunds, commission, gst, paid_out)


@dataclass(frozen=True)
class FinanceReport:
    first_day: date
    last_day: date  # included
    totals: Figures
    by_day: list[tuple[str, Figures]]      # every day of the range, oldest first (ISO dates)
    by_service: list[tuple[str, Figures]]  # highest revenue first, at most TOP + "Others"
    by_city: list[tuple[str, Figures]]


# ------------------------------------------------------------------ ranges and SQL building blocks


def ist_day(session: Session, column: ColumnElement) -> ColumnElement:
    """The IST calendar date of a UTC timestamp column, in this database's SQL dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Kolkata", column))
    return func.date(column, "+330 minutes")


def day_start(day: date) -> datetime:
    """00:00 IST of `day`, aware."""
    return datetime.combine(day, time.min, tzinfo=IST)


def default_range(now: datetime) -> tuple[date, date]:
    """The last 30 IST days, today included."""
    today = now.astimezone(IST).date()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def parse_range(date_from: str, date_to: str, *, now: datetime) -> tuple[date, date]:
    """The form's two IST dates (blank end: today; blank start: 30 days to the end), checked, with
    a message beside the field at fault."""
    start, end = filters.date_range(date_from, date_to)
    last = (end - timedelta(days=1)).date() if end else default_range(now)[1]
    first = start.date() if start else last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationFailed({"date_from": msg("svc_booking.start_after_end")})
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationFailed({"date_from": msg("svc_money.at_most_days", days=MAX_DAYS)})
    return first, last


def _journal_filter(start: datetime, end: datetime) -> list[ColumnElement]:
    """The entries the figures read: four accounts, and only receipts and refunds of the customer's."""
    entry = LedgerEntry
    return [col(entry.created_at) >= start, col(entry.created_at) < end, col(entry.account).in_(_ACCOUNTS),
            or_(entry.account != A.customer_receivable, col(entry.kind).in_((*RECEIVED_KINDS, REFUND_KIND)))]


def figures_between(session: Session, start: datetime, end: datetime) -> Figures:
    """The range's totals in one aggregate (no actor check: callers are admin use cases that did it)."""
    entry = LedgerEntry
    rows = session.exec(select(entry.account, entry.kind, func.sum(entry.amount_paise))
                        .where(*_journal_filter(start, end)).group_by(entry.account, entry.kind)).all()
    return _figures(rows)


def payouts_due(*, session: Session, actor: Actor | None) -> int:
    """What a payout run would send now: every professional's payable, never their debt.

    Its own call (the page asks after showing the range's figures): `payables.owed` sums the whole
    journal, seconds on millions of lines, while the range's figures take a fraction of that."""
    require_admin(actor)
    return sum(o.payable_paise for o in payables.owed(session).values())


# ------------------------------------------------------------------ the report


def _ranked(groups: dict[str, list[tuple[str, str, int]]]) -> list[tuple[str, Figures]]:
    """Highest revenue first (ties by name); beyond TOP summed into one "Others" row."""
    ranked = sorted(((k, _figures(v)) for k, v in groups.items()), key=lambda kv: (-kv[1].revenue_paise, kv[0]))
    if len(ranked) <= TOP + 1:
        return ranked
    rest = ZERO
    for _, f in ranked[TOP:]:
        rest = rest + f
    return [*ranked[:TOP], (OTHERS, rest)]


def finance_report(*, session: Session, actor: Actor | None, date_from: str = "", date_to: str = "",
                   now: datetime | None = None) -> FinanceReport:
    """Every figure of the Finance page for the IST days typed (blank: the last 30 days)."""
    require_admin(actor)
    first, last = parse_range(date_from, date_to, now=now or utcnow())
    start, end = day_start(first), day_start(last + timedelta(days=1))
    entry, req = LedgerEntry, ServiceRequest
    where = _journal_filter(start, end)
    day = ist_day(session, entry.created_at)
    per_day: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for d, account, kind, total in session.exec(select(day, entry.account, entry.kind, func.sum(entry.amount_paise))
                                                .where(*where).group_by(day, entry.account, entry.kind)):
        per_day[str(d)].append((account, kind, total))  # PostgreSQL returns dates, SQLite strings
    by_day = [(d.isoformat(), _figures(per_day.get(d.isoformat(), [])))
              for d in (first + timedelta(days=i) for i in range((last - first).days + 1))]
    rows = session.exec(select(req.service_id, req.pincode, entry.account, entry.kind, func.sum(entry.amount_paise))
                        .join(req, req.id == entry.request_id)  # type: ignore[arg-type]
                        .where(*where).group_by(req.service_id, req.pincode, entry.account, entry.kind)).all()
    names = dict(session.exec(select(Service.id, Service.name).where(
        col(Service.id).in_({r[0] for r in rows}))).all()) if rows else {}
    services: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    cities: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for service_id, pincode, account, kind, total in rows:
        services[str(names.get(service_id, f"Service {service_id}"))].append((account, kind, total))
        cities[city(str(pincode)) or UNKNOWN_CITY].append((account, kind, total))
    totals = ZERO
    for _, f in by_day:
        totals = totals + f
    return FinanceReport(first_day=first, last_day=last, totals=totals, by_day=by_day,
                         by_service=_ranked(services), by_city=_ranked(cities))


__all__ = ["FinanceReport", "Figures", "default_range", "figures_between", "finance_report", "ist_day",
           "parse_range", "payouts_due"]
