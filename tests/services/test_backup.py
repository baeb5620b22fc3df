"""Backups taken while bookings are being written restore to a consistent, identical snapshot.

Runs on SQLite and (in the PostgreSQL pass) on PostgreSQL via pg_dump / pg_restore.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from hsa import backup
from hsa.db import session_scope
from hsa.services import bookings
from hsa.services.scheduling import IST
from tests.factories import actor_for, bookable_service, make_user, slot


def _rows(url: str, table: str, ids: set[int] | None = None) -> tuple[int, str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        key = "status" if table == "request_status_counts" else "id"
        rows = [tuple(str(v) for v in r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY {key}"))]
    engine.dispose()
    if ids is not None:
        rows = [r for r in rows if int(r[0]) in ids]
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


def _ids(url: str, table: str) -> set[int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        ids = {r[0] for r in conn.execute(text(f"SELECT id FROM {table}"))}
    engine.dispose()
    return ids


def test_backup_during_writes_restores_a_consistent_copy(session: Session, db_url: str, tmp_path: Path) -> None:
    service = bookable_service(session)
    customer = actor_for(session, make_user(session))
    session.commit()
    day = slot(2).astimezone(IST).date().isoformat()
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        while not stop.is_set():
            with session_scope() as s:
                view = bookings.create_request(session=s, actor=customer, data={
                    "service_id": service.id, "day": day, "time": "10:00", "address": "1 Writer Street",
                    "pincode": "560034"})
                written.append(view.id)

    thread = threading.Thread(target=writer)
    thread.start()
    while len(written) < 30:
        threading.Event().wait(0.02)
    target = backup.backup(tmp_path / ("snap.db" if db_url.startswith("sqlite") else "snap.dump"))
    while len(written) < 60:  # keep writing after the snapshot
        threading.Event().wait(0.02)
    stop.set()
    thread.join(timeout=30)

    if db_url.startswith("sqlite"):
        restored_url = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        restored_url = str(make_url(db_url).set(database=make_url(db_url).database + "_restore"))
        admin = create_engine(make_url(db_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        name = make_url(restored_url).database
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    backup.restore(target, url=make_url(restored_url).render_as_string(hide_password=False))

    restored_ids = _ids(restored_url, "service_requests")
    assert 30 <= len(restored_ids) < len(_ids(db_url, "service_requests"))  # a snapshot from mid-stream
    assert restored_ids == set(range(1, len(restored_ids) + 1))  # no gaps: no half-applied transaction
    for table in ("service_requests", "users", "services"):
        ids = _ids(restored_url, table)
        assert _rows(restored_url, table) == _rows(db_url, table, ids), table  # identical rows
    # every restored booking has its audit row (written in the same transaction), and the
    # trigger-kept counters match the restored rows
    audit = create_engine(restored_url)
    with audit.connect() as conn:
        creates = conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'request.create'")).scalar()
        counted = conn.execute(text("SELECT count FROM request_status_counts WHERE status = 'requested'")).scalar()
    audit.dispose()
    assert creates == len(restored_ids) == counted
