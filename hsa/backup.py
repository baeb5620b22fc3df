"""Consistent online backups and restores of the configured database.

SQLite: the online backup API copies a consistent snapshot while the app keeps writing.
PostgreSQL: `pg_dump --format=custom` (a consistent snapshot by MVCC) and `pg_restore`.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from hsa.settings import get_settings, private_dir, private_file


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None


def _libpq(url: str) -> str:
    """SQLAlchemy URL -> what pg_dump/pg_restore understand (no '+driver')."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def default_target(url: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = ".db" if _sqlite_path(url) else ".dump"
    return get_settings().data_dir / "backups" / f"hsa-{stamp}{suffix}"


def backup(target: Path | None = None, url: str | None = None) -> Path:
    """Write a consistent copy of the live database to `target` and return its path.

    A backup holds everyone's data: its folder is created 0700 and the file is 0600 from the start.
    """
    url = url or get_settings().database_url
    target = target or default_target(url)
    private_dir(target.parent)
    path = _sqlite_path(url)
    if path is not None:
        partial = _fresh_private(target.with_suffix(target.suffix + ".part"))
        src, dst = sqlite3.connect(path, timeout=30), sqlite3.connect(partial)
        try:
            src.backup(dst, pages=1024)  # in steps, so writers are never blocked for long
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise RuntimeError("backup failed its integrity check")
        finally:
            dst.close()
            src.close()
        partial.replace(target)
        return target
    _fresh_private(target)  # pg_dump truncates and keeps the mode
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), _libpq(url)])
    private_file(target)
    return target


def _fresh_private(path: Path) -> Path:
    """An empty 0600 file at `path` (a half-written one from a crashed run is dropped first)."""
    path.unlink(missing_ok=True)
    return private_file(path)


def restore(source: Path, url: str | None = None) -> None:
    """Replace the configured database with a backup. Stop the app first."""
    url = url or get_settings().database_url
    path = _sqlite_path(url)
    if path is not None:
        src = sqlite3.connect(source)
        try:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise RuntimeError(f"{source} is damaged; not restoring it")
            partial = _fresh_private(path.with_suffix(path.suffix + ".restoring"))  # the live file's new mode
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        for extra in (path.with_suffix(path.suffix + "-wal"), path.with_suffix(path.suffix + "-shm")):
            extra.unlink(missing_ok=True)
        partial.replace(path)
        return
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", _libpq(url),
          str(source)])


def _run(cmd: list[str]) -> None:
    if shutil.which(cmd[0]) is None:
        raise RuntimeError(f"{cmd[0]} is not installed (apt-get install postgresql-client)")
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603 - fixed argv
    if result.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed: {result.stderr.strip()[-500:]}")
