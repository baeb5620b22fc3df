"""Alembic environment: our metadata, our engine (same pragmas as the app), batch mode for SQLite."""

from alembic import context
from sqlmodel import SQLModel

import hsa.models  # noqa: F401 - registers every table on SQLModel.metadata
from hsa.db import get_engine

target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    """Emit SQL without a connection (`alembic upgrade head --sql`)."""
    context.configure(url=str(get_engine().url), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Apply migrations inside one transaction per run."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        with get_engine().connect() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
