"""Extra charges over the API: `POST /bookings/{id}/extra-charge` {"amount_rupees","reason"},
`approve-extra`, `reject-extra`; and the per-service rules an admin sets through `ServiceIn`."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from hsa.models import RequestStatus, Role, Service, ServiceRequest
from tests.factories import make_request, make_service, make_user, token_for


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_professional_proposes_and_the_customer_approves(client: TestClient, session: Session) -> None:
    service = make_service(session, price_paise=29_900)
    pro, customer = make_user(session, role=Role.professional, service=service), make_user(session)
    job = make_request(session, customer=customer, service=service, status=RequestStatus.in_progress,
                       professional=pro)
    c, p = _auth(token_for(session, customer)), _auth(token_for(session, pro))
    over = client.post(f"/bookings/{job.id}/extra-charge", headers=p, json={"amount_rupees": 900, "reason": "Pipes"})
    assert over.status_code == 422 and "amount_rupees" in over.text and "₹897" in over.text
    r = client.post(f"/bookings/{job.id}/extra-charge", headers=p, json={"amount_rupees": 150, "reason": "Washer"})
    assert r.status_code == 200, r.text
    assert (r.json()["pending_extra"], r.json()["total_paise"]) == ("₹150", 35_282)  # 299 + 18 % GST
    assert client.post(f"/bookings/{job.id}/approve-extra", headers=p).status_code == 403
    r = client.post(f"/bookings/{job.id}/approve-extra", headers=c)
    assert r.status_code == 200, r.text
    assert (r.json()["pending_extra"], r.json()["total_paise"]) == ("", 52_982)  # (299 + 150) + 18 % GST
    assert client.post(f"/bookings/{job.id}/reject-extra", headers=c).status_code == 409  # nothing to answer
    session.expire_all()
    row = session.get(ServiceRequest, job.id)
    assert row is not None and row.extra_charge_paise == 15_000


def test_an_admin_sets_the_cap_and_the_completion_code(client: TestClient, session: Session) -> None:
    service = make_service(session, name="Plumbing")
    boss = _auth(token_for(session, make_user(session, role=Role.admin)))
    body = {"name": "Plumbing", "base_price_rupees": 349, "duration_minutes": 60}
    bad = client.put(f"/admin/services/{service.id}", headers=boss, json=body | {"extra_cap_factor": 11})
    assert bad.status_code == 422 and "extra_cap_factor" in bad.text
    r = client.put(f"/admin/services/{service.id}", headers=boss,
                   json=body | {"extra_cap_factor": 5, "completion_code": True})
    assert r.status_code == 200, r.text
    session.expire_all()
    row = session.get(Service, service.id)
    assert row is not None and (row.extra_cap_factor, row.completion_code) == (5, True)
