"""THE booking process: every action a booking can take, in one declaration.

Read top to bottom it is the product: who may do what, from which status to which, under which
conditions, what happens (effects, in order), who is told what, and how the button reads. The
engine (`process.engine`), the pages, the notifications, the API's action enum, the docs diagram
(`docs/booking-process.md`) and the permission-matrix test all derive from `PROCESS`. Adding an
action is one `Transition` here plus its effect function.

Notice templates are `str.format` strings over the move's words: service, when, customer, pro,
actor (first names), total, extra_note, plus whatever the effects add (why, amount, how, rating,
said, extra, extra_reason, new_total, new_time, suggest).
"""

from __future__ import annotations

from datetime import timedelta

from hsa.models import NotificationKind, RequestStatus, Role
from hsa.services.process import effects, extras, money_effects, reschedule, start_code, timer_effects
from hsa.services.process import guards as g
from hsa.services.process.model import FormField, Notice, Party, Process, Timer, To, Transition, Ui

S, K = RequestStatus, NotificationKind
C, P, AD = Role.customer, Role.professional, Role.admin

DAY = FormField("day", "New date", kind="date", value_from="day")
TIME = FormField("time", "New time (IST)", kind="time", value_from="time")
CODE = FormField("code", "Customer's 4-digit code", kind="code", max_length=4)

TRANSITIONS = (
    Transition(
        "edit", (S.requested,), None, {C: Party.owner},
        Ui("Change time", "edited", "Request updated.", submit="Save changes", fields=(
            DAY, TIME, FormField("remarks", "Remarks", kind="textarea", required=False, value_from="remarks",
                                 max_length=500))),
        effects=(effects.edit,),
        notices=(Notice(To.professional, K.booking, "Request moved",
                        "{customer} moved the {service} request to {when}."),),
        api=None),  # PATCH /bookings/{id}
    Transition(
        "cancel", (S.requested, S.assigned), S.cancelled, {C: Party.owner, AD: Party.any},
        Ui("Cancel", "cancelled", "Request cancelled.", color="red", submit="Confirm cancellation",
           fields=(FormField("terms", "Cancellation fee", kind="note", value_from="cancel_terms"),
                   FormField("reason", "Reason for cancelling", max_length=300))),
        effects=(effects.cancel, money_effects.cancel_fee_and_refund, reschedule.clear), stamp="cancelled_at",
        notices=(
            Notice(To.customer, K.booking, "Booking cancelled",
                   "Your {service} booking for {when} was cancelled by HomeServe support.{why}", by="admin"),
            Notice(To.professional, K.booking, "Job cancelled",
                   "The {service} job for {when} was cancelled by HomeServe support.{why}", by="admin"),
            Notice(To.professional, K.booking, "Job cancelled",
                   "{customer} cancelled the {service} job for {when}.{why}", by="party"),
        )),
    Transition(
        "accept", (S.requested,), S.assigned, {P: Party.eligible},
        Ui("Accept", "accepted", "Job accepted. It is in your schedule."),
        effects=(effects.accept,), guards=(g.VERIFIED,),
        notices=(Notice(To.customer, K.booking, "Booking accepted",
                        "{pro} accepted your {service} job for {when}. Your start code is on the booking."),)),
    Transition(
        "decline", (S.requested,), None, {P: Party.addressee},
        Ui("Decline", "declined", "Request declined.", color="red", submit="Decline request",
           fields=(FormField("reason", "Reason for declining", max_length=300),)),
        effects=(effects.decline, effects.reopen_to_nearby),
        notices=(Notice(To.customer, K.booking, "Looking for another professional",
                        "{actor} can't take your {service} job for {when}. "
                        "It is now open to other professionals nearby."),)),
    Transition(
        "release", (S.assigned,), S.requested, {P: Party.assignee},
        Ui("Can't make it", "released", "Job released: we'll offer it to other professionals.", color="red",
           submit="Release job", fields=(FormField("reason", "Why can't you make it?", max_length=300),)),
        effects=(money_effects.release_job, reschedule.clear, effects.reopen_to_nearby), api="release",
        notices=(Notice(To.customer, K.booking, "Finding you another professional",
                        "{actor} can no longer do your {service} job for {when}. "
                        "It is open to other professionals nearby; we'll tell you who accepts."),)),
    Transition(
        "propose_time", (S.assigned,), None, {C: Party.owner, P: Party.assignee},
        Ui("Propose new time", "given a new time", "New time sent. We'll tell you when they answer.",
           submit="Send new time", fields=(DAY, TIME)),
        effects=(reschedule.propose,), guards=(g.NO_PROPOSAL,), api="propose-time",
        notices=tuple(Notice(to, K.booking, "New time proposed",
                             "{actor} asked to move the {service} job from {when} to {new_time}. "
                             "Accept the new time or keep the old one on the booking.")
                      for to in (To.customer, To.professional))),
    Transition(
        "accept_time", (S.assigned,), None, {C: Party.owner, P: Party.assignee},
        Ui("Accept new time", "moved", "Done: the booking moved to the new time.", color="green"),
        effects=(reschedule.accept,), guards=(g.PROPOSED_BY_OTHER,), api="accept-time",
        notices=tuple(Notice(to, K.booking, "New time accepted",
                             "{actor} accepted {new_time} for the {service} job.")
                      for to in (To.customer, To.professional))),
    Transition(
        "decline_time", (S.assigned,), None, {C: Party.owner, P: Party.assignee},
        Ui("Keep the old time", "kept", "The booking keeps its time.", color="red"),
        effects=(reschedule.decline,), guards=(g.PROPOSED_BY_OTHER,), api="decline-time",
        notices=tuple(Notice(to, K.booking, "New time declined",
                             "{actor} can't do {new_time}; the {service} job stays at {when}.")
                      for to in (To.customer, To.professional))),
    Transition(
        "renew_code", (S.assigned, S.in_progress), None, {C: Party.owner},  # in progress: a completion code
        Ui("Get a new start code", "renewed", "Here is your new start code. Tell it to your professional "
           "when they arrive."),
        effects=(start_code.renew,), guards=(g.CODE_LOCKED,), api="renew-code",
        notices=(Notice(To.professional, K.booking, "New start code",
                        "{customer} has a new code for the {service} job. Ask them for it when you need it."),)),
    Transition(
        "start", (S.assigned,), S.in_progress, {P: Party.assignee},
        Ui("Start job", "started", "Job started.", submit="Start job", fields=(CODE,)),
        effects=(start_code.check_at_start, reschedule.clear), guards=(g.START_WINDOW, g.CODE_OPEN),
        stamp="started_at",
        notices=(Notice(To.customer, K.booking, "Work started", "{pro} started work on your {service} job."),)),
    Transition(
        "propose_extra", (S.in_progress, S.completed), None, {P: Party.assignee},
        Ui("Add extra charge", "charged", "Extra charge sent to the customer for approval.",
           submit="Send for approval", fields=(
               FormField("amount_rupees", "Extra charge in ₹", kind="number", suffix="amount"),
               FormField("reason", "What is the extra work?", max_length=300))),
        effects=(extras.propose,), guards=(g.NO_PENDING_EXTRA, g.OPEN_BILL), api="extra-charge",
        notices=(Notice(To.customer, K.payment, "Extra charge to approve",
                        "{pro} asks for {extra} more on your {service} job: {extra_reason}. "
                        "Approve or reject it on your booking."),)),
    Transition(
        "withdraw_extra", (S.in_progress, S.completed), None, {P: Party.assignee},
        Ui("Withdraw extra charge", "withdrawn", "Extra charge withdrawn.", color="red"),
        effects=(extras.withdraw,), guards=(g.PENDING_EXTRA, g.OPEN_BILL), api="withdraw-extra",
        notices=(Notice(To.customer, K.payment, "Extra charge withdrawn",
                        "{pro} withdrew the extra {extra} ({extra_reason}). The total stays {new_total}."),)),
    Transition(
        "approve_extra", (S.in_progress, S.completed), None, {C: Party.owner},
        Ui("Approve extra charge", "approved", "Extra charge approved.", color="green"),
        effects=(extras.approve, money_effects.charge_extra_if_completed), guards=(g.PENDING_EXTRA, g.OPEN_BILL),
        api="approve-extra",
        notices=(Notice(To.professional, K.payment, "Extra charge approved",
                        "{customer} approved the extra {extra} ({extra_reason}). New total {new_total}."),)),
    Transition(
        "reject_extra", (S.in_progress, S.completed), None, {C: Party.owner},
        Ui("Reject extra charge", "rejected", "Extra charge rejected.", color="red"),
        effects=(extras.reject,), guards=(g.PENDING_EXTRA, g.OPEN_BILL), api="reject-extra",
        notices=(Notice(To.professional, K.payment, "Extra charge rejected",
                        "{customer} rejected the extra {extra} ({extra_reason}). The total stays {new_total}."),)),
    Transition(
        "complete", (S.in_progress,), S.completed, {P: Party.assignee},
        Ui("Mark completed", "completed", "Job marked completed.", color="green", submit="Confirm completed",
           fields=(FormField("code", "Customer's 4-digit code", kind="code", max_length=4,
                             shown_if="completion_code"),)),
        effects=(start_code.check_at_completion, reschedule.clear, money_effects.charge_on_completion),
        stamp="completed_at",
        notices=(Notice(To.customer, K.booking, "Job completed",
                        "{pro} completed your {service} job. Total {total}{extra_note}. "
                        "Please pay what is left and leave a review."),)),
    Transition(
        "collect_cash", (S.completed,), None, {P: Party.assignee},
        Ui("Cash received", "paid in cash", "Cash payment recorded.", color="green"),
        effects=(money_effects.collect_cash,), guards=(g.UNPAID, g.ANSWER_EXTRA_FIRST), api="cash-received",
        notices=(Notice(To.customer, K.payment, "Cash payment recorded",
                        "{pro} confirmed receiving {amount} in cash for your {service} job. Thank you!"),)),
    Transition(
        "close", (S.completed,), S.closed, {C: Party.owner},
        Ui("Rate & close", "closed", "Thanks for your review!", color="amber", submit="Submit rating", fields=(
            FormField("rating", "Rating", kind="select", options=(
                ("5", "★★★★★ Excellent"), ("4", "★★★★ Good"), ("3", "★★★ Okay"), ("2", "★★ Poor"),
                ("1", "★ Bad"))),
            FormField("comment", "Review (optional)", kind="textarea", required=False, max_length=1000))),
        effects=(effects.review,), guards=(g.PAID,), stamp="closed_at",
        notices=(Notice(To.professional, K.review, "You received a {rating}★ review",
                        "{rating}★ from {customer} for your {service} job on {when}.{said}"),)),  # also /review
    # ------------------------------------------ taken by HomeServe's clock (see TIMERS) or its gateway
    Transition(
        "expire", (S.requested,), S.cancelled, {},
        Ui("Expire", "expired", "", shown=False),
        effects=(timer_effects.expire, money_effects.cancel_fee_and_refund), stamp="cancelled_at", api=None,
        notices=(Notice(To.customer, K.booking, "No professional accepted in time",
                        "Nobody accepted your {service} booking for {when}, so it was cancelled. {suggest}"),)),
    Transition(  # the gateway confirmed a payment (hsa.services.money.capture): its notices
        "pay", (S.requested, S.assigned, S.in_progress, S.completed, S.cancelled), None, {},
        Ui("Pay", "paid", "", shown=False), api=None,
        notices=(Notice(To.professional, K.payment, "Payment received",
                        "{customer} paid {amount} {how} for the {service} job on {when}."),
                 Notice(To.customer, K.payment, "Payment received",
                        "We received {amount} {how} for your {service} booking on {when}. Thank you!"))),
    Transition(
        "auto_close", (S.completed,), S.closed, {},
        Ui("Close", "closed", "", shown=False),
        guards=(g.PAID,), stamp="closed_at", api=None),
)


def _hours(name: str, sign: int = 1):  # noqa: ANN202 - returns settings -> timedelta
    return lambda settings: timedelta(hours=sign * getattr(settings, name))


TIMERS = (
    Timer("expire_unaccepted", S.requested, "scheduled_at", _hours("expire_hours_before_slot", -1),
          transition="expire"),
    Timer("flag_not_started", S.assigned, "scheduled_at", _hours("not_started_flag_hours"),
          notices=(Notice(To.admins, K.booking, "Job not started",
                          "The {service} job for {when} ({customer} with {pro}) has not started "
                          "{late} after its slot. Check in with them."),)),
    Timer("review_prompt", S.completed, "completed_at", _hours("review_prompt_hours"), email=True,
          unless=timer_effects.reviewed,
          notices=(Notice(To.customer, K.reminder, "How did {pro} do?",
                          "Rate your {service} job on {when}: it helps your neighbours choose."),)),
    Timer("auto_close", S.completed, "completed_at", lambda s: timedelta(days=s.review_window_days),
          transition="auto_close", unless=timer_effects.paid_lately),
)

PROCESS = Process(transitions=TRANSITIONS, timers=TIMERS)
