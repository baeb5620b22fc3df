"""A professional's weekly hours, buffer, horizon and date overrides (issue #19): what they write
is what is stored and read back; bad hours are refused beside their field and change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from hsa.models import AuditLog, AvailabilityOverride, ProfessionalProfile, Role, utcnow
from hsa.services import availability
from hsa.services.errors import Forbidden, ValidationFailed
from hsa.services.scheduling import local_date
from tests.factories import actor_for, make_user

WEEK = {"mon": "09:00-13:00, 14:00-19:00", "tue": "9-13", "wed": "", "thu": "08:00-20:00", "fri": "10.30-12:00",
        "sat": "10:00 to 14:00", "sun": "", "buffer_minutes": "30", "horizon_days": "14"}


def test_ranges_are_read_as_people_write_them() -> None:
    assert availability.parse_ranges("09:00-13:00, 14:00-19:00") == ((540, 780), (840, 1140))
    assert availability.parse_ranges("14-19; 9-13") == ((540, 780), (840, 1140))  # sorted
    assert availability.parse_ranges("  ") == ()
    assert availability.format_ranges(availability.parse_ranges("9-13,14:30 – 16")) == "09:00-13:00, 14:30-16:00"


@pytest.mark.parametrize(("text", "says"), [
    ("nine to five", "Write hours like"),
    ("13:00-09:00", "ends before it starts"),
    ("07:00-12:00", "between 08:00 and 20:00"),
    ("18:00-21:00", "between 08:00 and 20:00"),
    ("09:00-13:00, 12:00-15:00", "overlap"),
    ("8-9, 10-11, 12-13, 14-15, 16-17", "At most 4"),
    ("09:75-10:00", "Write hours like"),
])
def test_bad_ranges_say_why(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        availability.parse_ranges(text)


def test_hours_round_trip_and_a_bad_day_changes_nothing(session) -> None:  # noqa: ANN001 - fixture
    pro = make_user(session, role=Role.professional)
    actor = actor_for(session, pro)
    before = availability.get_availability(session=session, actor=actor)
    assert before.weekly == ("08:00-20:00",) * 7  # never set: the platform's hours
    assert (before.buffer_minutes, before.horizon_days) == (0, 60)

    saved = availability.set_hours(session=session, actor=actor, data=WEEK)
    assert saved.weekly == ("09:00-13:00, 14:00-19:00", "09:00-13:00", "", "08:00-20:00", "10:30-12:00",
                            "10:00-14:00", "")
    assert (saved.buffer_minutes, saved.horizon_days) == (30, 14)

    with pytest.raises(ValidationFailed) as caught:
        availability.set_hours(session=session, actor=actor, data={**WEEK, "mon": "9-25", "tue": "x",
                                                                  "buffer_minutes": "7", "horizon_days": "999"})
    assert set(caught.value.fields) == {"mon", "tue", "buffer_minutes", "horizon_days"}
    session.expire_all()
    assert availability.get_availability(session=session, actor=actor) == saved
    assert session.exec(select(AuditLog).where(AuditLog.action == "availability.hours")).all()


def test_customers_have_no_hours(session) -> None:  # noqa: ANN001 - fixture
    customer = actor_for(session, make_user(session))
    with pytest.raises(Forbidden):
        availability.set_hours(session=session, actor=customer, data=WEEK)
    with pytest.raises(Forbidden):
        availability.add_override(session=session, actor=customer, data={"start": "2030-01-01"})


def test_days_off_cover_a_range_and_repeating_changes_nothing(session) -> None:  # noqa: ANN001 - fixture
    pro = make_user(session, role=Role.professional)
    actor = actor_for(session, pro)
    today = local_date(utcnow())
    first, last = today + timedelta(days=2), today + timedelta(days=4)
    data = {"start": first.isoformat(), "end": last.isoformat(), "hours": ""}
    view = availability.add_override(session=session, actor=actor, data=data)
    again = availability.add_override(session=session, actor=actor, data=data)
    assert view == again
    assert [o.day for o in view.overrides] == [(first + timedelta(days=i)).isoformat() for i in range(3)]
    assert {o.hours for o in view.overrides} == {"Off all day"}

    other = availability.add_override(session=session, actor=actor,
                                      data={"start": first.isoformat(), "hours": "10-12"})
    assert [o.hours for o in other.overrides] == ["10:00-12:00", "Off all day", "Off all day"]
    rows = session.exec(select(AvailabilityOverride).where(AvailabilityOverride.user_id == pro.id)).all()
    assert len(rows) == 3

    after = availability.remove_override(session=session, actor=actor, day=first.isoformat())
    assert [o.day for o in after.overrides] == [(first + timedelta(days=i)).isoformat() for i in (1, 2)]


@pytest.mark.parametrize(("data", "field"), [
    ({"start": "yesterday"}, "start"),
    ({"start": "2001-01-01"}, "start"),
    ({"start": "+3", "end": "+1"}, "end"),
    ({"start": "+1", "end": "+40"}, "end"),
    ({"start": "+1", "hours": "06:00-07:00"}, "hours"),
    ({"start": "+70"}, "start"),
])
def test_bad_overrides_are_refused_beside_the_field(session, data: dict, field: str) -> None:  # noqa: ANN001
    actor = actor_for(session, make_user(session, role=Role.professional))
    today = local_date(utcnow())
    data = {k: (today + timedelta(days=int(v))).isoformat() if v.startswith("+") else v for k, v in data.items()}
    with pytest.raises(ValidationFailed) as caught:
        availability.add_override(session=session, actor=actor, data=data)
    assert field in caught.value.fields
    assert session.exec(select(AvailabilityOverride)).all() == []


def test_stored_hours_are_what_slots_read(session) -> None:  # noqa: ANN001 - fixture
    pro = make_user(session, role=Role.professional)
    availability.set_hours(session=session, actor=actor_for(session, pro), data=WEEK)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    week = availability.weekly(profile.weekly_hours)
    assert week[0] == ((540, 780), (840, 1140)) and week[2] == () and len(week) == 7
