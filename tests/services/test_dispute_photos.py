"""A dispute's photo: only the dispute's customer, only images, only before the decision; a repeat
changes nothing, a replacement removes the old file; links only for the parties; gone with the account."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, select

from hsa.models import AuditLog, Dispute, RequestStatus, Role
from hsa.services import dispute_photos, disputes, erasure
from hsa.services.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from tests.factories import actor_for, make_request, make_service, make_user
from tests.files import ELF, HTML, pdf, png


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def world(session: Session) -> dict:
    service = make_service(session)
    customer = make_user(session, full_name="Asha Rao")
    pro = make_user(session, role=Role.professional, service=service, full_name="Ravi Kumar")
    boss = make_user(session, role=Role.admin)
    stranger = make_user(session, full_name="Somebody Else")
    req = make_request(session, customer=customer, service=service, status=RequestStatus.completed, professional=pro)
    c = actor_for(session, customer)
    disputes.open_dispute(session=session, actor=c, request_id=req.id,
                          data={"reason": "damage", "details": "The floor tile cracked where the ladder stood"})
    return {"req": req, "c": c, "p": actor_for(session, pro), "admin": actor_for(session, boss),
            "stranger": actor_for(session, stranger), "customer": customer}


def _dispute(session: Session, request_id: int) -> Dispute:
    session.expire_all()
    return session.exec(select(Dispute).where(Dispute.request_id == request_id)).one()


def _open(session: Session, url: str) -> tuple[bytes, str, str]:
    parts = urlsplit(url)
    q = parse_qs(parts.query)
    request_id = int(parts.path.split("/")[-2])
    return dispute_photos.open_signed(session=session, request_id=request_id, expires=int(q["exp"][0]),
                                      signature=q["sig"][0])


def test_the_customer_adds_a_photo_both_parties_and_admins_see_it(session: Session, world: dict) -> None:
    req, data = world["req"], png(4, 4)
    assert dispute_photos.attach_photo(session=session, actor=world["c"], request_id=req.id, data=data) \
        == dispute_photos.ADDED
    d = _dispute(session, req.id)
    stored = dispute_photos.photos_dir() / str(d.photo_stored_name)
    assert stored.read_bytes() == data and oct(stored.stat().st_mode & 0o777) == "0o600"
    assert d.photo_content_type == "image/png" and d.photo_at is not None
    for who in ("c", "p", "admin"):
        view = disputes.views_for(session, world[who], [req.id])[req.id]
        assert _open(session, view.photo_url) == (data, "image/png", f"dispute-{req.id}.png")
    assert disputes.views_for(session, world["stranger"], [req.id]) == {}
    assert disputes.queue(session=session, actor=world["admin"])[0].photo_url.startswith(
        f"/api/v1/disputes/{req.id}/photo?exp=")
    with pytest.raises(Forbidden):
        dispute_photos.open_signed(session=session, request_id=req.id, expires=2**39, signature="0" * 64)

    # the same photo again (a double click) changes nothing; a new one replaces the file and old links
    old_link = disputes.views_for(session, world["c"], [req.id])[req.id].photo_url
    dispute_photos.attach_photo(session=session, actor=world["c"], request_id=req.id, data=data)
    assert _dispute(session, req.id).photo_stored_name == d.photo_stored_name
    dispute_photos.attach_photo(session=session, actor=world["c"], request_id=req.id, data=png(8, 8))
    assert not stored.exists() and len(list(dispute_photos.photos_dir().iterdir())) == 1
    with pytest.raises(Forbidden):
        _open(session, old_link)
    assert len(session.exec(select(AuditLog).where(AuditLog.action == "dispute.photo")).all()) == 2


@pytest.mark.parametrize(("data", "message"), [(ELF, "PNG, JPEG or WebP"), (HTML, "PNG, JPEG or WebP"),
                                               (pdf(), "PNG, JPEG or WebP"), (b"", "empty"),
                                               (png() + b"0" * (5 * 1024 * 1024), "larger than 5 MB")])
def test_only_images_up_to_5_mb_and_nothing_is_stored_otherwise(session: Session, world: dict, data: bytes,
                                                               message: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        dispute_photos.attach_photo(session=session, actor=world["c"], request_id=world["req"].id, data=data)
    assert message in exc.value.fields["photo"]
    assert _dispute(session, world["req"].id).photo_stored_name is None
    assert list(dispute_photos.photos_dir().iterdir()) == []


def test_only_the_customer_and_only_before_the_decision(session: Session, world: dict) -> None:
    req = world["req"]
    for who in ("p", "stranger", "admin"):
        with pytest.raises(NotFound):
            dispute_photos.attach_photo(session=session, actor=world[who], request_id=req.id, data=png())
    disputes.decide(session=session, actor=world["admin"], request_id=req.id,
                    data={"outcome": "no_action", "note": "The crack predates the visit"})
    with pytest.raises(InvalidTransition):
        dispute_photos.attach_photo(session=session, actor=world["c"], request_id=req.id, data=png())
    assert _dispute(session, req.id).photo_stored_name is None


def test_the_photo_goes_with_the_customers_account(session: Session, world: dict) -> None:
    req = world["req"]
    dispute_photos.attach_photo(session=session, actor=world["c"], request_id=req.id, data=png())
    disputes.decide(session=session, actor=world["admin"], request_id=req.id,
                    data={"outcome": "no_action", "note": "The crack predates the visit"})
    user = session.get(type(world["customer"]), world["customer"].id)
    erasure.anonymise(session, user, now=_dispute(session, req.id).created_at)
    session.commit()
    d = _dispute(session, req.id)
    assert d.photo_stored_name is None and d.photo_sha256 == ""
    assert list(dispute_photos.photos_dir().iterdir()) == []
    assert disputes.views_for(session, world["p"], [req.id])[req.id].photo_url == ""


def test_the_daily_clean_up_removes_photos_180_days_after_the_decision(session: Session, world: dict) -> None:
    from datetime import timedelta

    req = world["req"]
    dispute_photos.attach_photo(session=session, actor=world["c"], request_id=req.id, data=png())
    disputes.decide(session=session, actor=world["admin"], request_id=req.id,
                    data={"outcome": "no_action", "note": "The crack predates the visit"})
    decided = _dispute(session, req.id).decided_at
    assert dispute_photos.prune(session, now=decided + timedelta(days=179)) == 0
    assert dispute_photos.prune(session, now=decided + timedelta(days=181)) == 1
    session.commit()
    assert _dispute(session, req.id).photo_stored_name is None
    assert list(dispute_photos.photos_dir().iterdir()) == []
