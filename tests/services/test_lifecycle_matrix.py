"""Every status x every action x every kind of actor: allowed or refused, asserted.

The expectations below are written out by hand (not derived from lifecycle.TRANSITIONS),
so a wrong entry in the table makes a test fail.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from hsa.models import ApprovalStatus, Payment, RequestStatus, Review, Role, ServiceRequest
from hsa.services import bookings
from hsa.services.errors import Conflict, Forbidden, InvalidTransition, NotAuthenticated, NotFound
from hsa.services.lifecycle import TRANSITIONS, Action
from hsa.services.scheduling import IST
from tests.factories import actor_for, make_request, make_service, make_user

ACTORS = ["owner", "other_customer", "pro", "other_pro", "pro_other_service", "pending_pro", "admin", "anonymous"]
# "pro" is the professional the request is addressed to (requested) or assigned to (later).
STATUSES = ["requested", "requested_open", "assigned", "in_progress", "completed", "completed_paid", "closed",
            "cancelled"]

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("requested", "edit"): {"owner"},
    ("requested", "cancel"): {"owner", "admin"},
    ("requested", "accept"): {"pro"},
    ("requested", "decline"): {"pro"},
    ("requested_open", "edit"): {"owner"},
    ("requested_open", "cancel"): {"owner", "admin"},
    ("requested_open", "accept"): {"pro", "other_pro"},
    ("assigned", "cancel"): {"owner", "admin"},
    ("assigned", "start"): {"pro"},
    ("in_progress", "complete"): {"pro"},
    ("completed", "pay"): {"owner"},
    ("completed_paid", "close"): {"owner"},
}

# Safe to repeat: the professional a job was just given taps Accept again (a double tap, a second
# tab) and is told it is theirs; nothing changes.
IDEMPOTENT: dict[tuple[str, str], set[str]] = {("assigned", "accept"): {"pro"}}

RESULT = {  # action -> status afterwards
    "edit": RequestStatus.requested, "cancel": RequestStatus.cancelled, "accept": RequestStatus.assigned,
    "decline": RequestStatus.requested, "start": RequestStatus.in_progress, "complete": RequestStatus.completed,
    "pay": RequestStatus.completed, "close": RequestStatus.closed,
}


def _payload(action: str, req: ServiceRequest) -> dict:
    day = (req.scheduled_at.astimezone(IST) + timedelta(days=1)).date().isoformat()
    return {
        "edit": {"day": day, "time": "11:00", "remarks": "Moved a day"},
        "cancel": {"reason": "Plans changed"},
        "decline": {"reason": "Too far today"},
        "complete": {"extra_charge_rupees": 0},
        "pay": {"method": "upi"},
        "close": {"rating": 5, "comment": "Great work"},
    }.get(action, {})


CASES = [(s, a, who) for s in STATUSES for a in [x.value for x in Action] for who in ACTORS]


@pytest.mark.parametrize(("status", "action", "who"), CASES, ids=[f"{s}-{a}-{w}" for s, a, w in CASES])
def test_transition_matrix(session: Session, status: str, action: str, who: str) -> None:
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
    base = status.removesuffix("_open").removesuffix("_paid")
    req = make_request(session, customer=people["owner"], service=plumbing, status=RequestStatus(base),
                       professional=people["pro"], preferred=None if status == "requested_open" else people["pro"],
                       paid=status == "completed_paid")
    actor = None if who == "anonymous" else actor_for(session, people[who])
    # start/complete are only possible close to the slot; everything else happens a day ahead
    now = req.scheduled_at - timedelta(minutes=30) if action in ("start", "complete") else None
    before = req.model_dump()
    counts = _counts(session)

    def call() -> bookings.RequestView:
        return bookings.transition(session=session, actor=actor, request_id=req.id, action=action,
                                   data=_payload(action, req), now=now)

    if who in ALLOWED.get((status, action), set()):
        view = call()
        assert view.status == RESULT[action].value
        session.expire_all()
        fresh = session.get(ServiceRequest, req.id)
        assert fresh is not None and fresh.status is RESULT[action]
        if action == "accept":
            assert fresh.professional_id == people[who].id and fresh.assigned_at is not None
        if action == "decline":
            assert fresh.preferred_professional_id is None and fresh.decline_reason == "Too far today"
        if action == "cancel":
            assert fresh.cancelled_by_id == people[who].id and fresh.cancel_reason == "Plans changed"
    elif who in IDEMPOTENT.get((status, action), set()):
        assert call().status == base
        session.expire_all()
        assert session.get(ServiceRequest, req.id).model_dump() == before  # type: ignore[union-attr]
    else:
        with pytest.raises((NotAuthenticated, Forbidden, NotFound, InvalidTransition, Conflict)):
            call()
        session.rollback()
        session.expire_all()
        assert session.get(ServiceRequest, req.id).model_dump() == before  # type: ignore[union-attr]
        assert _counts(session) == counts


def _counts(session: Session) -> tuple[int, int]:
    return (session.exec(select(func.count()).select_from(Payment)).one(),
            session.exec(select(func.count()).select_from(Review)).one())


def test_matrix_covers_every_transition_in_the_table() -> None:
    covered = {(RequestStatus(s.removesuffix("_open").removesuffix("_paid")), Action(a)) for (s, a) in ALLOWED}
    assert covered == set(TRANSITIONS)
