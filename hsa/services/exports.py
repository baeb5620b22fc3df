"""Admin CSV exports written in the background, a chunk at a time, to private files.

A million rows must never sit in memory, nor one read transaction stay open for the minute they
take, so an export is a file that grows chunk by chunk:

- `start_export` (admin only, audited) fixes what the file will hold — the rows whose id is at
  most today's largest (later rows wait for the next export) — counts them, writes the header to
  `<id>.csv.part` and the progress to the sidecar `<id>.json`;
- each `export_chunk` call re-checks the actor, reads the next rows by keyset (id > the last
  written, ORDER BY id, LIMIT `chunk_size`: one index seek, however far in), appends them and
  updates the sidecar; the last chunk renames the file to `<id>.csv`. The page's background event
  calls it until done, updating the progress bar after each chunk; `run_export` loops for others;
- `download_link` signs a 10-minute URL for one admin (`signed_links`, the documents' and
  invoices' helper); `/api/v1/admin/exports/<id>.csv` streams the file from disk, and only while
  that person is still an active admin.

Progress lives in the sidecar, not a table, so any worker can answer it and no migration was
needed; an flock on the part file keeps two writers off one export. Files are 0600 in a 0700
folder and deleted after a day (`prune`, from the daily clean-up), the monthly report's after 35.
What the files contain: `export_kinds`.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from hsa.i18n.text import msg
from hsa.models import Role, User, UserStatus, utcnow
from hsa.services import audit, sidecars, signed_links
from hsa.services.actors import Actor
from hsa.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from hsa.services.export_kinds import KINDS, Kind
from hsa.services.permissions import require_admin
from hsa.services.scheduling import IST
from hsa.settings import get_settings, private_dir, write_private

CHUNK = 5_000                    # rows per read: ~0.6 MB of CSV, a few tens of ms on SQLite
LINK_SECONDS = 10 * 60
KEEP = timedelta(days=1)
STALL_AFTER = timedelta(minutes=2)  # a running export nobody advanced this long ago was interrupted
RUNNING, DONE, FAILED, STOPPED = "running", "done", "failed", "stopped"
_ID = re.compile(r"[0-9a-f]{16}")


def exports_dir() -> Path:
    """$HSA_DATA_DIR/exports, created 0700."""
    return private_dir(get_settings().data_dir / "exports")


def _paths(export_id: str) -> tuple[Path, Path, Path]:
    """(sidecar, part, finished file); an id that is not ours is "not found" (no path tricks)."""
    if not _ID.fullmatch(export_id or ""):
        raise NotFound("export")
    folder = exports_dir()
    return folder / f"{export_id}.json", folder / f"{export_id}.csv.part", folder / f"{export_id}.csv"


def _read(sidecar: Path) -> dict[str, Any]:
    return sidecars.read(sidecar, "export")


_write = sidecars.write


@dataclass(frozen=True)
class ExportStatus:
    id: str
    kind: str
    title: str
    state: str  # running | done | failed | stopped (interrupted: start a new one)
    done: int
    total: int
    filename: str
    created_at: datetime
    url: str = ""  # a fresh download link for the admin who asked (`recent_exports`), when done

    @property
    def percent(self) -> int:
        if self.state == DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


def _status(meta: dict[str, Any], now: datetime | None = None) -> ExportStatus:
    state = meta["state"]
    if state == RUNNING and datetime.fromisoformat(meta["updated_at"]) < (now or utcnow()) - STALL_AFTER:
        state = STOPPED
    return ExportStatus(meta["id"], meta["kind"], meta["title"], state, meta["done"], meta["total"],
                        meta["filename"], datetime.fromisoformat(meta["created_at"]))


def _range(kind: Kind, meta: dict[str, Any]) -> list[Any]:
    """The export's fixed filters: the kind's scope and the optional date range (`dated` column)."""
    where = list(kind.scope)
    if meta.get("created_from"):
        where.append(kind.dated >= datetime.fromisoformat(meta["created_from"]))
    if meta.get("created_before"):
        where.append(kind.dated < datetime.fromisoformat(meta["created_before"]))
    return where


def start_export(*, session: Session, actor: Actor | None, kind: str, created_from: datetime | None = None,
                 created_before: datetime | None = None, title: str = "", filename: str = "",
                 keep: timedelta = KEEP, now: datetime | None = None) -> ExportStatus:
    """Open an export of `kind` (optionally rows created in [created_from, created_before)); audited."""
    actor = require_admin(actor)
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationFailed({"kind": msg("svc_admin.export_choose_kind")})
    if (created_from or created_before) and spec.dated is None:
        raise ValidationFailed({"kind": msg("svc_admin.export_not_dated", label=spec.label)})
    now = now or utcnow()
    meta: dict[str, Any] = {
        "id": secrets.token_hex(8), "kind": kind, "admin_id": actor.id or None, "state": RUNNING,
        "title": title or f"{spec.label}, {now.astimezone(IST):%d %b %Y %H:%M}",
        "filename": filename or f"homeserve-{kind}-{now.astimezone(IST):%Y%m%d-%H%M}.csv",
        "created_from": created_from.isoformat() if created_from else None,
        "created_before": created_before.isoformat() if created_before else None,
        "created_at": now.isoformat(), "updated_at": now.isoformat(), "keep_until": (now + keep).isoformat()}
    total, low, high = session.exec(select(func.count(spec.key), func.min(spec.key), func.max(spec.key))
                                    .where(*_range(spec, meta))).one()
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(spec.header)
    sidecar, part, _ = _paths(meta["id"])
    write_private(part, header.getvalue().encode())
    meta |= {"total": int(total), "done": 0, "last_id": int(low or 0) - 1, "max_id": int(high or 0),
             "bytes": part.stat().st_size}
    _write(sidecar, meta)
    audit.record(session=session, actor_id=actor.id or None, action="export.start", target_type="export",
                 target_id=None, export=meta["id"], kind=kind, rows=meta["total"])
    session.commit()
    return _status(meta, now)


def _append(session: Session, spec: Kind, meta: dict[str, Any], fh: Any, chunk_size: int) -> int:
    """Write the next chunk after the last good byte (a crash mid-write is cut off); rows written."""
    rows = session.exec(spec.query().where(spec.key > meta["last_id"], spec.key <= meta["max_id"],
                                           *_range(spec, meta)).order_by(spec.key).limit(chunk_size)).all()
    session.commit()  # ends the read: no snapshot is held between chunks
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in rows:
        writer.writerow(spec.row(row))
    data = text.getvalue().encode()
    fh.truncate(meta["bytes"])
    fh.seek(meta["bytes"])
    fh.write(data)
    fh.flush()
    meta["bytes"] += len(data)
    meta["done"] += len(rows)
    meta["last_id"] = int(rows[-1][0]) if len(rows) == chunk_size else meta["max_id"]  # every query leads with the id
    return len(rows)


def export_chunk(*, session: Session, actor: Actor | None, export_id: str, chunk_size: int = CHUNK,
                 now: datetime | None = None) -> ExportStatus:
    """Write the next `chunk_size` rows of a running export (its last chunk finishes it)."""
    require_admin(actor)
    sidecar, part, final = _paths(export_id)
    meta = _read(sidecar)
    if meta["state"] != RUNNING:
        return _status(meta, now)
    try:
        fh = part.open("r+b")
    except FileNotFoundError:  # another worker wrote the last chunk a moment ago
        return _status(_read(sidecar), now)
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another worker is writing this export's next chunk right now
            return _status(meta, now)
        meta = _read(sidecar)  # as that worker left it
        if meta["state"] != RUNNING:
            return _status(meta, now)
        try:
            _append(session, KINDS[meta["kind"]], meta, fh, chunk_size)
        except Exception:
            meta["state"] = FAILED
            _write(sidecar, meta)
            raise
        meta["updated_at"] = (now or utcnow()).isoformat()
        if meta["last_id"] >= meta["max_id"]:
            part.replace(final)
            meta |= {"state": DONE, "total": meta["done"]}
        _write(sidecar, meta)
    return _status(meta, now)


def run_export(*, session: Session, actor: Actor | None, export_id: str, chunk_size: int = CHUNK,
               on_chunk: Callable[[ExportStatus], None] | None = None) -> ExportStatus:
    """Every chunk, one after another (the monthly report, the benchmark, tests)."""
    done = -1
    while True:
        status = export_chunk(session=session, actor=actor, export_id=export_id, chunk_size=chunk_size)
        if on_chunk is not None:
            on_chunk(status)
        if status.state != RUNNING:
            return status
        if status.done == done:
            time.sleep(0.1)  # another worker holds the lock: let it finish its chunk
        done = status.done


def export_status(*, session: Session, actor: Actor | None, export_id: str) -> ExportStatus:
    require_admin(actor)
    return _status(_read(_paths(export_id)[0]))


def recent_exports(*, session: Session, actor: Actor | None, limit: int = 8,
                   now: float | None = None) -> list[ExportStatus]:
    """The newest exports still kept, any admin's (they all may export the same data), each
    finished one with a fresh download link for this admin."""
    actor = require_admin(actor)
    found = []
    for sidecar in exports_dir().glob("*.json"):
        try:
            found.append(_status(json.loads(sidecar.read_text())))
        except (OSError, ValueError, KeyError):  # pruned or half-written by another worker meanwhile
            continue
    found = sorted(found, key=lambda s: s.created_at, reverse=True)[:limit]
    return [replace(s, url=_link(actor, s.id, now)) if s.state == DONE else s for s in found]


def _subject(admin_id: int, export_id: str) -> str:
    return f"export:{admin_id}:{export_id}"


def _link(actor: Actor, export_id: str, now: float | None) -> str:
    return (f"/api/v1/admin/exports/{export_id}.csv?admin={actor.id}&"
            + signed_links.query(_subject(actor.id, export_id), seconds=LINK_SECONDS, now=now))


def download_link(*, session: Session, actor: Actor | None, export_id: str, now: float | None = None) -> str:
    """A 10-minute URL to a finished export, for this admin only."""
    actor = require_admin(actor)
    if _read(_paths(export_id)[0])["state"] != DONE:
        raise Conflict(msg("svc_admin.export_not_finished"))
    return _link(actor, export_id, now)


def open_signed(*, session: Session, export_id: str, admin_id: int, expires: int, signature: str,
                now: float | None = None) -> tuple[Path, str]:
    """The finished file and its download name for a valid link of a person who is still an admin."""
    sidecar, _, final = _paths(export_id)
    signed_links.check(_subject(admin_id, export_id), expires=expires, sig=signature, now=now,
                       message=msg("svc_admin.link_expired_export"))
    user = session.get(User, admin_id)
    if user is None or user.role is not Role.admin or user.status is not UserStatus.active:
        raise Forbidden(msg("svc_admin.export_admins_only"))
    meta = _read(sidecar)
    if meta["state"] != DONE or not final.exists():
        raise NotFound("export")
    return final, meta["filename"]


def prune(*, now: datetime) -> int:
    """Delete exports past their keeping time (they hold names and phone numbers); returns how many."""
    folder, removed = exports_dir(), 0
    for sidecar in folder.glob("*.json"):
        try:
            meta = json.loads(sidecar.read_text())
            if datetime.fromisoformat(meta["keep_until"]) > now:
                continue
        except (OSError, ValueError, KeyError):
            continue  # another worker's prune, or a sidecar being replaced: the next day's pass
        for path in (folder / f"{meta['id']}.csv", folder / f"{meta['id']}.csv.part", sidecar):
            path.unlink(missing_ok=True)
        removed += 1
    return removed
