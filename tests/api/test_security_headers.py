"""Security headers on the ASGI app exactly as hsa/hsa.py assembles it: pages, /api/v1, documents, docs.

A stand-in for the built frontend (one prerendered page with an inline script) is mounted where
Reflex mounts its own, and the app's real `api_transformer` list is applied in Reflex's order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

from hsa.api import headers
from hsa.models import ApprovalStatus, Role
from hsa.services import documents
from hsa.settings import get_settings
from tests.factories import actor_for, make_user
from tests.files import pdf

BOOTSTRAP = "window.__reactRouterContext = {};"
PAGE = f"<!DOCTYPE html><html><head><script>{BOOTSTRAP}</script><script type=\"module\" src=\"/a.js\"></script>" \
       "</head><body><div id=\"root\"></div></body></html>"
FIXED = {"x-frame-options": "DENY", "x-content-type-options": "nosniff",
         "referrer-policy": "strict-origin-when-cross-origin",
         "permissions-policy": "geolocation=(self), camera=(), microphone=()",
         "cross-origin-opener-policy": "same-origin"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Starlette]:
    """hsa.hsa's transformers over a fake built frontend, as `App.__call__` applies them."""
    import hsa.hsa

    web = tmp_path_factory.mktemp("web")
    pages = web / "build" / "client"
    pages.mkdir(parents=True)
    (pages / "index.html").write_text(PAGE)
    (pages / "a.js").write_text("console.log('hi')")
    asgi: Starlette = Starlette()
    asgi.mount("", StaticFiles(directory=pages, html=True))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REFLEX_WEB_WORKDIR", str(web))
        for transform in hsa.hsa.app.api_transformer:
            if isinstance(transform, Starlette):
                transform.mount("", asgi)
                asgi = transform
            else:
                asgi = transform(asgi)
        yield asgi


@pytest.fixture
def web(app: Starlette, session: Session) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as c:
        yield c


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def test_a_page_gets_the_page_policy_with_its_inline_script_hash(web: TestClient) -> None:
    r = web.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert {k: r.headers.get(k) for k in FIXED} == FIXED
    csp = _directives(r.headers["content-security-policy"])
    assert headers.script_hash(BOOTSTRAP) in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'self'" in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["default-src"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'", "http://127.0.0.1:8790"]  # the gateway's hosted page
    assert "https://tile.openstreetmap.org" in csp["img-src"]
    assert {"ws://localhost:3000", "http://localhost:3000"} <= set(csp["connect-src"])


def test_a_revalidated_page_keeps_the_policy_it_was_cached_with(web: TestClient) -> None:
    """A 304 carries no Content-Type; its headers replace the cached page's, so it must not bring
    the no-content policy (`default-src 'none'` would stop every script of the cached page)."""
    first = web.get("/")
    again = web.get("/", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert "content-security-policy" not in again.headers
    assert {k: again.headers.get(k) for k in FIXED} == FIXED


def test_api_json_gets_nosniff_and_a_policy_that_loads_nothing(web: TestClient) -> None:
    r = web.get("/api/v1/services")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert {k: r.headers.get(k) for k in FIXED} == FIXED
    assert r.headers["content-security-policy"] == headers.RESOURCE_POLICY
    problem = web.get("/api/v1/bookings")  # an error (problem+json) is covered too
    assert problem.status_code == 401 and problem.headers["x-content-type-options"] == "nosniff"
    assert web.get("/a.js").headers["x-content-type-options"] == "nosniff"


def test_the_upload_guards_413_carries_the_headers_too(web: TestClient) -> None:
    r = web.post("/_upload", content=b"x", headers={"Content-Length": str(50 * 1024 * 1024)})
    assert r.status_code == 413 and r.headers["x-frame-options"] == "DENY"


def test_the_document_route_keeps_its_sandbox_and_may_be_shown_in_our_own_pages(
        web: TestClient, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path / "data"))
    pro = make_user(session, role=Role.professional, approval=ApprovalStatus.pending)
    documents.upload_document(session=session, actor=actor_for(session, pro), filename="licence.pdf", data=pdf())
    link = documents.document_link(session=session, actor=actor_for(session, make_user(session, role=Role.admin)),
                                   user_id=pro.id)
    session.commit()
    r = web.get(link)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    csp = _directives(r.headers["content-security-policy"])
    assert "sandbox" in csp and csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"] and r.headers["x-frame-options"] == "SAMEORIGIN"
    assert r.headers["referrer-policy"] == FIXED["referrer-policy"]  # the rest is still added


def test_the_api_docs_load_nothing_from_other_origins(web: TestClient) -> None:
    r = web.get("/api/v1/docs")
    assert r.status_code == 200
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and all(ref.startswith("/api/v1/docs-static/") for ref in refs), refs
    assert "https://" not in r.text and "//cdn" not in r.text
    for ref in refs:
        asset = web.get(ref)
        assert asset.status_code == 200 and asset.headers["x-content-type-options"] == "nosniff"
    csp = _directives(r.headers["content-security-policy"])  # its own, not the site's
    (inline,) = headers.inline_scripts(r.text)
    assert csp["script-src"] == ["'self'", headers.script_hash(inline)]
    assert csp["connect-src"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    assert "validatorUrl" in inline  # no spec URL sent to validator.swagger.io
    assert web.get("/api/v1/redoc").status_code == 404  # the CDN-loaded ReDoc page is gone


def test_the_policy_follows_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_PUBLIC_URL", "https://homeserve.example")
    monkeypatch.setenv("HSA_ALLOWED_ORIGINS", "https://homeserve.example,https://www.homeserve.example")
    monkeypatch.setenv("HSA_MAP_TILE_URL", "https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png")
    csp = _directives(headers.content_security_policy(get_settings()))
    assert csp["img-src"] == ["'self'", "data:", "blob:", "https://*.tiles.example.org"]
    assert csp["connect-src"] == ["'self'", "https://homeserve.example", "wss://homeserve.example",
                                  "https://www.homeserve.example", "wss://www.homeserve.example"]


def test_inline_script_hashes_cover_every_built_page(tmp_path: Path) -> None:
    (tmp_path / "admin").mkdir()
    (tmp_path / "index.html").write_text(PAGE)
    (tmp_path / "admin" / "users.html").write_text("<script>a()</script><script src='/x.js'></script>"
                                                   f"<script>{BOOTSTRAP}</script>")
    assert headers.inline_script_hashes(tmp_path) == tuple(sorted({headers.script_hash(BOOTSTRAP),
                                                                   headers.script_hash("a()")}))


def test_built_pages_dir_is_where_reflex_serves_the_pages_from() -> None:
    """hsa.api may not import reflex, so it names the folder itself; this pins it to Reflex's."""
    from reflex.utils import prerequisites
    from reflex_base import constants

    assert headers.built_pages_dir() == prerequisites.get_web_dir() / constants.Dirs.STATIC
