"""Blocking or deleting an account settles everything it has in flight, in the same transaction.

A closed customer's live requests are withdrawn (cancelled, with the reason and who did it),
the professional on each one is told, positions are forgotten and the pools drop them; a
professional can no longer accept such a request even if one slipped through.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from hsa.models import (
    AuditLog,
    JobLocation,
    Notification,
    RequestStatus,
    Role,
    ServiceRequest,
    User,
    UserStatus,
)
from hsa.services import admin, bookings, changes, jobs, settle
from hsa.services.actors import Actor
from hsa.services.errors import NotFound
from tests.factories import actor_for, make_request, make_service, make_user

S = RequestStatus


@pytest.fixture
def boss(session: Session) -> Actor:
    return actor_for(session, make_user(session, role=Role.admin, full_name="Boss Admin"))


def _close(how: str) -> Callable[..., object]:
    return admin.block_user if how == "block" else admin.delete_user


def _notes(session: Session, user: User) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)))


@pytest.mark.parametrize("how", ["block", "delete"])
def test_closing_a_customer_withdraws_every_live_request(session: Session, boss: Actor, how: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    service = make_service(session, name="Plumbing")
    customer = make_user(session, full_name="Spam Customer")
    ravi = make_user(session, role=Role.professional, service=service, full_name="Ravi Kumar")
    sunil = make_user(session, role=Role.professional, service=service, full_name="Sunil Gowda")
    open_req = make_request(session, customer=customer, service=service)
    addressed = make_request(session, customer=customer, service=service, preferred=sunil)
    assigned = make_request(session, customer=customer, service=service, status=S.assigned, professional=ravi,
                            scheduled_at=open_req.scheduled_at + timedelta(days=1))
    started = make_request(session, customer=customer, service=service, status=S.in_progress, professional=ravi,
                           scheduled_at=open_req.scheduled_at + timedelta(days=2))
    history = {s: make_request(session, customer=customer, service=service, status=s, professional=ravi, paid=True)
               for s in (S.completed, S.closed, S.cancelled)}
    session.add(JobLocation(request_id=assigned.id, professional_id=ravi.id, customer_id=customer.id))
    session.commit()
    monkeypatch.setattr(changes, "_publishers", list(changes._publishers))  # this test's subscriber ends with it
    seen: list[frozenset[str]] = []
    changes.subscribe(seen.append)
    _close(how)(session=session, actor=boss, user_id=customer.id, reason="Fake bookings")
    session.expire_all()
    for req in (open_req, addressed, assigned, started):
        row = session.get(ServiceRequest, req.id)
        assert row is not None and row.status is S.cancelled, req.id
        assert row.cancel_reason == settle.WITHDRAWN
        assert row.cancelled_by_id == boss.id and row.cancelled_at is not None  # as an admin cancel records it
    view = bookings.get_request(session=session, actor=boss, request_id=assigned.id)
    assert view.cancelled_by == "admin" and view.cancel_reason == settle.WITHDRAWN
    for status, req in history.items():
        assert session.get(ServiceRequest, req.id).status is status  # type: ignore[union-attr]
    assert session.get(JobLocation, assigned.id) is None  # privacy: no position outlives the job
    told = {(n.request_id, n.title) for n in _notes(session, ravi)}
    assert told == {(assigned.id, "Job cancelled"), (started.id, "Job cancelled")}
    assert all("withdrawn" in n.body for n in _notes(session, ravi))
    assert [(n.request_id, n.title) for n in _notes(session, sunil)] == [(addressed.id, "Job cancelled")]
    assert _notes(session, customer) == []  # nobody to tell: the account is closed
    entry = session.exec(select(AuditLog).where(AuditLog.action == f"user.{how}")).one()
    assert '"requests_withdrawn": 4' in entry.details
    topics = frozenset().union(*seen)
    assert {changes.pool(service.id), changes.user(ravi.id), changes.user(sunil.id),
            changes.track(assigned.id)} <= topics
    p = actor_for(session, ravi)
    board = jobs.board(session=session, actor=p)
    assert board.open_nearby == [] and board.today == [] and board.upcoming == []
    with pytest.raises(NotFound):
        bookings.transition(session=session, actor=p, request_id=open_req.id, action="accept")


def test_blocking_a_customer_is_one_transaction(session: Session, boss: Actor,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """If anything fails after the requests were withdrawn, the block and the withdrawals roll back together."""
    service = make_service(session)
    customer = make_user(session)
    req = make_request(session, customer=customer, service=service)

    def boom(**_: object) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(admin.audit, "record", boom)
    with pytest.raises(RuntimeError):
        admin.block_user(session=session, actor=boss, user_id=customer.id, reason="Fake bookings")
    session.rollback()
    session.expire_all()
    assert session.get(ServiceRequest, req.id).status is S.requested  # type: ignore[union-attr]
    assert session.get(User, customer.id).status is UserStatus.active  # type: ignore[union-attr]


@pytest.mark.parametrize("status", [UserStatus.blocked, UserStatus.deleted])
def test_a_request_of_a_closed_customer_cannot_be_accepted(session: Session, status: UserStatus) -> None:
    """The service refuses on its own, whatever the pool showed: the request "does not exist"."""
    service = make_service(session)
    customer = make_user(session)
    pro = actor_for(session, make_user(session, role=Role.professional, service=service))
    req = make_request(session, customer=customer, service=service)
    customer.status = status  # as if closed by some path that did not settle (old data, a bug)
    session.add(customer)
    session.commit()
    with pytest.raises(NotFound):
        bookings.transition(session=session, actor=pro, request_id=req.id, action="accept")
    session.expire_all()
    row = session.get(ServiceRequest, req.id)
    assert row is not None and row.status is S.requested and row.professional_id is None


def test_blocking_a_professional_still_returns_their_jobs_and_withdraws_nothing(session: Session,
                                                                                boss: Actor) -> None:
    service = make_service(session)
    pro = make_user(session, role=Role.professional, service=service)
    customer = make_user(session)
    job = make_request(session, customer=customer, service=service, status=S.assigned, professional=pro)
    assert admin.block_user(session=session, actor=boss, user_id=pro.id, reason="Fake licence") == 1
    session.expire_all()
    row = session.get(ServiceRequest, job.id)
    assert row is not None and row.status is S.requested and row.professional_id is None
    entry = session.exec(select(AuditLog).where(AuditLog.action == "user.block")).one()
    assert '"jobs_returned": 1' in entry.details and '"requests_withdrawn": 0' in entry.details
