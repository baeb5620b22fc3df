"""Admin search filters: a bad value is refused on its own field instead of matching nothing."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from hsa.models import Role
from hsa.services import admin
from hsa.services.errors import ValidationFailed
from tests.factories import actor_for, make_request, make_service, make_user


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"date_from": "2026-12-10", "date_to": "2026-12-01"}, "date_from"),
    ({"date_from": "10/12/2026"}, "date_from"),
    ({"date_to": "soon"}, "date_to"),
    ({"pincode": "5600"}, "pincode"),
    ({"pincode": "56003x"}, "pincode"),
])
def test_bad_request_filters_name_their_field(session: Session, kwargs: dict, field: str) -> None:
    boss = actor_for(session, make_user(session, role=Role.admin))
    with pytest.raises(ValidationFailed) as exc:
        admin.search_requests(session=session, actor=boss, **kwargs)
    assert list(exc.value.fields) == [field]


def test_spaced_pincode_and_a_one_day_range_find_the_request(session: Session) -> None:
    boss = actor_for(session, make_user(session, role=Role.admin))
    req = make_request(session, customer=make_user(session), service=make_service(session))
    from hsa.services.scheduling import IST

    day = req.scheduled_at.astimezone(IST).date().isoformat()
    found = admin.search_requests(session=session, actor=boss, pincode="560 034", date_from=day, date_to=day)
    assert [r.id for r in found.rows] == [req.id]


def test_user_search_pincode_and_audit_target_id_are_checked(session: Session) -> None:
    boss = actor_for(session, make_user(session, role=Role.admin))
    with pytest.raises(ValidationFailed) as exc:
        admin.search_users(session=session, actor=boss, pincode="12")
    assert list(exc.value.fields) == ["pincode"]
    with pytest.raises(ValidationFailed) as exc:
        admin.audit_log(session=session, actor=boss, target_id="abc")
    assert list(exc.value.fields) == ["target_id"]
    assert admin.audit_log(session=session, actor=boss, target_id="").total >= 0
