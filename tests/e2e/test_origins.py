"""The websocket accepts only the app's own origin (Reflex's default would be `*`)."""

from __future__ import annotations

import pytest
import websocket

from tests.e2e.conftest import Server


def _connect(server: Server, origin: str) -> websocket.WebSocket:
    url = server.url.replace("http://", "ws://") + "/_event/?EIO=4&transport=websocket"
    return websocket.create_connection(url, origin=origin, timeout=10)


def test_own_origin_may_open_the_event_socket(server: Server) -> None:
    ws = _connect(server, server.url)
    try:
        assert ws.recv().startswith("0{")  # engine.io "open" packet
    finally:
        ws.close()


@pytest.mark.parametrize("origin", ["http://evil.example", "http://localhost:1", "null"])
def test_foreign_origin_is_refused(server: Server, origin: str) -> None:
    with pytest.raises(websocket.WebSocketException):
        ws = _connect(server, origin)
        ws.recv()
