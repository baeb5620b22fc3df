"""A booking's tax invoices over the REST API: `invoices` in BookingOut, {number, url} per invoice,
for the booking's parties only; the url opens the PDF without the bearer token."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from hsa.models import RequestStatus, Role
from hsa.services import bookings
from hsa.services.money import invoices
from tests.factories import actor_for, make_request, make_service, make_user, token_for


def _auth(session: Session, user) -> dict[str, str]:  # noqa: ANN001
    return {"Authorization": f"Bearer {token_for(session, user)}"}


def test_a_paid_bookings_invoice_links_are_in_booking_out(client: TestClient, session: Session) -> None:
    service = make_service(session)
    customer, pro = make_user(session), make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=customer, service=service, status=RequestStatus.completed, professional=pro)
    assert client.get(f"/bookings/{req.id}", headers=_auth(session, customer)).json()["invoices"] == []  # unpaid
    bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id, action="collect_cash")
    [(number, _)] = invoices.invoice_links(session, actor_for(session, customer), req.id)
    for viewer in (customer, pro, make_user(session, role=Role.admin)):
        body = client.get(f"/bookings/{req.id}", headers=_auth(session, viewer)).json()
        [link] = body["invoices"]
        assert link["number"] == number and link["url"].startswith("/api/v1/invoices/")
    pdf = client.get("http://testserver" + link["url"])  # the path is the host's, not under the API's base
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    stranger = make_user(session)
    assert client.get(f"/bookings/{req.id}", headers=_auth(session, stranger)).status_code == 404
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert set(schema["InvoiceLinkOut"]["properties"]) == {"number", "url"}
    assert "invoices" in schema["BookingOut"]["required"]
