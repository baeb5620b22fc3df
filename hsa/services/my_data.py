"""Download my data: an archive of the person's own rows, built in the background a section at a
time, as JSON (for another service) and a readable HTML page, behind links valid for 24 hours.

Why files and a sidecar, like the admin exports (`exports`): the work is a few dozen queries, but a
busy professional's history is thousands of rows, so each step is one section (a short read, no
transaction held between steps) and the progress lives beside the files, where any worker can
answer it. The profile page drives the steps and shows the bar; if the tab is closed, the reminder
pass (`finish_abandoned`) finishes the archive, so the person finds it ready when they come back.

Files live under $HSA_DATA_DIR/archives/<user id>/ (0700, files 0600): a person's folder is found
from the signed-in actor only, so no id typed into an event reaches someone else's archive. Asking
again while one is being made returns that one (a double click, a second tab); a new one is
throttled (`HSA_ARCHIVE_LIMIT`). Archives are deleted when their links expire (`prune`, every
reminder pass) and at once when the account is deleted (`forget`).
"""

from __future__ import annotations

import fcntl
import json
import re
import secrets
import shutil
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from hsa.i18n.text import msg
from hsa.models import User, UserStatus, utcnow
from hsa.services import audit, sidecars, signed_links, throttle
from hsa.services.actors import Actor
from hsa.services.errors import Conflict, Forbidden, NotFound
from hsa.services.my_data_html import render
from hsa.services.my_data_sections import SECTIONS
from hsa.services.permissions import require_actor
from hsa.services.scheduling import IST
from hsa.settings import get_settings, private_dir, write_private

VALID = timedelta(hours=24)
STALL_AFTER = timedelta(seconds=30)  # no page advanced it this long: the reminder pass takes over
RUNNING, DONE, FAILED = "running", "done", "failed"
FORMATS = {"json": "application/json", "html": "text/html; charset=utf-8"}
_ID = re.compile(r"[0-9a-f]{16}")
GONE = msg("svc_account.link_expired_data")


def _root() -> Path:
    return get_settings().data_dir / "archives"


def _folder(user_id: int) -> Path:
    return private_dir(_root() / str(int(user_id)))


def _sidecar(user_id: int, archive_id: str) -> Path:
    """The archive's progress file; an id that is not one of ours is "not found" (no path tricks)."""
    if not _ID.fullmatch(archive_id or ""):
        raise NotFound("archive")
    return _folder(user_id) / f"{archive_id}.meta"


def _file(user_id: int, archive_id: str, fmt: str) -> Path:
    return _folder(user_id) / f"{archive_id}.{fmt}"


def _parts(user_id: int, archive_id: str) -> Path:
    return private_dir(_folder(user_id) / f"{archive_id}.parts")


def _read(sidecar: Path) -> dict[str, Any]:
    return sidecars.read(sidecar, "archive")


_write = sidecars.write


@dataclass(frozen=True)
class ArchiveStatus:
    id: str
    state: str  # running | done | failed
    done: int
    total: int
    created_at: datetime
    expires_at: datetime
    json_url: str = ""
    html_url: str = ""

    @property
    def percent(self) -> int:
        return 100 if self.state == DONE else min(99, self.done * 100 // max(1, self.total))

    @property
    def expires_label(self) -> str:
        return f"{self.expires_at.astimezone(IST):%d %b %Y, %H:%M} IST"


def _status(meta: dict[str, Any]) -> ArchiveStatus:
    return ArchiveStatus(meta["id"], meta["state"], meta["done"], meta["total"],
                         datetime.fromisoformat(meta["created_at"]), datetime.fromisoformat(meta["expires_at"]))


def _subject(user_id: int, archive_id: str, fmt: str) -> str:
    return f"archive:{user_id}:{archive_id}:{fmt}"


def _with_links(meta: dict[str, Any]) -> ArchiveStatus:
    """A finished archive's two links; they expire with the archive, 24 h after it was asked for."""
    status = _status(meta)
    if status.state != DONE:
        return status
    uid, expires = meta["user_id"], int(status.expires_at.timestamp())

    def url(fmt: str) -> str:
        sig = signed_links.signature(_subject(uid, status.id, fmt), expires)
        return f"/api/v1/me/data/{status.id}.{fmt}?user={uid}&exp={expires}&sig={sig}"
    return replace(status, json_url=url("json"), html_url=url("html"))


def _kept(user_id: int, now: datetime) -> list[dict[str, Any]]:
    """The person's archives whose links have not expired, newest first."""
    found = []
    for path in _folder(user_id).glob("*.meta"):
        try:
            meta = json.loads(path.read_text())
        except (OSError, ValueError):  # pruned or being replaced by another worker meanwhile
            continue
        if datetime.fromisoformat(meta["expires_at"]) > now:
            found.append(meta)
    return sorted(found, key=lambda m: m["created_at"], reverse=True)


def latest_archive(*, session: Session, actor: Actor | None, now: datetime | None = None) -> ArchiveStatus | None:
    """The newest archive still valid for the signed-in person, with its links when finished."""
    actor = require_actor(actor)
    kept = _kept(actor.id, now or utcnow())
    return _with_links(kept[0]) if kept else None


def start_archive(*, session: Session, actor: Actor | None, now: datetime | None = None) -> ArchiveStatus:
    """Begin an archive of the signed-in person's data; the one being made if there is one."""
    actor = require_actor(actor)
    now = now or utcnow()
    running = [m for m in _kept(actor.id, now) if m["state"] == RUNNING]
    if running:
        return _status(running[0])
    limit = get_settings().archive_limit
    wait = throttle.take(limit, "archive", str(actor.id))
    if wait:
        raise Conflict(msg("svc_account.data_often", limit=limit, wait=throttle.in_words(wait)))
    meta = {"id": secrets.token_hex(8), "user_id": actor.id, "state": RUNNING, "done": 0, "total": len(SECTIONS),
            "created_at": now.isoformat(), "updated_at": now.isoformat(), "expires_at": (now + VALID).isoformat()}
    _write(_sidecar(actor.id, meta["id"]), meta)
    audit.record(session=session, actor_id=actor.id, action="user.data_archive", target_type="user",
                 target_id=actor.id, archive=meta["id"])
    session.commit()
    return _status(meta)


def archive_step(*, session: Session, actor: Actor | None, archive_id: str,
                 now: datetime | None = None) -> ArchiveStatus:
    """Write the next section of the person's own archive (the last one finishes it)."""
    actor = require_actor(actor)
    return _with_links(_advance(session, actor.id, archive_id, now or utcnow()))


def _advance(session: Session, user_id: int, archive_id: str, now: datetime) -> dict[str, Any]:
    sidecar = _sidecar(user_id, archive_id)
    meta = _read(sidecar)
    if meta["state"] != RUNNING:
        return meta
    with sidecar.with_suffix(".lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another worker is writing this archive's next section right now
            return meta
        meta = _read(sidecar)  # as that worker left it
        if meta["state"] != RUNNING:
            return meta
        try:
            section = SECTIONS[meta["done"]]
            rows = section.rows(session, user_id)
            session.rollback()  # ends the read: nothing is held between sections
            write_private(_parts(user_id, archive_id) / f"{section.key}.json", json.dumps(rows).encode())
            meta["done"] += 1
            if meta["done"] == meta["total"]:
                _assemble(session, user_id, archive_id, now)
                meta["state"] = DONE
        except Exception:
            meta["state"] = FAILED
            _write(sidecar, meta)
            raise
        meta["updated_at"] = now.isoformat()
        _write(sidecar, meta)
    return meta


def _assemble(session: Session, user_id: int, archive_id: str, now: datetime) -> None:
    """Join the sections into the JSON file and the readable page; drop the parts."""
    parts = _parts(user_id, archive_id)
    sections = {s.key: json.loads((parts / f"{s.key}.json").read_text()) for s in SECTIONS}
    user = session.get(User, user_id)
    name = user.full_name if user is not None else ""
    session.rollback()
    generated = now.astimezone(IST).isoformat(timespec="seconds")
    document = {"service": "HomeServe", "generated_at": generated, "user_id": user_id, "sections": sections}
    write_private(_file(user_id, archive_id, "json"), json.dumps(document, ensure_ascii=False, indent=1).encode())
    write_private(_file(user_id, archive_id, "html"),
                  render(name, generated, [(s.title, sections[s.key]) for s in SECTIONS]).encode())
    shutil.rmtree(parts, ignore_errors=True)


def open_signed(*, session: Session, archive_id: str, user_id: int, fmt: str, expires: int, signature: str,
                now: float | None = None) -> tuple[Path, str, str]:
    """(file, download name, media type) for a valid link of a person whose account still exists."""
    if fmt not in FORMATS:
        raise NotFound("archive")
    signed_links.check(_subject(user_id, archive_id, fmt), expires=expires, sig=signature, now=now, message=GONE)
    user = session.get(User, user_id)
    if user is None or user.status is UserStatus.deleted:
        raise Forbidden(GONE)
    meta = _read(_sidecar(user_id, archive_id))
    path = _file(user_id, archive_id, fmt)
    if meta["state"] != DONE or not path.exists():
        raise NotFound("archive")
    day = datetime.fromisoformat(meta["created_at"]).astimezone(IST)
    return path, f"homeserve-my-data-{day:%Y%m%d-%H%M}.{fmt}", FORMATS[fmt]


def finish_abandoned(*, session: Session, now: datetime) -> int:
    """Finish archives no page has advanced lately (the tab was closed); returns how many."""
    root, finished = _root(), 0
    if not root.is_dir():
        return 0
    for folder in root.iterdir():
        if not folder.name.isdigit():
            continue
        user_id = int(folder.name)
        for meta in _kept(user_id, now):
            if meta["state"] != RUNNING or datetime.fromisoformat(meta["updated_at"]) > now - STALL_AFTER:
                continue
            while meta["state"] == RUNNING:
                before = meta["done"]
                meta = _advance(session, user_id, meta["id"], now)
                if meta["done"] == before and meta["state"] == RUNNING:
                    break  # another worker holds it: that one finishes it
            finished += meta["state"] == DONE
    return finished


def prune(*, now: datetime) -> int:
    """Delete archives whose links have expired (they are the person's whole record); how many."""
    root, removed = _root(), 0
    if not root.is_dir():
        return 0
    for sidecar in root.glob("*/*.meta"):
        try:
            meta = json.loads(sidecar.read_text())
            if datetime.fromisoformat(meta["expires_at"]) > now:
                continue
        except (OSError, ValueError, KeyError):
            continue  # being replaced by another worker: the next pass
        folder = sidecar.parent
        for fmt in FORMATS:
            (folder / f"{meta['id']}.{fmt}").unlink(missing_ok=True)
        shutil.rmtree(folder / f"{meta['id']}.parts", ignore_errors=True)
        sidecar.with_suffix(".lock").unlink(missing_ok=True)
        sidecar.unlink(missing_ok=True)
        removed += 1
    return removed


def forget(user_id: int) -> None:
    """Delete every archive of a person at once (their account is being deleted)."""
    shutil.rmtree(_root() / str(int(user_id)), ignore_errors=True)
