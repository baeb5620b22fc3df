"""Disputes: who opens, answers and decides them, when, and what each decision does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from hsa.models import AuditLog, Dispute, Notification, RequestStatus, Role, Strike, utcnow
from hsa.services import bookings, chat, disputes
from hsa.services.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from tests.factories import actor_for, make_request, make_service, make_user

COMPLAINT = {"reason": "poor_quality", "details": "The tap leaks again the next morning"}


@pytest.fixture
def world(session: Session) -> dict:
    service = make_service(session)
    customer = make_user(session, full_name="Asha Rao")
    pro = make_user(session, role=Role.professional, service=service, full_name="Ravi Kumar")
    boss = make_user(session, role=Role.admin)
    req = make_request(session, customer=customer, service=service, status=RequestStatus.completed, professional=pro)
    return {"req": req, "c": actor_for(session, customer), "p": actor_for(session, pro),
            "admin": actor_for(session, boss), "customer": customer, "pro": pro, "service": service}


def _titles(session: Session, user_id: int) -> list[str]:
    return list(session.exec(select(Notification.title).where(Notification.user_id == user_id)
                             .order_by(Notification.id)))


def test_open_answer_decide_with_a_strike_and_everyone_told(session: Session, world: dict) -> None:
    req, c, p, boss = world["req"], world["c"], world["p"], world["admin"]
    view = bookings.get_request(session=session, actor=c, request_id=req.id)
    assert view.can_dispute and view.dispute_status == ""
    first = disputes.open_dispute(session=session, actor=c, request_id=req.id, data=COMPLAINT)
    assert disputes.open_dispute(session=session, actor=c, request_id=req.id, data=COMPLAINT) == first  # repeat
    assert "Problem reported" in _titles(session, world["pro"].id)
    assert chat.admin_may_read(session, req.id)  # support may read the booking's conversation now
    view = bookings.get_request(session=session, actor=p, request_id=req.id)
    assert (view.dispute_status, view.dispute_reason) == ("open", "Poor quality, or the problem came back")
    with pytest.raises(ValidationFailed):
        disputes.answer(session=session, actor=p, request_id=req.id, data={"answer": "no"})
    disputes.answer(session=session, actor=p, request_id=req.id, data={"answer": "The washer was old; I offered"})
    assert "The professional answered" in _titles(session, world["customer"].id)
    [queued] = disputes.queue(session=session, actor=boss)
    assert (queued.customer, queued.professional, queued.answer) == ("Asha Rao", "Ravi Kumar",
                                                                     "The washer was old; I offered")
    with pytest.raises(ValidationFailed) as exc:
        disputes.decide(session=session, actor=boss, request_id=req.id, data={"outcome": "strike", "note": ""})
    assert "note" in exc.value.fields
    disputes.decide(session=session, actor=boss, request_id=req.id,
                    data={"outcome": "strike", "note": "The fix did not hold; please redo such jobs"})
    d = session.exec(select(Dispute)).one()
    assert d.status.value == "decided" and d.outcome.value == "strike"  # type: ignore[union-attr]
    assert session.exec(select(Strike.reason).where(Strike.professional_id == world["pro"].id)).one().startswith(
        "Dispute: The fix did not hold")
    for who in ("customer", "pro"):
        assert _titles(session, world[who].id)[-1] == "Support decided"
    view = bookings.get_request(session=session, actor=c, request_id=req.id)
    assert view.dispute_outcome == "a strike for the professional" and not view.can_dispute
    with pytest.raises(InvalidTransition):
        disputes.decide(session=session, actor=boss, request_id=req.id, data={"outcome": "no_action", "note": "again"})
    actions = set(session.exec(select(AuditLog.action).where(AuditLog.target_id == req.id)))
    assert {"dispute.opened", "dispute.answered", "dispute.decided"} <= actions


def test_only_the_parties_and_support_act_and_only_in_time(session: Session, world: dict) -> None:
    req, c, p, boss = world["req"], world["c"], world["p"], world["admin"]
    stranger = actor_for(session, make_user(session))
    for who in (p, stranger, boss):
        with pytest.raises(NotFound):
            disputes.open_dispute(session=session, actor=who, request_id=req.id, data=COMPLAINT)
    with pytest.raises(ValidationFailed):
        disputes.open_dispute(session=session, actor=c, request_id=req.id, data={"reason": "meh", "details": "x" * 20})
    with pytest.raises(ValidationFailed):
        disputes.open_dispute(session=session, actor=c, request_id=req.id, data={"reason": "other", "details": "bad"})
    late = make_request(session, customer=world["customer"], service=world["service"],
                        status=RequestStatus.completed, professional=world["pro"])
    late.completed_at = utcnow() - timedelta(days=7, minutes=1)
    session.add(late)
    session.commit()
    with pytest.raises(InvalidTransition, match="7 days"):
        disputes.open_dispute(session=session, actor=c, request_id=late.id, data=COMPLAINT)
    upcoming = make_request(session, customer=world["customer"], service=world["service"],
                            status=RequestStatus.assigned, professional=world["pro"])
    with pytest.raises(InvalidTransition):
        disputes.open_dispute(session=session, actor=c, request_id=upcoming.id, data=COMPLAINT)
    disputes.open_dispute(session=session, actor=c, request_id=req.id, data=COMPLAINT)
    with pytest.raises(NotFound):
        disputes.answer(session=session, actor=stranger, request_id=req.id, data={"answer": "not my job at all"})
    for who in (c, p):
        with pytest.raises(Forbidden):
            disputes.decide(session=session, actor=who, request_id=req.id, data={"outcome": "no_action", "note": "x"})
        with pytest.raises(Forbidden):
            disputes.queue(session=session, actor=who)
    assert len(session.exec(select(Dispute)).all()) == 1


def test_a_refund_decision_needs_money_paid_online(session: Session, world: dict) -> None:
    req, c, boss = world["req"], world["c"], world["admin"]
    disputes.open_dispute(session=session, actor=c, request_id=req.id, data=COMPLAINT)
    with pytest.raises(ValidationFailed) as exc:
        disputes.decide(session=session, actor=boss, request_id=req.id,
                        data={"outcome": "refund", "refund_rupees": "100", "note": "Partial refund for the leak"})
    assert "Nothing paid online" in exc.value.fields["refund_rupees"]
    session.rollback()
    assert session.exec(select(Dispute)).one().status.value == "open"  # nothing decided
