"""API behaviour beyond the matrix: problem details, races, rate limits, lockout, logout."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from hsa.models import Role, ServiceRequest
from tests.factories import PASSWORD, make_request, make_service, make_user, small_ip_budget, token_for


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


def test_wrong_and_unknown_logins_look_the_same_and_slow_the_source(client: TestClient, session: Session) -> None:
    make_user(session, email="ravi@example.com")
    details = set()
    for email in ("ravi@example.com", "nobody@example.com"):
        r = client.post("/auth/token", json={"email": email, "password": "WrongPass1"})
        assert r.status_code == 401
        details.add(r.json()["detail"])
    assert details == {"Incorrect email or password."}
    for _ in range(4):
        r = client.post("/auth/token", json={"email": "ravi@example.com", "password": "WrongPass1"})
    assert r.status_code == 401
    r = client.post("/auth/token", json={"email": "ravi@example.com", "password": PASSWORD})
    assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 60  # this source waits a minute
    assert r.json()["type"] == "urn:homeserve:problem:rate-limited"


def test_the_owner_signs_in_from_a_trusted_device_during_an_attack(client: TestClient, session: Session) -> None:
    make_user(session, email="ravi@example.com")
    device = client.post("/auth/token", json={"email": "ravi@example.com", "password": PASSWORD}).json()["device_token"]
    for _ in range(5):
        client.post("/auth/token", json={"email": "ravi@example.com", "password": "WrongPass1"})
    assert client.post("/auth/token", json={"email": "ravi@example.com", "password": PASSWORD}).status_code == 429
    r = client.post("/auth/token", json={"email": "ravi@example.com", "password": PASSWORD, "device_token": device})
    assert r.status_code == 200 and r.json()["device_token"] == device


def test_each_address_has_an_attempt_budget(client: TestClient, session: Session,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    limit = small_ip_budget(monkeypatch, "HSA_LOGIN_IP_LIMIT")
    for i in range(limit):
        client.post("/auth/token", json={"email": f"spray{i}@example.com", "password": "guess"})
    r = client.post("/auth/token", json={"email": "other@example.com", "password": "x"})
    assert r.status_code == 429 and "from your network" in r.json()["detail"]


def _spray(client: TestClient, forwarded: str, n: int) -> int:
    """Send `n` wrong logins claiming `X-Forwarded-For: forwarded`; return the last status."""
    status = 0
    for i in range(n):
        status = client.post("/auth/token", headers={"X-Forwarded-For": forwarded},
                             json={"email": f"spray{i}@example.com", "password": "guess"}).status_code
    return status


def test_forwarded_addresses_are_ignored_unless_the_peer_is_a_trusted_proxy(
        client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without HSA_TRUSTED_PROXIES an attacker cannot dodge the budget by writing X-Forwarded-For."""
    limit = small_ip_budget(monkeypatch, "HSA_LOGIN_IP_LIMIT")
    _spray(client, "198.51.100.1", limit)
    assert _spray(client, "203.0.113.99", 1) == 429  # a made-up header changes nothing: same peer


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(
        client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The documented Caddy/nginx setup: the peer is the proxy, the client is in X-Forwarded-For."""
    monkeypatch.setenv("HSA_TRUSTED_PROXIES", "127.0.0.1")
    limit = small_ip_budget(monkeypatch, "HSA_LOGIN_IP_LIMIT")
    assert _spray(client, "198.51.100.1", limit) == 401
    assert _spray(client, "198.51.100.1", 1) == 429          # the attacker's address is spent
    assert _spray(client, "203.0.113.7", 1) == 401           # everyone else still gets to try
    assert _spray(client, "203.0.113.7, 198.51.100.1", 1) == 429  # the proxy appended the real one


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
