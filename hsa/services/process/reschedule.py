"""Rescheduling an accepted job: one side proposes a new time, the other accepts or declines.

Before acceptance the customer simply edits the slot; after it, the professional set that time
aside, so a change needs both. The proposal is kept on the request (one at a time: the guard
`NO_PROPOSAL` refuses a second one, from either side, until the first is answered; the other
side declines and proposes its own), and the slot moves only on acceptance, after checking the
time is still bookable and the professional is still free then. Everything keyed on
`scheduled_at` (the customer's 1-hour reminder, the professional's digest, the 2-hour
cancellation notice, the start window, the clock's timers) follows the moved slot by itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from hsa.i18n.text import msg
from hsa.models import ProfessionalProfile, ServiceRequest
from hsa.services import scheduling
from hsa.services.errors import Conflict, InvalidTransition, ValidationFailed
from hsa.services.local_words import when_said
from hsa.services.process.context import Move
from hsa.services.process.effects import checked_slot, clashes, service_of
from hsa.services.schemas import RescheduleForm, parse

NOTHING_TO_ANSWER = msg("svc_booking.no_time_to_answer")
SAME_TIME = msg("svc_booking.same_time")
PRO_BUSY = msg("svc_booking.pro_busy")
YOU_BUSY = msg("svc_booking.you_busy")


def _pro_busy(session: Session, req: ServiceRequest, start: datetime, minutes: int) -> bool:
    """Does the assigned professional have another active job overlapping the new slot?

    Locks the professional's profile row first (PostgreSQL), the same lock `effects.accept`
    takes, so a reschedule and an accept of another job at that time cannot both pass."""
    if not req.professional_id:
        return False
    session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == req.professional_id)
                 .with_for_update())
    return clashes(session, req.professional_id, req, start, minutes)


def propose(m: Move) -> None:
    """Keep the proposed slot on the request; refuse, beside the field, a time that cannot work."""
    form = parse(RescheduleForm, m.data)
    minutes = service_of(m.session, m.req).duration_minutes
    start = checked_slot(form.day, form.time, minutes, m.now)
    if start == m.req.scheduled_at:
        raise ValidationFailed({"time": SAME_TIME})
    if _pro_busy(m.session, m.req, start, minutes):  # a proposal doomed to fail helps nobody
        mine = m.actor.id == m.req.professional_id
        raise ValidationFailed({"time": msg("svc_booking.you_busy_choose" if mine else "svc_booking.pro_busy_choose")})
    m.req.reschedule_to, m.req.reschedule_by_id = start, m.actor.id
    m.words["new_time"] = when_said(start)


def accept(m: Move) -> None:
    """Move the slot to the proposal, if it is still in the future and the professional is free."""
    req = m.req
    if req.reschedule_to is None:
        raise InvalidTransition(NOTHING_TO_ANSWER)
    minutes = service_of(m.session, req).duration_minutes
    problem = scheduling.slot_problem(req.reschedule_to, minutes, m.now)
    if problem:
        raise InvalidTransition(msg("svc_booking.proposal_passed") if req.reschedule_to <= m.now else problem)
    if _pro_busy(m.session, req, req.reschedule_to, minutes):
        raise Conflict(msg("svc_booking.pro_busy_keep"))
    m.words["new_time"] = when_said(req.reschedule_to)
    req.scheduled_at, req.reschedule_to, req.reschedule_by_id = req.reschedule_to, None, None


def decline(m: Move) -> None:
    """Forget the proposal; the booking keeps its time."""
    req = m.req
    if req.reschedule_to is None:
        raise InvalidTransition(NOTHING_TO_ANSWER)
    m.words["new_time"] = when_said(req.reschedule_to)
    req.reschedule_to, req.reschedule_by_id = None, None


def clear(m: Move) -> None:
    """A job that starts, ends or is cancelled keeps no open proposal."""
    m.req.reschedule_to, m.req.reschedule_by_id = None, None
