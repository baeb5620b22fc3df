"""The start code over the API: the customer reads it on their booking, the professional sends
`POST /bookings/{id}/start` {"code": "…"}; wrong codes count, the customer renews a locked one."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from hsa.models import AuditLog, RequestStatus, Role, ServiceRequest, utcnow
from tests.factories import make_request, make_service, make_user, token_for


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _world(session: Session) -> tuple[int, dict[str, str], dict[str, str], dict[str, str]]:
    """An accepted job whose slot starts in 30 minutes (inside the start window)."""
    service = make_service(session)
    pro, customer = make_user(session, role=Role.professional, service=service), make_user(session)
    job = make_request(session, customer=customer, service=service, status=RequestStatus.assigned, professional=pro,
                       scheduled_at=utcnow() + timedelta(minutes=30))
    job.start_code = "0472"
    session.add(job)
    session.commit()
    admin = make_user(session, role=Role.admin)
    return (job.id, _auth(token_for(session, customer)), _auth(token_for(session, pro)),  # type: ignore[return-value]
            _auth(token_for(session, admin)))


def _row(session: Session, job_id: int) -> ServiceRequest:
    session.expire_all()
    row = session.get(ServiceRequest, job_id)
    assert row is not None
    return row


def test_the_customer_reads_the_code_and_the_professional_starts_with_it(client: TestClient,
                                                                         session: Session) -> None:
    job_id, customer, pro, admin = _world(session)
    seen = {who: client.get(f"/bookings/{job_id}", headers=h).json()["start_code"]
            for who, h in (("customer", customer), ("pro", pro), ("admin", admin))}
    assert seen == {"customer": "0472", "pro": "", "admin": ""}

    wrong = client.post(f"/bookings/{job_id}/start", headers=pro, json={"code": "1111"})
    assert wrong.status_code == 422, wrong.text
    assert "4 tries left" in wrong.json()["detail"]
    assert _row(session, job_id).start_code_tries == 1
    assert len(session.exec(select(AuditLog).where(AuditLog.action == "request.code_wrong")).all()) == 1

    assert client.post(f"/bookings/{job_id}/start", headers=pro, json={}).status_code == 422
    too_long = client.post(f"/bookings/{job_id}/start", headers=pro, json={"code": "04721"})
    assert too_long.status_code == 422  # the body's own limit: no try counted
    assert _row(session, job_id).start_code_tries == 1

    r = client.post(f"/bookings/{job_id}/start", headers=pro, json={"code": "0472"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "in_progress" and r.json()["start_code"] == ""
    assert _row(session, job_id).started_at is not None


def test_a_locked_code_is_renewed_by_the_customer(client: TestClient, session: Session) -> None:
    job_id, customer, pro, _admin = _world(session)
    for i in range(5):
        assert client.post(f"/bookings/{job_id}/start", headers=pro, json={"code": f"111{i}"}).status_code == 422
    locked = client.get(f"/bookings/{job_id}", headers=pro).json()
    assert locked["code_locked"] and "start" not in locked["actions"]
    refused = client.post(f"/bookings/{job_id}/start", headers=pro, json={"code": "0472"})
    assert refused.status_code == 409 and "Too many wrong codes" in refused.json()["detail"]
    assert client.post(f"/bookings/{job_id}/renew-code", headers=pro).status_code == 403

    renewed = client.post(f"/bookings/{job_id}/renew-code", headers=customer)
    assert renewed.status_code == 200, renewed.text
    code = renewed.json()["start_code"]
    assert code not in ("", "0472") and not renewed.json()["code_locked"]
    assert client.post(f"/bookings/{job_id}/start", headers=pro, json={"code": code}).json()["status"] == "in_progress"
