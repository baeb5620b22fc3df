"""Request bodies under /api/v1: capped before they are read into memory, and strict about fields."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from hsa.api.app import build_outer
from hsa.api.body_limit import MAX_BODY_BYTES
from hsa.api.problems import UNKNOWN_FIELD
from tests.factories import PASSWORD, make_user, token_for

CHUNK = 8 * 1024


def _is_problem(response: Any, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["type"] == f"urn:homeserve:problem:{slug}"
    return body


def test_a_declared_oversized_body_is_413_before_any_of_it_is_read(client: TestClient, session: Session) -> None:
    make_user(session, email="asha@example.com")
    body = json.dumps({"email": "asha@example.com", "password": "x" * (MAX_BODY_BYTES * 4)})
    problem = _is_problem(client.post("/auth/token", content=body, headers={"Content-Type": "application/json"}),
                          413, "too-large")
    assert "64 KiB" in problem["detail"]
    just_under = json.dumps({"email": "asha@example.com", "password": "x" * (MAX_BODY_BYTES - 100)})
    r = client.post("/auth/token", content=just_under, headers={"Content-Type": "application/json"})
    assert "password" in _is_problem(r, 422, "validation")["errors"]  # read and validated as usual


def test_the_cap_holds_on_routes_that_do_not_read_a_body(client: TestClient, session: Session) -> None:
    token = token_for(session, make_user(session))
    auth = {"Authorization": f"Bearer {token}"}
    r = client.request("DELETE", "/auth/token", content=b"x" * (MAX_BODY_BYTES + 1), headers=auth)
    _is_problem(r, 413, "too-large")
    assert client.get("/bookings", headers=auth).status_code == 200  # refused before it ran: not logged out


def test_a_chunked_body_is_counted_while_streaming_and_refused_at_the_cap() -> None:
    """No Content-Length: the app pulls chunk after chunk; reading stops at the cap with a 413."""
    pulled = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal pulled
        pulled += CHUNK
        more = pulled < 50 * 1024 * 1024  # a 50 MB upload, if nobody stops reading
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": more}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/api/v1/auth/token", "raw_path": b"/api/v1/auth/token",
             "root_path": "", "query_string": b"", "server": ("testserver", 80), "client": ("127.0.0.1", 1),
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"),
                         (b"transfer-encoding", b"chunked")]}
    asyncio.run(build_outer()(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = dict(start["headers"])
    assert start["status"] == 413 and headers[b"content-type"].startswith(b"application/problem+json")
    body = json.loads(b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))
    assert body["type"] == "urn:homeserve:problem:too-large"
    assert pulled <= MAX_BODY_BYTES + CHUNK


def test_an_unknown_field_in_credentials_is_a_422_naming_it(client: TestClient, session: Session) -> None:
    make_user(session, email="asha@example.com")
    r = client.post("/auth/token", json={"email": "asha@example.com", "password": PASSWORD, "role": "admin"})
    problem = _is_problem(r, 422, "validation")
    assert problem["errors"] == {"role": UNKNOWN_FIELD}


def _refs(schema: Any) -> list[str]:
    """Every `$ref` in a schema (an optional body is `anyOf: [{$ref}, {type: null}]`)."""
    if isinstance(schema, dict):
        return [schema["$ref"]] if "$ref" in schema else [r for v in schema.values() for r in _refs(v)]
    return [r for v in schema for r in _refs(v)] if isinstance(schema, list) else []


def test_every_request_body_schema_forbids_unknown_fields(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    bodies = set()
    for operations in doc["paths"].values():
        for op in operations.values():
            for media in op.get("requestBody", {}).get("content", {}).values():
                bodies.update(ref.rsplit("/", 1)[-1] for ref in _refs(media["schema"]))
    assert "Credentials" in bodies and len(bodies) >= 8
    lax = sorted(name for name in bodies if schemas[name].get("additionalProperties") is not False)
    assert lax == [], f"request bodies that accept unknown fields: {lax}"
