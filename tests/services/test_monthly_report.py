"""The monthly report: sent on the 1st (IST) to every active admin, exactly once however many passes
or workers run, with last month's figures and its requests CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from hsa.models import ApprovalStatus, ProfessionalProfile, ReminderSent, RequestStatus, Role, UserStatus, utcnow
from hsa.services import exports, monthly_report, reminders
from hsa.services.errors import Forbidden
from hsa.services.money import finance
from hsa.services.money.pricing import bill
from hsa.services.scheduling import IST
from hsa.services.views import rupees
from tests.factories import Recorder, actor_for, make_request, make_service, make_user

S = RequestStatus


def _first_of_next_month(hour: int = 0, minute: int = 5, day: int = 1) -> datetime:
    """00:05 IST on the 1st after today: the rows a test makes now are in the month reported."""
    today = utcnow().astimezone(IST).date()
    following = (today.replace(day=28) + timedelta(days=4)).replace(day=day)
    return datetime.combine(following, time(hour, minute), tzinfo=IST)


@pytest.fixture
def world(session: Session) -> dict:
    plumbing = make_service(session, name="Plumbing", price_paise=29_900)
    cleaning = make_service(session, name="Cleaning", price_paise=49_900)
    customer = make_user(session)
    pro = make_user(session, role=Role.professional, service=plumbing, full_name="Pia Pro")
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.approval_status, profile.reviewed_at = ApprovalStatus.approved, utcnow()
    session.add(profile)
    admins = [make_user(session, role=Role.admin, full_name=name, email=f"{name.split()[0].lower()}@example.com")
              for name in ("Asha Admin", "Bala Boss")]
    blocked = make_user(session, role=Role.admin, email="gone@example.com", status=UserStatus.blocked)
    paid = [make_request(session, customer=customer, service=plumbing, status=S.completed, professional=pro,
                         paid=True) for _ in range(2)]
    make_request(session, customer=customer, service=cleaning)
    make_request(session, customer=customer, service=plumbing, status=S.cancelled)
    old = make_request(session, customer=customer, service=plumbing)
    old.created_at = utcnow() - timedelta(days=70)  # two months back: not in the report
    session.add(old)
    session.commit()
    return {"admins": admins, "blocked": blocked, "paid": paid, "old": old}


def test_sent_once_on_the_first_to_every_active_admin(session: Session, world: dict) -> None:
    mailer = Recorder()
    first = _first_of_next_month()
    assert monthly_report.send_monthly_report(session=session, now=first.astimezone(IST), mailer=mailer) is True
    assert sorted(m.to for m in mailer.sent) == ["asha@example.com", "bala@example.com"]  # not the blocked one
    for later in (first + timedelta(minutes=1), first + timedelta(hours=20), first + timedelta(days=1)):
        assert monthly_report.send_monthly_report(session=session, now=later, mailer=mailer) is False
    assert len(mailer.sent) == 2
    claims = session.exec(select(ReminderSent).where(ReminderSent.kind == monthly_report.KIND)).all()
    month = (first - timedelta(days=1)).strftime("%Y-%m")
    assert [c.key for c in claims] == [month]


def test_the_reminder_pass_sends_it_and_a_second_pass_does_not(session: Session, world: dict,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    mailer = Recorder()
    monkeypatch.setattr(reminders, "mailer_from_settings", lambda: mailer)
    session.commit()
    first = _first_of_next_month(hour=9)
    reminders.run_reminders_once(now=first)
    reminders.run_reminders_once(now=first + timedelta(minutes=1))
    reports = [m for m in mailer.sent if m.subject.startswith("HomeServe monthly report")]
    assert len(reports) == 2 and len({m.to for m in reports}) == 2


def test_not_sent_mid_month_and_caught_up_until_the_third(session: Session, world: dict) -> None:
    mailer = Recorder()
    assert not monthly_report.send_monthly_report(session=session, now=_first_of_next_month(day=15), mailer=mailer)
    assert not monthly_report.send_monthly_report(session=session, now=_first_of_next_month(day=4), mailer=mailer)
    assert mailer.sent == []
    assert monthly_report.send_monthly_report(session=session, now=_first_of_next_month(day=3), mailer=mailer)
    assert len(mailer.sent) == 2


def test_content_figures_and_the_requests_csv(session: Session, world: dict) -> None:
    mailer = Recorder()
    first = _first_of_next_month()
    monthly_report.send_monthly_report(session=session, now=first, mailer=mailer)
    message = next(m for m in mailer.sent if m.to == "asha@example.com")
    month = first.date() - timedelta(days=1)
    assert message.subject == f"HomeServe monthly report: {month:%B %Y}"
    body = message.body
    total = sum(bill(r).total_paise for r in world["paid"])
    gst = sum(bill(r).gst_paise for r in world["paid"])
    commission = sum(bill(r).commission_paise for r in world["paid"])
    assert body.startswith("Hi Asha,")
    assert "Bookings made: 4 (1 waiting, 0 accepted, 0 in progress, 2 completed, 0 closed, 1 cancelled)" in body
    assert f"Revenue (received less refunds): {rupees(total)}" in body
    assert f"Commission and platform fees: {rupees(commission)}" in body and f"GST collected: {rupees(gst)}" in body
    assert "Refunds: ₹0" in body and "Payouts made: ₹0" in body
    assert "New professionals approved: 1" in body
    assert f"1. Plumbing: 3 bookings, {rupees(total)} revenue" in body and "2. Cleaning: 1 booking, ₹0" in body
    assert "/admin/finance" in body and "4 rows" in body
    (attachment,) = message.attachments
    assert attachment.filename == f"homeserve-requests-{month:%Y-%m}.csv" and attachment.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO(attachment.data.decode())))
    assert rows[0][0] == "request_id" and len(rows) == 5 and str(world["old"].id) not in [r[0] for r in rows]
    kept = [e for e in exports.recent_exports(session=session, actor=actor_for(session, world["admins"][0]))
            if e.title == f"Requests, {month:%B %Y}"]
    assert len(kept) == 1 and kept[0].url  # on the Finance page too, downloadable by an admin
    assert exports.prune(now=first + timedelta(days=30)) == 0  # the report's CSV is kept longer than a day


def test_the_figures_are_the_finance_pages(session: Session, world: dict) -> None:
    admin = actor_for(session, world["admins"][0])
    month = utcnow().astimezone(IST).date().replace(day=1)
    report = monthly_report.build_report(session=session, actor=admin, month=month)
    start, end = monthly_report.month_bounds(month)
    assert report.figures == finance.figures_between(session, start, end)
    assert report.bookings == 4 and report.professionals_approved == 1
    customer = actor_for(session, make_user(session))
    with pytest.raises(Forbidden):
        monthly_report.build_report(session=session, actor=customer, month=month)


def test_one_failing_address_does_not_stop_the_others(session: Session, world: dict) -> None:
    class Flaky(Recorder):
        def send(self, message) -> None:  # noqa: ANN001
            if message.to.startswith("asha"):
                raise OSError("mailbox full")
            super().send(message)
    mailer = Flaky()
    assert monthly_report.send_monthly_report(session=session, now=_first_of_next_month(), mailer=mailer)
    assert [m.to for m in mailer.sent] == ["bala@example.com"]
