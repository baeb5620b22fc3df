"""A professional who can no longer do an accepted job releases it: the booking goes back to the
pool (nearby professionals are told), the customer is told, and a release close to the slot is a
strike against the professional."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from hsa.models import Notification, RequestStatus, Role, Strike, utcnow
from hsa.services import bookings
from hsa.services.errors import Forbidden, NotFound, ValidationFailed
from hsa.services.scheduling import IST
from tests.factories import actor_for, fresh, make_request, make_service, make_user


def _assigned(session: Session, hours_ahead: float):  # noqa: ANN202
    """A job `hours_ahead` from now; a day or more ahead it is put at 11:00 IST that day, inside
    working hours, so the professionals told of it when it reopens are free then (whatever the
    time the suite runs: at 01:40 IST, 48 hours ahead is 01:40, when nobody works)."""
    at = utcnow() + timedelta(hours=hours_ahead)
    if hours_ahead >= 24:
        at = at.astimezone(IST).replace(hour=11, minute=0, second=0, microsecond=0)
    service = make_service(session)
    owner = make_user(session, full_name="Asha Rao")
    ravi = make_user(session, role=Role.professional, service=service, full_name="Ravi Kumar")
    sunil = make_user(session, role=Role.professional, service=service, full_name="Sunil Gowda", pincode="560095")
    req = make_request(session, customer=owner, service=service, status=RequestStatus.assigned, professional=ravi,
                       preferred=ravi, scheduled_at=at)
    return req, owner, ravi, sunil


def test_a_release_days_ahead_reopens_the_job_without_a_strike(session: Session) -> None:
    req, owner, ravi, sunil = _assigned(session, 48)
    with pytest.raises(ValidationFailed):
        bookings.transition(session=session, actor=actor_for(session, ravi), request_id=req.id, action="release",
                            data={"reason": ""})
    view = bookings.transition(session=session, actor=actor_for(session, ravi), request_id=req.id,
                               action="release", data={"reason": "My van broke down"})
    row = fresh(session, req)
    assert view.status == "requested" and row.professional_id is None and row.start_code == ""
    assert row.preferred_professional_id is None  # open to everyone nearby now
    assert session.exec(select(Strike)).all() == []
    told = {n.user_id: n.title for n in session.exec(select(Notification).where(Notification.request_id == req.id))}
    assert told[owner.id] == "Finding you another professional" and sunil.id in told
    accepted = bookings.transition(session=session, actor=actor_for(session, sunil), request_id=req.id,
                                   action="accept")
    assert accepted.status == "assigned" and accepted.professional_id == sunil.id


def test_a_release_within_the_free_cancellation_window_is_a_strike(session: Session) -> None:
    req, _, ravi, _ = _assigned(session, 2)
    bookings.transition(session=session, actor=actor_for(session, ravi), request_id=req.id, action="release",
                        data={"reason": "Double booked"})
    [strike] = session.exec(select(Strike)).all()
    assert strike.professional_id == ravi.id and strike.request_id == req.id and "Double booked" in strike.reason


def test_only_the_assigned_professional_may_release(session: Session) -> None:
    req, owner, _, sunil = _assigned(session, 48)
    for who, refusal in ((owner, Forbidden), (sunil, NotFound)):  # another pro is not told it exists
        with pytest.raises(refusal):
            bookings.transition(session=session, actor=actor_for(session, who), request_id=req.id,
                                action="release", data={"reason": "Not mine"})
    assert fresh(session, req).status is RequestStatus.assigned


def test_once_a_job_is_taken_the_other_professionals_offers_of_it_are_read(session: Session) -> None:
    """A stale "new job nearby" in the bell would send them to a job that is gone."""
    service = make_service(session)
    owner = make_user(session)
    ravi = make_user(session, role=Role.professional, service=service)
    sunil = make_user(session, role=Role.professional, service=service, pincode="560095")
    c = actor_for(session, owner)
    view = bookings.create_request(session=session, actor=c, data={
        "service_id": service.id, "day": (utcnow() + timedelta(days=2)).astimezone(IST).date().isoformat(),
        "time": "11:00", "address": "1 Test Street", "pincode": "560034"})

    def unread(user_id: int) -> int:
        session.commit()
        return len(session.exec(select(Notification).where(Notification.user_id == user_id,
                                                           Notification.request_id == view.id,
                                                           Notification.read_at.is_(None))).all())  # type: ignore[union-attr]

    assert unread(ravi.id) == 1 and unread(sunil.id) == 1
    bookings.transition(session=session, actor=actor_for(session, ravi), request_id=view.id, action="accept")
    assert unread(sunil.id) == 0  # withdrawn for the others …
    assert unread(ravi.id) == 1   # … the winner's own stays until they open it
