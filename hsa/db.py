"""Engine and session factory shared by the app, the API, the CLI and the tests.

We build our own engine instead of `rx.session()` so SQLite gets WAL, a busy timeout and
foreign keys on every connection, and so that code below the state layer never imports reflex.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from hsa.observability.db import instrument_engine
from hsa.settings import get_settings, private_dir, private_file, tighten_data_dir


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI types
    """Durability and integrity settings for every SQLite connection (see docs/operations.md)."""
    dbapi_connection.isolation_level = None  # pysqlite must not BEGIN by itself: _sqlite_begin does
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA synchronous={_synchronous()}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _synchronous() -> str:
    """NORMAL (default): survives a crash of the app or OS process, may lose the last commits on
    power loss. FULL: also survives power loss, at the cost of an fsync per commit."""
    level = os.environ.get("HSA_SQLITE_SYNCHRONOUS", "NORMAL").upper()
    return level if level in ("NORMAL", "FULL") else "NORMAL"


def _sqlite_begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    """Start every transaction with BEGIN IMMEDIATE unless marked read-only.

    A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when
    another writer committed in between (the busy timeout does not apply). Taking the write
    lock up front makes writers queue politely instead; WAL keeps readers unblocked.
    """
    mode = "DEFERRED" if conn.get_execution_options().get("hsa_readonly") else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per URL for the life of the process (connection pools are per engine)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return instrument_engine(engine)  # query-time histogram (hsa.observability.db)
    return instrument_engine(create_engine(url, pool_pre_ping=True))


def get_engine() -> Engine:
    """Engine for the configured database URL (runs per session: the file checks are cached)."""
    settings = get_settings()
    _private_data_dir(settings.data_dir)
    _private_sqlite_file(settings.database_url)
    return engine_for(settings.database_url)


@lru_cache(maxsize=8)
def _private_data_dir(data_dir: Path) -> None:
    """Once per process (migrate, serve, CLI): an older install's 0755/0644 become 0700/0600."""
    tighten_data_dir(data_dir)


@lru_cache(maxsize=64)
def _private_sqlite_file(url: str) -> None:
    """Create the SQLite file 0600 before SQLAlchemy opens it: SQLite gives its -wal and -shm
    the main file's mode, so none of the three is ever world-readable. Once per file."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:" \
            or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    private_dir(path.parent)
    private_file(path)
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if extra.exists():
            private_file(extra)


@contextmanager
def session_scope(*, readonly: bool = False) -> Iterator[Session]:
    """A session that rolls back whatever was not committed, so no half-written rows survive.

    `readonly=True` (dashboards, long reads) starts a deferred transaction on SQLite so it
    does not hold the write lock.
    """
    engine = get_engine()
    if readonly:
        engine = engine.execution_options(hsa_readonly=True)
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
