"""API behaviour beyond the matrix: problem details, races, rate limits, lockout, logout."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from hsa.api import ratelimit
from hsa.models import Role, ServiceRequest
from tests.factories import PASSWORD, make_request, make_service, make_user, token_for


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_issues_a_working_token_and_logout_revokes_it(client: TestClient, session: Session) -> None:
    make_service(session, name="Plumbing")
    user = make_user(session, email="asha@example.com")
    response = client.post("/auth/token", json={"email": "ASHA@example.com", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["role"] == "customer" and body["user_id"] == user.id
    token = body["access_token"]
    assert client.get("/bookings", headers=_auth(token)).status_code == 200
    assert client.delete("/auth/token", headers=_auth(token)).status_code == 204
    gone = client.get("/bookings", headers=_auth(token))
    assert gone.status_code == 401 and gone.headers["www-authenticate"] == "Bearer"


def test_wrong_and_unknown_logins_look_the_same_and_lock_after_five(client: TestClient, session: Session) -> None:
    make_user(session, email="ravi@example.com")
    details = set()
    for email in ("ravi@example.com", "nobody@example.com"):
        r = client.post("/auth/token", json={"email": email, "password": "WrongPass1"})
        assert r.status_code == 401
        details.add(r.json()["detail"])
    assert details == {"Incorrect email or password."}
    for _ in range(4):
        r = client.post("/auth/token", json={"email": "ravi@example.com", "password": "WrongPass1"})
    assert r.status_code == 401 and "locked for 15 minutes" in r.json()["detail"]
    r = client.post("/auth/token", json={"email": "ravi@example.com", "password": PASSWORD})
    assert r.status_code == 401 and "locked" in r.json()["detail"]  # same lockout as the web UI


def test_login_is_rate_limited_per_account_and_per_ip(client: TestClient, session: Session) -> None:
    for i in range(ratelimit.ACCOUNT_LIMIT[0]):
        client.post("/auth/token", json={"email": "target@example.com", "password": f"guess-{i}"})
    r = client.post("/auth/token", json={"email": "target@example.com", "password": "guess"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert r.json()["type"] == "urn:homeserve:problem:rate-limited"
    ratelimit.by_account.reset()
    for i in range(ratelimit.IP_LIMIT[0]):
        client.post("/auth/token", json={"email": f"spray{i}@example.com", "password": "guess"})
    assert client.post("/auth/token", json={"email": "other@example.com", "password": "x"}).status_code == 429


def test_invalid_booking_is_422_with_field_errors_and_writes_nothing(client: TestClient, session: Session) -> None:
    service = make_service(session)
    token = token_for(session, make_user(session))
    r = client.post("/bookings", headers=_auth(token), json={
        "service_id": service.id, "day": "2000-01-01", "time": "10:00", "address": "1 Long Street",
        "pincode": "999999"})
    assert r.status_code == 422
    problem = r.json()
    assert problem["type"] == "urn:homeserve:problem:validation"
    assert set(problem["errors"]) == {"pincode"}  # field checks run first; the date is judged after
    r = client.post("/bookings", headers=_auth(token), json={"service_id": "x", "unexpected": 1})
    assert r.status_code == 422 and {"service_id", "unexpected", "day"} <= set(r.json()["errors"])
    assert session.exec(select(func.count()).select_from(ServiceRequest)).one() == 0


def test_second_accept_gets_409_already_taken(client: TestClient, session: Session) -> None:
    service = make_service(session)
    req = make_request(session, customer=make_user(session), service=service)
    first, second = (token_for(session, make_user(session, role=Role.professional, service=service))
                     for _ in range(2))
    assert client.post(f"/bookings/{req.id}/accept", headers=_auth(first)).status_code == 200
    r = client.post(f"/bookings/{req.id}/accept", headers=_auth(second))
    assert r.status_code == 409 and "already been taken" in r.json()["detail"]


def test_openapi_document_is_served(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert doc["info"]["title"] == "HomeServe API"
    assert {"/auth/token", "/bookings", "/bookings/{booking_id}/{action}", "/admin/summary"} <= set(doc["paths"])
    assert client.get("/docs").status_code == 200
