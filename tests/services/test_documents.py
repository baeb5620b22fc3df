"""Verification documents: content sniffing, size cap, private random names, owner/admin-only links."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from hsa.models import ApprovalStatus, AuditLog, Notification, ProfessionalProfile, Role, UserStatus
from hsa.services import admin, bookings, documents, search
from hsa.services.errors import Forbidden, NotFound, ValidationFailed
from tests.factories import actor_for, make_request, make_service, make_user
from tests.files import ELF, HTML, pdf, png


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path / "data"))


def _profile(session: Session, user_id: int) -> ProfessionalProfile:
    session.expire_all()
    return session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user_id)).one()


@pytest.mark.parametrize(("name", "data", "mime"), [("licence.pdf", pdf(), "application/pdf"),
                                                    ("id-card.png", png(), "image/png")])
def test_real_pdf_and_png_are_stored_privately_under_random_names(session: Session, name: str, data: bytes,
                                                                 mime: str) -> None:
    pro = make_user(session, role=Role.professional, approval=ApprovalStatus.pending)
    stored = documents.upload_document(session=session, actor=actor_for(session, pro), filename=name, data=data)
    profile = _profile(session, pro.id)
    assert stored.content_type == mime == profile.doc_content_type and profile.doc_size == len(data)
    assert profile.doc_original_name == name and profile.doc_stored_name
    assert name.split(".")[0] not in profile.doc_stored_name and len(profile.doc_stored_name) >= 32
    path = documents.documents_dir() / profile.doc_stored_name
    assert path.read_bytes() == data and "_upload" not in str(path) and "assets" not in str(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):  # documents, private, data
        assert oct(folder.stat().st_mode & 0o777) == "0o700", folder
    import hashlib

    assert profile.doc_sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("licence.pdf", ELF, "PDF, PNG or JPEG"),
    ("photo.png", HTML, "PDF, PNG or JPEG"),
    ("empty.pdf", b"", "empty"),
    ("huge.pdf", pdf() + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
])
def test_bad_files_are_refused_and_nothing_is_stored(session: Session, name: str, data: bytes,
                                                     message: str) -> None:
    pro = make_user(session, role=Role.professional, approval=ApprovalStatus.pending)
    with pytest.raises(ValidationFailed) as exc:
        documents.upload_document(session=session, actor=actor_for(session, pro), filename=name, data=data)
    assert message in exc.value.fields["document"]
    assert _profile(session, pro.id).doc_stored_name is None
    assert list(documents.documents_dir().iterdir()) == []


def test_only_owner_and_admins_get_a_link_and_links_expire(session: Session) -> None:
    pro = make_user(session, role=Role.professional, approval=ApprovalStatus.pending)
    documents.upload_document(session=session, actor=actor_for(session, pro), filename="a.pdf", data=pdf())
    for outsider in (make_user(session), make_user(session, role=Role.professional)):
        with pytest.raises(NotFound):
            documents.document_link(session=session, actor=actor_for(session, outsider), user_id=pro.id)
    admin_actor = actor_for(session, make_user(session, role=Role.admin))
    for viewer in (actor_for(session, pro), admin_actor):
        link = documents.document_link(session=session, actor=viewer, user_id=pro.id, now=1000.0)
        exp = int(link.split("exp=")[1].split("&")[0])
        sig = link.split("sig=")[1]
        data, mime, _ = documents.open_signed(session=session, user_id=pro.id, expires=exp, signature=sig, now=1001)
        assert data == pdf() and mime == "application/pdf"
    with pytest.raises(Forbidden):  # expired
        documents.open_signed(session=session, user_id=pro.id, expires=exp, signature=sig, now=exp + 1)
    with pytest.raises(Forbidden):  # forged
        documents.open_signed(session=session, user_id=pro.id, expires=exp, signature="0" * 64, now=1001)


def test_rejected_professional_reuploads_and_is_pending_again(session: Session) -> None:
    pro = make_user(session, role=Role.professional, approval=ApprovalStatus.pending)
    admin_actor = actor_for(session, make_user(session, role=Role.admin))
    pro_actor = actor_for(session, pro)
    from hsa.services.errors import InvalidTransition

    with pytest.raises(InvalidTransition, match="upload a verification document"):
        admin.decide_application(session=session, actor=admin_actor, user_id=pro.id, approve=True)
    documents.upload_document(session=session, actor=pro_actor, filename="blurry.png", data=png())
    first = _profile(session, pro.id).doc_stored_name
    with pytest.raises(ValidationFailed):
        admin.decide_application(session=session, actor=admin_actor, user_id=pro.id, approve=False, reason="")
    admin.decide_application(session=session, actor=admin_actor, user_id=pro.id, approve=False,
                             reason="The photo is unreadable")
    profile = _profile(session, pro.id)
    assert profile.approval_status is ApprovalStatus.rejected and profile.approval_reason == "The photo is unreadable"
    stored = documents.upload_document(session=session, actor=pro_actor, filename="clear.pdf", data=pdf())
    profile = _profile(session, pro.id)
    assert profile.approval_status is ApprovalStatus.pending and profile.doc_stored_name != first
    assert profile.approval_reason == "" and profile.reviewed_by_id is None  # the old verdict no longer applies
    assert stored.approval_status == "pending" and stored.notice == documents.REVIEW_PENDING
    assert _replaced(session, pro.id) == [{"old_status": "rejected", "new_status": "pending",
                                           "reviewed_by": admin_actor.id, "reason": "The photo is unreadable"}]
    assert _notices(session, admin_actor.id) == ["Test sent a new document to review"]
    assert not (documents.documents_dir() / str(first)).exists()  # the replaced file is gone
    admin.decide_application(session=session, actor=admin_actor, user_id=pro.id, approve=True)
    profile = _profile(session, pro.id)
    assert profile.approval_status is ApprovalStatus.approved and profile.reviewed_by_id == admin_actor.id


def _replaced(session: Session, user_id: int) -> list[dict]:
    import json

    rows = session.exec(select(AuditLog).where(AuditLog.action == "professional.document_replaced",
                                               AuditLog.target_id == user_id).order_by(AuditLog.id)).all()
    return [{k: v for k, v in json.loads(r.details).items() if k in ("old_status", "new_status", "reviewed_by",
                                                                      "reason")} for r in rows]


def _notices(session: Session, user_id: int) -> list[str]:
    return list(session.exec(select(Notification.title).where(Notification.user_id == user_id)
                             .order_by(Notification.id)))


def test_an_approved_professional_with_a_new_document_is_reviewed_again(session: Session) -> None:
    """Replacing the vetted document must not keep the approval: admins are told, jobs stop until re-approved."""
    service = make_service(session)
    pro = make_user(session, role=Role.professional, full_name="Ravi Kumar", service=service,
                    approval=ApprovalStatus.pending)
    admin_actor = actor_for(session, make_user(session, role=Role.admin))
    other_admin = make_user(session, role=Role.admin)
    gone_admin = make_user(session, role=Role.admin, status=UserStatus.blocked)
    documents.upload_document(session=session, actor=actor_for(session, pro), filename="licence.pdf", data=pdf())
    admin.decide_application(session=session, actor=admin_actor, user_id=pro.id, approve=True)
    approved = actor_for(session, pro)
    assert search.bookable_professional(session=session, actor=approved, user_id=pro.id) is not None
    assert _notices(session, admin_actor.id) == []  # the first document of a new applicant: no notice (as before)

    stored = documents.upload_document(session=session, actor=approved, filename="someone-else.png", data=png())

    assert stored.approval_status == "pending" and stored.notice == "Your new document is waiting for review."
    profile = _profile(session, pro.id)
    assert profile.approval_status is ApprovalStatus.pending
    assert (profile.approval_reason, profile.reviewed_by_id, profile.reviewed_at) == ("", None, None)
    assert _replaced(session, pro.id) == [{"old_status": "approved", "new_status": "pending",
                                           "reviewed_by": admin_actor.id, "reason": "Documents verified."}]
    for a in (admin_actor.id, other_admin.id):
        assert _notices(session, a) == ["Ravi sent a new document to review"]
    assert _notices(session, gone_admin.id) == [] and _notices(session, pro.id) == ["You're approved!"]
    body = session.exec(select(Notification.body).where(Notification.user_id == other_admin.id)).one()
    assert "Ravi Kumar" in body and "was approved" in body and "Professionals" in body

    pending = actor_for(session, pro)  # what the next event resolves
    assert search.bookable_professional(session=session, actor=pending, user_id=pro.id) is None
    assert search.search_professionals(session=session, actor=pending, service_id=service.id) == []
    job = make_request(session, customer=make_user(session), service=service)
    with pytest.raises(NotFound):
        bookings.transition(session=session, actor=pending, request_id=job.id, action="accept")

    admin.decide_application(session=session, actor=admin_actor, user_id=pro.id, approve=True)
    again = actor_for(session, pro)
    assert bookings.transition(session=session, actor=again, request_id=job.id, action="accept").status == "assigned"


def test_a_pending_applicant_replacing_a_document_stays_pending_without_a_new_notice(session: Session) -> None:
    pro = make_user(session, role=Role.professional, approval=ApprovalStatus.pending)
    admin_user = make_user(session, role=Role.admin)
    actor = actor_for(session, pro)
    documents.upload_document(session=session, actor=actor, filename="a.pdf", data=pdf())
    stored = documents.upload_document(session=session, actor=actor, filename="b.pdf", data=pdf())
    assert stored.approval_status == "pending" and _profile(session, pro.id).approval_status is ApprovalStatus.pending
    assert _replaced(session, pro.id) == [{"old_status": "pending", "new_status": "pending", "reviewed_by": None,
                                           "reason": ""}]
    assert _notices(session, admin_user.id) == []  # it is already in the admins' queue
