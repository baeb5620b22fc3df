"""Slot computation (issue #19): working hours minus jobs within the buffer, overrides, horizon and
eligibility; the booking, its notices and accept all follow the same rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from hsa.models import ProfessionalProfile, RequestStatus, Role, ServiceRequest, UserStatus, utcnow
from hsa.services import availability, bookings, slots
from hsa.services.errors import Conflict, ValidationFailed
from hsa.services.scheduling import IST, local_date
from tests.factories import actor_for, make_request, make_service, make_user, notes_of

FAR = "400001"  # Mumbai: out of every Bengaluru professional's reach


def _day(days: int = 3):  # noqa: ANN202 - a date
    return local_date(utcnow()) + timedelta(days=days)


def _times(found: tuple[datetime, ...]) -> list[str]:
    return [f"{t.astimezone(IST):%H:%M}" for t in found]


def _hours(session, pro, **days: str) -> None:  # noqa: ANN001
    data = {d: days.get(d, "") for d in availability.WEEKDAYS}
    availability.set_hours(session=session, actor=actor_for(session, pro),
                           data={**data, "buffer_minutes": days.get("buffer", "0"), "horizon_days": "60"})


def _free(session, service, day=None, **kw) -> list[str]:  # noqa: ANN001
    return _times(slots.free_starts(session=session, service_id=service.id, pincode=kw.pop("pincode", "560034"),
                                    day=day or _day(), now=utcnow(), **kw))


def test_a_professional_who_never_set_hours_works_the_platform_hours(session) -> None:  # noqa: ANN001
    service = make_service(session, minutes=90)
    make_user(session, role=Role.professional, service=service)
    times = _free(session, service)
    assert times[0] == "08:00" and times[-1] == "18:30" and len(times) == 22  # 18:30 + 90 min = 20:00
    assert _free(session, service, pincode=FAR) == []


def test_several_ranges_a_day_and_the_job_must_fit_inside_one(session) -> None:  # noqa: ANN001
    service = make_service(session, minutes=60)
    pro = make_user(session, role=Role.professional, service=service)
    day = _day()
    _hours(session, pro, **{availability.WEEKDAYS[day.weekday()]: "09:00-11:30, 14:00-16:00"})
    assert _free(session, service, day) == ["09:00", "09:30", "10:00", "10:30", "14:00", "14:30", "15:00"]
    assert _free(session, service, day + timedelta(days=1)) == []  # every other weekday closed


def test_jobs_and_the_buffer_take_their_time_out(session) -> None:  # noqa: ANN001
    service = make_service(session, minutes=60)
    pro = make_user(session, role=Role.professional, service=service)
    day = _day()
    _hours(session, pro, **{availability.WEEKDAYS[day.weekday()]: "09:00-14:00", "buffer": "30"})
    job_at = datetime(day.year, day.month, day.day, 11, 0, tzinfo=IST).astimezone(UTC)
    make_request(session, customer=make_user(session), service=service, status=RequestStatus.assigned,
                 professional=pro, scheduled_at=job_at)
    # 11:00-12:00 taken; with 30 minutes either side, 10:30 (ends 11:30) and 12:00 are out too
    assert _free(session, service, day) == ["09:00", "09:30", "12:30", "13:00"]


def test_overrides_beat_the_weekly_hours(session) -> None:  # noqa: ANN001
    service = make_service(session, minutes=60)
    pro = make_user(session, role=Role.professional, service=service)
    actor = actor_for(session, pro)
    day = _day()
    availability.add_override(session=session, actor=actor, data={"start": day.isoformat(), "hours": ""})
    assert _free(session, service, day) == []
    availability.add_override(session=session, actor=actor, data={"start": day.isoformat(), "hours": "18-20"})
    assert _free(session, service, day) == ["18:00", "18:30", "19:00"]


def test_the_union_of_everyone_free_and_only_the_eligible_count(session) -> None:  # noqa: ANN001
    service, other = make_service(session, minutes=60), make_service(session, minutes=60)
    day, wd = _day(), availability.WEEKDAYS[_day().weekday()]
    morning = make_user(session, role=Role.professional, service=service)
    evening = make_user(session, role=Role.professional, service=service)
    _hours(session, morning, **{wd: "08:00-10:00"})
    _hours(session, evening, **{wd: "18:00-20:00"})
    assert _free(session, service, day) == ["08:00", "08:30", "09:00", "18:00", "18:30", "19:00"]
    # nobody else changes that: another service, out of reach, unapproved, blocked, off duty
    make_user(session, role=Role.professional, service=other)
    make_user(session, role=Role.professional, service=service, pincode=FAR)
    from hsa.models import ApprovalStatus
    make_user(session, role=Role.professional, service=service, approval=ApprovalStatus.pending)
    make_user(session, role=Role.professional, service=service, status=UserStatus.blocked)
    off = make_user(session, role=Role.professional, service=service)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == off.id)).one()
    profile.is_available = False
    session.commit()
    assert _free(session, service, day) == ["08:00", "08:30", "09:00", "18:00", "18:30", "19:00"]
    assert _free(session, service, day, professional_id=evening.id) == ["18:00", "18:30", "19:00"]


def test_a_professional_books_only_as_far_ahead_as_they_say(session) -> None:  # noqa: ANN001
    service = make_service(session)
    pro = make_user(session, role=Role.professional, service=service)
    availability.set_hours(session=session, actor=actor_for(session, pro),
                           data={**{d: "08:00-20:00" for d in availability.WEEKDAYS}, "buffer_minutes": "0",
                                 "horizon_days": "7"})
    assert _free(session, service, _day(7)) and _free(session, service, _day(8)) == []
    days = slots.open_days(session=session, service_id=service.id, pincode="560034", first=_day(5), now=utcnow())
    assert days == (True, True, True, False, False, False, False)


def test_the_lead_time_removes_starts_too_soon_to_accept(session) -> None:  # noqa: ANN001
    service = make_service(session, minutes=60)
    make_user(session, role=Role.professional, service=service)
    now = datetime.combine(_day(1), datetime.min.time(), tzinfo=IST).replace(hour=9).astimezone(UTC)
    times = _times(slots.free_starts(session=session, service_id=service.id, pincode="560034", day=_day(1), now=now))
    assert times[0] == "11:30"  # 09:00 + the 2 h 30 min booking lead


def _book(session, customer, service, day, at, **extra):  # noqa: ANN001, ANN202
    return bookings.book(session=session, actor=actor_for(session, customer),
                         data={"service_id": service.id, "day": day.isoformat(), "time": at,
                               "address": "1 MG Road", "pincode": "560034", **extra})


def test_booking_a_time_nobody_is_free_is_refused_beside_the_time(session) -> None:  # noqa: ANN001
    service = make_service(session, minutes=60)
    pro = make_user(session, role=Role.professional, service=service)
    day = _day()
    _hours(session, pro, **{availability.WEEKDAYS[day.weekday()]: "09:00-12:00"})
    customer = make_user(session)
    with pytest.raises(ValidationFailed) as caught:
        _book(session, customer, service, day, "15:00")
    assert caught.value.fields == {"time": "Nobody is free at that time. Choose one of the times shown."}
    with pytest.raises(ValidationFailed) as caught:
        _book(session, customer, service, day, "15:00", preferred_professional_id=pro.id)
    assert "They are not free" in caught.value.fields["time"]
    assert session.exec(select(ServiceRequest)).all() == []
    assert _book(session, customer, service, day, "10:15")  # off the grid, inside their hours


def test_new_job_notices_go_only_to_professionals_free_then(session) -> None:  # noqa: ANN001
    service = make_service(session, minutes=60)
    busy, free, closed = (make_user(session, role=Role.professional, service=service) for _ in range(3))
    day = _day()
    _hours(session, closed, **{availability.WEEKDAYS[day.weekday()]: "16:00-20:00"})
    at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=IST).astimezone(UTC)
    make_request(session, customer=make_user(session), service=service, status=RequestStatus.assigned,
                 professional=busy, scheduled_at=at + timedelta(minutes=30))
    _book(session, make_user(session), service, day, "10:00")
    assert [len(notes_of(session, p)) for p in (busy, free, closed)] == [0, 1, 0]


def test_accept_keeps_the_buffer(session) -> None:  # noqa: ANN001 - fixture
    service = make_service(session, minutes=60)
    pro = make_user(session, role=Role.professional, service=service)
    _hours(session, pro, **{d: "08:00-20:00" for d in availability.WEEKDAYS}, buffer="45")
    day, customer = _day(), make_user(session)
    at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=IST).astimezone(UTC)
    make_request(session, customer=customer, service=service, status=RequestStatus.assigned, professional=pro,
                 scheduled_at=at)
    close = make_request(session, customer=customer, service=service, scheduled_at=at + timedelta(minutes=90))
    later = make_request(session, customer=customer, service=service, scheduled_at=at + timedelta(minutes=105))
    actor = actor_for(session, pro)
    with pytest.raises(Conflict, match="already have a job at that time"):
        bookings.transition(session=session, actor=actor, request_id=close.id, action="accept")
    bookings.transition(session=session, actor=actor, request_id=later.id, action="accept")
    assert session.get(ServiceRequest, later.id).professional_id == pro.id
