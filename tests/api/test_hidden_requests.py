"""A job a professional was never offered answers like an unknown id: same status, same body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from hsa.models import Role
from tests.factories import make_request, make_service, make_user, token_for


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("case", ["outside my radius", "addressed to someone else"])
def test_accepting_a_hidden_taken_job_is_indistinguishable_from_a_missing_one(client: TestClient, session: Session,
                                                                             case: str) -> None:
    plumbing = make_service(session)
    winner = make_user(session, role=Role.professional, service=plumbing, pincode="560034")
    me = make_user(session, role=Role.professional, service=plumbing,
                   pincode="400001" if case == "outside my radius" else "560095")
    req = make_request(session, customer=make_user(session), service=plumbing, pincode="560034",
                       preferred=winner if case == "addressed to someone else" else None)
    assert client.post(f"/bookings/{req.id}/accept", headers=_auth(token_for(session, winner))).status_code == 200
    mine = _auth(token_for(session, me))
    for method, path in (("POST", "/bookings/{}/accept"), ("GET", "/bookings/{}")):
        hidden = client.request(method, path.format(req.id), headers=mine)
        missing = client.request(method, path.format(req.id + 10_000), headers=mine)
        assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
        assert hidden.status_code == 404 and hidden.json()["detail"] == "That request does not exist."
        assert hidden.headers["content-type"] == missing.headers["content-type"]


def test_a_job_offered_to_me_still_says_already_taken(client: TestClient, session: Session) -> None:
    plumbing = make_service(session)
    winner, me = (make_user(session, role=Role.professional, service=plumbing, pincode=p) for p in ("560034", "560095"))
    req = make_request(session, customer=make_user(session), service=plumbing, pincode="560034")
    assert client.post(f"/bookings/{req.id}/accept", headers=_auth(token_for(session, winner))).status_code == 200
    r = client.post(f"/bookings/{req.id}/accept", headers=_auth(token_for(session, me)))
    assert r.status_code == 409 and "already been taken" in r.json()["detail"]
