"""A booking's chat: who may read and write it, when it is open, masking, read receipts, reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from hsa.models import AuditLog, ChatMessage, Notification, Report, RequestStatus, Role, utcnow
from hsa.services import chat, reports
from hsa.services.contact_mask import PHONE_HIDDEN
from hsa.services.errors import Forbidden, NotFound, ValidationFailed
from tests.factories import actor_for, make_request, make_service, make_user


@pytest.fixture
def world(session: Session) -> dict:
    service = make_service(session)
    customer, pro, stranger = make_user(session), make_user(session, role=Role.professional, service=service), \
        make_user(session)
    boss = make_user(session, role=Role.admin)
    req = make_request(session, customer=customer, service=service, status=RequestStatus.assigned, professional=pro)
    return {"req": req, "c": actor_for(session, customer), "p": actor_for(session, pro),
            "x": actor_for(session, stranger), "admin": actor_for(session, boss), "service": service,
            "customer": customer, "pro": pro}


def test_the_two_parties_talk_and_see_when_it_was_read(session: Session, world: dict) -> None:
    req, c, p = world["req"], world["c"], world["p"]
    first = chat.send(session=session, actor=c, request_id=req.id, body="Please bring a spanner")
    chat.send(session=session, actor=p, request_id=req.id, body="Sure, see you at 10")
    mine = chat.thread(session=session, actor=c, request_id=req.id)
    assert [(m.mine, m.body, m.read) for m in mine.messages] == [
        (True, "Please bring a spanner", False), (False, "Sure, see you at 10", False)]
    assert mine.writable and mine.other_name == world["pro"].full_name.split()[0]
    assert chat.mark_read(session=session, actor=p, request_id=req.id) == 1
    assert chat.thread(session=session, actor=c, request_id=req.id).messages[0].read
    notes = session.exec(select(Notification.title, Notification.read_at).where(
        Notification.user_id == world["pro"].id, Notification.request_id == req.id)).all()
    assert [(t, r is not None) for t, r in notes] == [(chat.NEW_MESSAGE, True)]  # reading it read the notice
    assert first > 0


def test_nobody_else_reads_or_writes(session: Session, world: dict) -> None:
    req = world["req"]
    for who in ("x", "admin"):
        with pytest.raises(NotFound):
            chat.thread(session=session, actor=world[who], request_id=req.id)
        with pytest.raises(NotFound):
            chat.send(session=session, actor=world[who], request_id=req.id, body="hello")
    with pytest.raises(Forbidden):
        chat.read_as_admin(session=session, actor=world["c"], request_id=req.id)
    assert session.exec(select(ChatMessage)).all() == []


def test_numbers_are_masked_until_the_job_is_done(session: Session, world: dict) -> None:
    req, c = world["req"], world["c"]
    chat.send(session=session, actor=c, request_id=req.id, body="Call me on 98765 43210 instead")
    row = session.exec(select(ChatMessage)).one()
    assert row.body == f"Call me on {PHONE_HIDDEN} instead" and row.masked
    req.status, req.completed_at = RequestStatus.completed, utcnow()
    session.add(req)
    session.commit()
    chat.send(session=session, actor=c, request_id=req.id, body="Thanks! 98765 43210 if the tap leaks again")
    assert session.exec(select(ChatMessage.body).order_by(ChatMessage.id.desc())).first() \
        == "Thanks! 98765 43210 if the tap leaks again"  # after completion nothing is hidden


def test_open_from_acceptance_until_seven_days_after_it_ends(session: Session, world: dict) -> None:
    waiting = make_request(session, customer=world["customer"], service=world["service"])
    with pytest.raises(NotFound):  # no professional yet: no thread
        chat.send(session=session, actor=world["c"], request_id=waiting.id, body="hello")
    req = world["req"]
    req.status, req.closed_at = RequestStatus.closed, utcnow() - timedelta(days=7, minutes=1)
    session.add(req)
    session.commit()
    with pytest.raises(ValidationFailed) as exc:
        chat.send(session=session, actor=world["c"], request_id=req.id, body="one more thing")
    assert exc.value.fields["body"] == chat.CLOSED
    assert not chat.thread(session=session, actor=world["c"], request_id=req.id).writable
    req.closed_at = utcnow() - timedelta(days=6)
    session.add(req)
    session.commit()
    assert chat.send(session=session, actor=world["c"], request_id=req.id, body="one more thing")


def test_sending_is_checked_repeatable_and_throttled(session: Session, world: dict) -> None:
    req, c = world["req"], world["c"]
    for body, message in (("   ", "Write a message first."), ("x" * 1001, "Keep it under 1,000 characters.")):
        with pytest.raises(ValidationFailed) as exc:
            chat.send(session=session, actor=c, request_id=req.id, body=body)
        assert exc.value.fields["body"] == message
    a = chat.send(session=session, actor=c, request_id=req.id, body="hi", idempotency_key="key-12345678")
    b = chat.send(session=session, actor=c, request_id=req.id, body="hi", idempotency_key="key-12345678")
    assert a == b and len(session.exec(select(ChatMessage)).all()) == 1  # a double click sends once
    for i in range(19):
        chat.send(session=session, actor=c, request_id=req.id, body=f"m{i}")
    with pytest.raises(ValidationFailed, match="") as exc:
        chat.send(session=session, actor=c, request_id=req.id, body="too many")
    assert "sending a lot of messages" in exc.value.fields["body"]


def test_a_report_opens_the_thread_to_support_and_each_reading_is_audited(session: Session, world: dict) -> None:
    req, c, p, boss = world["req"], world["c"], world["p"], world["admin"]
    message = chat.send(session=session, actor=p, request_id=req.id, body="Pay me in cash, skip the app")
    with pytest.raises(NotFound):  # one's own message, or a stranger's booking
        reports.file(session=session, actor=p, request_id=req.id, reason="fraud", message_id=message)
    with pytest.raises(ValidationFailed):
        reports.file(session=session, actor=c, request_id=req.id, reason="bored")
    rid = reports.file(session=session, actor=c, request_id=req.id, reason="off_platform", message_id=message,
                       details="Asked for cash")
    assert reports.file(session=session, actor=c, request_id=req.id, reason="off_platform",
                        message_id=message) == rid  # safe to repeat
    [row] = reports.queue(session=session, actor=boss)
    assert (row.reason, row.message, row.reported) == (
        "Asked to pay or deal outside HomeServe", "Pay me in cash, skip the app", world["pro"].full_name)
    view = chat.read_as_admin(session=session, actor=boss, request_id=req.id)
    assert [m.body for m in view.messages] == ["Pay me in cash, skip the app"] and not view.writable
    assert session.exec(select(AuditLog).where(AuditLog.action == "chat.read_by_admin")).one().actor_id == boss.id
    with pytest.raises(ValidationFailed):
        reports.close(session=session, actor=boss, report_id=rid, outcome="ok")
    reports.close(session=session, actor=boss, report_id=rid, outcome="Warned the professional; a strike was given")
    assert session.get(Report, rid).status.value == "closed"  # type: ignore[union-attr]
    told = session.exec(select(Notification.body).where(Notification.user_id == world["customer"].id,
                                                        Notification.title == "Your report was reviewed")).one()
    assert told == "Warned the professional; a strike was given"
    assert reports.queue(session=session, actor=boss) == []
    with pytest.raises(Forbidden):
        reports.queue(session=session, actor=c)
