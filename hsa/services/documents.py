"""Verification documents: type sniffed from content, size-capped, stored privately, served by signed link.

Files live under HSA_DATA_DIR/private/documents with random names, never in a publicly served
folder (Reflex serves its own upload folder at /_upload without authentication).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from hsa.i18n.text import msg
from hsa.models import ApprovalStatus, ProfessionalProfile, Role, utcnow
from hsa.services import audit, notifications, private_files, signed_links
from hsa.services.actors import Actor
from hsa.services.errors import NotFound
from hsa.services.permissions import require_actor, require_role, require_self_or_admin

MAX_BYTES = private_files.MAX_BYTES
ALLOWED = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
LINK_SECONDS = 300
UPLOADED = "Document uploaded. An admin will review it."
REVIEW_PENDING = "Your new document is waiting for review."


@dataclass(frozen=True)
class StoredDocument:
    """What was stored, and where the application stands now (`notice` is the line to show the professional)."""

    original_name: str
    content_type: str
    size: int
    sha256: str
    approval_status: str = ApprovalStatus.pending.value
    notice: str = UPLOADED


def documents_dir() -> Path:
    """Identity documents: 0700 folders (data, private, documents), 0600 files."""
    return private_files.folder("documents")


def check_document(data: bytes) -> str:
    """Content type from the bytes themselves (extensions lie); ValidationFailed otherwise."""
    return private_files.sniff(data, allowed=ALLOWED, field="document", kinds=msg("svc_account.kinds_document"))


def upload_document(*, session: Session, actor: Actor | None, filename: str, data: bytes) -> StoredDocument:
    """A professional uploads (or replaces) their document.

    An approval (or rejection) was a verdict on the old file, so a new one from an approved or
    rejected professional puts them back to pending: out of search and the job board until an
    admin looks again, and the admins are told. The old verdict stays in the audit log.
    """
    actor = require_role(actor, Role.professional)
    mime = check_document(data)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == actor.id)
                           .with_for_update()).one()
    stored_name = private_files.store(documents_dir(), data, ALLOWED[mime])
    old = profile.doc_stored_name
    safe_name = Path(filename or "document").name[:200] or "document"
    profile.doc_original_name, profile.doc_stored_name = safe_name, stored_name
    profile.doc_content_type, profile.doc_size = mime, len(data)
    profile.doc_sha256 = hashlib.sha256(data).hexdigest()
    profile.doc_uploaded_at = utcnow()
    was, reviewer, verdict = profile.approval_status, profile.reviewed_by_id, profile.approval_reason
    review_again = was in (ApprovalStatus.approved, ApprovalStatus.rejected)
    if review_again:
        profile.approval_status, profile.approval_reason = ApprovalStatus.pending, ""
        profile.reviewed_at, profile.reviewed_by_id = None, None
    session.add(profile)
    audit.record(session=session, actor_id=actor.id, action="document.upload", target_type="user",
                 target_id=actor.id, sha256=profile.doc_sha256, size=len(data), type=mime)
    if old:
        audit.record(session=session, actor_id=actor.id, action="professional.document_replaced", target_type="user",
                     target_id=actor.id, old_status=was.value, new_status=profile.approval_status.value,
                     reviewed_by=reviewer, reason=verdict)
    if review_again:
        notifications.document_to_review(session, pro_id=actor.id, pro_name=actor.full_name, was=was,
                                         now=profile.doc_uploaded_at)
    private_files.commit_swap(session, documents_dir(), stored_name, old)
    return StoredDocument(safe_name, mime, len(data), profile.doc_sha256, profile.approval_status.value,
                          REVIEW_PENDING if review_again else UPLOADED)


def _profile_for(session: Session, actor: Actor, user_id: int) -> ProfessionalProfile:
    require_self_or_admin(actor, user_id, "document")
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user_id)).first()
    if profile is None or not profile.doc_stored_name:
        raise NotFound("document")
    return profile


def _subject(user_id: int, stored_name: str) -> str:
    """What a link opens: the stored name is in it, so a replaced file's old links stop working."""
    return f"{user_id}:{stored_name}"


def document_link(*, session: Session, actor: Actor | None, user_id: int, now: float | None = None) -> str:
    """A short-lived signed URL to view the document; only the owner and admins get one."""
    actor = require_actor(actor)
    profile = _profile_for(session, actor, user_id)
    assert profile.doc_stored_name
    return f"/api/v1/documents/{user_id}?" + signed_links.query(_subject(user_id, profile.doc_stored_name),
                                                               seconds=LINK_SECONDS, now=now)


def open_signed(*, session: Session, user_id: int, expires: int, signature: str,
                now: float | None = None) -> tuple[bytes, str, str]:
    """Bytes, type and name for a valid, unexpired link; Forbidden otherwise (no other way in)."""
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user_id)).first()
    if profile is None or not profile.doc_stored_name or not profile.doc_content_type:
        raise NotFound("document")
    signed_links.check(_subject(user_id, profile.doc_stored_name), expires=expires, sig=signature, now=now,
                       message=msg("svc_account.link_expired_document"))
    data = (documents_dir() / profile.doc_stored_name).read_bytes()
    return data, profile.doc_content_type, profile.doc_original_name or "document"


def delete_document_file(profile: ProfessionalProfile) -> None:
    """Remove the stored file (account deletion); metadata is cleared by the caller."""
    private_files.remove(documents_dir(), profile.doc_stored_name)
