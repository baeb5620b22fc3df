""""Delete my account": confirmed by password, refused while something is in flight, then the person's
own fields are gone, their history stays with the other party, and they cannot sign in."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hsa.models import AuditLog, Dispute, DisputeReason, RequestStatus, Role, ServiceRequest, User, UserStatus
from hsa.services import erasure, signin
from hsa.services.errors import AuthFailed, ValidationFailed
from hsa.services.sessions import resolve_actor
from tests.factories import PASSWORD, actor_for, make_request, make_service, make_user, token_for


@pytest.fixture
def world(session: Session) -> dict:
    service = make_service(session)
    return {"service": service, "customer": make_user(session, email="leaving@example.com"),
            "pro": make_user(session, role=Role.professional, service=service)}


def _refused(session: Session, actor, what: str) -> None:  # noqa: ANN001
    with pytest.raises(ValidationFailed) as exc:
        erasure.delete_own_account(session=session, actor=actor, data={"password": PASSWORD})
    assert what in exc.value.fields["password"]
    session.rollback()


def test_refused_while_a_booking_runs_an_unpaid_job_or_a_dispute_then_deleted(session: Session, world: dict) -> None:
    customer, pro = world["customer"], world["pro"]
    token = token_for(session, customer)
    actor = actor_for(session, customer)
    with pytest.raises(ValidationFailed) as exc:
        erasure.delete_own_account(session=session, actor=actor, data={"password": "not-my-password"})
    assert exc.value.fields["password"] == "That is not your password."
    live = make_request(session, customer=customer, service=world["service"])
    _refused(session, actor, "no booking that is still open")
    live.status = RequestStatus.cancelled
    session.add(live)
    done = make_request(session, customer=customer, service=world["service"], status=RequestStatus.completed,
                        professional=pro, platform_fee_paise=4_900)
    session.commit()
    _refused(session, actor, "no completed job that is not paid yet")
    done.status = RequestStatus.closed
    session.add(done)
    session.add(Dispute(request_id=done.id, customer_id=customer.id, professional_id=pro.id,
                        reason=DisputeReason.other, details="Matrix of a dispute"))
    session.commit()
    _refused(session, actor, "no dispute that is not decided yet")
    dispute = session.exec(select(Dispute)).one()
    dispute.status = "decided"  # type: ignore[assignment]
    session.add(dispute)
    session.commit()

    erasure.delete_own_account(session=session, actor=actor, data={"password": PASSWORD})
    session.expire_all()
    gone = session.get(User, customer.id)
    assert gone is not None and gone.status is UserStatus.deleted
    assert (gone.full_name, gone.phone, gone.address) == (f"Deleted user #{customer.id}", "", "")
    assert "leaving" not in gone.email
    assert resolve_actor(session=session, token=token) is None  # signed out everywhere
    with pytest.raises(AuthFailed):
        signin.login(session=session, email="leaving@example.com", password=PASSWORD)
    assert session.get(ServiceRequest, done.id).customer_id == customer.id  # type: ignore[union-attr] - kept
    assert session.exec(select(AuditLog).where(AuditLog.action == "user.self_delete")).one().actor_id == customer.id
