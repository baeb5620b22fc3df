"""Verification documents: content sniffing, size cap, private random names, owner/admin-only links."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from hsa.models import ApprovalStatus, ProfessionalProfile, Role
from hsa.services import admin, documents
from hsa.services.errors import Forbidden, NotFound, ValidationFailed
from tests.factories import actor_for, make_user
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
    documents.upload_document(session=session, actor=pro_actor, filename="clear.pdf", data=pdf())
    profile = _profile(session, pro.id)
    assert profile.approval_status is ApprovalStatus.pending and profile.doc_stored_name != first
    assert not (documents.documents_dir() / str(first)).exists()  # the replaced file is gone
    admin.decide_application(session=session, actor=admin_actor, user_id=pro.id, approve=True)
    profile = _profile(session, pro.id)
    assert profile.approval_status is ApprovalStatus.approved and profile.reviewed_by_id == admin_actor.id
