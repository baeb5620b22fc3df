"""Security headers on every HTTP response the app serves: pages, assets and /api/v1.

`reflex run --env prod --single-port` serves the built frontend from the same ASGI app as the
API, so the app itself (not only a proxy config, which a deployment may lack) sends the policy.
The policy is built once, from settings and from the inline scripts of the built pages, when
Reflex applies `security_headers` as the outermost `api_transformer`. docs/security.md explains
each header and every relaxation of the CSP.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hsa.settings import Settings, get_settings

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Anything that is not an HTML document (JSON, scripts, images, CSS): nothing may run or load in
# it if it is opened on its own, and nobody may frame it.
RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

FIXED_HEADERS = {
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "X-Content-Type-Options": "nosniff",
    # Same-origin requests keep the full URL; other sites (map tiles, links) see only the origin,
    # never a path or a signed document link. OpenStreetMap's tile policy asks for a Referer.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # Professionals share their live location from the page itself; nothing here films or records.
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def built_pages_dir() -> Path:
    """Where `reflex run --env prod` puts the pages it serves (Reflex's `get_web_dir()/build/client`;
    tests/api/test_security_headers.py pins the two together, since hsa.api may not import reflex)."""
    return Path(os.environ.get("REFLEX_WEB_WORKDIR", ".web")) / "build" / "client"


class _InlineScripts(HTMLParser):
    """Collects the text of each `<script>` without a `src` (exactly what the browser hashes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not any(name == "src" for name, _ in attrs):
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            if text := "".join(self._current):
                self.found.append(text)
            self._current = None


def inline_script_hashes(pages: Path) -> tuple[str, ...]:
    """CSP hash sources for every inline script in the built pages.

    React Router's prerendered pages bootstrap themselves with inline scripts (route context,
    module imports, React's streaming helpers, Reflex's colour-mode script); listing their hashes
    lets exactly those run, where `'unsafe-inline'` would also let an injected one run.
    """
    paths = sorted(pages.rglob("*.html")) if pages.is_dir() else []
    return tuple(sorted({script_hash(text) for path in paths for text in inline_scripts(path.read_text("utf-8"))}))


def inline_scripts(html: str) -> list[str]:
    """The text of each inline script of an HTML document."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return parser.found


def script_hash(text: str) -> str:
    """The CSP source that lets exactly this inline script run."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode()}'"


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def tile_source(template: str) -> str:
    """The CSP source for a tile URL template: `https://{s}.tile.example/{z}/{x}/{y}.png` becomes
    `https://*.tile.example` (a CSP wildcard may only replace the leftmost labels)."""
    parts = urlsplit(template)
    labels = parts.netloc.split(".")
    templated = [i for i, label in enumerate(labels) if "{" in label]
    if templated:
        labels = ["*", *labels[templated[-1] + 1:]]
    return f"{parts.scheme}://{'.'.join(labels)}"


def _event_sources(settings: Settings) -> list[str]:
    """The public origin and every allowed origin, over http(s) and ws(s): the page may be opened
    from any of them while the bundle dials the backend URL it was built with."""
    out: list[str] = []
    for url in (settings.public_url, *settings.allowed_origins):
        base = origin_of(url)
        socket = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
        out += [s for s in (base, socket) if s not in out]
    return out


def content_security_policy(settings: Settings, script_hashes: Iterable[str] = ()) -> str:
    """The policy for HTML pages; docs/security.md explains each relaxation."""
    directives = {
        "default-src": ["'self'"],
        # 'unsafe-eval': Reflex runs `rx.call_script` code (the professional's geolocation, the
        # scroll to a deep-linked card) and its callbacks with eval() in the browser.
        "script-src": ["'self'", "'unsafe-eval'", *script_hashes],
        # Radix Themes, emotion, plotly and Leaflet insert <style> elements at run time.
        "style-src": ["'self'", "'unsafe-inline'"],
        # data: images in Leaflet's and Radix's CSS, blob: for plotly's "download as png".
        "img-src": ["'self'", "data:", "blob:", tile_source(settings.map_tile_url)],
        "connect-src": ["'self'", *_event_sources(settings)],
        # The vetting screen shows a professional's PDF in an <object> from /api/v1/documents.
        "object-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        # Paying: the card's form posts to the gateway's hosted checkout page (no card data here).
        "form-action": ["'self'", origin_of(settings.razorpay_api_url)],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def _encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


def security_headers(app: ASGIApp, pages: Path | None = None) -> ASGIApp:
    """Wrap the whole backend: add each header to every HTTP response that did not set its own.

    A route that sends its own header keeps it: the document route sends a sandboxing CSP and
    the API docs page a CSP with its inline script's hash.
    """
    settings = get_settings()
    page_policy = content_security_policy(settings, inline_script_hashes(pages or built_pages_dir()))
    common = _encoded(FIXED_HEADERS)
    for_pages = [*common, *_encoded({"Content-Security-Policy": page_policy})]
    for_resources = [*common, *_encoded({"Content-Security-Policy": RESOURCE_POLICY})]

    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {bytes(name).lower() for name, _ in headers}
                kind = next((bytes(v).lower() for n, v in headers if bytes(n).lower() == b"content-type"), None)
                # No Content-Type (a 304, a redirect): no policy. A 304's headers replace the cached
                # response's, so the page keeps the policy its 200 brought instead of a wrong one.
                extra = common if kind is None else for_pages if kind.startswith(b"text/html") else for_resources
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_headers)

    return with_headers
