"""The booking state machine as data: (status, action) -> who may do it and where it leads.

The same table drives the service checks (`bookings.transition`), the buttons a page shows
(`allowed_actions`) and the exhaustive permission test. No database access here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hsa.models import RequestStatus, Role
from hsa.services.actors import Actor

S = RequestStatus


class Action(StrEnum):
    edit = "edit"
    cancel = "cancel"
    accept = "accept"
    decline = "decline"
    start = "start"
    complete = "complete"
    pay = "pay"
    close = "close"


class Party(StrEnum):
    """Relation between the actor and the request that a rule demands."""

    any = "any"              # any actor of the role (admins)
    owner = "owner"          # the customer who booked it
    addressee = "addressee"  # the professional the customer picked
    assignee = "assignee"    # the professional who accepted it
    eligible = "eligible"    # an approved, available professional of this service (or the addressee)


@dataclass(frozen=True)
class Rule:
    target: RequestStatus
    parties: dict[Role, Party]


@dataclass(frozen=True)
class RequestFacts:
    """What the rules need to know about a request (so this module stays free of the DB)."""

    status: RequestStatus
    customer_id: int
    professional_id: int | None
    preferred_professional_id: int | None
    service_id: int


A = Action
C, P, AD = Role.customer, Role.professional, Role.admin

TRANSITIONS: dict[tuple[RequestStatus, Action], Rule] = {
    (S.requested, A.edit): Rule(S.requested, {C: Party.owner}),
    (S.requested, A.cancel): Rule(S.cancelled, {C: Party.owner, AD: Party.any}),
    (S.requested, A.accept): Rule(S.assigned, {P: Party.eligible}),
    (S.requested, A.decline): Rule(S.requested, {P: Party.addressee}),
    (S.assigned, A.cancel): Rule(S.cancelled, {C: Party.owner, AD: Party.any}),
    (S.assigned, A.start): Rule(S.in_progress, {P: Party.assignee}),
    (S.in_progress, A.complete): Rule(S.completed, {P: Party.assignee}),
    (S.completed, A.pay): Rule(S.completed, {C: Party.owner}),
    (S.completed, A.close): Rule(S.closed, {C: Party.owner}),
}


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


def can_apply(actor: Actor | None, facts: RequestFacts, action: Action, *, pro_service_id: int | None = None,
              pro_available: bool = True) -> bool:
    """True when the table has the transition and the actor's role and relation fit it."""
    rule = TRANSITIONS.get((facts.status, action))
    if actor is None or rule is None:
        return False
    party = rule.parties.get(actor.role)
    if party is None:
        return False
    if actor.role is Role.professional and party is not Party.eligible and not actor.is_approved_professional:
        return False
    return party_holds(actor, facts, party, pro_service_id=pro_service_id, pro_available=pro_available)


def allowed_actions(actor: Actor | None, facts: RequestFacts, *, pro_service_id: int | None = None,
                    pro_available: bool = True) -> list[Action]:
    """Actions to offer as buttons (time and payment rules are checked again on use)."""
    return [a for a in Action if can_apply(actor, facts, a, pro_service_id=pro_service_id,
                                           pro_available=pro_available)]
