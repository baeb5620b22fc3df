"""Authorization in one place: role guards and the instance rules (who may see or act on which row).

Services call these before doing work; nothing else decides who stands where to a booking."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import ColumnElement, and_
from sqlmodel import col

from hsa.i18n.text import msg
from hsa.models import ApprovalStatus, ProfessionalProfile, RequestStatus, Role, ServiceRequest, User, UserStatus
from hsa.services.actors import Actor
from hsa.services.errors import Forbidden, NotAuthenticated, NotFound
from hsa.services.pincodes import distance_km
from hsa.services.process.model import Party, RequestFacts


def require_actor(actor: Actor | None) -> Actor:
    """Anonymous callers are refused before anything is read."""
    if actor is None:
        raise NotAuthenticated()
    return actor


def require_role(actor: Actor | None, *roles: Role) -> Actor:
    """The actor must be logged in and hold one of `roles`."""
    actor = require_actor(actor)
    if actor.role not in roles:
        raise Forbidden()
    return actor


def require_admin(actor: Actor | None) -> Actor:
    return require_role(actor, Role.admin)


UNVERIFIED = "svc_account.unverified"  # catalog key; {doing}: what the person was about to do
# What a person may be refused before verifying or by role ("before you {doing}"), as catalog keys.
DOING = {"book": "svc_account.doing_book", "accept jobs": "svc_account.doing_accept_jobs",
         "share its location": "svc_account.doing_share_location"}


def doing_said(doing: str) -> str:
    """'book' as a catalog message (said in the reader's language), or as given when unknown."""
    return msg(DOING[doing]) if doing in DOING else doing


def require_verified(actor: Actor, *, doing: str = "book") -> None:
    """Booking and accepting need a proven email and number (issue #17); browsing does not."""
    if not actor.verified:
        raise Forbidden(msg(UNVERIFIED, doing=doing_said(doing)))


def require_approved_professional(actor: Actor | None) -> Actor:
    """Professionals may only work once an admin has approved them."""
    actor = require_role(actor, Role.professional)
    if not actor.is_approved_professional:
        raise Forbidden(msg("svc_account.awaiting_approval"))
    return actor




# ------------------------------------------------------------------ instance rules: who stands where to a booking
# Every "may this actor see / act on this row" question is answered here; services ask, never re-derive.


def party_holds(actor: Actor, facts: RequestFacts, party: Party, *, pro_service_id: int | None = None,
                pro_available: bool = True) -> bool:
    """Does `actor` stand in relation `party` to the request?"""
    if party is Party.any:
        return True
    if party is Party.owner:
        return facts.customer_id == actor.id
    if party is Party.addressee:
        return facts.preferred_professional_id == actor.id
    if party is Party.assignee:
        return facts.professional_id == actor.id
    # eligible: approved, offers this service, available, and not reserved for someone else
    if not actor.is_approved_professional or pro_service_id != facts.service_id or not pro_available:
        return False
    return facts.preferred_professional_id in (None, actor.id)


def may_take(actor: Actor | None, facts: RequestFacts, parties: Mapping[Role, Party], *,
             pro_service_id: int | None = None, pro_available: bool = True) -> bool:
    """Role and relation fit one of a transition's parties (guards are checked separately)."""
    if actor is None:
        return False
    party = parties.get(actor.role)
    if party is None:
        return False
    if actor.role is Role.professional and party is not Party.eligible and not actor.is_approved_professional:
        return False
    return party_holds(actor, facts, party, pro_service_id=pro_service_id, pro_available=pro_available)


def offered_to(actor: Actor, req: ServiceRequest, profile: ProfessionalProfile, pro_pincode: str) -> bool:
    """Was this job put in front of this approved professional? Addressed to them (or declined by
    them), or open for their service within their radius: the rule of the board and of the notices."""
    if not actor.is_approved_professional:
        return False
    if actor.id in (req.preferred_professional_id, req.declined_by_id):
        return True
    if req.preferred_professional_id is not None or profile.service_id != req.service_id:
        return False
    distance = distance_km(pro_pincode, req.pincode)
    return distance is not None and distance <= profile.service_radius_km


def can_view(actor: Actor, req: ServiceRequest, profile: ProfessionalProfile | None, *,
             pro_pincode: str = "") -> bool:
    """Owner, admin, assignee, addressee, or an approved pro the open job was offered to.

    Anything else answers "does not exist", exactly like an unknown id, so guessing ids tells
    a professional nothing about jobs elsewhere (`pro_pincode`: the professional's own pincode).
    """
    if actor.is_admin or req.customer_id == actor.id:
        return True
    if actor.role is not Role.professional or profile is None:
        return False
    if actor.id in (req.professional_id, req.preferred_professional_id):
        return True
    return req.status is RequestStatus.requested and offered_to(actor, req, profile, pro_pincode)


def is_party(actor: Actor, req: ServiceRequest) -> bool:
    """The booking's customer, its assigned professional, or an admin: who may see its private
    papers (address, bill, invoices). A professional the job was only offered to is not one."""
    return actor.is_admin or actor.id in (req.customer_id, req.professional_id)


def require_assignee(actor: Actor, req: ServiceRequest, *, doing: str) -> None:
    """Only the assigned (approved) professional; the customer and admins are refused with why,
    strangers are told the request does not exist."""
    if actor.role is Role.professional and req.professional_id == actor.id:
        if not actor.is_approved_professional:
            raise Forbidden(msg("svc_account.awaiting_approval"))
        return
    if actor.is_admin or req.customer_id == actor.id:
        raise Forbidden(msg("svc_booking.only_assignee", doing=doing_said(doing)))
    raise NotFound("request")


def require_self_or_admin(actor: Actor, user_id: int, what: str) -> None:
    """A user's own private things (a document, a notification): anyone else is told it does not exist."""
    if not (actor.is_admin or actor.id == user_id):
        raise NotFound(what)


def require_own(actor: Actor, owner_id: int | None, what: str) -> None:
    """Strictly the actor's own row (even admins do not read others' notifications)."""
    if owner_id != actor.id:
        raise NotFound(what)


def at_work() -> ColumnElement[bool]:
    """SQL for "a professional who may take jobs": approved, account active (join User and
    ProfessionalProfile). Search, new-job notices and the booking form's "preferred" check all
    use it, so they can never disagree on who is bookable; availability is the caller's choice."""
    return and_(col(ProfessionalProfile.approval_status) == ApprovalStatus.approved,
                col(User.status) == UserStatus.active, col(User.role) == Role.professional)
