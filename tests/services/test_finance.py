"""The Finance page's figures against sums worked out by hand from a small world: paid, unpaid, cash,
refunded and old jobs in two services and two cities, and a payout; only admins may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from hsa.models import LedgerEntry, RequestStatus, Role, ServiceRequest, utcnow
from hsa.services import stats
from hsa.services.errors import Forbidden, NotAuthenticated, ValidationFailed
from hsa.services.money import finance, postings
from hsa.services.money.pricing import bill
from hsa.services.pincodes import city
from hsa.services.scheduling import IST
from tests.factories import actor_for, make_request, make_service, make_user

S = RequestStatus
REFUND = 10_000
PAYOUT = 5_000


@dataclass
class World:
    admin: object
    jobs: dict[str, ServiceRequest]
    pros: dict[str, object]


def _job(session: Session, service, customer, pro, *, paid: bool, pincode: str, fee: int = 0,  # noqa: ANN001
         status: S = S.completed) -> ServiceRequest:
    return make_request(session, customer=customer, service=service, status=status, professional=pro, paid=paid,
                        pincode=pincode, platform_fee_paise=fee)


@pytest.fixture
def world(session: Session) -> World:
    plumbing = make_service(session, name="Plumbing", price_paise=29_900)
    cleaning = make_service(session, name="Cleaning", price_paise=49_900)
    customer = make_user(session)
    plumber = make_user(session, role=Role.professional, service=plumbing, full_name="Pia Plumber")
    cleaner = make_user(session, role=Role.professional, service=cleaning, full_name="Cal Cleaner")
    jobs = {
        "a": _job(session, plumbing, customer, plumber, paid=True, pincode="560034"),            # Bengaluru
        "b": _job(session, cleaning, customer, cleaner, paid=True, pincode="400050", fee=4_900),  # Mumbai
        "c": _job(session, plumbing, customer, plumber, paid=False, pincode="400001"),           # unpaid
        "d": _job(session, plumbing, customer, plumber, paid=True, pincode="560095", status=S.closed),
        "e": _job(session, cleaning, customer, cleaner, paid=False, pincode="560034"),           # paid in cash
        "old": _job(session, plumbing, customer, plumber, paid=True, pincode="560034"),         # 40 days ago
    }
    now = utcnow()
    postings.cash_payment(session, jobs["e"], bill(jobs["e"]).total_paise, now=now)
    postings.refund_decided(session, jobs["d"], REFUND, now=now)
    postings.payout(session, plumber.id, PAYOUT, now=now)
    session.commit()
    for entry in session.exec(select(LedgerEntry).where(LedgerEntry.request_id == jobs["old"].id)):
        entry.created_at = now - timedelta(days=40)
        session.add(entry)
    session.commit()
    return World(actor_for(session, make_user(session, role=Role.admin)), jobs, {"plumber": plumber,
                                                                                  "cleaner": cleaner})


def _total(w: World, *keys: str) -> int:
    return sum(bill(w.jobs[k]).total_paise for k in keys)


def _income(w: World, *keys: str) -> int:
    return sum(bill(w.jobs[k]).commission_paise + bill(w.jobs[k]).platform_fee_paise for k in keys)


def test_totals_match_the_hand_computed_sums(session: Session, world: World) -> None:
    w = world
    report = finance.finance_report(session=session, actor=w.admin)
    t = report.totals
    assert t.received_paise == _total(w, "a", "b", "d", "e")  # online and cash; not the unpaid job
    assert t.refunds_paise == REFUND
    assert t.revenue_paise == _total(w, "a", "b", "d", "e") - REFUND
    assert t.commission_paise == _income(w, "a", "b", "c", "d", "e")  # earned when charged, paid or not
    assert t.commission_paise > 0 and _income(w, "b") == bill(w.jobs["b"]).commission_paise + 4_900
    assert t.gst_paise == sum(bill(w.jobs[k]).gst_paise for k in "abcde")
    assert t.payouts_paise == PAYOUT
    assert (report.last_day - report.first_day).days == finance.DEFAULT_DAYS - 1
    assert sum((f for _, f in report.by_day), finance.ZERO) == t  # the days add up to the range
    assert report.by_day[-1][0] == utcnow().astimezone(IST).date().isoformat()
    assert len(report.by_day) == finance.DEFAULT_DAYS


def test_by_service_and_by_city(session: Session, world: World) -> None:
    w = world
    report = finance.finance_report(session=session, actor=w.admin)
    services = dict(report.by_service)
    assert services["Plumbing"].revenue_paise == _total(w, "a", "d") - REFUND
    assert services["Cleaning"].revenue_paise == _total(w, "b", "e")
    assert services["Plumbing"].commission_paise == _income(w, "a", "c", "d")
    assert [name for name, _ in report.by_service] == sorted(services, key=lambda n: -services[n].revenue_paise)
    cities = dict(report.by_city)
    assert set(cities) == {"Bengaluru", "Mumbai"}  # 560034 and 560095; 400050 (Mumbai Suburban) and 400001
    assert cities["Bengaluru"].revenue_paise == _total(w, "a", "d", "e") - REFUND
    assert cities["Mumbai"].revenue_paise == _total(w, "b")
    assert cities["Mumbai"].gst_paise == bill(w.jobs["b"]).gst_paise + bill(w.jobs["c"]).gst_paise
    # payouts belong to no booking: in the totals, not in any service or city
    assert sum(f.payouts_paise for _, f in report.by_service) == 0


def test_a_range_typed_reaches_back_and_is_checked(session: Session, world: World) -> None:
    w = world
    today = utcnow().astimezone(IST).date()
    old_day = (utcnow() - timedelta(days=40)).astimezone(IST).date()
    report = finance.finance_report(session=session, actor=w.admin, date_from=old_day.isoformat(),
                                    date_to=old_day.isoformat())
    assert report.by_day == [(old_day.isoformat(), report.totals)]
    assert report.totals.revenue_paise == _total(w, "old") and report.totals.payouts_paise == 0
    whole = finance.finance_report(session=session, actor=w.admin, date_from=(today - timedelta(days=60)).isoformat())
    assert whole.totals.revenue_paise == _total(w, "a", "b", "d", "e", "old") - REFUND
    for date_from, date_to, field in ((today.isoformat(), (today - timedelta(days=1)).isoformat(), "date_from"),
                                      ((today - timedelta(days=400)).isoformat(), today.isoformat(), "date_from"),
                                      ("yesterday", "", "date_from"), ("", "31/12/2026", "date_to")):
        with pytest.raises(ValidationFailed) as err:
            finance.finance_report(session=session, actor=w.admin, date_from=date_from, date_to=date_to)
        assert field in err.value.fields


def test_payouts_due_is_what_a_run_would_pay_now(session: Session, world: World) -> None:
    w = world
    share = {k: bill(r).professional_paise for k, r in w.jobs.items()}
    # the plumber: paid jobs a, d, old, less the payout; c is unpaid, so its share waits, and so does
    # as much of d's as was refunded (the refund leaves d's receivable positive: `payables`' rule)
    plumber = share["a"] + share["d"] - min(share["d"], REFUND) + share["old"] - PAYOUT
    # the cleaner: b is paid; for e they hold the whole bill in cash, which offsets what they are owed
    cleaner = max(0, share["b"] + share["e"] - bill(w.jobs["e"]).total_paise)
    assert finance.payouts_due(session=session, actor=w.admin) == plumber + cleaner


def test_the_dashboard_revenue_uses_the_same_definition(session: Session, world: World) -> None:
    now = utcnow()
    month_start = finance.day_start(now.astimezone(IST).date().replace(day=1))
    d = stats.dashboard(session=session, actor=world.admin, now=now)
    assert d.revenue_month_paise == finance.figures_between(session, month_start, now).revenue_paise
    if (now - timedelta(days=40)) < month_start:  # the old job is last month's whenever this runs
        assert d.revenue_month_paise == _total(world, "a", "b", "d", "e") - REFUND


def test_no_data_gives_zeros_for_every_day(session: Session) -> None:
    admin = actor_for(session, make_user(session, role=Role.admin))
    report = finance.finance_report(session=session, actor=admin)
    assert report.totals == finance.ZERO and report.by_service == [] and report.by_city == []
    assert all(f == finance.ZERO for _, f in report.by_day) and len(report.by_day) == finance.DEFAULT_DAYS


def test_more_than_ten_services_end_in_others(session: Session) -> None:
    admin = actor_for(session, make_user(session, role=Role.admin))
    customer = make_user(session)
    for i in range(finance.TOP + 2):
        service = make_service(session, name=f"Svc {i:02d}", price_paise=10_000 + 1_000 * i)
        pro = make_user(session, role=Role.professional, service=service)
        _job(session, service, customer, pro, paid=True, pincode="560034")
    report = finance.finance_report(session=session, actor=admin)
    assert len(report.by_service) == finance.TOP + 1 and report.by_service[-1][0] == finance.OTHERS
    assert sum((f for _, f in report.by_service), finance.ZERO).revenue_paise == report.totals.revenue_paise


@pytest.mark.parametrize("who", ["anonymous", "customer", "professional"])
def test_only_admins_see_the_figures(session: Session, who: str) -> None:
    actor = None if who == "anonymous" else actor_for(session, make_user(session, role=Role(who)))
    expected = NotAuthenticated if actor is None else Forbidden
    with pytest.raises(expected):
        finance.finance_report(session=session, actor=actor)
    with pytest.raises(expected):
        finance.payouts_due(session=session, actor=actor)


@pytest.mark.parametrize(("pincode", "name"), [("560034", "Bengaluru"), ("400050", "Mumbai"), ("110024", "Delhi"),
                                               ("682001", "Kochi"), ("302001", "Jaipur"), ("999999", "")])
def test_city_of_a_pincode(pincode: str, name: str) -> None:
    assert city(pincode) == name
