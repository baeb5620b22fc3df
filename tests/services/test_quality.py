"""Quality control: the rule's boundaries, suspension and its effects, appeal and the admin's decision."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hsa.models import (
    AuditLog,
    Dispute,
    DisputeReason,
    Notification,
    ProfessionalProfile,
    QualityLevel,
    QualityStanding,
    RequestStatus,
    Review,
    Role,
    Strike,
    utcnow,
)
from hsa.services import jobs, quality
from hsa.services.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from hsa.settings import Settings
from tests.factories import actor_for, make_request, make_service, make_user

S = Settings.model_construct()  # the documented defaults: window 20, min 5, warn 4.5, suspend 4.0, strikes 2 / 4


@pytest.mark.parametrize(("ratings", "strikes", "level"), [
    ([5] * 20, 0, QualityLevel.ok),
    ([4, 5] * 2, 0, QualityLevel.ok),                    # 4 rated jobs: too early to judge an average of 4.5
    ([1] * 4, 0, QualityLevel.ok),                       # … even a bad one
    ([4, 5, 4, 5, 5], 0, QualityLevel.ok),               # 4.6
    ([4, 5, 4, 5, 4, 5], 0, QualityLevel.ok),            # exactly 4.5: not below
    ([4, 5, 4, 5, 4], 0, QualityLevel.warned),           # 4.4
    ([4] * 5, 0, QualityLevel.warned),                   # exactly 4.0: warned, not suspended
    ([4, 4, 4, 4, 3], 0, QualityLevel.suspended),        # 3.8
    ([5] * 20, 1, QualityLevel.ok),
    ([5] * 20, 2, QualityLevel.warned),
    ([5] * 20, 3, QualityLevel.warned),
    ([5] * 20, 4, QualityLevel.suspended),
    ([], 4, QualityLevel.suspended),
])
def test_the_rule_at_its_boundaries(ratings: list[int], strikes: int, level: QualityLevel) -> None:
    verdict = quality.judge(ratings, strikes, S)
    assert verdict.level is level
    if level is not QualityLevel.ok:
        assert verdict.reason  # always said with specifics


@pytest.fixture
def world(session: Session) -> dict:
    service = make_service(session)
    pro = make_user(session, role=Role.professional, service=service, full_name="Ravi Kumar")
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.is_available = True
    session.add(profile)
    session.commit()
    return {"service": service, "pro": pro, "customer": make_user(session), "profile": profile,
            "p": actor_for(session, pro), "admin": actor_for(session, make_user(session, role=Role.admin))}


def _rate(session: Session, world: dict, *ratings: int) -> list[int]:
    ids = []
    for r in ratings:
        req = make_request(session, customer=world["customer"], service=world["service"],
                           status=RequestStatus.closed, professional=world["pro"])
        session.add(Review(request_id=req.id, customer_id=world["customer"].id, professional_id=world["pro"].id,
                           rating=r, created_at=utcnow()))
        ids.append(req.id)
    session.commit()
    return ids


def _level(session: Session, world: dict) -> QualityLevel:
    level = quality.assess_professional(session, world["pro"].id)
    session.commit()
    return level


def test_warned_then_paused_then_appeal_then_reinstated(session: Session, world: dict) -> None:
    _rate(session, world, 5, 5, 4, 4, 4)
    assert _level(session, world) is QualityLevel.warned  # 4.4
    told = session.exec(select(Notification.body).where(Notification.user_id == world["pro"].id)).all()
    assert any("4.40★ over your last 5 rated jobs is below 4.5★" in b for b in told)
    _rate(session, world, 1, 1)
    assert _level(session, world) is QualityLevel.suspended  # 3.43
    session.refresh(world["profile"])
    assert world["profile"].is_available is False
    with pytest.raises(Forbidden, match="paused"):
        jobs.set_availability(session=session, actor=world["p"], available=True)
    assert "Quality review needed" in session.exec(select(Notification.title).where(
        Notification.user_id == world["admin"].id)).all()
    _rate(session, world, *[5] * 20)
    assert _level(session, world) is QualityLevel.suspended  # the machine never lifts it by itself

    with pytest.raises(ValidationFailed):
        quality.appeal(session=session, actor=world["p"], data={"appeal": "sorry"})
    said = "Two customers rated a job I was sent to by mistake; I have proof of the visit."
    quality.appeal(session=session, actor=world["p"], data={"appeal": said})
    quality.appeal(session=session, actor=world["p"], data={"appeal": said})  # a repeat
    [row] = quality.queue(session=session, actor=world["admin"])
    assert row.appeal == said and row.name == "Ravi Kumar"
    with pytest.raises(Forbidden):
        quality.decide(session=session, actor=world["p"], professional_id=world["pro"].id,
                       data={"decision": "reinstated", "reason": "self-service"})
    quality.decide(session=session, actor=world["admin"], professional_id=world["pro"].id,
                   data={"decision": "reinstated", "reason": "The two low ratings were for a job sent in error"})
    standing = session.exec(select(QualityStanding)).one()
    assert standing.level is QualityLevel.ok and standing.counts_from is not None
    jobs.set_availability(session=session, actor=world["p"], available=True)  # back on duty
    assert _level(session, world) is QualityLevel.ok  # a fresh start: old ratings no longer count
    actions = set(session.exec(select(AuditLog.action).where(AuditLog.target_id == world["pro"].id)))
    assert {"quality.warned", "quality.suspended", "quality.appealed", "quality.reinstated"} <= actions
    assert quality.queue(session=session, actor=world["admin"]) == []


def test_a_kept_suspension_is_told_and_cannot_be_appealed_twice(session: Session, world: dict) -> None:
    session.add_all([Strike(professional_id=world["pro"].id, request_id=rid, reason="No-show")
                     for rid in _rate(session, world, 5, 5, 5, 5)])
    session.commit()
    assert _level(session, world) is QualityLevel.suspended
    with pytest.raises(NotFound):
        quality.decide(session=session, actor=world["admin"], professional_id=world["customer"].id,
                       data={"decision": "kept", "reason": "n/a at all"})
    quality.appeal(session=session, actor=world["p"], data={"appeal": "My scooter broke down on each of those days."})
    quality.decide(session=session, actor=world["admin"], professional_id=world["pro"].id,
                   data={"decision": "kept", "reason": "Four no-shows in a month without telling the customers"})
    assert quality.my_standing(session=session, actor=world["p"]).decision_reason.startswith("Four no-shows")
    with pytest.raises(InvalidTransition):
        quality.appeal(session=session, actor=world["p"], data={"appeal": "Please look again at my account."})


def test_a_review_under_an_open_dispute_does_not_count(session: Session, world: dict) -> None:
    ids = _rate(session, world, 5, 5, 5, 5, 1)
    session.add(Dispute(request_id=ids[-1], customer_id=world["customer"].id, professional_id=world["pro"].id,
                        reason=DisputeReason.other, details="The pro says this was the wrong job"))
    session.commit()
    assert _level(session, world) is QualityLevel.ok  # 5,5,5,5 counted (4 jobs: too early to judge)
    assert session.exec(select(QualityStanding.rated_jobs)).one() == 4
