"""Ops endpoints (/healthz, /readyz, /metrics) and the request middleware, on the real outer app in-process."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from hsa import settings as settings_module
from hsa.api.app import build_outer
from hsa.api.ops import install_ops
from tests.factories import PASSWORD, make_user

OUTSIDER = ("203.0.113.9", 1234)
LOOPBACK = ("127.0.0.1", 5555)
TOKEN = "scrape-me-3f9a0c1d7e"


def _client(peer: tuple[str, int] = OUTSIDER, app: FastAPI | None = None, **kwargs: object) -> TestClient:
    return TestClient(app or build_outer(), client=peer, **kwargs)  # type: ignore[arg-type]


def _fresh_settings() -> None:
    """Settings may be cached (pydantic-settings); env changes must be seen by the next request."""
    clear = getattr(settings_module.get_settings, "cache_clear", None)
    if clear is not None:
        clear()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    _fresh_settings()
    yield monkeypatch
    monkeypatch.undo()
    _fresh_settings()


def _lines(buffer: io.StringIO, event: str) -> list[dict]:
    return [x for x in map(json.loads, buffer.getvalue().splitlines()) if x.get("event") == event]


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# ---------------------------------------------------------------- health and readiness


def test_healthz_answers_without_any_database(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("HSA_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}")
    _fresh_settings()
    resp = _client().get("/healthz")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    assert not (tmp_path / "missing").exists()


def test_readyz_is_ok_on_a_migrated_database(db_url: str) -> None:
    resp = _client().get("/readyz")
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"status": "ok", "failed": [], "checks": {"database": "ok", "migrations": "ok"}}


def test_readyz_names_the_database_when_its_file_is_missing(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "gone.db"
    env.setenv("HSA_DATABASE_URL", f"sqlite:///{missing}")
    _fresh_settings()
    resp = _client().get("/readyz")
    assert resp.status_code == 503
    assert resp.json()["failed"] == ["database", "migrations"]
    assert not missing.exists()  # probing never creates an empty database


def test_readyz_names_migrations_when_the_schema_is_not_at_head(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    env.setenv("HSA_DATABASE_URL", f"sqlite:///{path}")
    _fresh_settings()
    body = _client().get("/readyz").json()
    assert body["status"] == "unavailable" and body["failed"] == ["migrations"]
    assert body["checks"]["database"] == "ok" and "database at none" in body["checks"]["migrations"]


def test_readyz_checks_redis_only_when_configured(db_url: str, env: pytest.MonkeyPatch) -> None:
    env.setenv("REFLEX_REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    _fresh_settings()
    resp = _client().get("/readyz")
    assert resp.status_code == 503 and resp.json()["failed"] == ["redis"]
    assert "127.0.0.1" not in resp.text  # a reason, not the connection details


# ---------------------------------------------------------------- /metrics access


def test_a_loopback_scraper_needs_no_token() -> None:
    resp = _client(LOOPBACK).get("/metrics")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/plain")
    assert "# TYPE hsa_event_duration_seconds histogram" in resp.text
    assert _client(("::1", 5555)).get("/metrics").status_code == 200


def test_without_a_token_configured_only_direct_loopback_may_scrape(env: pytest.MonkeyPatch) -> None:
    env.delenv("HSA_METRICS_TOKEN", raising=False)
    _fresh_settings()
    assert _client().get("/metrics").status_code == 403
    assert _client().get("/metrics", headers={"Authorization": "Bearer anything"}).status_code == 403
    # A proxy on this host (deploy/nginx.conf, Caddyfile) makes every visitor look local.
    proxied = _client(LOOPBACK).get("/metrics", headers={"X-Forwarded-For": "198.51.100.7"})
    assert proxied.status_code == 403 and "hsa_" not in proxied.text


@pytest.mark.parametrize(("header", "status"), [
    (None, 401), ("Bearer wrong-token", 401), (f"Basic {TOKEN}", 401), (f"Bearer {TOKEN}x", 401),
    (f"Bearer {TOKEN}", 200), (f"bearer {TOKEN}", 200),
], ids=["no-header", "wrong", "not-bearer", "longer", "right", "scheme-case"])
def test_a_remote_scraper_needs_the_token(env: pytest.MonkeyPatch, header: str | None, status: int) -> None:
    env.setenv("HSA_METRICS_TOKEN", TOKEN)
    _fresh_settings()
    resp = _client().get("/metrics", headers={"Authorization": header} if header else {})
    assert resp.status_code == status
    if status == 401:
        assert resp.headers["www-authenticate"] == "Bearer" and "hsa_" not in resp.text
    else:
        assert "hsa_http_request_duration_seconds" in resp.text


# ---------------------------------------------------------------- request metrics, ids and logs


def test_api_requests_are_labelled_by_route_template_not_by_path(db_url: str) -> None:
    client = _client()
    labels = {"route": "/api/v1/services/{service_id}", "method": "GET", "status": "4xx"}
    before = value("hsa_http_request_duration_seconds_count", **labels)
    for service_id in (987654, 123456):
        assert client.get(f"/api/v1/services/{service_id}").status_code == 404
    assert value("hsa_http_request_duration_seconds_count", **labels) == before + 2
    client.get("/api/v1/no/such/987654")
    client.request("BREW", "/healthz")
    exposed = _client(LOOPBACK).get("/metrics").text
    # the names and labels of each sample, not its value: a duration sum such as 1.0624346699987654 may
    # hold those digits by chance (it did once, on PostgreSQL)
    labelled = "\n".join(line.rsplit(" ", 1)[0] for line in exposed.splitlines() if not line.startswith("#"))
    assert "987654" not in labelled and "123456" not in labelled and "BREW" not in labelled
    assert 'route="/api/v1/*"' in exposed and 'method="OTHER"' in exposed


def test_a_sane_request_id_is_echoed_and_anything_else_replaced() -> None:
    client = _client()
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a-0001"}).headers["x-request-id"] == "lb-7f3a-0001"
    for bad in ("has spaces in it", "x" * 300, "short", "new\tline-id"):
        echoed = client.get("/healthz", headers={"X-Request-ID": bad}).headers["x-request-id"]
        assert echoed != bad and len(echoed) == 32
    assert len(client.get("/healthz").headers["x-request-id"]) == 32


def test_each_api_request_logs_one_json_line_without_the_password(session, log_lines: io.StringIO) -> None:  # noqa: ANN001
    user = make_user(session, email="logline@example.com")
    session.commit()
    client = _client(("198.51.100.42", 4242))  # an address of its own: no other test's login throttle applies
    for password in (PASSWORD, "Wrong-But-Secret-77"):
        client.post("/api/v1/auth/token", json={"email": user.email, "password": password},
                    headers={"X-Request-ID": "req-login-0001"})
    lines = [x for x in _lines(log_lines, "http_request") if x["route"] == "/api/v1/auth/token"]
    assert [x["status"] for x in lines] == [200, 401]
    assert all(x["request_id"] == "req-login-0001" and x["method"] == "POST" and x["level"] == "info"
               and x["duration_ms"] >= 0 for x in lines)
    text = log_lines.getvalue()
    assert PASSWORD not in text and "Wrong-But-Secret-77" not in text


def test_an_unhandled_error_is_a_counted_5xx_with_the_trace_in_the_log_only(log_lines: io.StringIO) -> None:
    app = FastAPI()

    @app.get("/boom/{n}")
    def boom(n: int) -> None:
        raise RuntimeError(f"kaboom {n}")

    install_ops(app)
    errors = value("hsa_errors_total", kind="http_5xx")
    resp = _client(app=app, raise_server_exceptions=False).get("/boom/3")
    assert resp.status_code == 500 and "kaboom" not in resp.text and "Traceback" not in resp.text
    assert value("hsa_errors_total", kind="http_5xx") == errors + 1
    [line] = _lines(log_lines, "http_request")
    assert line["route"] == "/boom/{n}" and line["status"] == 500 and line["level"] == "error"
    assert "RuntimeError: kaboom 3" in line["exception"]


def test_probes_and_scrapes_are_logged_only_when_refused(log_lines: io.StringIO) -> None:
    client = _client(LOOPBACK)
    assert client.get("/healthz").status_code == 200 and client.get("/metrics").status_code == 200
    assert _lines(log_lines, "http_request") == []
    assert _client().get("/metrics", headers={"X-Request-ID": "scan-0000-0001"}).status_code in (401, 403)
    [line] = _lines(log_lines, "http_request")
    assert line["route"] == "/metrics" and line["request_id"] == "scan-0000-0001" and line["status"] in (401, 403)
