"""`Idempotency-Key` on POSTs: concurrent or repeated identical calls do the work once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from hsa.models import ServiceRequest
from hsa.services.scheduling import IST
from tests.factories import bookable_service, make_user, slot, token_for


def _booking(service_id: int) -> dict:
    return {"service_id": service_id, "day": slot(2).astimezone(IST).date().isoformat(), "time": "10:00",
            "address": "12, 4th Cross, Koramangala", "pincode": "560034", "remarks": "Retry me"}


def _count(session: Session) -> int:
    session.commit()
    return session.exec(select(func.count()).select_from(ServiceRequest)).one()


def test_two_concurrent_identical_bookings_with_one_key_make_one_booking(client: TestClient, session: Session) -> None:
    service = bookable_service(session)
    token = token_for(session, make_user(session))
    session.commit()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "order-2026-12-01-0001"}

    def book(_: int) -> tuple[int, int]:
        r = client.post("/bookings", headers=headers, json=_booking(service.id))
        return r.status_code, r.json().get("id", 0)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(book, range(2)))
    assert [code for code, _ in results] == [201, 201]
    assert results[0][1] == results[1][1]
    assert _count(session) == 1
    again = client.post("/bookings", headers=headers, json=_booking(service.id))
    assert again.status_code == 201 and again.json()["id"] == results[0][1] and _count(session) == 1


def test_without_a_key_each_post_is_its_own_booking(client: TestClient, session: Session) -> None:
    service = bookable_service(session)
    token = token_for(session, make_user(session))
    for _ in range(2):
        assert client.post("/bookings", headers={"Authorization": f"Bearer {token}"},
                           json=_booking(service.id)).status_code == 201
    assert _count(session) == 2


def test_a_malformed_key_is_a_422_and_books_nothing(client: TestClient, session: Session) -> None:
    service = bookable_service(session)
    token = token_for(session, make_user(session))
    r = client.post("/bookings", headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "bad key!"},
                    json=_booking(service.id))
    assert r.status_code == 422 and _count(session) == 0
