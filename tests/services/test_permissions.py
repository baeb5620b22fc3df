"""Permission checks at the service layer, for every role (the UI's guards are cosmetic)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from hsa.models import ApprovalStatus, Role, User
from hsa.services import accounts, stats
from hsa.services.actors import Actor
from hsa.services.errors import Forbidden, NotAuthenticated, ValidationFailed
from hsa.services.permissions import require_approved_professional
from tests.factories import actor_for, make_user

ROLES = {
    "anonymous": None,
    "customer": (Role.customer, ApprovalStatus.approved),
    "pending_pro": (Role.professional, ApprovalStatus.pending),
    "approved_pro": (Role.professional, ApprovalStatus.approved),
    "admin": (Role.admin, ApprovalStatus.approved),
}


def _actor(session: Session, who: str) -> Actor | None:
    spec = ROLES[who]
    if spec is None:
        return None
    return actor_for(session, make_user(session, role=spec[0], approval=spec[1]))


@pytest.mark.parametrize("who", list(ROLES))
def test_admin_dashboard_is_admin_only(session: Session, who: str) -> None:
    actor = _actor(session, who)
    if who == "admin":
        assert stats.dashboard(session=session, actor=actor).customers == 0  # only the one made in _actor is an admin
    else:
        with pytest.raises(NotAuthenticated if actor is None else Forbidden):
            stats.dashboard(session=session, actor=actor)


@pytest.mark.parametrize("who", list(ROLES))
def test_only_approved_professionals_may_work(session: Session, who: str) -> None:
    actor = _actor(session, who)
    if who == "approved_pro":
        assert require_approved_professional(actor) == actor
    else:
        with pytest.raises((NotAuthenticated, Forbidden)):
            require_approved_professional(actor)


@pytest.mark.parametrize("who", list(ROLES))
def test_profile_is_always_the_actors_own(session: Session, who: str) -> None:
    other = make_user(session, full_name="Someone Else")
    actor = _actor(session, who)
    if actor is None:
        with pytest.raises(NotAuthenticated):
            accounts.get_profile(session=session, actor=None)
        return
    assert accounts.get_profile(session=session, actor=actor).id == actor.id != other.id


def test_profile_update_cannot_change_email_role_or_someone_else(session: Session) -> None:
    victim = make_user(session, full_name="Victim Person")
    me = make_user(session, full_name="Me Myself")
    actor = actor_for(session, me)
    base = {"full_name": "New Name", "phone": "9876543210", "address": "22 New Road", "pincode": "110001"}
    for extra in ({"email": "x@example.com"}, {"role": "admin"}, {"id": victim.id}, {"user_id": victim.id}):
        with pytest.raises(ValidationFailed):
            accounts.update_profile(session=session, actor=actor, data=base | extra)
    view = accounts.update_profile(session=session, actor=actor, data=base)
    assert view.full_name == "New Name" and view.locality
    session.expire_all()
    assert session.get(User, victim.id).full_name == "Victim Person"  # type: ignore[union-attr]
    assert session.get(User, me.id).role is Role.customer  # type: ignore[union-attr]


def test_profile_update_rejects_bad_pincode_and_writes_nothing(session: Session) -> None:
    me = make_user(session, pincode="560034")
    actor = actor_for(session, me)
    with pytest.raises(ValidationFailed) as exc:
        accounts.update_profile(session=session, actor=actor, data={
            "full_name": "Changed Name", "phone": "9876543210", "address": "22 New Road", "pincode": "000000"})
    assert "pincode" in exc.value.fields
    session.expire_all()
    fresh = session.get(User, me.id)
    assert fresh is not None and fresh.pincode == "560034" and fresh.full_name == "Test User"
