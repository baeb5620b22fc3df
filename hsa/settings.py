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
    )


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
