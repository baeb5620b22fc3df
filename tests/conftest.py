"""Shared fixtures: every test gets its own real, migrated database.

SQLite (default): one template file is migrated per run and copied per test (~1 ms).
PostgreSQL: set HSA_TEST_DATABASE_URL (scripts/test does, for tests/services and tests/api):
the database is recreated and migrated once per run and every table is truncated per test.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from hsa.db import engine_for, session_scope

pytest_plugins = ["tests.payment_fixtures"]  # the test gateway and our API over HTTP (money tests)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hsa.migrate import upgrade_to_head

    path = tmp_path_factory.mktemp("template") / "template.db"
    url = f"sqlite:///{path}"
    mp = pytest.MonkeyPatch()
    mp.setenv("HSA_DATABASE_URL", url)
    try:
        upgrade_to_head()
    finally:
        mp.undo()
        engine_for(url).dispose()
    return path


PG_URL = os.environ.get("HSA_TEST_DATABASE_URL", "")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """Recreate the PostgreSQL test database and migrate it to head, once per run."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from hsa.migrate import upgrade_to_head

    url = make_url(PG_URL)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    mp = pytest.MonkeyPatch()
    mp.setenv("HSA_DATABASE_URL", PG_URL)
    try:
        upgrade_to_head()
    finally:
        mp.undo()
    yield PG_URL
    engine_for(PG_URL).dispose()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if PG_URL:
        from sqlalchemy import text
        from sqlmodel import SQLModel

        url = request.getfixturevalue("pg_database")
        monkeypatch.setenv("HSA_DATABASE_URL", url)
        tables = ", ".join(f'"{t}"' for t in SQLModel.metadata.tables)
        with engine_for(url).connect() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            conn.commit()
        yield url
        return
    migrated_template = request.getfixturevalue("migrated_template")
    path = tmp_path / "hsa.db"
    shutil.copy(migrated_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("HSA_DATABASE_URL", url)
    yield url
    engine_for(url).dispose()


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope() as s:
        yield s


@pytest.fixture(autouse=True)
def _fresh_process_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with full rate-limit budgets (they live in process memory) and its own
    data folder, so mail written to the outbox never lands in the checkout's var/."""
    from hsa.services import throttle
    from hsa.services.actor_cache import ACTORS
    from hsa.services.intelligence import recommend

    recommend._cache.clear()  # keyed by database URL, and a PostgreSQL test database's URL repeats
    throttle.reset()
    ACTORS.clear()
    ACTORS.trust(True)
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path / "data"))
    yield


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What our JSON logger writes during the test, one object per line."""
    from hsa.observability import logs

    buffer = io.StringIO()
    handler = logs.configure_logging(fmt="json", level="INFO", stream=buffer)
    yield buffer
    handler.close()
    logs.configure_logging(fmt="json", level="INFO")
