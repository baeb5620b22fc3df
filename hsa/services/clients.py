"""Which address a request really came from.

Behind the documented Caddy/nginx every connection's peer is the proxy, so limits keyed on
the peer would put every visitor in one bucket. `X-Forwarded-For` is believed only when the
peer is one of `HSA_TRUSTED_PROXIES`; anyone else could write any address into it.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


@lru_cache(maxsize=16)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(n, strict=False) for n in trusted)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in networks)


def _clean(address: str) -> str | None:
    """One hop of a forwarded list as a canonical address, or None when it is not one."""
    value = address.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(ip, "ipv4_mapped", None)  # a dual-stack socket's ::ffff:127.0.0.1 is 127.0.0.1
    return str(mapped or ip)


def client_address(peer: str, forwarded_for: str, trusted: tuple[str, ...]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy.

    Then the `X-Forwarded-For` list is read from the right (each proxy appends the address it
    saw), skipping trusted hops; the first untrusted hop is the client. A malformed hop ends
    the walk at the last address a trusted proxy vouched for, so garbage cannot pick a bucket.
    """
    networks = _networks(trusted)
    candidate = _clean(peer) or (peer or UNKNOWN)
    if not networks or not _trusted(candidate, networks):
        return candidate
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        address = _clean(hop)
        if address is None:
            return candidate
        candidate = address
        if not _trusted(address, networks):
            return address
    return candidate
