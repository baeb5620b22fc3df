"""Weekly payouts: each professional is paid exactly what the journal says HomeServe owes them up to
the period end, once; cash holders and unpaid jobs are left out; runs racing each other pay once.

Run against PostgreSQL too: HSA_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/hsa_test.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from hsa.db import session_scope
from hsa.models import (
    Account,
    AuditLog,
    LedgerEntry,
    Payment,
    PaymentMethod,
    Payout,
    PayoutBatch,
    RequestStatus,
    Role,
    ServiceRequest,
    User,
    UserStatus,
    utcnow,
)
from hsa.services import bookings
from hsa.services.errors import Conflict, Forbidden, NotAuthenticated, ValidationFailed
from hsa.services.money import earnings, journal, payables, payouts, postings
from hsa.services.money.pricing import amount_due, bill
from hsa.services.scheduling import IST
from tests.factories import actor_for, make_request, make_service, make_user

S = RequestStatus
PP = Account.professional_payable


def _setup(session: Session, pros: int = 1) -> tuple:
    service = make_service(session, price_paise=29_900)
    admin = actor_for(session, make_user(session, role=Role.admin))
    customer = make_user(session)
    made = [make_user(session, role=Role.professional, service=service, full_name=f"Pro {i}") for i in range(pros)]
    return service, admin, customer, made


def _job(session: Session, service, customer, pro, *, paid: bool = True) -> ServiceRequest:  # noqa: ANN001
    return make_request(session, customer=customer, service=service, status=S.completed, professional=pro, paid=paid)


def _share(req: ServiceRequest) -> int:
    return bill(req).professional_paise


def _pay_online(session: Session, req: ServiceRequest) -> None:
    """The customer pays a completed job through the gateway (what capture posts)."""
    session.add(Payment(request_id=req.id, amount_paise=amount_due(req), method=PaymentMethod.upi, paid_at=utcnow()))
    postings.gateway_payment(session, req, amount_due(req), now=utcnow())
    session.commit()


def _run(session: Session, admin, when: datetime | None = None) -> payouts.BatchReport:  # noqa: ANN001
    now = utcnow()
    return payouts.run_batch(session=session, actor=admin, period_end=when or now, now=now)


def test_each_professional_is_paid_exactly_their_balance(session: Session) -> None:
    service, admin, customer, (a, b) = _setup(session, pros=2)
    jobs_a = [_job(session, service, customer, a) for _ in range(2)]
    job_b = _job(session, service, customer, b)
    owed = {a.id: -journal.balance(session, PP, user_id=a.id), b.id: -journal.balance(session, PP, user_id=b.id)}
    assert owed == {a.id: sum(_share(r) for r in jobs_a), b.id: _share(job_b)}

    report = _run(session, admin)

    assert {line.professional_id: line.amount_paise for line in report.payouts} == owed
    assert (report.count, report.total_paise) == (2, sum(owed.values()))
    rows = session.exec(select(Payout).where(Payout.batch_id == report.id)).all()
    assert {p.professional_id: p.amount_paise for p in rows} == owed
    batch = session.get(PayoutBatch, report.id)
    assert batch is not None and (batch.count, batch.total_paise, batch.created_by_id) == (2, sum(owed.values()),
                                                                                          admin.id)
    for pro in (a, b):  # settled: HomeServe owes them nothing now, and the books balance
        assert journal.balance(session, PP, user_id=pro.id) == 0
    assert journal.balance(session, Account.payouts) == -sum(owed.values())
    assert journal.unbalanced_transactions(session) == []
    txns = {p.txn for p in rows}
    assert len(txns) == 2 and all(t.startswith("payout-") for t in txns)
    assert session.exec(select(AuditLog).where(AuditLog.action == "payout.batch")).one().target_id == report.id


def test_a_second_run_pays_only_what_was_earned_since(session: Session) -> None:
    service, admin, customer, (pro,) = _setup(session)
    first_job = _job(session, service, customer, pro)
    first = _run(session, admin)
    assert first.total_paise == _share(first_job)
    cutoff = first.period_end

    with pytest.raises(Conflict, match="Nobody is owed"):  # the same period again: nothing new
        _run(session, admin, cutoff)
    later = _job(session, service, customer, pro)
    with pytest.raises(Conflict):  # still the old period: the new job is after its end
        _run(session, admin, cutoff)

    second = _run(session, admin)  # an overlapping, longer period
    assert [(line.professional_id, line.amount_paise) for line in second.payouts] == [(pro.id, _share(later))]
    assert sum(session.exec(select(Payout.amount_paise).where(Payout.professional_id == pro.id))) == \
        _share(first_job) + _share(later)
    assert journal.balance(session, PP, user_id=pro.id) == 0


def test_only_entries_up_to_the_period_end_count(session: Session) -> None:
    service, admin, customer, (pro,) = _setup(session)
    old = _job(session, service, customer, pro)
    new = _job(session, service, customer, pro)
    week_ago = utcnow() - timedelta(days=7)
    for entry in session.exec(select(LedgerEntry).where(LedgerEntry.request_id == old.id)):
        entry.created_at = week_ago - timedelta(hours=1)
        session.add(entry)
    session.commit()
    report = _run(session, admin, week_ago)
    assert report.total_paise == _share(old)
    assert _run(session, admin).total_paise == _share(new)


def test_a_professional_holding_cash_gets_nothing_and_is_listed_as_owing(session: Session) -> None:
    service, admin, customer, (cash_pro, online_pro) = _setup(session, pros=2)
    cash_job = _job(session, service, customer, cash_pro, paid=False)
    bookings.transition(session=session, actor=actor_for(session, cash_pro), request_id=cash_job.id,
                        action="collect_cash")
    online_job = _job(session, service, customer, online_pro)
    holds = journal.balance(session, PP, user_id=cash_pro.id)
    assert holds == amount_due(cash_job) - _share(cash_job) > 0  # commission, fee and GST in their pocket

    preview = payouts.preview_batch(session=session, actor=admin, period_end=utcnow(), now=utcnow())
    report = _run(session, admin)

    for r in (preview, report):
        assert [line.professional_id for line in r.payouts] == [online_pro.id]
        assert [(line.professional_id, line.amount_paise) for line in r.owes] == [(cash_pro.id, holds)]
    assert report.total_paise == _share(online_job)
    assert session.exec(select(Payout).where(Payout.professional_id == cash_pro.id)).first() is None
    assert journal.balance(session, PP, user_id=cash_pro.id) == holds  # untouched


def test_a_job_the_customer_has_not_paid_waits_for_the_payment(session: Session) -> None:
    service, admin, customer, (pro,) = _setup(session)
    paid = _job(session, service, customer, pro)
    unpaid = _job(session, service, customer, pro, paid=False)
    assert -journal.balance(session, PP, user_id=pro.id) == _share(paid) + _share(unpaid)  # charged already
    summary = earnings.summary(session=session, actor=actor_for(session, pro))
    assert (summary.ready_paise, summary.pending_paise) == (_share(paid), _share(unpaid))

    assert _run(session, admin).total_paise == _share(paid)
    _pay_online(session, unpaid)
    assert _run(session, admin).total_paise == _share(unpaid)
    assert journal.balance(session, PP, user_id=pro.id) == 0


def test_a_deleted_professional_is_held_not_paid(session: Session) -> None:
    service, admin, customer, (gone, here) = _setup(session, pros=2)
    _job(session, service, customer, gone)
    _job(session, service, customer, here)
    row = session.get(User, gone.id)
    assert row is not None
    row.status = UserStatus.deleted
    session.add(row)
    session.commit()
    report = _run(session, admin)
    assert [line.professional_id for line in report.payouts] == [here.id]
    assert [line.professional_id for line in report.held] == [gone.id]
    assert journal.balance(session, PP, user_id=gone.id) < 0  # still owed


def test_concurrent_runs_pay_once(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    service, admin, customer, pros = _setup(session, pros=3)
    real_owed = payables.owed

    def slow_owed(*args: object, **kwargs: object) -> dict:
        found = real_owed(*args, **kwargs)  # type: ignore[arg-type]
        time.sleep(0.1)  # every run has read before any has written: only the lock keeps them apart
        return found

    monkeypatch.setattr(payables, "owed", slow_owed)
    for pro in pros:
        _job(session, service, customer, pro)
    owed = {p.id: -journal.balance(session, PP, user_id=p.id) for p in pros}
    session.commit()
    runners = 6
    barrier = threading.Barrier(runners)
    outcomes: list[str] = []
    lock = threading.Lock()
    period_end = utcnow()

    def race() -> None:
        barrier.wait()
        try:
            with session_scope() as s:
                payouts.run_batch(session=s, actor=admin, period_end=period_end, now=utcnow())
            result = "paid"
        except Conflict:
            result = "nothing"
        except Exception as exc:  # noqa: BLE001 - any other outcome is a failure to see
            result = f"error: {exc!r}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=race) for _ in range(runners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["nothing"] * (runners - 1) + ["paid"], outcomes
    session.expire_all()
    rows = session.exec(select(Payout)).all()
    assert {p.professional_id: p.amount_paise for p in rows} == owed and len(rows) == len(pros)
    assert len(session.exec(select(PayoutBatch)).all()) == 1
    assert all(journal.balance(session, PP, user_id=p.id) == 0 for p in pros)


@pytest.mark.parametrize("role", [Role.customer, Role.professional])
def test_only_admins_run_list_or_download(session: Session, role: Role) -> None:
    service, admin, customer, (pro,) = _setup(session)
    _job(session, service, customer, pro)
    report = _run(session, admin)
    _job(session, service, customer, pro)
    intruder = actor_for(session, make_user(session, role=role))
    now = utcnow()
    for who, error in ((intruder, Forbidden), (None, NotAuthenticated)):
        with pytest.raises(error):
            payouts.run_batch(session=session, actor=who, period_end=now, now=now)
        with pytest.raises(error):
            payouts.preview_batch(session=session, actor=who, period_end=now, now=now)
        with pytest.raises(error):
            payouts.list_batches(session=session, actor=who)
        with pytest.raises(error):
            payouts.batch_csv(session=session, actor=who, batch_id=report.id)
    assert len(session.exec(select(PayoutBatch)).all()) == 1
    assert journal.balance(session, PP, user_id=pro.id) < 0  # the second job is still owed


def test_the_period_must_be_over_and_not_before_the_last_batch(session: Session) -> None:
    service, admin, customer, (pro,) = _setup(session)
    _job(session, service, customer, pro)
    now = utcnow()
    with pytest.raises(ValidationFailed) as exc:
        payouts.run_batch(session=session, actor=admin, period_end=now + timedelta(hours=1), now=now)
    assert "period_end" in exc.value.fields
    _run(session, admin)
    with pytest.raises(ValidationFailed) as exc:
        payouts.preview_batch(session=session, actor=admin, period_end=now - timedelta(days=1), now=utcnow())
    assert "already ran" in exc.value.fields["period_end"]
    with pytest.raises(ValidationFailed):
        payouts.parse_period("next sunday", now=now)


def test_bank_file_has_a_row_per_payout(session: Session) -> None:
    service, admin, customer, (a, b) = _setup(session, pros=2)
    row = session.get(User, b.id)
    assert row is not None
    row.full_name = "=HYPERLINK(\"http://evil\")"  # a spreadsheet must not run it
    session.add(row)
    session.commit()
    job_a, job_b = _job(session, service, customer, a), _job(session, service, customer, b)
    report = _run(session, admin)
    text = payouts.batch_csv(session=session, actor=admin, batch_id=report.id)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(payouts.CSV_HEADER)
    ids = {p.professional_id: p.id for p in session.exec(select(Payout).where(Payout.batch_id == report.id)
                                                         .order_by(col(Payout.id)))}
    day = report.period_end.astimezone(IST).date().isoformat()
    share = _share(job_a)
    assert rows[1] == ["Pro 0", a.phone, a.email, f"{share // 100}.{share % 100:02d}",
                       f"HS-PAYOUT-{report.id}-{ids[a.id]}", f"HomeServe payout to {day}"]
    assert rows[2][0] == "'=HYPERLINK(\"http://evil\")" and rows[2][3] == "239.20" == f"{_share(job_b) / 100:.2f}"
    assert len(rows) == 3
    assert session.exec(select(AuditLog).where(AuditLog.action == "payout.bank_file")).one().target_id == report.id
    listed = payouts.list_batches(session=session, actor=admin)
    assert [(r.id, r.count, r.total) for r in listed] == [(report.id, 2, report.total)]


def test_the_professionals_summary(session: Session) -> None:
    service, admin, customer, (pro,) = _setup(session)
    first = _job(session, service, customer, pro)
    me = actor_for(session, pro)
    empty = earnings.summary(session=session, actor=me)
    assert (empty.paid_out, empty.ready, empty.payouts) == ("₹0", "₹239.20", ())
    report = _run(session, admin)
    cash = _job(session, service, customer, pro, paid=False)
    bookings.transition(session=session, actor=me, request_id=cash.id, action="collect_cash")
    waiting = _job(session, service, customer, pro, paid=False)
    s = earnings.summary(session=session, actor=me)
    assert s.paid_out_paise == _share(first) and s.paid_out == "₹239.20"
    assert s.pending_paise == _share(waiting)
    assert s.cash_owed_paise == amount_due(cash) - _share(cash)  # the waiting share does not offset it
    assert s.ready_paise == 0
    assert [(p.amount, p.reference) for p in s.payouts] == [("₹239.20", f"HS-PAYOUT-{report.id}-"
                                                            f"{session.exec(select(Payout.id)).one()}")]
    with pytest.raises(Forbidden):
        earnings.summary(session=session, actor=admin)


@pytest.mark.parametrize(("now", "sunday"), [
    (datetime(2026, 12, 7, 3, 0, tzinfo=UTC), "2026-12-06"),     # Monday morning IST
    (datetime(2026, 12, 6, 17, 0, tzinfo=UTC), "2026-11-29"),    # Sunday 22:30 IST: that day is not over
    (datetime(2026, 12, 6, 18, 31, tzinfo=UTC), "2026-12-06"),   # Monday 00:01 IST
    (datetime(2026, 12, 12, 12, 0, tzinfo=UTC), "2026-12-06"),   # Saturday
])
def test_the_default_period_is_the_last_finished_sunday(now: datetime, sunday: str) -> None:
    day = payouts.default_period_day(now)
    assert day.isoformat() == sunday
    end = payouts.period_end_of(day).astimezone(IST)
    assert (end.date().isoformat(), end.hour, end.minute) == (sunday, 23, 59)
    assert payouts.period_end_of(day) <= now
