"""Interactive API docs (Swagger UI) served from this origin only.

FastAPI's default page loads Swagger UI from a CDN without integrity checks, on the origin that
holds people's session tokens: whoever controls that CDN path could run script here. The
pinned `fastapi-offline` package ships the same assets, so they are served from /api/v1 and the
page gets a CSP of its own that lets only them, and its one inline script, run.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from hsa.api.headers import inline_scripts, script_hash

ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
ASSETS_PATH = "/docs-static"
DOCS_PATH = "/docs"


def docs_policy(html: str) -> str:
    """Own-origin assets, the page's inline bootstrap script by hash, and fetches to this API."""
    scripts = " ".join(script_hash(text) for text in inline_scripts(html))
    return (f"default-src 'none'; script-src 'self' {scripts}; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def install_docs(api: FastAPI) -> None:
    """Mount the Swagger UI assets and serve the docs page at /docs (build the app with docs_url=None)."""
    api.mount(ASSETS_PATH, StaticFiles(directory=ASSETS_DIR), name="docs-static")

    @api.get(DOCS_PATH, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")  # /api/v1 when mounted in the outer app
        page = get_swagger_ui_html(
            openapi_url=f"{root}{api.openapi_url}", title=f"{api.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            # Swagger UI would otherwise send the spec's URL to validator.swagger.io for a badge.
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers["Content-Security-Policy"] = docs_policy(bytes(page.body).decode())
        return page
