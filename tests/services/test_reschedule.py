"""Rescheduling an accepted job: one side proposes, the other accepts or declines; with injected time.

What must hold: only the other side answers; a time that cannot work is refused beside the field
before anyone is asked; the slot moves only on acceptance and only if the professional is still
free; everything keyed on the slot (reminders, the 2-hour cancellation rule) follows it; both
sides hear of each step; and an open proposal never outlives the job's assigned phase.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import Session, col, select

from hsa.models import AuditLog, Notification, ReminderSent, RequestStatus, Role, ServiceRequest, User
from hsa.services import bookings, reminders
from hsa.services.errors import Conflict, InvalidTransition, ValidationFailed
from hsa.services.process.reschedule import PRO_BUSY, SAME_TIME, YOU_BUSY
from hsa.services.scheduling import IST
from tests.factories import actor_for, fresh, make_request, make_service, make_user
from tests.factories import notes_of as notes

DAY = (datetime.now(IST) + timedelta(days=2)).date()
NOW = datetime.combine(DAY - timedelta(days=1), time(12, 0), tzinfo=IST)


def ist(hhmm: str, day: date = DAY) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=IST)


@pytest.fixture
def world(session: Session) -> dict:
    plumbing = make_service(session, name="Plumbing", minutes=60)
    pro = make_user(session, role=Role.professional, full_name="Ravi Kumar", service=plumbing)
    asha = make_user(session, full_name="Asha Rao")
    job = make_request(session, customer=asha, service=plumbing, status=RequestStatus.assigned, professional=pro,
                       scheduled_at=ist("10:00"))
    job.start_code = "4821"
    session.add(job)
    session.commit()
    return {"service": plumbing, "pro": pro, "asha": asha, "job": job}


def act(session: Session, user: User, req: ServiceRequest, action: str, data: dict | None = None,
        now: datetime = NOW, key: str | None = None) -> bookings.RequestView:
    return bookings.transition(session=session, actor=actor_for(session, user), request_id=req.id, action=action,
                               data=data, now=now, idempotency_key=key)


def propose(session: Session, user: User, req: ServiceRequest, hhmm: str, day: date = DAY,
            now: datetime = NOW) -> bookings.RequestView:
    return act(session, user, req, "propose_time", {"day": day.isoformat(), "time": hhmm}, now=now)


def view_for(session: Session, user: User, req: ServiceRequest, now: datetime = NOW) -> bookings.RequestView:
    return bookings.get_request(session=session, actor=actor_for(session, user), request_id=req.id, now=now)


def test_customer_proposes_and_the_professional_accepts(session: Session, world: dict) -> None:
    asha, ravi, job = world["asha"], world["pro"], world["job"]
    mine = propose(session, asha, job, "15:00")
    row = fresh(session, job)
    assert row.scheduled_at == ist("10:00") and row.reschedule_to == ist("15:00") and row.reschedule_by_id == asha.id
    new_label = mine.reschedule_to
    assert new_label.endswith("15:00") and mine.reschedule_by == "customer"
    # The proposer waits: no answering their own proposal, no second proposal on top.
    assert not {"propose_time", "accept_time", "decline_time"} & set(mine.actions)
    theirs = view_for(session, ravi, job)
    assert theirs.reschedule_to == new_label and theirs.reschedule_by == "customer"
    assert {"accept_time", "decline_time"} <= set(theirs.actions) and "propose_time" not in theirs.actions
    [told] = notes(session, ravi)
    assert told.title == "New time proposed" and told.request_id == job.id
    assert "Asha asked to move" in told.body and new_label in told.body and theirs.when in told.body
    assert notes(session, asha) == []  # the actor is never told of their own move

    moved = act(session, ravi, job, "accept_time")
    row = fresh(session, job)
    assert row.scheduled_at == ist("15:00") and row.reschedule_to is None and row.reschedule_by_id is None
    assert row.status is RequestStatus.assigned and row.start_code == "4821"
    assert moved.when == new_label and moved.reschedule_to == ""
    assert view_for(session, asha, job).when == new_label
    [accepted] = notes(session, asha)
    assert accepted.title == "New time accepted" and f"Ravi accepted {new_label}" in accepted.body
    assert len(notes(session, ravi)) == 1
    audit = session.exec(select(AuditLog.action).where(AuditLog.target_id == job.id)).all()
    assert audit == ["request.propose_time", "request.accept_time"]


def test_professional_proposes_and_the_customer_declines(session: Session, world: dict) -> None:
    asha, ravi, job = world["asha"], world["pro"], world["job"]
    mine = propose(session, ravi, job, "11:00", DAY + timedelta(days=1))
    assert mine.reschedule_by == "professional"
    theirs = view_for(session, asha, job)
    assert {"accept_time", "decline_time"} <= set(theirs.actions) and theirs.reschedule_by == "professional"
    [told] = notes(session, asha)
    assert told.title == "New time proposed" and "Ravi asked to move" in told.body

    kept = act(session, asha, job, "decline_time")
    row = fresh(session, job)
    assert row.scheduled_at == ist("10:00") and row.reschedule_to is None and row.reschedule_by_id is None
    assert kept.reschedule_to == "" and "propose_time" in kept.actions  # either side may propose again now
    [declined] = notes(session, ravi)
    assert declined.title == "New time declined"
    assert f"Asha can't do {mine.reschedule_to}" in declined.body and f"stays at {kept.when}" in declined.body


def test_only_the_other_side_answers_and_one_proposal_waits_at_a_time(session: Session, world: dict) -> None:
    asha, ravi, job = world["asha"], world["pro"], world["job"]
    propose(session, asha, job, "15:00")
    before, count = fresh(session, job).model_dump(), len(notes(session, ravi))
    for who, action, data in ((asha, "accept_time", None), (asha, "decline_time", None),
                              (asha, "propose_time", {"day": DAY.isoformat(), "time": "16:00"}),
                              (ravi, "propose_time", {"day": DAY.isoformat(), "time": "17:00"})):
        with pytest.raises(InvalidTransition) as refused:
            act(session, who, job, action, data)
        session.rollback()
        expected = ("A new time is already waiting for an answer." if action == "propose_time"
                    else "There is no new time for you to answer.")
        assert refused.value.message == expected
    assert fresh(session, job).model_dump() == before and len(notes(session, ravi)) == count
    # Nothing to answer when nothing is proposed.
    act(session, ravi, job, "decline_time")
    with pytest.raises(InvalidTransition):
        act(session, ravi, job, "accept_time")


def test_other_people_cannot_propose_or_answer(session: Session, world: dict) -> None:
    job, service = world["job"], world["service"]
    stranger = make_user(session)
    other_pro = make_user(session, role=Role.professional, service=service)
    admin = make_user(session, role=Role.admin)
    for who in (stranger, other_pro, admin):
        with pytest.raises(Exception) as refused:
            propose(session, who, job, "15:00")
        session.rollback()
        assert type(refused.value).__name__ in {"NotFound", "Forbidden"}
    assert fresh(session, job).reschedule_to is None


@pytest.mark.parametrize(("day_offset", "hhmm", "field", "message"), [
    (-2, "11:00", "day", "Choose a time in the future."),
    (0, "21:00", "time", "Choose a start time so the job fits between 08:00 and 20:00."),
    (0, "19:30", "time", "Choose a start time so the job fits between 08:00 and 20:00."),  # would end 20:30
    (70, "11:00", "day", "Bookings open up to 60 days ahead."),
    (0, "10:00", "time", SAME_TIME),
], ids=["past", "after-hours", "runs-past-closing", "too-far", "same-time"])
def test_a_time_that_cannot_work_is_refused_beside_its_field(session: Session, world: dict, day_offset: int,
                                                             hhmm: str, field: str, message: str) -> None:
    asha, ravi, job = world["asha"], world["pro"], world["job"]
    with pytest.raises(ValidationFailed) as refused:
        propose(session, asha, job, hhmm, DAY + timedelta(days=day_offset))
    session.rollback()
    assert refused.value.fields == {field: message}
    row = fresh(session, job)
    assert row.reschedule_to is None and row.scheduled_at == ist("10:00") and notes(session, ravi) == []


def test_a_time_the_professional_is_already_booked_for_is_refused_at_once(session: Session, world: dict) -> None:
    asha, ravi, job = world["asha"], world["pro"], world["job"]
    make_request(session, customer=make_user(session), service=world["service"], status=RequestStatus.assigned,
                 professional=ravi, scheduled_at=ist("14:30"))
    with pytest.raises(ValidationFailed) as customer_told:
        propose(session, asha, job, "15:00")  # overlaps 14:30–15:30
    session.rollback()
    assert customer_told.value.fields == {"time": f"{PRO_BUSY} Choose another time."}
    with pytest.raises(ValidationFailed) as pro_told:
        propose(session, ravi, job, "14:00")  # 14:00–15:00 overlaps too
    session.rollback()
    assert pro_told.value.fields == {"time": f"{YOU_BUSY} Choose another time."}
    assert propose(session, asha, job, "15:30").reschedule_to.endswith("15:30")  # right after it: fine


def test_accepting_when_the_professional_took_another_job_then_is_a_conflict(session: Session, world: dict) -> None:
    """Proposed at 15:00; meanwhile Ravi accepts an open 15:00 job; his 'Accept new time' must fail."""
    asha, ravi, job, service = world["asha"], world["pro"], world["job"], world["service"]
    propose(session, asha, job, "15:00")
    other = make_request(session, customer=make_user(session), service=service, scheduled_at=ist("15:00"))
    act(session, ravi, other, "accept")  # a proposal holds no slot: the accept is allowed
    before, counts = fresh(session, job).model_dump(), (len(notes(session, asha)), len(notes(session, ravi)))
    with pytest.raises(Conflict) as clash:
        act(session, ravi, job, "accept_time")
    session.rollback()
    assert clash.value.message.startswith(PRO_BUSY)
    assert fresh(session, job).model_dump() == before
    assert (len(notes(session, asha)), len(notes(session, ravi))) == counts
    assert session.exec(select(AuditLog).where(AuditLog.action == "request.accept_time")).first() is None
    act(session, ravi, job, "decline_time")  # the way out: keep the old time
    assert fresh(session, job).scheduled_at == ist("10:00")


def test_a_proposal_whose_time_has_passed_cannot_be_accepted(session: Session, world: dict) -> None:
    asha, ravi, job = world["asha"], world["pro"], world["job"]
    propose(session, ravi, job, "09:00")  # earlier than booked
    with pytest.raises(InvalidTransition) as late:
        act(session, asha, job, "accept_time", now=ist("09:30"))
    session.rollback()
    assert "no new time" in late.value.message  # a passed proposal is moot: nothing left to answer
    assert fresh(session, job).scheduled_at == ist("10:00")
    assert not {"accept_time", "decline_time"} & set(act(session, asha, job, "propose_time", {
        "day": DAY.isoformat(), "time": "15:00"}, now=ist("09:30")).actions)  # and it no longer blocks a new one
    assert fresh(session, job).reschedule_to == ist("15:00")


def test_a_repeated_proposal_with_the_same_key_is_sent_once(session: Session, world: dict) -> None:
    asha, ravi, job = world["asha"], world["pro"], world["job"]
    data = {"day": DAY.isoformat(), "time": "15:00"}
    first = act(session, asha, job, "propose_time", data, key="propose-tap-0001")
    again = act(session, asha, job, "propose_time", data, key="propose-tap-0001")
    assert first.reschedule_to == again.reschedule_to and len(notes(session, ravi)) == 1


def test_starting_or_cancelling_clears_an_open_proposal(session: Session, world: dict) -> None:
    asha, ravi, job, service = world["asha"], world["pro"], world["job"], world["service"]
    propose(session, asha, job, "15:00")
    started = act(session, ravi, job, "start", {"code": "4821"}, now=ist("09:50"))
    row = fresh(session, job)
    assert row.status is RequestStatus.in_progress and row.reschedule_to is None and started.reschedule_to == ""

    other = make_request(session, customer=asha, service=service, status=RequestStatus.assigned, professional=ravi,
                         scheduled_at=ist("12:00", DAY + timedelta(days=1)))
    propose(session, ravi, other, "13:00", DAY + timedelta(days=1))
    cancelled = act(session, asha, other, "cancel", {"reason": "Plans changed"})
    row = fresh(session, other)
    assert row.status is RequestStatus.cancelled and row.reschedule_to is None and row.reschedule_by_id is None
    assert cancelled.reschedule_to == ""  # a cancelled card shows no "asks to move" callout


def test_the_free_cancellation_window_follows_the_new_time(session: Session, world: dict) -> None:
    asha, ravi, job = world["asha"], world["pro"], world["job"]
    propose(session, asha, job, "18:00")
    act(session, ravi, job, "accept_time")
    # 09:30 is within 3 h of the old 10:00 slot but 8.5 h before the new one: free.
    assert view_for(session, asha, job, now=ist("09:30")).cancel_terms.startswith("Free")
    late = view_for(session, asha, job, now=ist("16:30"))
    assert "cancel" in late.actions and late.cancel_terms.startswith("A cancellation fee of")
    assert act(session, asha, job, "cancel", {"reason": "Plans changed"}, now=ist("09:30")).status == "cancelled"
    session.refresh(job)
    assert job.cancel_fee_paise == 0


class _Mail:
    def __init__(self) -> None:
        self.sent: list = []

    def send(self, message) -> None:  # noqa: ANN001
        self.sent.append(message)


def _customer_reminders(session: Session, job: ServiceRequest) -> list[str]:
    return list(session.exec(select(ReminderSent.key).where(ReminderSent.kind == reminders.CUSTOMER_HOUR,
                                                            ReminderSent.request_id == job.id)
                             .order_by(col(ReminderSent.id))))


def _key(job: ServiceRequest, hhmm: str) -> str:
    return f"{job.id}@{ist(hhmm).astimezone(UTC):%Y%m%dT%H%MZ}"


def test_a_moved_job_is_reminded_at_its_new_time(session: Session, world: dict) -> None:
    """The 1-hour reminder keys on the slot: sent for 10:00, moved to 15:00, sent again for 15:00."""
    asha, ravi, job = world["asha"], world["pro"], world["job"]
    mail = _Mail()
    reminders.send_due_reminders(session=session, now=ist("09:10"), mailer=mail)
    assert _customer_reminders(session, job) == [_key(job, "10:00")]
    propose(session, asha, job, "15:00", now=ist("09:15"))
    act(session, ravi, job, "accept_time", now=ist("09:20"))
    reminders.send_due_reminders(session=session, now=ist("09:30"), mailer=mail)  # old slot: nothing more
    assert len(_customer_reminders(session, job)) == 1
    reminders.send_due_reminders(session=session, now=ist("13:50"), mailer=mail)  # 70 min before: not yet
    assert len(_customer_reminders(session, job)) == 1
    reminders.send_due_reminders(session=session, now=ist("14:05"), mailer=mail)
    assert _customer_reminders(session, job) == [_key(job, "10:00"), _key(job, "15:00")]
    latest = session.exec(select(Notification).where(Notification.user_id == asha.id,
                                                     Notification.title.startswith("Plumbing at"))  # type: ignore[attr-defined]
                          .order_by(col(Notification.id).desc())).first()
    assert latest is not None and latest.title == "Plumbing at 15:00 today"
    assert mail.sent[-1].subject == "Reminder: your Plumbing booking at 15:00 today"


def test_the_professional_digest_lists_the_job_on_its_new_day(session: Session, world: dict) -> None:
    asha, ravi, job = world["asha"], world["pro"], world["job"]
    tomorrow = DAY + timedelta(days=1)
    propose(session, ravi, job, "11:00", tomorrow)
    act(session, asha, job, "accept_time")
    mail = _Mail()
    reminders.send_due_reminders(session=session, now=ist("07:05"), mailer=mail)
    reminders.send_due_reminders(session=session, now=ist("07:05", tomorrow), mailer=mail)
    digests = [n for n in notes(session, ravi) if n.title.startswith("Today:")]
    assert [d.title for d in digests] == ["Today: 1 job"]  # none on the old day, one on the new day
    assert digests[0].body.startswith("11:00 Plumbing")
