"""Checks of raw environment text for `hsa.settings`: each turns one variable's text into its value
or raises ValueError with a sentence naming the variable (`name`) and what it got."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any


def _whole(name: str, raw: Any, low: int | None = None, high: int | None = None) -> int:
    text = str(raw).strip()
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {text!r}") from None
    if low is not None and high is not None and not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {text!r}")
    if low is not None and value < low:
        raise ValueError(f"{name} must be at least {low}, got {text!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be at most {high}, got {text!r}")
    return value


def _number(name: str, raw: Any, low: float, high: float) -> float:
    """A number within [low, high]; also refuses nan and inf."""
    text = str(raw).strip()
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {text!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {text!r}")
    return value


def _bool(name: str, raw: Any) -> bool:
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be true or false, got {str(raw).strip()!r}")


def _port(name: str, raw: Any) -> int:
    text = str(raw).strip()
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"{name} must be a TCP port (1-65535), got {text!r}")
    return int(text)


def _split(raw: Any) -> list[str]:
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    return [str(p).strip() for p in parts if str(p).strip()]


def _networks(name: str, raw: Any) -> tuple[str, ...]:
    """Comma-separated addresses or CIDR networks (e.g. `127.0.0.1,10.0.0.0/8`), normalised."""
    out = []
    for part in _split(raw):
        try:
            out.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ValueError(f"{name} must list IP addresses or networks, got {part!r}") from None
    return tuple(out)


def _limits(name: str, raw: Any) -> str:
    """A rate in the `limits` library's syntax, e.g. `30/minute;300/hour`."""
    from limits import parse_many

    text = str(raw).strip()
    try:
        parse_many(text)
    except ValueError:
        raise ValueError(f"{name} must be rates like '30/minute;300/hour', got {text!r}") from None
    return text


def _choice(allowed: tuple[str, ...]) -> Any:
    def check(name: str, raw: Any) -> str:
        text = str(raw).strip()
        for option in allowed:
            if text.lower() == option.lower():
                return option
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {text!r}")

    return check


def _tile_url(name: str, raw: Any) -> str:
    """A map tile template must be http(s) and carry {z}, {x} and {y}."""
    url = str(raw).strip()
    if not url.startswith(("https://", "http://")) or not all(p in url for p in ("{z}", "{x}", "{y}")):
        raise ValueError(f"{name} must be an http(s) URL with {{z}}, {{x}} and {{y}}, got {url!r}")
    return url


def _public_url(name: str, raw: Any) -> str:
    url = str(raw).strip().rstrip("/")
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"{name} must be the http(s) address people open, got {url!r}")
    return url


GSTIN = re.compile(r"^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$")


def _gstin(name: str, raw: Any) -> str:
    """A GSTIN's shape (state code, PAN, entity number, Z, check character), upper-cased: a typo
    here would be printed on every tax invoice. The check character itself is not verified."""
    text = str(raw).strip().upper()
    if not GSTIN.fullmatch(text):
        raise ValueError(f"{name} must be a 15-character GSTIN like 29ABCDE1234F1Z5, got {str(raw).strip()!r}")
    return text


def stripped(name: str, raw: Any) -> str:
    return str(raw).strip()


def _origins(name: str, raw: Any) -> tuple[str, ...]:
    return tuple(o.rstrip("/") for o in _split(raw))


CHECKS: dict[str, Any] = {
    "data_dir": lambda n, r: Path(str(r).strip()),
    "public_url": _public_url,
    "allowed_origins": _origins,
    "session_idle_minutes": lambda n, r: _whole(n, r, low=1),
    "session_max_hours": lambda n, r: _whole(n, r, low=1),
    "bcrypt_rounds": lambda n, r: max(12, _whole(n, r, high=31)),  # below 12 is raised to 12 (README)
    "early_start_hours": lambda n, r: _whole(n, r, low=0),
    "eta_detour_factor": lambda n, r: _number(n, r, 1.0, 3.0),
    "eta_speed_kmh": lambda n, r: _number(n, r, 5.0, 120.0),
    "map_tile_url": _tile_url,
    "smtp_port": _port,
    "smtp_starttls": _bool,
    "trusted_proxies": _networks,
    "login_ip_limit": _limits,
    "signup_ip_limit": _limits,
    "reset_request_limit": _limits,
    "code_send_limit": _limits,
    "email_link_limit": _limits,
    "archive_limit": _limits,
    "bcrypt_workers": lambda n, r: _whole(n, r, 1, 64),
    "max_tabs_per_ip": lambda n, r: _whole(n, r, 1, 100_000),
    "anonymous_tab_minutes": lambda n, r: _whole(n, r, 1, 1440),
    "expire_hours_before_slot": lambda n, r: _whole(n, r, 0, 72),
    "not_started_flag_hours": lambda n, r: _whole(n, r, 1, 72),
    "review_prompt_hours": lambda n, r: _whole(n, r, 0, 72),
    "review_window_days": lambda n, r: _whole(n, r, 1, 90),
    "start_code_tries": lambda n, r: _whole(n, r, 1, 20),
    "platform_fee_paise": lambda n, r: _whole(n, r, 0, 1_000_000),
    "razorpay_api_url": _public_url,
    "gstin": _gstin,
    "log_format": _choice(("json", "console")),
    "log_level": _choice(("DEBUG", "INFO", "WARNING", "ERROR")),
}
