"""Which address a request came from, with and without trusted proxies in front."""

from __future__ import annotations

import pytest

from hsa.services.clients import client_address

PROXY = ("10.0.0.0/8", "127.0.0.1/32")


@pytest.mark.parametrize(("peer", "forwarded", "trusted", "expected"), [
    ("203.0.113.5", "", (), "203.0.113.5"),
    ("203.0.113.5", "198.51.100.1", (), "203.0.113.5"),           # nobody trusted: header ignored
    ("203.0.113.5", "198.51.100.1", PROXY, "203.0.113.5"),        # the peer is not a proxy: ignored
    ("127.0.0.1", "198.51.100.1", PROXY, "198.51.100.1"),         # Caddy on the same machine
    ("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.9", PROXY, "198.51.100.1"),  # spoofed left part skipped
    ("127.0.0.1", "", PROXY, "127.0.0.1"),                        # the proxy itself (health checks)
    ("127.0.0.1", "10.0.0.3, 10.0.0.4", PROXY, "10.0.0.3"),       # all trusted: the leftmost
    ("127.0.0.1", "garbage, 198.51.100.1", PROXY, "198.51.100.1"),
    ("127.0.0.1", "198.51.100.1, garbage", PROXY, "127.0.0.1"),   # a bad hop ends the walk at the proxy
    ("127.0.0.1", "198.51.100.1:4711", PROXY, "198.51.100.1"),
    ("127.0.0.1", "[2001:db8::1]:443", PROXY, "2001:db8::1"),
    ("::ffff:127.0.0.1", "198.51.100.1", PROXY, "198.51.100.1"),     # dual-stack form of loopback
    ("", "", (), "unknown"),
])
def test_client_address(peer: str, forwarded: str, trusted: tuple[str, ...], expected: str) -> None:
    assert client_address(peer, forwarded, trusted) == expected


def test_a_bad_trusted_proxies_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from hsa.settings import get_settings

    monkeypatch.setenv("HSA_TRUSTED_PROXIES", "127.0.0.1,caddy")
    with pytest.raises(ValueError, match="HSA_TRUSTED_PROXIES"):
        get_settings()
