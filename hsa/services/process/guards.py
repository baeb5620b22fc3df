"""Guards: conditions a transition needs beyond role and party, each with its refusal sentence.

They read only `RequestFacts` (and the clock), so a page hides the button for exactly the cases
the service refuses; a guard with `shown=False` is a time window the service explains instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hsa.i18n.text import Text, msg
from hsa.services.permissions import UNVERIFIED, doing_said
from hsa.services.process.model import Guard, RequestFacts
from hsa.settings import get_settings


def _verified(actor: Any, f: RequestFacts, now: datetime) -> bool:
    return bool(getattr(actor, "verified", False))


def _paid(actor: Any, f: RequestFacts, now: datetime) -> bool:
    return f.paid


def _unpaid(actor: Any, f: RequestFacts, now: datetime) -> bool:
    return not f.paid


def _open_bill(actor: Any, f: RequestFacts, now: datetime) -> bool:
    """Extras may change the bill while the work goes on, or after it until it is settled."""
    return f.status.value == "in_progress" or not f.paid


def _no_pending_extra(actor: Any, f: RequestFacts, now: datetime) -> bool:
    return not f.pending_extra


def _pending_extra(actor: Any, f: RequestFacts, now: datetime) -> bool:
    return f.pending_extra


def _no_proposal(actor: Any, f: RequestFacts, now: datetime) -> bool:
    """No open proposal; one whose time has passed no longer blocks a new one."""
    return f.reschedule_by is None or (f.reschedule_to is not None and f.reschedule_to <= now)


def _proposed_by_other(actor: Any, f: RequestFacts, now: datetime) -> bool:
    """An open proposal from the other side (one whose time has passed is moot: nothing to answer)."""
    return (f.reschedule_by is not None and f.reschedule_by != actor.id
            and (f.reschedule_to is None or f.reschedule_to > now))


def _code_open(actor: Any, f: RequestFacts, now: datetime) -> bool:
    return not f.code_locked


def _code_locked(actor: Any, f: RequestFacts, now: datetime) -> bool:
    return f.code_locked


def _start_window(actor: Any, f: RequestFacts, now: datetime) -> bool:
    early = get_settings().early_start_hours
    return f.scheduled_at is None or now >= f.scheduled_at - timedelta(hours=early)


# shown=False: the Accept button stays, and the refusal says what to do (as permissions.require_verified)
VERIFIED = Guard("email and number verified", _verified, msg(UNVERIFIED, doing=doing_said("accept jobs")), shown=False)
PAID = Guard("paid", _paid, msg("svc_booking.guard_pay_first"))
UNPAID = Guard("unpaid", _unpaid, msg("svc_booking.guard_already_paid"))
OPEN_BILL = Guard("bill still open", _open_bill, msg("svc_booking.guard_already_paid"))
NO_PENDING_EXTRA = Guard("no pending extra charge", _no_pending_extra,
                         msg("svc_booking.guard_extra_waiting"))
PENDING_EXTRA = Guard("an extra charge to answer", _pending_extra, msg("svc_booking.no_extra_to_answer"))
NO_PROPOSAL = Guard("no time proposed", _no_proposal, msg("svc_booking.guard_time_waiting"))
PROPOSED_BY_OTHER = Guard("a time proposed by the other side", _proposed_by_other,
                          msg("svc_booking.no_time_to_answer"))
CODE_OPEN = Guard("start code not locked", _code_open,
                  msg("svc_booking.guard_code_locked"))
CODE_LOCKED = Guard("start code locked", _code_locked, msg("svc_booking.guard_code_works"))
ANSWER_EXTRA_FIRST = Guard("no extra charge to answer", _no_pending_extra,
                           msg("svc_booking.answer_extra_first"))
START_WINDOW = Guard("within the start window", _start_window,
                     msg("svc_booking.guard_start_window"))  # the card says from when



def refusal(guard: Guard) -> str:
    """The guard's sentence with today's settings filled in (a catalog message, said by the reader)."""
    early = get_settings().early_start_hours
    if isinstance(guard.message, Text):
        return msg(guard.message.key, **{**guard.message.params, "early": early})
    return guard.message.format(early=early)
