"""POST /api/v1/classify: the web pages' "describe your problem", for apps, rate-limited per account."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from hsa.services.demo_data import SERVICES
from tests.factories import make_service, make_user, token_for


def test_classify_answers_not_sure_refuses_bad_text_and_rate_limits(client: TestClient, session: Session) -> None:
    ids = {name: make_service(session, name=name).id for name, *_ in SERVICES}
    auth = {"Authorization": f"Bearer {token_for(session, make_user(session))}"}
    r = client.post("/classify", json={"text": "AC se paani gir raha hai"}, headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["sure"] and body["best"]["name"] == "AC Repair" and body["best"]["service_id"] == ids["AC Repair"]
    assert body["model_version"]
    unsure = client.post("/classify", json={"text": "book a cab to the airport"}, headers=auth).json()
    assert not unsure["sure"] and unsure["best"] is None and len(unsure["alternatives"]) == 3
    bad = client.post("/classify", json={"text": "!!"}, headers=auth)
    assert bad.status_code == 422 and "describe" in bad.json()["errors"]
    codes = [client.post("/classify", json={"text": "tap leak"}, headers=auth).status_code for _ in range(30)]
    assert codes.count(429) >= 1 and codes[0] == 200
    limited = client.post("/classify", json={"text": "tap leak"}, headers=auth)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
