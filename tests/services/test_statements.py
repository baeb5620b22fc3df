"""Monthly earnings statements (issue #16): a month of jobs (one with an extra, one paid in cash),
a cancellation fee and a payout, read from the journal; lines and totals against hand-computed
numbers; balances against `journal.balance`; who may read one; the PDF and its signed link.

The months are relative to today (the month before last, its neighbours), so the test never
depends on the calendar; the amounts are fixed: a ₹499 service, ₹49 platform fee, 20 % commission.
"""

from __future__ import annotations

import io
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session, col, select

from hsa.models import Account, LedgerEntry, Payment, PaymentMethod, Payout, RequestStatus, Role, utcnow
from hsa.services import bookings
from hsa.services.errors import Forbidden, NotAuthenticated, NotFound, ValidationFailed
from hsa.services.money import journal, payouts, postings, statements
from hsa.services.money.pricing import amount_due
from hsa.services.scheduling import IST
from tests.factories import actor_for, fresh, make_request, make_service, make_user

S = RequestStatus
PP = Account.professional_payable
PRICE, FEE, EXTRA = 49_900, 4_900, 15_000
SHARE = 39_920          # ₹499 less 20 % commission (₹99.80)
EXTRA_SHARE = 51_920    # (₹499 + ₹150) less 20 % (₹129.80)
CASH = 64_664           # (₹499 + ₹49) + 18 % GST: what the customer handed over
FEE_SHARE = 6_712       # ₹99 fee incl. GST: tax ₹15.10, net ₹83.90, less 20 % (₹16.78)
PAID_OUT = 67_096       # all earned (₹399.20 last month + ₹918.40 + ₹67.12) − cash ₹646.64 − the unpaid fee's share


def _month(offset: int) -> str:
    """The IST month `offset` months before this one ("2026-09")."""
    return statements.recent_months(utcnow(), offset + 1)[offset]


def _at(month: str, day: int, hour: int = 10, minute: int = 0) -> datetime:
    y, m = map(int, month.split("-"))
    return datetime.combine(date(y, m, day), clock(hour, minute), tzinfo=IST).astimezone(UTC)


def _last_day(month: str) -> int:
    _, ends = statements.month_bounds(month)
    return (ends - timedelta(days=1)).astimezone(IST).day


def _move(session: Session, moment: datetime, *, request_id: int | None = None, txn: str | None = None) -> None:
    """Pretend a booking's (or one transaction's) journal entries were written at `moment`."""
    query = select(LedgerEntry).where(LedgerEntry.request_id == request_id if txn is None else LedgerEntry.txn == txn)
    for entry in session.exec(query):
        entry.created_at = moment
        session.add(entry)
    session.commit()


def _pay_online(session: Session, req) -> None:  # noqa: ANN001
    session.add(Payment(request_id=req.id, amount_paise=amount_due(req), method=PaymentMethod.upi, paid_at=utcnow()))
    postings.gateway_payment(session, req, amount_due(req), now=utcnow())
    session.commit()


class Month:
    """The month before last: three jobs' worth of work for Ravi, a fee, a payout; a job in the month
    before it (the opening balance) and one on the first instant of the month after (excluded)."""

    def __init__(self, session: Session) -> None:
        self.month, self.before, self.after = _month(2), _month(3), _month(1)
        self.service = make_service(session, name="Geyser Repair", price_paise=PRICE)
        self.customer = make_user(session, full_name="Asha Rao")
        self.pro = make_user(session, role=Role.professional, service=self.service, full_name="Ravi Kumar")
        self.admin = actor_for(session, make_user(session, role=Role.admin))
        self.p, self.c = actor_for(session, self.pro), actor_for(session, self.customer)
        job = {"customer": self.customer, "service": self.service, "professional": self.pro,
               "platform_fee_paise": FEE}
        self.old = make_request(session, status=S.completed, paid=True, **job)
        self.extra = make_request(session, status=S.in_progress, **job)
        self.extra.extra_charge_paise = EXTRA
        session.add(self.extra)
        session.commit()
        bookings.transition(session=session, actor=self.p, request_id=self.extra.id, action="complete", data={})
        _pay_online(session, fresh(session, self.extra))
        self.cash = make_request(session, status=S.completed, **job)
        bookings.transition(session=session, actor=self.p, request_id=self.cash.id, action="collect_cash")
        self.cancelled = make_request(session, status=S.assigned, scheduled_at=utcnow() + timedelta(hours=1), **job)
        bookings.transition(session=session, actor=self.c, request_id=self.cancelled.id, action="cancel",
                            data={"reason": "Plans changed"})
        now = utcnow()
        self.batch = payouts.run_batch(session=session, actor=self.admin, period_end=now, now=now)
        self.payout = session.exec(select(Payout).where(Payout.professional_id == self.pro.id)).one()
        self.later = make_request(session, status=S.completed, paid=True, **job)
        m = self.month
        _move(session, _at(self.before, 20), request_id=self.old.id)
        _move(session, _at(m, 3), request_id=self.extra.id)
        _move(session, _at(m, 10), request_id=self.cash.id)
        _move(session, _at(m, 15), request_id=self.cancelled.id)
        _move(session, _at(m, _last_day(m), 23, 30), txn=self.payout.txn)  # still the month in IST (18:00 UTC)
        _move(session, _at(self.after, 1, 0, 0), request_id=self.later.id)  # the next month's first instant

    def statement(self, session: Session, month: str | None = None) -> statements.Statement:
        return statements.statement(session=session, actor=self.p, month=month or self.month)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# ------------------------------------------------------------------ the lines and totals


def test_the_months_lines_and_totals_are_the_hand_computed_ones(session: Session) -> None:
    w = Month(session)
    assert w.batch.total_paise == PAID_OUT  # (the fee's share waits for its customer to pay)
    s = w.statement(session)
    y, m = map(int, w.month.split("-"))
    assert (s.month, s.professional_name, s.to_date) == (w.month, "Ravi Kumar", False)
    assert s.label == f"{date(y, m, 1):%B %Y}"
    assert [(line.day, line.request_id, line.label, line.customer, line.price_paise, line.extras_paise,
             line.commission_paise, line.amount_paise) for line in s.jobs] == [
        (date(y, m, 3), w.extra.id, "Geyser Repair", "Asha", PRICE, EXTRA, 12_980, EXTRA_SHARE),
        (date(y, m, 10), w.cash.id, "Geyser Repair", "Asha", PRICE, 0, 9_980, SHARE),
    ]
    assert [(line.day, line.request_id, line.customer, line.price_paise, line.amount_paise) for line in s.fees] == [
        (date(y, m, 15), w.cancelled.id, "Asha", 9_900, FEE_SHARE)]
    assert [(line.day, line.request_id, line.amount_paise) for line in s.cash] == [(date(y, m, 10), w.cash.id, CASH)]
    assert [(line.day, line.label, line.amount_paise) for line in s.payouts] == [
        (date(y, m, _last_day(w.month)), f"HS-PAYOUT-{w.payout.batch_id}-{w.payout.id}", PAID_OUT)]
    assert (s.price_paise, s.extras_paise, s.commission_paise, s.earned_paise) == (2 * PRICE, EXTRA, 22_960,
                                                                                   EXTRA_SHARE + SHARE)
    assert (s.fee_share_paise, s.cash_paise, s.paid_out_paise, s.other_paise) == (FEE_SHARE, CASH, PAID_OUT, 0)
    assert (s.opening_paise, s.closing_paise) == (SHARE, FEE_SHARE)  # last month's job; the fee's share, unpaid


def test_opening_and_closing_balances_are_the_journals(session: Session) -> None:
    w = Month(session)
    before, month, after = (w.statement(session, m) for m in (w.before, w.month, w.after))
    assert (before.opening_paise, [line.request_id for line in before.jobs]) == (0, [w.old.id])
    assert before.closing_paise == month.opening_paise and month.closing_paise == after.opening_paise
    assert [line.request_id for line in after.jobs] == [w.later.id]  # 00:00 IST on the 1st: the next month's
    since = w.statement(session, _month(0))  # nothing moved this month: its balance is the journal's today
    assert since.closing_paise == after.closing_paise == -journal.balance(session, PP, user_id=w.pro.id)
    cutoff = statements.month_bounds(w.month)[1]
    up_to_end = sum(e.amount_paise for e in session.exec(select(LedgerEntry).where(
        LedgerEntry.account == PP, LedgerEntry.user_id == w.pro.id, col(LedgerEntry.created_at) < cutoff)))
    assert month.closing_paise == -up_to_end


def test_a_professional_holding_more_cash_than_they_earned_has_a_negative_balance(session: Session) -> None:
    service = make_service(session, price_paise=PRICE)
    pro = make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=make_user(session), service=service, status=S.completed, professional=pro,
                       platform_fee_paise=FEE)
    bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id, action="collect_cash")
    s = statements.statement(session=session, actor=actor_for(session, pro), month=_month(0))
    assert s.to_date and s.closing_paise == SHARE - CASH == -journal.balance(session, PP, user_id=pro.id)
    assert "you owe HomeServe" in _text(statements.render_statement_pdf(s))


# ------------------------------------------------------------------ who may read it


def test_only_the_professional_and_admins_may_read_a_statement(session: Session) -> None:
    w = Month(session)
    other = actor_for(session, make_user(session, role=Role.professional, service=w.service))
    for intruder in (other, w.c):
        with pytest.raises(Forbidden):
            statements.statement(session=session, actor=intruder, month=w.month, professional_id=w.pro.id)
        with pytest.raises(Forbidden):
            statements.statement_links(session=session, actor=intruder, professional_id=w.pro.id)
    with pytest.raises(Forbidden):
        statements.statement(session=session, actor=w.c, month=w.month)  # a customer has none of their own
    with pytest.raises(NotAuthenticated):
        statements.statement(session=session, actor=None, month=w.month)
    as_admin = statements.statement(session=session, actor=w.admin, month=w.month, professional_id=w.pro.id)
    assert as_admin == w.statement(session)
    for not_a_pro in (None, w.customer.id, 10**9):
        with pytest.raises(NotFound):
            statements.statement(session=session, actor=w.admin, month=w.month, professional_id=not_a_pro)
    own = statements.statement(session=session, actor=other, month=w.month)  # their own: nothing of Ravi's
    assert (own.jobs, own.payouts, own.opening_paise, own.closing_paise) == ((), (), 0, 0)


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "26-11", "November", "", "1999-12"])
def test_a_month_that_is_not_one_is_refused_beside_the_field(session: Session, month: str) -> None:
    pro = actor_for(session, make_user(session, role=Role.professional))
    with pytest.raises(ValidationFailed) as exc:
        statements.statement(session=session, actor=pro, month=month)
    assert "month" in exc.value.fields


def test_a_month_not_begun_yet_is_refused(session: Session) -> None:
    pro = actor_for(session, make_user(session, role=Role.professional))
    nxt = (utcnow().astimezone(IST).replace(day=28) + timedelta(days=5)).strftime("%Y-%m")
    with pytest.raises(ValidationFailed) as exc:
        statements.statement(session=session, actor=pro, month=nxt)
    assert exc.value.fields == {"month": "That month has not begun yet."}


def test_ist_month_bounds() -> None:
    starts, ends = statements.month_bounds("2026-12")
    assert starts == datetime(2026, 11, 30, 18, 30, tzinfo=UTC) and ends == datetime(2026, 12, 31, 18, 30, tzinfo=UTC)
    assert statements.recent_months(datetime(2026, 2, 28, 19, 0, tzinfo=UTC), 3) == ["2026-03", "2026-02", "2026-01"]
    assert statements.month_label("2027-01") == "January 2027"


# ------------------------------------------------------------------ the PDF


def test_the_pdf_states_the_month_the_supplier_the_lines_and_the_totals(session: Session) -> None:
    w = Month(session)
    s = w.statement(session)
    text = _text(statements.render_statement_pdf(s))
    for expected in (f"Earnings statement: {s.label}", "HomeServe Technologies Pvt Ltd", "GSTIN: not registered (demo)",
                     "Place of supply: Karnataka", "Ravi Kumar", f"booking #{w.extra.id}", "Geyser Repair · Asha",
                     "₹399.20", "₹519.20", "extras ₹150.00", "commission ₹129.80", "₹918.40", "₹67.12", "₹646.64",
                     f"HS-PAYOUT-{w.payout.batch_id}-{w.payout.id}", "₹670.96", "Closing balance"):
        assert expected in text, expected


def test_the_supplier_settings_are_printed(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_COMPANY_NAME", "Acme Home Services LLP")
    monkeypatch.setenv("HSA_COMPANY_ADDRESS", "4 Residency Road, Bengaluru 560025")
    monkeypatch.setenv("HSA_GSTIN", "29abcde1234f1z5")
    monkeypatch.setenv("HSA_PLACE_OF_SUPPLY_STATE", "Tamil Nadu")
    pro = actor_for(session, make_user(session, role=Role.professional))
    text = _text(statements.render_statement_pdf(statements.statement(session=session, actor=pro, month=_month(0))))
    for expected in ("Acme Home Services LLP", "4 Residency Road, Bengaluru 560025", "GSTIN: 29ABCDE1234F1Z5",
                     "Place of supply: Tamil Nadu"):
        assert expected in text, expected


# ------------------------------------------------------------------ links and downloads


def _api(session: Session) -> TestClient:
    from hsa.api.app import build_outer

    session.commit()
    return TestClient(build_outer(), base_url="http://testserver")


def test_the_links_cover_twelve_months_and_download_the_pdf(session: Session) -> None:
    w = Month(session)
    links = statements.statement_links(session=session, actor=w.p)
    assert [link.month for link in links] == statements.recent_months(utcnow()) and len(links) == 12
    assert statements.statement_links(session=session, actor=w.admin, professional_id=w.pro.id)[0].month == _month(0)
    [link] = [link for link in links if link.month == w.month]
    assert link.url.startswith(f"/api/v1/statements/{w.pro.id}/{w.month}.pdf?exp=")
    r = _api(session).get(link.url)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="homeserve-statement-{w.month}-{w.pro.id}.pdf"'
    assert r.headers["cache-control"] == "private, no-store"
    assert r.content.startswith(b"%PDF") and link.label in _text(r.content) and "₹670.96" in _text(r.content)


def test_expired_tampered_and_borrowed_statement_links_are_refused(session: Session) -> None:
    w = Month(session)
    other = make_user(session, role=Role.professional, service=w.service)
    stale = statements.download_url(w.pro.id, w.month, now=time.time() - 2 * statements.LINK_SECONDS)
    good = statements.download_url(w.pro.id, w.month)
    query = good.split("?", 1)[1]
    tampered = good[:-1] + ("0" if good[-1] != "0" else "1")
    api = _api(session)
    for url in (stale, tampered, f"/api/v1/statements/{other.id}/{w.month}.pdf?{query}",  # another's, same sig
                f"/api/v1/statements/{w.pro.id}/{w.before}.pdf?{query}"):                  # another month
        assert api.get(url).status_code == 403, url
    assert api.get(f"/api/v1/statements/{w.pro.id}/{w.month}.pdf").status_code == 422  # no signature
    assert api.get(good).status_code == 200
