"""Racing accepts: exactly one professional wins; overlapping slots are refused."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from hsa.db import session_scope
from hsa.models import AuditLog, RequestStatus, Role, ServiceRequest
from hsa.services import bookings
from hsa.services.errors import Conflict
from tests.factories import actor_for, make_request, make_service, make_user, slot


def test_twenty_threads_accept_the_same_request_exactly_one_wins(session: Session) -> None:
    service = make_service(session)
    customer = make_user(session)
    pros = [make_user(session, role=Role.professional, service=service) for _ in range(20)]
    actors = [actor_for(session, p) for p in pros]
    req = make_request(session, customer=customer, service=service)
    session.commit()
    barrier = threading.Barrier(len(actors))
    outcomes: list[str] = []
    lock = threading.Lock()

    def race(actor) -> None:  # noqa: ANN001
        barrier.wait()
        try:
            with session_scope() as s:
                bookings.transition(session=s, actor=actor, request_id=req.id, action="accept")
            result = "won"
        except Conflict as exc:
            result = exc.message
        except Exception as exc:  # noqa: BLE001 - any other error is a failure we want to see
            result = f"error: {exc!r}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=race, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count(bookings.ALREADY_TAKEN) == 19, outcomes
    session.expire_all()
    fresh = session.get(ServiceRequest, req.id)
    assert fresh is not None and fresh.status is RequestStatus.assigned
    assert fresh.professional_id in {p.id for p in pros}
    accepts = session.exec(select(AuditLog).where(AuditLog.action == "request.accept")).all()
    assert len(accepts) == 1 and accepts[0].actor_id == fresh.professional_id


def test_overlapping_slot_is_refused(session: Session) -> None:
    service = make_service(session, minutes=120)
    customer = make_user(session)
    pro = make_user(session, role=Role.professional, service=service)
    actor = actor_for(session, pro)
    first = make_request(session, customer=customer, service=service, scheduled_at=slot(hour=10))
    overlapping = make_request(session, customer=customer, service=service,
                               scheduled_at=slot(hour=10) + timedelta(minutes=90))
    adjacent = make_request(session, customer=customer, service=service, scheduled_at=slot(hour=12))
    bookings.transition(session=session, actor=actor, request_id=first.id, action="accept")
    with pytest.raises(Conflict, match="already have a job at that time"):
        bookings.transition(session=session, actor=actor, request_id=overlapping.id, action="accept")
    session.expire_all()
    assert session.get(ServiceRequest, overlapping.id).status is RequestStatus.requested  # type: ignore[union-attr]
    # back-to-back is fine: [10:00, 12:00) and [12:00, 14:00) do not overlap
    assert bookings.transition(session=session, actor=actor, request_id=adjacent.id,
                               action="accept").status == "assigned"


def test_two_threads_same_pro_two_overlapping_requests_only_one_sticks(session: Session) -> None:
    service = make_service(session, minutes=120)
    customer = make_user(session)
    pro = make_user(session, role=Role.professional, service=service)
    actor = actor_for(session, pro)
    a = make_request(session, customer=customer, service=service, scheduled_at=slot(hour=10))
    b = make_request(session, customer=customer, service=service, scheduled_at=slot(hour=11))
    session.commit()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def go(request_id: int) -> None:
        barrier.wait()
        try:
            with session_scope() as s:
                bookings.transition(session=s, actor=actor, request_id=request_id, action="accept")
            results.append("won")
        except Conflict as exc:
            results.append(exc.message)

    threads = [threading.Thread(target=go, args=(r.id,)) for r in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["You already have a job at that time.", "won"]
