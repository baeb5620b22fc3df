"""A photo with a dispute: the customer may add one (a leak that came back, a scratched floor)
while support has not decided, and replace it; both parties and admins see it beside the dispute.

Images only, sniffed from the bytes (PNG, JPEG, WebP up to 5 MB), stored privately
(`private_files`), shown through signed links minted for the parties when their cards load. The
same photo sent twice changes nothing; a new one replaces the old file. The photo goes with the
customer's account when they delete it (it may show the inside of their home).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import Dispute, DisputeStatus, utcnow
from hsa.services import audit, private_files, signed_links, throttle
from hsa.services.actors import Actor
from hsa.services.errors import InvalidTransition, NotFound, ValidationFailed
from hsa.services.permissions import require_actor

ALLOWED = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
KINDS = msg("svc_account.kinds_dispute_photo")
LINK_SECONDS = 3600  # minted when a card loads; an hour covers a support shift's page left open
UPLOAD_LIMIT = "10/hour;30/day"  # per customer: each upload writes a file
KEEP_AFTER_DECISION = timedelta(days=180)  # a card chargeback or a complaint about the decision comes within this
ADDED = msg("svc_account.dispute_photo_added")


def photos_dir() -> Path:
    return private_files.folder("disputes")


def attach_photo(*, session: Session, actor: Actor | None, request_id: int, data: bytes,
                 now: datetime | None = None) -> str:
    """The dispute's customer adds (or replaces) its photo; returns the line to show them."""
    actor = require_actor(actor)
    d = session.exec(select(Dispute).where(Dispute.request_id == request_id).with_for_update()).first()
    if d is None or d.customer_id != actor.id:
        raise NotFound("dispute")
    if d.status is DisputeStatus.decided:
        raise InvalidTransition(msg("svc_account.dispute_decided_no_photo"))
    mime = private_files.sniff(data, allowed=ALLOWED, field="photo", kinds=KINDS)
    digest = hashlib.sha256(data).hexdigest()
    if digest == d.photo_sha256:
        return ADDED  # the same photo again (a double click, a retry)
    if (wait := throttle.take(UPLOAD_LIMIT, "dispute-photo", str(actor.id))) > 0:
        raise ValidationFailed({"photo": msg("svc_booking.too_many_photos", wait=throttle.in_words(wait))})
    stored = private_files.store(photos_dir(), data, ALLOWED[mime])
    old = d.photo_stored_name
    d.photo_stored_name, d.photo_content_type, d.photo_sha256 = stored, mime, digest
    d.photo_at = now or utcnow()
    session.add(d)
    audit.record(session=session, actor_id=actor.id, action="dispute.photo", target_type="request",
                 target_id=request_id, sha256=digest, size=len(data), type=mime, replaced=bool(old))
    private_files.commit_swap(session, photos_dir(), stored, old)
    return ADDED


def _subject(d: Dispute) -> str:
    """The stored name is in it: a replaced photo's old links stop working."""
    return f"dispute-photo:{d.request_id}:{d.photo_stored_name}"


def link(d: Dispute, *, now: float | None = None) -> str:
    """The photo's signed URL ("" without one). Callers mint it only for the parties and admins."""
    if not d.photo_stored_name:
        return ""
    return f"/api/v1/disputes/{d.request_id}/photo?" + signed_links.query(_subject(d), seconds=LINK_SECONDS, now=now)


def open_signed(*, session: Session, request_id: int, expires: int, signature: str,
                now: float | None = None) -> tuple[bytes, str, str]:
    """Bytes, type and a file name for a valid, unexpired link; Forbidden or NotFound otherwise."""
    d = session.exec(select(Dispute).where(Dispute.request_id == request_id)).first()
    if d is None or not d.photo_stored_name:
        raise NotFound("photo")
    signed_links.check(_subject(d), expires=expires, sig=signature, now=now,
                       message=msg("svc_account.link_expired_page"))
    data = (photos_dir() / d.photo_stored_name).read_bytes()
    return data, d.photo_content_type, f"dispute-{request_id}.{ALLOWED.get(d.photo_content_type, 'img')}"


def _drop(session: Session, rows: list[Dispute]) -> int:
    for d in rows:
        private_files.remove(photos_dir(), d.photo_stored_name)
        d.photo_stored_name, d.photo_content_type, d.photo_sha256, d.photo_at = None, "", "", None
        session.add(d)
    return len(rows)


def forget_customer(session: Session, user_id: int) -> None:
    """Account deletion: the customer's photos go (in the caller's transaction)."""
    _drop(session, list(session.exec(select(Dispute).where(Dispute.customer_id == user_id,
                                                           col(Dispute.photo_stored_name).is_not(None)))))


def prune(session: Session, *, now: datetime) -> int:
    """The daily clean-up: photos of disputes decided more than 180 days ago (the caller commits)."""
    return _drop(session, list(session.exec(select(Dispute).where(
        col(Dispute.photo_stored_name).is_not(None), Dispute.status == DisputeStatus.decided,
        col(Dispute.decided_at) < now - KEEP_AFTER_DECISION))))


__all__ = ["attach_photo", "forget_customer", "link", "open_signed", "prune"]
