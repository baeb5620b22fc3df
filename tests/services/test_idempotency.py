"""Double submits and retries are safe: a repeated key returns the first result and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from hsa.models import IdempotencyKey, Notification, Payment, RequestStatus, Role, ServiceRequest, utcnow
from hsa.services import admin, bookings, idempotency
from hsa.services.errors import ValidationFailed
from hsa.services.scheduling import IST
from tests.factories import actor_for, bookable_service, make_request, make_user, slot

KEY = "page-key-0001"


def _form(sid: int, **over: object) -> dict:
    day = slot(1).astimezone(IST).date().isoformat()
    return {"service_id": sid, "day": day, "time": "10:00", "address": "12, 4th Cross, Koramangala",
            "pincode": "560034", "remarks": "Kitchen tap"} | over


def _count(session: Session, table: type) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def test_a_repeated_booking_key_returns_the_first_booking(session: Session) -> None:
    service = bookable_service(session)
    customer = actor_for(session, make_user(session))
    first = bookings.create_request(session=session, actor=customer, data=_form(service.id), idempotency_key=KEY)
    notes = _count(session, Notification)
    again = bookings.create_request(session=session, actor=customer, data=_form(service.id), idempotency_key=KEY)
    assert again.id == first.id
    assert _count(session, ServiceRequest) == 1 and _count(session, Notification) == notes


def test_a_new_key_is_a_new_booking_and_no_key_never_dedupes(session: Session) -> None:
    service = bookable_service(session)
    customer = actor_for(session, make_user(session))
    a = bookings.create_request(session=session, actor=customer, data=_form(service.id), idempotency_key=KEY)
    b = bookings.create_request(session=session, actor=customer, data=_form(service.id), idempotency_key=KEY + "x")
    c = bookings.create_request(session=session, actor=customer, data=_form(service.id))
    assert len({a.id, b.id, c.id}) == 3


def test_a_refused_call_stores_no_key_so_the_corrected_retry_runs(session: Session) -> None:
    service = bookable_service(session)
    customer = actor_for(session, make_user(session))
    with pytest.raises(ValidationFailed):
        bookings.create_request(session=session, actor=customer, data=_form(service.id, time="07:00"),
                                idempotency_key=KEY)
    assert _count(session, IdempotencyKey) == 0
    view = bookings.create_request(session=session, actor=customer, data=_form(service.id), idempotency_key=KEY)
    assert view.status == "requested"


def test_keys_are_per_user(session: Session) -> None:
    service = bookable_service(session)
    one, two = (actor_for(session, make_user(session)) for _ in range(2))
    a = bookings.create_request(session=session, actor=one, data=_form(service.id), idempotency_key=KEY)
    b = bookings.create_request(session=session, actor=two, data=_form(service.id), idempotency_key=KEY)
    assert a.id != b.id  # never another user's result


def test_a_key_expires_after_its_window(session: Session) -> None:
    service = bookable_service(session)
    customer = actor_for(session, make_user(session))
    a = bookings.create_request(session=session, actor=customer, data=_form(service.id), idempotency_key=KEY,
                                now=utcnow() - idempotency.TTL - timedelta(minutes=1))
    b = bookings.create_request(session=session, actor=customer, data=_form(service.id), idempotency_key=KEY)
    assert a.id != b.id
    assert idempotency.purge(session=session) == 0  # the expired row was replaced by the new one


@pytest.mark.parametrize("key", ["short", "x" * 81, "has space1", "<script>1"])
def test_malformed_keys_are_refused(session: Session, key: str) -> None:
    service = bookable_service(session)
    customer = actor_for(session, make_user(session))
    with pytest.raises(ValidationFailed):
        bookings.create_request(session=session, actor=customer, data=_form(service.id), idempotency_key=key)
    assert _count(session, ServiceRequest) == 0


def test_a_double_tap_on_accept_tells_the_winner_it_is_theirs(session: Session) -> None:
    service = bookable_service(session)
    customer = make_user(session)
    pro = actor_for(session, make_user(session, role=Role.professional, service=service))
    req = make_request(session, customer=customer, service=service)
    first = bookings.transition(session=session, actor=pro, request_id=req.id, action="accept")
    again = bookings.transition(session=session, actor=pro, request_id=req.id, action="accept")  # no key: a 2nd tab
    assert first.status == again.status == RequestStatus.assigned.value
    assert again.professional_id == pro.id


def test_a_repeated_transition_key_does_the_work_once(session: Session) -> None:
    service = bookable_service(session)
    customer_user = make_user(session)
    customer = actor_for(session, customer_user)
    pro = make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=customer_user, service=service, status=RequestStatus.completed,
                       professional=pro)
    p = actor_for(session, pro)
    bookings.transition(session=session, actor=p, request_id=req.id, action="collect_cash", idempotency_key=KEY)
    view = bookings.transition(session=session, actor=p, request_id=req.id, action="collect_cash",
                               idempotency_key=KEY)
    assert view.paid  # the repeat answers like the first call instead of "already paid"
    assert customer.id != p.id and len(session.exec(select(Payment)).all()) == 1


def test_a_repeated_new_service_key_creates_one_service(session: Session) -> None:
    boss = actor_for(session, make_user(session, role=Role.admin))
    data = {"name": "Pest Control", "description": "Termites", "base_price_rupees": "999", "duration_minutes": "90"}
    a = admin.save_service(session=session, actor=boss, data=data, idempotency_key=KEY)
    b = admin.save_service(session=session, actor=boss, data=data, idempotency_key=KEY)
    assert a == b
