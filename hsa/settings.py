"""Runtime configuration read from the environment.

One place for every knob so the README's configuration table, the app, the CLI and the
tests agree. No reflex import: services and the CLI use this too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _float(name: str, default: float, low: float, high: float) -> float:
    """A number within [low, high]; anything else stops the app with a message naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None
    if not low <= value <= high:  # also refuses nan
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {raw!r}")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be true or false, got {raw!r}")


def _port(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ValueError(f"{name} must be a TCP port (1-65535), got {raw!r}")
    return int(raw)


DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© OpenStreetMap contributors"


@dataclass(frozen=True)
class Settings:
    """Values are read at call time so tests can point the app at a temporary database."""

    database_url: str
    public_url: str
    allowed_origins: tuple[str, ...]
    session_idle_minutes: int
    session_max_hours: int
    bcrypt_rounds: int
    data_dir: Path
    early_start_hours: int
    secret_key: str
    # live tracking: road distance ~ straight line x detour factor, ETA at an average city speed
    eta_detour_factor: float = 1.3
    eta_speed_kmh: float = 25.0
    map_tile_url: str = DEFAULT_TILE_URL
    map_attribution: str = DEFAULT_ATTRIBUTION
    # mail: SMTP only when smtp_host is set; otherwise messages are written to $HSA_DATA_DIR/outbox
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "HomeServe <no-reply@localhost>"
    # hardening (issue #13)
    redis_url: str = ""                      # REFLEX_REDIS_URL: shared throttles and tab state across workers
    trusted_proxies: tuple[str, ...] = ()    # networks whose X-Forwarded-For is believed
    login_ip_limit: str = "30/minute;300/hour"    # login attempts per client address (limits syntax)
    signup_ip_limit: str = "10/minute;60/hour"    # sign-ups per client address
    bcrypt_workers: int = 1                  # threads that may hash at once (the rest of the CPU serves events)
    max_tabs_per_ip: int = 60                # open websocket tabs per client address
    anonymous_tab_minutes: int = 10          # how long a signed-out tab's state is kept after it goes quiet
    metrics_token: str = ""                  # /metrics from other than loopback needs `Authorization: Bearer <this>`
    log_format: str = "json"                 # json (one object per line) or console
    log_level: str = "INFO"


def get_settings() -> Settings:
    """Build settings from the environment (HSA_* variables, documented in README)."""
    data_dir = Path(os.environ.get("HSA_DATA_DIR", str(ROOT / "var")))
    public_url = os.environ.get("HSA_PUBLIC_URL", "http://localhost:3000").rstrip("/")
    origins_raw = os.environ.get("HSA_ALLOWED_ORIGINS", "")
    origins = tuple(o.strip().rstrip("/") for o in origins_raw.split(",") if o.strip())
    if not origins:
        origins = (public_url,)
        if "://localhost" in public_url:
            origins += (public_url.replace("://localhost", "://127.0.0.1"),)
    return Settings(
        database_url=os.environ.get("HSA_DATABASE_URL", f"sqlite:///{data_dir / 'hsa.db'}"),
        public_url=public_url,
        allowed_origins=origins,
        session_idle_minutes=_int("HSA_SESSION_IDLE_MINUTES", 12 * 60),
        session_max_hours=_int("HSA_SESSION_MAX_HOURS", 7 * 24),
        bcrypt_rounds=max(12, _int("HSA_BCRYPT_ROUNDS", 12)),
        data_dir=data_dir,
        early_start_hours=_int("HSA_EARLY_START_HOURS", 2),
        secret_key=os.environ.get("HSA_SECRET_KEY") or _stored_secret(data_dir),
        eta_detour_factor=_float("HSA_ETA_DETOUR_FACTOR", 1.3, 1.0, 3.0),
        eta_speed_kmh=_float("HSA_ETA_SPEED_KMH", 25.0, 5.0, 120.0),
        map_tile_url=_tile_url(os.environ.get("HSA_MAP_TILE_URL", "").strip() or DEFAULT_TILE_URL),
        map_attribution=os.environ.get("HSA_MAP_ATTRIBUTION", "").strip() or DEFAULT_ATTRIBUTION,
        smtp_host=os.environ.get("HSA_SMTP_HOST", "").strip(),
        smtp_port=_port("HSA_SMTP_PORT", 587),
        smtp_username=os.environ.get("HSA_SMTP_USERNAME", ""),
        smtp_password=os.environ.get("HSA_SMTP_PASSWORD", ""),
        smtp_starttls=_bool("HSA_SMTP_STARTTLS", True),
        mail_from=os.environ.get("HSA_MAIL_FROM", "").strip() or _default_sender(public_url),
        redis_url=os.environ.get("REFLEX_REDIS_URL", "").strip(),
        trusted_proxies=_networks("HSA_TRUSTED_PROXIES"),
        login_ip_limit=_limits("HSA_LOGIN_IP_LIMIT", "30/minute;300/hour"),
        signup_ip_limit=_limits("HSA_SIGNUP_IP_LIMIT", "10/minute;60/hour"),
        bcrypt_workers=int(_float("HSA_BCRYPT_WORKERS", 1, 1, 64)),
        max_tabs_per_ip=int(_float("HSA_MAX_TABS_PER_IP", 60, 1, 100000)),
        anonymous_tab_minutes=int(_float("HSA_ANONYMOUS_TAB_MINUTES", 10, 1, 1440)),
        metrics_token=os.environ.get("HSA_METRICS_TOKEN", "").strip(),
        log_format=_choice("HSA_LOG_FORMAT", "json", ("json", "console")),
        log_level=_choice("HSA_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    )


def _networks(name: str) -> tuple[str, ...]:
    """Comma-separated addresses or CIDR networks (e.g. `127.0.0.1,10.0.0.0/8`), normalised."""
    import ipaddress

    out = []
    for part in os.environ.get(name, "").split(","):
        if part.strip():
            try:
                out.append(str(ipaddress.ip_network(part.strip(), strict=False)))
            except ValueError:
                raise ValueError(f"{name} must list IP addresses or networks, got {part.strip()!r}") from None
    return tuple(out)


def _limits(name: str, default: str) -> str:
    """A rate in the `limits` library's syntax, e.g. `30/minute;300/hour`."""
    from limits import parse_many

    raw = os.environ.get(name, "").strip() or default
    try:
        parse_many(raw)
    except ValueError:
        raise ValueError(f"{name} must be rates like '30/minute;300/hour', got {raw!r}") from None
    return raw


def _choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    raw = os.environ.get(name, "").strip() or default
    for option in allowed:
        if raw.lower() == option.lower():
            return option
    raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {raw!r}")


def _tile_url(url: str) -> str:
    """A map tile template must be http(s) and carry {z}, {x} and {y}."""
    if not url.startswith(("https://", "http://")) or not all(p in url for p in ("{z}", "{x}", "{y}")):
        raise ValueError(f"HSA_MAP_TILE_URL must be an http(s) URL with {{z}}, {{x}} and {{y}}, got {url!r}")
    return url


def _default_sender(public_url: str) -> str:
    """no-reply at the public host, so mail from a real deployment has a plausible From."""
    from urllib.parse import urlsplit

    host = urlsplit(public_url).hostname or "localhost"
    return f"HomeServe <no-reply@{host}>"


def _stored_secret(data_dir: Path) -> str:
    """A per-installation signing key kept in the data folder (created once, mode 600).

    Workers on one machine share it; several machines must set HSA_SECRET_KEY instead.
    """
    path = data_dir / "secret.key"
    if not path.exists():
        import secrets

        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(48))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip()
