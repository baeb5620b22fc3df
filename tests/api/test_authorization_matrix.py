"""Every endpoint x every kind of caller -> the expected HTTP status, asserted cell by cell."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from hsa.models import ApprovalStatus, ProfessionalProfile, Role
from hsa.services.scheduling import IST
from tests.factories import make_request, make_service, make_user, slot, token_for

ACTORS = ["anonymous", "owner", "other_customer", "pro", "other_pro", "admin"]


@dataclass
class World:
    ids: dict[str, int]
    tokens: dict[str, str]


@pytest.fixture
def world(session: Session) -> World:
    plumbing = make_service(session, name="Plumbing")
    people = {
        "owner": make_user(session, pincode="560034"),
        "other_customer": make_user(session, pincode="560034"),
        "pro": make_user(session, role=Role.professional, service=plumbing),
        "other_pro": make_user(session, role=Role.professional, service=plumbing),
        "admin": make_user(session, role=Role.admin),
        "applicant": make_user(session, role=Role.professional, service=plumbing, approval=ApprovalStatus.pending),
    }
    profile = session.exec(select(ProfessionalProfile)
                           .where(ProfessionalProfile.user_id == people["applicant"].id)).one()
    profile.doc_stored_name, profile.doc_content_type = "0" * 32 + ".pdf", "application/pdf"
    session.add(profile)
    booking = make_request(session, customer=people["owner"], service=plumbing, preferred=people["pro"])
    ids = {name: user.id for name, user in people.items()} | {"service": plumbing.id, "booking": booking.id}
    tokens = {name: token_for(session, people[name]) for name in ACTORS if name != "anonymous"}
    session.commit()
    return World(ids=ids, tokens=tokens)


DAY = (slot(3).astimezone(IST)).date().isoformat()
BOOKING = {"service_id": "{service}", "day": DAY, "time": "10:00", "address": "12, 4th Cross, Koramangala",
           "pincode": "560034", "remarks": "API booking"}
V = "view"  # shorthand rows below: statuses for anonymous, owner, other_customer, pro, other_pro, admin
ADMIN_ONLY = (401, 403, 403, 403, 403)

# (method, path, json body or None, expected statuses in ACTORS order)
ENDPOINTS: list[tuple[str, str, dict | None, tuple[int, ...]]] = [
    ("GET", "/services", None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/services/{service}", None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/professionals?service_id={service}", None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/classify", {"text": "kitchen tap is leaking"}, (401, 200, 200, 200, 200, 200)),
    ("POST", "/bookings", BOOKING, (401, 201, 201, 403, 403, 403)),
    ("GET", "/bookings", None, (401, 200, 200, 200, 200, 200)),
    ("GET", "/bookings/{booking}", None, (401, 200, 404, 200, 404, 200)),
    ("PATCH", "/bookings/{booking}", {"day": DAY, "time": "11:00", "remarks": "later"},
     (401, 200, 404, 403, 404, 403)),
    ("POST", "/bookings/{booking}/cancel", {"reason": "Plans changed"}, (401, 200, 404, 403, 404, 200)),
    ("POST", "/bookings/{booking}/accept", None, (401, 403, 404, 200, 404, 403)),
    ("POST", "/bookings/{booking}/decline", {"reason": "Too far"}, (401, 403, 404, 200, 404, 403)),
    ("POST", "/bookings/{booking}/start", None, (401, 409, 404, 409, 404, 409)),
    ("POST", "/bookings/{booking}/complete", None, (401, 409, 404, 409, 404, 409)),
    ("POST", "/bookings/{booking}/cash-received", None, (401, 409, 404, 409, 404, 409)),
    # the gateway's doors: a signature, not a token, decides (unsigned: refused for everyone)
    ("POST", "/payments/webhook", {"event": "payment.captured"}, (400, 400, 400, 400, 400, 400)),
    ("POST", "/payments/callback", None, (303, 303, 303, 303, 303, 303)),
    ("POST", "/bookings/{booking}/close", {"rating": 5}, (401, 409, 404, 409, 404, 409)),
    ("POST", "/bookings/{booking}/review", {"rating": 5}, (401, 409, 404, 409, 404, 409)),
    ("GET", "/jobs/open", None, (401, 403, 403, 200, 200, 403)),
    ("PUT", "/me/availability", {"available": True, "radius_km": 20}, (401, 403, 403, 204, 204, 403)),
    ("GET", "/admin/professionals", None, (*ADMIN_ONLY, 200)),
    ("POST", "/admin/professionals/{applicant}/approve", None, (*ADMIN_ONLY, 204)),
    ("POST", "/admin/professionals/{applicant}/reject", {"reason": "Blurry scan"}, (*ADMIN_ONLY, 204)),
    ("POST", "/admin/users/{other_customer}/block", {"reason": "Fraud"}, (*ADMIN_ONLY, 204)),
    ("POST", "/admin/users/{other_customer}/unblock", {"reason": ""}, (*ADMIN_ONLY, 409)),
    ("POST", "/admin/users/{other_customer}/delete", {"reason": "Fraud"}, (*ADMIN_ONLY, 204)),
    ("GET", "/admin/services", None, (*ADMIN_ONLY, 200)),
    ("POST", "/admin/services", {"name": "Sofa Cleaning", "base_price_rupees": 799, "duration_minutes": 120},
     (*ADMIN_ONLY, 201)),
    ("PUT", "/admin/services/{service}", {"name": "Plumbing", "base_price_rupees": 349, "duration_minutes": 60},
     (*ADMIN_ONLY, 200)),
    ("POST", "/admin/services/{service}/deactivate", None, (*ADMIN_ONLY, 204)),
    ("POST", "/admin/services/{service}/activate", None, (*ADMIN_ONLY, 204)),
    ("GET", "/admin/summary", None, (*ADMIN_ONLY, 200)),
    ("DELETE", "/auth/token", None, (401, 204, 204, 204, 204, 204)),
]

CELLS = [(m, p, b, actor, codes[i]) for m, p, b, codes in ENDPOINTS for i, actor in enumerate(ACTORS)]


def _fill(value: object, ids: dict[str, int]) -> object:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: (int(v.format(**ids)) if isinstance(v, str) and v.startswith("{") else v)
                for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body", "actor", "expected"), CELLS,
                         ids=[f"{m} {p} as {a}" for m, p, _, a, _ in CELLS])
def test_endpoint_status(client: TestClient, world: World, method: str, path: str, body: dict | None, actor: str,
                         expected: int) -> None:
    headers = {"Authorization": f"Bearer {world.tokens[actor]}"} if actor != "anonymous" else {}
    response = client.request(method, str(_fill(path, world.ids)), json=_fill(body, world.ids), headers=headers,
                              follow_redirects=False)
    assert response.status_code == expected, response.text
    if expected >= 400:
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["status"] == expected and problem["type"].startswith("urn:homeserve:problem:")
        assert problem["detail"]


def test_matrix_covers_every_route() -> None:
    from hsa.api.app import build_api

    routes = {(m, r.path) for r in build_api().routes for m in getattr(r, "methods", set())
              if r.path not in ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")
              and not r.path.startswith(("/documents", "/invoices", "/statements", "/admin/exports"))}  # signed links
    covered = set()
    for method, path, _, _ in ENDPOINTS:
        template = path.split("?")[0]
        for action in ("cancel", "accept", "decline", "start", "complete", "cash-received", "close", "block", "unblock",
                       "delete"):
            template = template.replace(f"/{action}", "/{action}")
        for name, param in (("{booking}", "{booking_id}"), ("{service}", "{service_id}"),
                            ("{applicant}", "{user_id}"), ("{other_customer}", "{user_id}")):
            template = template.replace(name, param)
        covered.add((method, template))
    assert routes <= covered, routes - covered


