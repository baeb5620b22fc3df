"""Data on disk is owner-only: the data folder 0700, every file we write in it 0600.

Real files, real modes (`st_mode & 0o777`), under the usual umask 022 that made them 0644 before.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hsa import backup
from hsa.db import engine_for, session_scope
from hsa.services.mail import Email, OutboxMailer
from hsa.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture(autouse=True)
def _umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder that does not exist yet, with the default SQLite file inside it."""
    data = tmp_path / "srv" / "data"
    monkeypatch.setenv("HSA_DATA_DIR", str(data))
    monkeypatch.delenv("HSA_DATABASE_URL", raising=False)
    monkeypatch.delenv("HSA_SECRET_KEY", raising=False)
    return data


def test_a_new_database_and_its_wal_and_shm_are_0600_in_a_0700_folder(data: Path) -> None:
    from hsa.migrate import upgrade_to_head

    upgrade_to_head()
    url = get_settings().database_url
    try:
        with session_scope() as s:  # a write, so the -wal and -shm files exist while the pool holds them
            s.connection().exec_driver_sql("CREATE TABLE mode_probe (x INTEGER)")
            s.commit()
        db = data / "hsa.db"
        assert mode(data) == 0o700
        assert mode(db) == 0o600
        for extra in (data / "hsa.db-wal", data / "hsa.db-shm"):
            assert extra.exists() and mode(extra) == 0o600, extra
        assert mode(data / "secret.key") == 0o600
    finally:
        engine_for(url).dispose()


def test_outbox_mail_folder_and_files_are_private(data: Path) -> None:
    OutboxMailer(data / "outbox", "HomeServe <no-reply@localhost>").send(Email("a@example.com", "Hi", "Body"))
    (mail,) = (data / "outbox").glob("*.eml")
    assert (mode(data), mode(data / "outbox"), mode(mail)) == (0o700, 0o700, 0o600)


def test_backups_and_restores_are_private(data: Path, tmp_path: Path) -> None:
    source = tmp_path / "live.db"
    conn = sqlite3.connect(source)
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    source.chmod(0o644)
    url = f"sqlite:///{source}"
    target = backup.backup(url=url)
    assert target.parent == data / "backups"
    assert (mode(data), mode(target.parent), mode(target)) == (0o700, 0o700, 0o600)
    elsewhere = backup.backup(tmp_path / "new-folder" / "copy.db", url=url)
    assert (mode(elsewhere.parent), mode(elsewhere)) == (0o700, 0o600)
    backup.restore(target, url=url)
    assert mode(source) == 0o600  # the restored database is owner-only too


def test_migrate_tightens_an_older_install(tmp_path: Path) -> None:
    """Files an older version left 0644 (and folders 0755) are owner-only after the next start."""
    data = tmp_path / "data"
    for folder in (data, data / "private" / "documents", data / "outbox", data / "backups"):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o755)
    files = [data / "secret.key", data / "private" / "documents" / "a.pdf", data / "outbox" / "m.eml",
             data / "backups" / "hsa-1.db"]
    for f in files:
        f.write_text("x" * 64)
        f.chmod(0o644)
    elsewhere = tmp_path / "db" / "hsa.db"  # a database outside the data folder, with its WAL files
    elsewhere.parent.mkdir()
    conn = sqlite3.connect(elsewhere)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.commit()
    shutil.copy(elsewhere, data / "old-copy.db")
    for f in (elsewhere, elsewhere.with_name("hsa.db-wal"), elsewhere.with_name("hsa.db-shm")):
        f.chmod(0o644)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HSA_")}
    env |= {"HSA_DATA_DIR": str(data), "HSA_DATABASE_URL": f"sqlite:///{elsewhere}"}
    try:
        done = subprocess.run([sys.executable, "-m", "hsa.cli", "migrate"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120, check=False)
    finally:
        conn.close()
    assert done.returncode == 0, done.stderr
    for folder in (data, data / "private", data / "private" / "documents", data / "outbox", data / "backups"):
        assert mode(folder) == 0o700, folder
    for f in [*files, data / "old-copy.db", elsewhere]:
        assert mode(f) == 0o600, f
    assert mode(elsewhere.parent) == 0o755  # a folder we did not create is the operator's business
