"""The dispute process, declared like the booking's (hsa/services/process/declaration.py): who
moves a dispute from which state to which, and who is told what. `hsa.services.disputes` runs it;
docs/booking-process.md shows it.

    (none) --open (customer, ≤ 7 days after completion)--> open
    open --answer (the job's professional)--> answered
    open | answered --decide (admin: no action, refund, strike, or both)--> decided
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from hsa.i18n.text import msg
from hsa.models import DisputeOutcome, DisputeReason, DisputeStatus, Role

WINDOW = timedelta(days=7)  # after completion, a customer may report a problem this long

REASONS = {DisputeReason.not_done: "The work was not done or not finished",
           DisputeReason.poor_quality: "Poor quality, or the problem came back",
           DisputeReason.damage: "Something was damaged",
           DisputeReason.overcharged: "Charged more than agreed",
           DisputeReason.behaviour: "Rude, unsafe or very late",
           DisputeReason.other: "Something else"}
# The admin's decision in words (English: "no action"), said in the reader's language on pages.
OUTCOMES = {DisputeOutcome.no_action: msg("svc_booking.outcome_no_action"),
            DisputeOutcome.refund: msg("svc_booking.outcome_refund"),
            DisputeOutcome.strike: msg("svc_booking.outcome_strike"),
            DisputeOutcome.refund_and_strike: msg("svc_booking.outcome_refund_and_strike")}


@dataclass(frozen=True)
class DisputeMove:
    name: str
    sources: tuple[DisputeStatus | None, ...]  # None: no dispute yet
    target: DisputeStatus
    by: Role
    tell: tuple[str, ...]  # "customer", "professional", "admins"
    title: str
    body: str              # str.format with service, when, customer, pro, reason, outcome, note


PROCESS = (
    DisputeMove("open", (None,), DisputeStatus.open, Role.customer, ("professional", "admins"),
                "Problem reported", "{customer} reported a problem with the {service} job of {when}: {reason}. "
                                    "Add your side on the job card."),
    DisputeMove("answer", (DisputeStatus.open,), DisputeStatus.answered, Role.professional, ("customer", "admins"),
                "The professional answered", "{pro} added their side about the {service} job of {when}. "
                                             "HomeServe support will decide."),
    DisputeMove("decide", (DisputeStatus.open, DisputeStatus.answered), DisputeStatus.decided, Role.admin,
                ("customer", "professional"), "Support decided",
                "About the {service} job of {when}: {outcome}. {note}"),
)
MOVES = {m.name: m for m in PROCESS}
