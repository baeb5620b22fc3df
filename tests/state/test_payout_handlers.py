"""The payouts page's handlers, called as a crafted websocket event would call them: review then
confirm pays once for an admin, the bank file comes back as a download, and nobody else gets anything."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from hsa.models import LedgerEntry, Payout, PayoutBatch, RequestStatus, Role, utcnow
from hsa.services.money import statements
from hsa.services.scheduling import IST
from hsa.state.admin import AdminPayoutsState
from hsa.state.earnings import ProEarningsState
from tests.factories import make_request, make_service, make_user, token_for
from tests.state.test_handlers import _sub, _tree, run


def _yesterday() -> str:
    return (utcnow().astimezone(IST).date() - timedelta(days=1)).isoformat()


def _world(session: Session) -> tuple:
    service = make_service(session, price_paise=29_900)
    pro = make_user(session, role=Role.professional, service=service, full_name="Ravi Payee")
    customer = make_user(session)
    make_request(session, customer=customer, service=service, status=RequestStatus.completed, professional=pro,
                 paid=True)
    for entry in session.exec(select(LedgerEntry)):  # the work was done before yesterday ended
        entry.created_at = utcnow() - timedelta(days=2)
        session.add(entry)
    session.commit()
    return service, pro


def _csv_of(spec: object) -> str:
    url = next(str(v) for k, v in spec.args if str(k) == "url")  # type: ignore[attr-defined]
    return base64.b64decode(url.split("base64,", 1)[1].strip('"')).decode()


def test_review_confirm_and_download_as_admin(session: Session) -> None:
    _, pro = _world(session)
    admin = make_user(session, role=Role.admin)
    state = _sub(_tree(token_for(session, admin)), AdminPayoutsState)
    run(AdminPayoutsState.load.fn(state), session)
    assert state.loaded and state.batches == []
    run(AdminPayoutsState.review.fn(state, {"period_end": _yesterday()}), session)
    assert state.error == "" and state.shown and state.report_id == 0
    assert [(line.name, line.amount) for line in state.report_paid] == [("Ravi Payee", "₹239.20")]
    assert session.exec(select(PayoutBatch)).first() is None  # a review writes nothing

    run(AdminPayoutsState.confirm.fn(state), session)
    assert state.report_id > 0 and "paid 1 professional ₹239.20" in state.notice
    assert [b.id for b in state.batches] == [state.report_id]
    run(AdminPayoutsState.confirm.fn(state), session)  # a second click: nothing more is paid
    session.expire_all()
    assert len(session.exec(select(Payout)).all()) == 1

    spec = run(AdminPayoutsState.download.fn(state, state.report_id), session)
    text = _csv_of(spec)
    assert text.splitlines()[1].startswith(f"Ravi Payee,{pro.phone},{pro.email},239.20,HS-PAYOUT-{state.report_id}-")

    earnings = _sub(_tree(token_for(session, pro)), ProEarningsState)
    run(ProEarningsState.load.fn(earnings), session)
    assert (earnings.paid_out, earnings.ready, earnings.owes_cash) == ("₹239.20", "₹0", False)
    assert [p.amount for p in earnings.payouts] == ["₹239.20"]


def test_a_future_day_is_refused_beside_the_field(session: Session) -> None:
    _world(session)
    admin = make_user(session, role=Role.admin)
    state = _sub(_tree(token_for(session, admin)), AdminPayoutsState)
    tomorrow = (utcnow().astimezone(IST).date() + timedelta(days=1)).isoformat()
    run(AdminPayoutsState.review.fn(state, {"period_end": tomorrow}), session)
    assert "already over" in state.errors["period_end"] and not state.shown


@pytest.mark.parametrize("role", [Role.customer, Role.professional])
def test_nobody_else_reviews_pays_or_downloads(session: Session, role: Role) -> None:
    _world(session)
    admin = make_user(session, role=Role.admin)
    boss = _sub(_tree(token_for(session, admin)), AdminPayoutsState)
    run(AdminPayoutsState.review.fn(boss, {"period_end": _yesterday()}), session)
    run(AdminPayoutsState.confirm.fn(boss), session)
    _world(session)  # more work, owed to a second professional
    intruder = _sub(_tree(token_for(session, make_user(session, role=role))), AdminPayoutsState)
    run(AdminPayoutsState.review.fn(intruder, {"period_end": _yesterday()}), session)
    assert not intruder.shown and intruder.report_paid == [] and intruder.error
    intruder._period = utcnow().isoformat()  # as if a review had been let through
    run(AdminPayoutsState.confirm.fn(intruder), session)
    assert run(AdminPayoutsState.download.fn(intruder, boss.report_id), session) is None
    session.expire_all()
    assert len(session.exec(select(PayoutBatch)).all()) == 1
    assert intruder.batches == [] and intruder.report_id == 0


def test_the_earnings_page_offers_twelve_statement_months_and_ignores_others(session: Session) -> None:
    _, pro = _world(session)
    earnings = _sub(_tree(token_for(session, pro)), ProEarningsState)
    run(ProEarningsState.load.fn(earnings), session)
    months = statements.recent_months(utcnow())
    assert [m.value for m in earnings.months] == months and earnings.month == months[0]
    assert earnings.statement_url.startswith(f"/api/v1/statements/{pro.id}/{months[0]}.pdf?exp=")
    ProEarningsState.choose_month.fn(earnings, months[3])
    assert earnings.month == months[3] and f"/{months[3]}.pdf?" in earnings.statement_url
    assert earnings.statement_label == statements.month_label(months[3])
    ProEarningsState.choose_month.fn(earnings, "1999-01")  # not offered: a crafted event changes nothing
    assert earnings.month == months[3]
