"""Every situation x every declared action x every kind of actor: allowed or refused, asserted.

The cases are generated from the declaration (`PROCESS.names`), so a new action is in the
matrix the moment it is declared; the expectations below are written out by hand, so a wrong
entry in the declaration (a party, a source status, a guard) makes a cell fail.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from hsa.models import (
    ApprovalStatus,
    AuditLog,
    ExtraCharge,
    Notification,
    Payment,
    RequestStatus,
    Review,
    Role,
    ServiceRequest,
)
from hsa.services import bookings
from hsa.services.errors import Conflict, Forbidden, InvalidTransition, NotAuthenticated, NotFound, ValidationFailed
from hsa.services.process.declaration import PROCESS
from hsa.services.scheduling import IST
from tests.factories import actor_for, make_request, make_service, make_user

ACTORS = ["owner", "other_customer", "pro", "other_pro", "pro_other_service", "pending_pro", "admin", "anonymous"]
# "pro" is the professional the request is addressed to (requested) or assigned to (later).
SITUATIONS = {  # name -> (status, what else is true)
    "requested": (RequestStatus.requested, set()),
    "requested_open": (RequestStatus.requested, {"open"}),
    "assigned": (RequestStatus.assigned, set()),
    "assigned_locked": (RequestStatus.assigned, {"locked"}),
    "assigned_owner_proposed": (RequestStatus.assigned, {"owner_proposed"}),
    "assigned_pro_proposed": (RequestStatus.assigned, {"pro_proposed"}),
    "in_progress": (RequestStatus.in_progress, set()),
    "in_progress_extra": (RequestStatus.in_progress, {"extra"}),
    "in_progress_locked": (RequestStatus.in_progress, {"locked"}),  # wrong completion codes
    "completed": (RequestStatus.completed, set()),
    "completed_extra": (RequestStatus.completed, {"extra"}),
    "completed_paid": (RequestStatus.completed, {"paid"}),
    "closed": (RequestStatus.closed, {"paid"}),
    "cancelled": (RequestStatus.cancelled, set()),
}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("requested", "edit"): {"owner"},
    ("requested", "cancel"): {"owner", "admin"},
    ("requested", "accept"): {"pro"},
    ("requested", "decline"): {"pro"},
    ("requested_open", "edit"): {"owner"},
    ("requested_open", "cancel"): {"owner", "admin"},
    ("requested_open", "accept"): {"pro", "other_pro"},
    ("assigned", "cancel"): {"owner", "admin"},
    ("assigned", "release"): {"pro"},
    ("assigned", "start"): {"pro"},
    ("assigned", "propose_time"): {"owner", "pro"},
    ("assigned_locked", "cancel"): {"owner", "admin"},
    ("assigned_locked", "release"): {"pro"},
    ("assigned_locked", "renew_code"): {"owner"},
    ("assigned_locked", "propose_time"): {"owner", "pro"},
    ("assigned_owner_proposed", "cancel"): {"owner", "admin"},
    ("assigned_owner_proposed", "release"): {"pro"},
    ("assigned_owner_proposed", "start"): {"pro"},
    ("assigned_owner_proposed", "accept_time"): {"pro"},
    ("assigned_owner_proposed", "decline_time"): {"pro"},
    ("assigned_pro_proposed", "cancel"): {"owner", "admin"},
    ("assigned_pro_proposed", "release"): {"pro"},
    ("assigned_pro_proposed", "start"): {"pro"},
    ("assigned_pro_proposed", "accept_time"): {"owner"},
    ("assigned_pro_proposed", "decline_time"): {"owner"},
    ("in_progress", "complete"): {"pro"},
    ("in_progress", "propose_extra"): {"pro"},
    ("completed", "propose_extra"): {"pro"},
    ("in_progress_extra", "withdraw_extra"): {"pro"},
    ("completed_extra", "withdraw_extra"): {"pro"},
    ("in_progress_extra", "complete"): {"pro"},
    ("in_progress_extra", "approve_extra"): {"owner"},
    ("in_progress_extra", "reject_extra"): {"owner"},
    ("in_progress_locked", "complete"): {"pro"},  # this service does not ask for the code at completion
    ("in_progress_locked", "propose_extra"): {"pro"},
    ("in_progress_locked", "renew_code"): {"owner"},
    ("completed", "collect_cash"): {"pro"},
    ("completed_extra", "approve_extra"): {"owner"},
    ("completed_extra", "reject_extra"): {"owner"},
    ("completed_paid", "close"): {"owner"},
}

# Safe to repeat: the professional a job was just given taps Accept again (a double tap, a second
# tab) and is told it is theirs; nothing changes.
IDEMPOTENT: dict[tuple[str, str], set[str]] = {(s, "accept"): {"pro"} for s in SITUATIONS if s.startswith("assigned")}

RESULT = {  # action -> status afterwards (None: unchanged)
    "cancel": RequestStatus.cancelled, "accept": RequestStatus.assigned, "start": RequestStatus.in_progress,
    "complete": RequestStatus.completed, "close": RequestStatus.closed, "release": RequestStatus.requested,
}


def _payload(action: str, req: ServiceRequest) -> dict:
    day = (req.scheduled_at.astimezone(IST) + timedelta(days=1)).date().isoformat()
    return {
        "edit": {"day": day, "time": "11:00", "remarks": "Moved a day"},
        "cancel": {"reason": "Plans changed"},
        "decline": {"reason": "Too far today"},
        "start": {"code": req.start_code},
        "propose_time": {"day": day, "time": "12:00"},
        "propose_extra": {"amount_rupees": 100, "reason": "A second tap leaked"},
        "release": {"reason": "Van broke down"},
        "close": {"rating": 5, "comment": "Great work"},
    }.get(action, {})


def _situation(session: Session, name: str, people: dict, service) -> ServiceRequest:  # noqa: ANN001
    status, extra = SITUATIONS[name]
    req = make_request(session, customer=people["owner"], service=service, status=status,
                       professional=people["pro"], preferred=None if "open" in extra else people["pro"],
                       paid="paid" in extra)
    if status in (RequestStatus.assigned, RequestStatus.in_progress):
        req.start_code = "4821"
    if "locked" in extra:
        req.start_code_tries = 5
    if extra & {"owner_proposed", "pro_proposed"}:
        req.reschedule_to = req.scheduled_at + timedelta(days=1, hours=1)
        req.reschedule_by_id = people["owner" if "owner_proposed" in extra else "pro"].id
    if "extra" in extra:
        session.add(ExtraCharge(request_id=req.id, amount_paise=10_000, reason="New washer",
                                proposed_by_id=people["pro"].id))
    session.add(req)
    session.commit()
    session.refresh(req)
    return req


PEOPLE_ACTIONS = [t.name for t in PROCESS.transitions]
CASES = [(s, a) for s in SITUATIONS for a in PEOPLE_ACTIONS]


@pytest.mark.parametrize(("situation", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_transition_matrix(session: Session, situation: str, action: str) -> None:
    """One cell per (situation, action); every kind of actor tries it on a fresh request."""
    plumbing, painting = make_service(session), make_service(session)
    people = {
        "owner": make_user(session),
        "other_customer": make_user(session),
        "pro": make_user(session, role=Role.professional, service=plumbing),
        "other_pro": make_user(session, role=Role.professional, service=plumbing),
        "pro_other_service": make_user(session, role=Role.professional, service=painting),
        "pending_pro": make_user(session, role=Role.professional, service=plumbing, approval=ApprovalStatus.pending),
        "admin": make_user(session, role=Role.admin),
    }
    for who in ACTORS:
        _try(session, people, plumbing, situation, action, who)


def _try(session: Session, people: dict, service, situation: str, action: str, who: str) -> None:  # noqa: ANN001
    req = _situation(session, situation, people, service)
    actor = None if who == "anonymous" else actor_for(session, people[who])
    # start/complete are only possible close to the slot; everything else happens a day ahead
    now = req.scheduled_at - timedelta(minutes=30) if action in ("start", "complete") else None
    before = req.model_dump()
    counts = _counts(session)

    def call() -> bookings.RequestView:
        return bookings.transition(session=session, actor=actor, request_id=req.id, action=action,
                                   data=_payload(action, req), now=now)

    if who in ALLOWED.get((situation, action), set()):
        view = call()
        expected = RESULT.get(action) or SITUATIONS[situation][0]
        assert view.status == expected.value, who
        session.expire_all()
        fresh = session.get(ServiceRequest, req.id)
        assert fresh is not None and fresh.status is expected, who
        audit = session.exec(select(AuditLog).where(AuditLog.action == f"request.{action}",
                                                    AuditLog.target_id == req.id)).all()
        assert len(audit) == 1, who
        if action == "accept":
            assert fresh.professional_id == people[who].id and fresh.assigned_at is not None
            assert len(fresh.start_code) == 4 and fresh.start_code.isdigit()
        if action == "decline":
            assert fresh.preferred_professional_id is None and fresh.decline_reason == "Too far today"
        if action == "cancel":
            assert fresh.cancelled_by_id == people[who].id and fresh.cancel_reason == "Plans changed"
        if action == "accept_time":
            assert fresh.scheduled_at == before["reschedule_to"] and fresh.reschedule_to is None
    elif who in IDEMPOTENT.get((situation, action), set()):
        assert call().status == SITUATIONS[situation][0].value, who
        session.expire_all()
        assert session.get(ServiceRequest, req.id).model_dump() == before, who  # type: ignore[union-attr]
    else:
        with pytest.raises((NotAuthenticated, Forbidden, NotFound, InvalidTransition, Conflict,
                            ValidationFailed)):
            call()
            pytest.fail(f"{who} was allowed to {action} a {situation} request")
        session.rollback()
        session.expire_all()
        assert session.get(ServiceRequest, req.id).model_dump() == before, who  # type: ignore[union-attr]
        assert _counts(session) == counts, who


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(session.exec(select(func.count()).select_from(t)).one()
                 for t in (Payment, Review, ExtraCharge, Notification))


def test_matrix_covers_every_cell_the_process_declares() -> None:
    """The hand-written table and the declaration agree on which (status, action) cells exist."""
    covered = {(SITUATIONS[s][0], a) for (s, a) in ALLOWED}
    declared = {(status, name) for status, name in PROCESS.cells() if PROCESS.get(name).parties}  # type: ignore[union-attr]
    assert covered == declared


def test_clock_only_transitions_are_refused_to_everyone(session: Session) -> None:
    """expire and auto_close have no party: nobody can take them by hand, whatever their role."""
    service = make_service(session)
    owner, admin = make_user(session), make_user(session, role=Role.admin)
    req = make_request(session, customer=owner, service=service)
    for who in (owner, admin):
        for action in ("expire", "auto_close"):
            with pytest.raises(InvalidTransition):
                bookings.transition(session=session, actor=actor_for(session, who), request_id=req.id,
                                    action=action)
