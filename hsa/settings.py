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
    )
