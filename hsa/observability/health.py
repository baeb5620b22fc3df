"""Readiness checks behind `/readyz`: can this process serve a request that needs its dependencies?

- database: `SELECT 1` on the configured URL (a SQLite file must already exist: the check never
  creates an empty database as a side effect);
- migrations: the revision recorded in the database equals the migration scripts' head (a
  deployment that forgot `python -m hsa.cli migrate` is not ready);
- redis: `PING`, only when `REFLEX_REDIS_URL` is set.

Each check reports a short, non-secret reason (an exception's class, revision ids); the full
error goes to the server log only, because the endpoint is public for load balancers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy.engine import make_url

from hsa.observability.logs import get_logger
from hsa.settings import get_settings

log = get_logger("hsa.health")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = "ok"


def _sqlite_file_missing(url: str) -> bool:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return False
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return False
    return not Path(database).is_file()


def check_database(url: str) -> Check:
    if _sqlite_file_missing(url):
        return Check("database", False, "database file does not exist")
    from hsa.db import engine_for

    try:
        # Read-only: on SQLite this starts a deferred transaction, so the probe never queues for the write lock.
        with engine_for(url).execution_options(hsa_readonly=True).connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:  # any failure means not ready
        log.warning("readiness_failed", check="database", exc_info=exc)
        return Check("database", False, f"unreachable ({type(exc).__name__})")
    return Check("database", True)


@lru_cache(maxsize=1)
def script_heads() -> tuple[str, ...]:
    """Head revision(s) of the migration scripts shipped with this code (read once per process)."""
    from alembic.script import ScriptDirectory

    from hsa.migrate import alembic_config

    return tuple(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def check_migrations(url: str) -> Check:
    if _sqlite_file_missing(url):
        return Check("migrations", False, "no database")
    from alembic.runtime.migration import MigrationContext

    from hsa.db import engine_for

    try:
        with engine_for(url).execution_options(hsa_readonly=True).connect() as conn:
            current = tuple(sorted(MigrationContext.configure(conn).get_current_heads()))
    except Exception as exc:
        log.warning("readiness_failed", check="migrations", exc_info=exc)
        return Check("migrations", False, f"cannot read the schema version ({type(exc).__name__})")
    heads = script_heads()
    if current == heads:
        return Check("migrations", True)
    shown = ", ".join(current) or "none"
    return Check("migrations", False, f"database at {shown}, code expects {', '.join(heads)}: run hsa.cli migrate")


def check_redis(url: str) -> Check:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except Exception as exc:
        log.warning("readiness_failed", check="redis", exc_info=exc)
        return Check("redis", False, f"unreachable ({type(exc).__name__})")
    finally:
        client.close()
    return Check("redis", True)


def readiness() -> list[Check]:
    """Every check for the current settings (blocking: call from a worker thread)."""
    settings = get_settings()
    checks = [check_database(settings.database_url)]
    checks.append(check_migrations(settings.database_url) if checks[0].ok
                  else Check("migrations", False, "database unavailable"))
    if settings.redis_url:
        checks.append(check_redis(settings.redis_url))
    return checks
