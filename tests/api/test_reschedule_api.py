"""Rescheduling over the API: `POST /bookings/{id}/propose-time` {"day","time"}, `accept-time`, `decline-time`."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from hsa.models import RequestStatus, Role, ServiceRequest
from hsa.services.scheduling import IST
from tests.factories import make_request, make_service, make_user, token_for

DAY = (datetime.now(IST) + timedelta(days=3)).date()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _world(session: Session) -> tuple[ServiceRequest, dict[str, str], dict[str, str]]:
    service = make_service(session)
    pro, customer = make_user(session, role=Role.professional, service=service), make_user(session)
    job = make_request(session, customer=customer, service=service, status=RequestStatus.assigned, professional=pro,
                       scheduled_at=datetime.combine(DAY, time(10, 0), tzinfo=IST))
    return job, _auth(token_for(session, customer)), _auth(token_for(session, pro))


def test_customer_proposes_and_the_professional_accepts(client: TestClient, session: Session) -> None:
    job, customer, pro = _world(session)
    r = client.post(f"/bookings/{job.id}/propose-time", headers=customer,
                    json={"day": DAY.isoformat(), "time": "16:00"})
    assert r.status_code == 200, r.text
    assert "accept_time" not in r.json()["actions"]
    assert {"accept_time", "decline_time"} <= set(client.get(f"/bookings/{job.id}", headers=pro).json()["actions"])
    # The proposer cannot answer their own proposal, nor stack a second one.
    assert client.post(f"/bookings/{job.id}/accept-time", headers=customer).status_code == 409
    again = client.post(f"/bookings/{job.id}/propose-time", headers=customer,
                        json={"day": DAY.isoformat(), "time": "17:00"})
    assert again.status_code == 409 and again.json()["detail"] == "A new time is already waiting for an answer."

    r = client.post(f"/bookings/{job.id}/accept-time", headers=pro)
    assert r.status_code == 200, r.text
    moved = datetime.fromisoformat(r.json()["scheduled_at"])
    assert moved == datetime.combine(DAY, time(16, 0), tzinfo=IST)
    session.expire_all()
    row = session.get(ServiceRequest, job.id)
    assert row is not None and row.reschedule_to is None


def test_professional_proposes_and_the_customer_declines(client: TestClient, session: Session) -> None:
    job, customer, pro = _world(session)
    assert client.post(f"/bookings/{job.id}/propose-time", headers=pro,
                       json={"day": DAY.isoformat(), "time": "12:00"}).status_code == 200
    r = client.post(f"/bookings/{job.id}/decline-time", headers=customer)
    assert r.status_code == 200
    assert datetime.fromisoformat(r.json()["scheduled_at"]) == datetime.combine(DAY, time(10, 0), tzinfo=IST)
    assert client.post(f"/bookings/{job.id}/decline-time", headers=customer).status_code == 409  # nothing left


def test_a_bad_time_is_422_beside_the_field(client: TestClient, session: Session) -> None:
    job, customer, _ = _world(session)
    for body, field in (({"day": DAY.isoformat(), "time": "21:00"}, "time"),
                        ({"day": DAY.isoformat(), "time": "10:00"}, "time"),
                        ({"day": "2001-01-01", "time": "10:00"}, "day")):
        r = client.post(f"/bookings/{job.id}/propose-time", headers=customer, json=body)
        assert r.status_code == 422 and set(r.json()["errors"]) == {field}, r.text
    session.expire_all()
    row = session.get(ServiceRequest, job.id)
    assert row is not None and row.reschedule_to is None
