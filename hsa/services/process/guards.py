"""Guards: conditions a transition needs beyond role and party, each with its refusal sentence.

They read only `RequestFacts` (and the clock), so a page hides the button for exactly the cases
the service refuses; a guard with `shown=False` is a time window the service explains instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hsa.services.permissions import UNVERIFIED
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
VERIFIED = Guard("email and number verified", _verified, UNVERIFIED.format(doing="accept jobs"), shown=False)
PAID = Guard("paid", _paid, "Pay for the job before closing it.")
UNPAID = Guard("unpaid", _unpaid, "This job is already paid.")
OPEN_BILL = Guard("bill still open", _open_bill, "This job is already paid.")
NO_PENDING_EXTRA = Guard("no pending extra charge", _no_pending_extra,
                         "An extra charge is waiting for the customer's answer.")
PENDING_EXTRA = Guard("an extra charge to answer", _pending_extra, "There is no extra charge to answer.")
NO_PROPOSAL = Guard("no time proposed", _no_proposal, "A new time is already waiting for an answer.")
PROPOSED_BY_OTHER = Guard("a time proposed by the other side", _proposed_by_other,
                          "There is no new time for you to answer.")
CODE_OPEN = Guard("start code not locked", _code_open,
                  "Too many wrong codes. Ask the customer to get a new code on their booking.")
CODE_LOCKED = Guard("start code locked", _code_locked, "Your start code still works: tell it to your professional.")
ANSWER_EXTRA_FIRST = Guard("no extra charge to answer", _no_pending_extra,
                           "Approve or reject the extra charge before paying.")
START_WINDOW = Guard("within the start window", _start_window,
                     "You can start a job at most {early} hours before its slot.")  # the card says from when



def refusal(guard: Guard) -> str:
    """The guard's sentence with today's settings filled in."""
    return guard.message.format(early=get_settings().early_start_hours)
