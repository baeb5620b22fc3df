"""Runtime configuration, read from the environment once and cached; the data folder's file modes.

One place for every knob so the README's configuration table, the app, the CLI and the tests
agree. No reflex import: services and the CLI use this too. `get_settings()` runs on every
database session, so it returns a cached, frozen `Settings` keyed on the current `HSA_*` /
`REFLEX_REDIS_URL` values (re-parsing and re-reading `secret.key` was 3.5 % of the server's time):
a changed environment (a test's `monkeypatch.setenv`) gives fresh settings on the next call. A bad
value stops the app with one line per variable; `python -m hsa.settings` checks them. The data
folder holds the database, identity documents, mail and backups: 0700, its files 0600.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import PydanticBaseSettingsSource as Source

from hsa.settings_checks import CHECKS as _CHECKS  # each variable's check, by field name
from hsa.settings_checks import stripped as _stripped

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© OpenStreetMap contributors"
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600

log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """Bad configuration: one line per variable, each naming it and the value it got."""


def env_name(field: str) -> str:
    """The environment variable behind a settings field."""
    return "REFLEX_REDIS_URL" if field == "redis_url" else f"HSA_{field.upper()}"


# spaces may be part of these values; others are stripped
_VERBATIM = {"smtp_username", "smtp_password", "secret_key", "razorpay_key_secret", "razorpay_webhook_secret"}


class Settings(BaseSettings):
    """Every knob, validated; immutable so a cached object can be shared by every thread.

    Field order matters: `data_dir` and `public_url` come first because later defaults
    (database URL, origins, sender, stored secret) are derived from them.
    """

    model_config = SettingsConfigDict(env_prefix="HSA_", env_ignore_empty=True, extra="ignore", frozen=True,
                                      populate_by_name=True)

    data_dir: Path = ROOT / "var"
    public_url: str = "http://localhost:3000"
    database_url: str = Field("", validate_default=True)          # default: SQLite in data_dir
    allowed_origins: Annotated[tuple[str, ...], NoDecode] = Field((), validate_default=True)  # default: public
    session_idle_minutes: int = 12 * 60
    session_max_hours: int = 7 * 24
    bcrypt_rounds: int = 12
    early_start_hours: int = 2
    secret_key: str = Field("", validate_default=True)            # default: data_dir/secret.key
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
    mail_from: str = Field("", validate_default=True)             # default: no-reply at the public host
    # hardening (issue #13)
    redis_url: str = Field("", validation_alias="REFLEX_REDIS_URL")  # shared throttles and tab state
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()    # networks whose X-Forwarded-For is believed
    login_ip_limit: str = "30/minute;300/hour"    # login attempts per client address (limits syntax)
    signup_ip_limit: str = "10/minute;60/hour"    # sign-ups per client address
    bcrypt_workers: int = 1                  # hashes at once (one core; the other serves events); one per address
    max_tabs_per_ip: int = 60                # open websocket tabs per client address
    anonymous_tab_minutes: int = 10          # how long a signed-out tab's state is kept after it goes quiet
    metrics_token: str = ""                  # /metrics from other than loopback needs `Authorization: Bearer <this>`
    log_format: str = "json"                 # json (one object per line) or console
    log_level: str = "INFO"
    # the booking process's clocks and limits (issue #14; hsa/services/process/declaration.py)
    expire_hours_before_slot: int = 2        # a request nobody accepted expires this long before its slot
    not_started_flag_hours: int = 2          # an accepted job not started this long after its slot: tell admins
    review_prompt_hours: int = 2             # after completion, one review prompt (in-app + email)
    review_window_days: int = 7              # a completed, paid job closes on its own after this
    start_code_tries: int = 5                # wrong start codes before the customer must renew it
    # money (issue #16; hsa/services/money): a flat platform fee per booking, and the gateway. The
    # defaults are the built-in test gateway's (`python -m hsa.testgateway`, started by serve and the
    # tests); live Razorpay: its API address and the dashboard's keys and webhook secret.
    platform_fee_paise: int = 4900
    razorpay_api_url: str = "http://127.0.0.1:8790"
    razorpay_key_id: str = "rzp_test_homeserve"
    razorpay_key_secret: str = "homeserve_test_secret"  # noqa: S105 - the test gateway's; refused for any other URL
    razorpay_webhook_secret: str = "homeserve_webhook_secret"  # noqa: S105 - likewise (hsa.services.money.gateway)
    # the supplier printed on tax invoices and earnings statements (hsa/services/money/pdf_doc.py);
    # no GSTIN (the demo) prints "not registered (demo)"
    company_name: str = "HomeServe Technologies Pvt Ltd"
    company_address: str = "Demo address (placeholder, not a real place), Bengaluru, Karnataka 560000"
    gstin: str = ""
    place_of_supply_state: str = "Karnataka"
    # trust (issue #17; hsa/services/verification.py, recovery.py): SMS codes go to the outbox folder
    # $HSA_DATA_DIR/sms-outbox unless a provider is named (`package.module:factory`, see hsa/services/sms.py)
    sms_sender: str = ""
    reset_request_limit: str = "3/15 minutes;10/day"   # reset mails per address asked for (and per client)
    code_send_limit: str = "1/minute;5/hour;10/day"    # SMS codes per account (resend included)
    email_link_limit: str = "1/minute;5/day"           # verification mails per account ("send again")
    archive_limit: str = "3/day"                       # "Download my data" archives per account
    # quality control (hsa/services/quality.py): the last N rated jobs and the strikes of the last days
    quality_window_jobs: int = 20
    quality_min_jobs: int = 5              # fewer rated jobs than this: too early to judge the average
    quality_warn_average: float = 4.5      # below: told with specifics
    quality_suspend_average: float = 4.0   # below: no new jobs until an admin reviews
    quality_warn_strikes: int = 2          # late cancellations, no-shows, dispute strikes …
    quality_suspend_strikes: int = 4
    quality_strike_days: int = 90

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: Source,
                                   env_settings: Source, dotenv_settings: Source, file_secret_settings: Source,
                                   ) -> tuple[Source, ...]:
        """Arguments and the environment only: no .env or secrets folder is read behind the
        operator's back (systemd's EnvironmentFile is the place), and a parse is a third cheaper."""
        return init_settings, env_settings

    def __init__(self, **values: Any) -> None:
        """As BaseSettings, but a bad value raises `SettingsError` naming its variable."""
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise _explain(exc) from None

    @field_validator("*", mode="before")
    @classmethod
    def _check(cls, raw: Any, info: ValidationInfo) -> Any:
        """Our own checks on the raw text, so every message names the variable as people set it."""
        name = info.field_name or ""
        if name in _VERBATIM:
            return raw
        if isinstance(raw, str) and not raw.strip():  # blank = unset, as before
            return cls.model_fields[name].get_default(call_default_factory=True)
        return _CHECKS.get(name, _stripped)(env_name(name), raw)

    @field_validator("database_url")
    @classmethod
    def _default_database(cls, value: str, info: ValidationInfo) -> str:
        data_dir = info.data.get("data_dir")
        return value or (f"sqlite:///{data_dir / 'hsa.db'}" if data_dir else "")

    @field_validator("allowed_origins")
    @classmethod
    def _default_origins(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        """Only the public origin (plus 127.0.0.1 for a localhost URL): never `*`."""
        public_url = info.data.get("public_url", "")
        if value or not public_url:
            return value
        if "://localhost" in public_url:
            return (public_url, public_url.replace("://localhost", "://127.0.0.1"))
        return (public_url,)

    @field_validator("secret_key")
    @classmethod
    def _default_secret(cls, value: str, info: ValidationInfo) -> str:
        data_dir = info.data.get("data_dir")
        return value or (_stored_secret(data_dir) if data_dir else "")

    @field_validator("mail_from")
    @classmethod
    def _default_sender(cls, value: str, info: ValidationInfo) -> str:
        """no-reply at the public host, so mail from a real deployment has a plausible From."""
        host = urlsplit(info.data.get("public_url", "")).hostname or "localhost"
        return value or f"HomeServe <no-reply@{host}>"


def _explain(exc: ValidationError) -> SettingsError:
    """pydantic's report -> one plain line per bad variable."""
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        name = field if field.isupper() else env_name(field)
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, ValueError) and str(cause).startswith(name):
            lines.append(str(cause))
        else:
            lines.append(f"{name}: {error['msg']}, got {error.get('input')!r}")
    return SettingsError("\n".join(lines))


def _environment_key() -> tuple[tuple[Any, Any], ...]:
    """The HSA_* and REFLEX_REDIS_URL items. On CPython from `os.environ._data`, the bytes dict behind
    `os.environ`: filtering it skips decoding every variable (8 µs instead of 50 µs here)."""
    data = getattr(os.environ, "_data", None)
    if isinstance(data, dict):
        return tuple([kv for kv in data.items() if kv[0].startswith(_PREFIXES_B) or kv[0] in _REDIS_B])
    return tuple([kv for kv in os.environ.items() if kv[0].startswith(_PREFIXES) or kv[0] in _REDIS])


_PREFIXES, _REDIS = ("HSA_", "hsa_"), ("REFLEX_REDIS_URL", "reflex_redis_url")
_PREFIXES_B, _REDIS_B = tuple(p.encode() for p in _PREFIXES), tuple(r.encode() for r in _REDIS)


@lru_cache(maxsize=32)
def _settings_for(_key: tuple[tuple[Any, Any], ...]) -> Settings:
    return Settings()


def get_settings() -> Settings:
    """The settings for the current environment: parsed once, then the same object until it changes."""
    return _settings_for(_environment_key())


@lru_cache(maxsize=32)
def _stored_secret(data_dir: Path) -> str:
    """A per-installation signing key kept in the data folder (created once, mode 600), read once.

    Workers on one machine share it; several machines must set HSA_SECRET_KEY instead.
    """
    path = data_dir / "secret.key"
    if not path.exists():
        private_dir(data_dir)
        tmp = path.with_suffix(".tmp")
        write_private(tmp, secrets.token_urlsafe(48).encode())
        tmp.replace(path)
    return path.read_text().strip()


# ------------------------------------------------------------------ private files in the data folder


def private_dir(path: Path) -> Path:
    """Create `path` and any missing parents 0700 (whatever the umask); an existing folder is left alone."""
    missing = []
    for p in (path, *path.parents):
        if p.is_dir():
            break
        missing.append(p)
    for p in reversed(missing):
        try:
            p.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:  # another worker made it a moment ago (also 0700)
            continue
        p.chmod(PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Make sure `path` exists (empty if new, 0600 from the first instant) and only its owner may
    read or write it; an existing file keeps its content. SQLite gives -wal/-shm the main file's mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    try:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to a file that is 0600 before the first byte lands (truncating keeps the mode)."""
    private_file(path).write_bytes(data)


def tighten_data_dir(data_dir: Path) -> int:
    """Older installs made the data folder 0755 and its files 0644: make them 0700 / 0600.

    Runs once per process at start (first database engine: migrate, serve, CLI); symlinks are
    not followed. Returns how many entries changed.
    """
    changed = 0
    for current, _dirs, files in os.walk(data_dir):  # nothing if it does not exist
        for path, mode in [(Path(current), PRIVATE_DIR), *((Path(current, f), PRIVATE_FILE) for f in files)]:
            try:
                st = os.lstat(path)
                if not stat.S_ISLNK(st.st_mode) and st.st_mode & 0o077:
                    os.chmod(path, mode)
                    changed += 1
            except OSError as exc:  # not ours, or gone meanwhile: say so, keep going
                log.warning("could not make %s owner-only: %s", path, exc)
    if changed:
        log.warning("tightened the modes of %s entries in %s (owner-only now)", changed, data_dir)
    return changed


def main() -> int:
    """`python -m hsa.settings`: check the configuration before starting anything."""
    try:
        get_settings()
    except SettingsError as exc:
        print(f"configuration error:\n{exc}", file=sys.stderr)
        return 2
    print("settings are valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
