"""Migrating an empty database to head yields exactly the models' schema (and back down cleanly)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import hsa.models  # noqa: F401
from hsa.db import engine_for
from hsa.migrate import alembic_config, upgrade_to_head


def test_empty_database_to_head_matches_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("HSA_DATABASE_URL", url)
    upgrade_to_head()
    engine = engine_for(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
        tables = set(inspect(conn).get_table_names())
    assert diff == []
    assert tables == set(SQLModel.metadata.tables) | {"alembic_version"}
    command.downgrade(alembic_config(), "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {"alembic_version"}
    engine.dispose()


def test_constraints_reach_the_database(session) -> None:  # noqa: ANN001 - fixture
    """CHECK constraints come from the migration, so bad rows fail even outside the services."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        session.exec(text("INSERT INTO services (name, description, base_price_paise, duration_minutes, "
                          "is_active, created_at) VALUES ('x', '', -1, 60, 1, '2026-01-01')"))
    session.rollback()
    with pytest.raises(IntegrityError):
        session.exec(text("INSERT INTO users (email, full_name, phone, password_hash, role, status, address, "
                          "pincode, failed_login_count, created_at, updated_at) VALUES ('a@b.c', 'n', 'p', 'h', "
                          "'superuser', 'active', '', '560034', 0, '2026-01-01', '2026-01-01')"))
