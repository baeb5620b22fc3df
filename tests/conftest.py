"""Shared fixtures: every test gets its own real SQLite file, migrated to head.

Migrating takes ~0.5 s, so we migrate one template file per run and copy it per test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from hsa.db import engine_for, session_scope


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


@pytest.fixture
def db_url(migrated_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
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
