"""Firing the declaration's timers (delayed transitions) from the reminder pass.

A `Timer` says: when a request has sat in `status` until `anchor + offset`, HomeServe acts —
it applies a clock transition (`expire`, `auto_close`) or only sends notices (and an email).
`run_due_timers` is called by `reminders.send_due_reminders`, so cron and the app's loop both
run it, with the same injected `now` the reminders use.

Exactly once, on one worker or many, and never for a row that moved on meanwhile:
1. find the candidates (status, anchor past due, not yet in the ledger, the transition's guards
   hold — an unpaid job is simply left for a later pass, nothing is claimed for it);
2. for each, in its own short transaction: lock the row FOR UPDATE (fresh from the database),
   check again that it is still due, *then* claim the firing in the `reminders_sent` ledger
   (kind `timer:<name>`, key `<request id>@<anchor>`, inside a SAVEPOINT), act, commit. A second
   worker waits on the row lock and then finds the status changed, or loses the claim.
Emails are returned, not sent: the reminder pass mails them after the commit (phase 2) and
records `emailed_at`, retrying a failed one like a reminder's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from hsa import routes
from hsa.models import ReminderSent, ServiceRequest, User, UserStatus
from hsa.observability.metrics import BOOKING_TRANSITIONS
from hsa.services import audit, notifications
from hsa.services.languages import language_of
from hsa.services.ledger import claim, claimed_keys
from hsa.services.mail import Email
from hsa.services.mail_words import said_in
from hsa.services.process import notices
from hsa.services.process.context import Move
from hsa.services.process.declaration import PROCESS
from hsa.services.process.engine import SYSTEM, run_effects
from hsa.services.process.facts import load_facts
from hsa.services.process.model import Process, RequestFacts, Timer, To, Transition
from hsa.settings import get_settings

log = logging.getLogger(__name__)

KIND_PREFIX = "timer:"
# A notice-only timer leaves the row in its status, so only the ledger stops it repeating; the
# ledger is pruned after 30 days, so such a notice is sent only within a week of falling due
# (after a longer outage it is stale anyway). Transitions move the row on: no horizon needed.
NOTICE_HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class Fired:
    """One timer firing this run committed; `email` still to be sent (ledger row `ledger_id`)."""

    timer: str
    request_id: int
    ledger_id: int
    email: Email | None = None


def kind_of(timer: Timer) -> str:
    return f"{KIND_PREFIX}{timer.name}"


def key_of(req: ServiceRequest, timer: Timer) -> str:
    """`<request id>@<anchor, UTC>`: a rescheduled slot is a new anchor, so a new firing."""
    anchor: datetime = getattr(req, timer.anchor)
    return f"{req.id}@{anchor.astimezone(UTC).isoformat(timespec='seconds')}"


def _transition(process: Process, timer: Timer) -> Transition | None:
    if timer.transition is None:
        return None
    t = process.get(timer.transition)
    if t is None:
        raise ValueError(f"timer {timer.name} names an unknown transition {timer.transition!r}")
    return t


def _window(timer: Timer, t: Transition | None, now: datetime, settings: Any) -> tuple[datetime, datetime | None]:
    """(latest anchor that is due, earliest anchor still worth firing for)."""
    cutoff = now - timer.offset(settings)
    return cutoff, (cutoff - NOTICE_HORIZON if t is None else None)


def _is_due(req: ServiceRequest, timer: Timer, t: Transition | None, now: datetime, settings: Any) -> bool:
    anchor: datetime | None = getattr(req, timer.anchor)
    cutoff, floor = _window(timer, t, now, settings)
    return (req.status is timer.status and anchor is not None and anchor <= cutoff
            and (floor is None or anchor > floor))


def _guards_hold(t: Transition | None, facts: RequestFacts, now: datetime) -> bool:
    return t is None or all(guard.check(SYSTEM, facts, now) for guard in t.guards)


def _candidates(session: Session, timer: Timer, t: Transition | None, now: datetime, settings: Any) -> list[int]:
    """Ids of rows due for `timer` that no run has fired yet and whose transition may be taken now."""
    column = getattr(ServiceRequest, timer.anchor)
    cutoff, floor = _window(timer, t, now, settings)
    query = select(ServiceRequest).where(ServiceRequest.status == timer.status, col(column).is_not(None),
                                         col(column) <= cutoff)
    if floor is not None:
        query = query.where(col(column) > floor)
    rows = list(session.exec(query.order_by(col(ServiceRequest.id))))
    done = claimed_keys(session, kind_of(timer), [key_of(r, timer) for r in rows])
    rows = [r for r in rows if key_of(r, timer) not in done]
    if t is not None and t.guards:
        facts = load_facts(session, rows)
        rows = [r for r in rows if _guards_hold(t, facts[r.id], now)]  # type: ignore[index]
    if timer.unless is not None:
        rows = [r for r in rows if not timer.unless(r, now)]
    return [r.id for r in rows if r.id is not None]


def _lock(session: Session, request_id: int) -> ServiceRequest | None:
    """The row as committed now (not as the candidate query saw it), locked until this firing commits."""
    return session.exec(select(ServiceRequest).where(ServiceRequest.id == request_id).with_for_update()
                        .execution_options(populate_existing=True)).first()


def _told(session: Session, req: ServiceRequest, timer: Timer, t: Transition | None) -> int | None:
    """The one person the firing is about, for the ledger row (None when it goes to the admins)."""
    first = next(iter(t.notices if t is not None else timer.notices), None)
    if first is None or first.to is To.admins:
        return None
    ids = notices.recipients(session, req, first.to)
    return ids[0] if ids else None


def _duration(span: timedelta) -> str:
    """'2 hours', '1 hour 20 min', '45 min': how late a job is, for an admin's flag."""
    minutes = max(0, round(span.total_seconds() / 60))
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} hour{'s' if hours != 1 else ''}" + (f" {rest} min" if rest else "")


def email_for(session: Session, req: ServiceRequest, user_id: int, title: str, body: str) -> Email | None:
    """The notice as an email to `user_id`, with a link to the booking (None: no active address).
    `title` and `body` are already in the recipient's language; the words around them follow it."""
    user = session.get(User, user_id)
    if user is None or user.status is not UserStatus.active or not user.email or req.id is None:
        return None
    said = said_in(language_of(user))
    link = f"{get_settings().public_url}{routes.request_url(user.role, req.id)}"
    text = (said("svc_mail.hello", name=notifications.first_name(user.full_name)) + f"\n\n{title} {body}\n\n"
            + said("svc_mail.open_booking", link=link) + "\n\nHomeServe\n")
    return Email(to=user.email, subject=title, body=text)


def _notify(session: Session, req: ServiceRequest, timer: Timer, now: datetime) -> list[tuple[int, str, str]]:
    """A notice-only timer: its notices (with how late it is), and an audit row by the system."""
    anchor: datetime = getattr(req, timer.anchor)
    words = notices.base_words(session, req, SYSTEM.full_name) | {"late": _duration(now - anchor)}
    sent = notices.send(session, req=req, notices=timer.notices, words=words, actor_id=None, by_admin=True, now=now)
    audit.record(session=session, actor_id=None, action=f"request.{timer.name}", target_type="request",
                 target_id=req.id, status=req.status.value)
    return sent


def _fire(session: Session, timer: Timer, t: Transition | None, request_id: int, now: datetime,
          settings: Any) -> Fired | None:
    """Lock, re-check, claim, act; None when another run fired it or the row moved on (caller rolls back)."""
    req = _lock(session, request_id)
    if req is None or req.id is None or not _is_due(req, timer, t, now, settings):
        return None
    if timer.unless is not None and timer.unless(req, now):
        return None
    facts = load_facts(session, [req])[req.id]
    if not _guards_hold(t, facts, now):
        return None
    ledger_id = claim(session, kind=kind_of(timer), key=key_of(req, timer), now=now,
                      user_id=_told(session, req, timer, t), request_id=req.id)
    if ledger_id is None:
        return None  # another worker (or an earlier run) fired it
    if t is not None:
        sent = run_effects(Move(session=session, actor=SYSTEM, req=req, data={}, now=now, transition=t,
                                facts=facts, system=True))
        BOOKING_TRANSITIONS.labels(action=t.name).inc()
    else:
        sent = _notify(session, req, timer, now)
    email = email_for(session, req, *sent[0]) if timer.email and sent else None
    return Fired(timer=timer.name, request_id=req.id, ledger_id=ledger_id, email=email)


def run_due_timers(*, session: Session, now: datetime, process: Process = PROCESS) -> list[Fired]:
    """Fire every timer due at `now`, each firing committed on its own; returns what this run fired."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    settings = get_settings()
    fired: list[Fired] = []
    for timer in process.timers:
        t = _transition(process, timer)
        candidates = _candidates(session, timer, t, now, settings)
        session.commit()  # end the read: each firing takes its own lock
        for request_id in candidates:
            try:
                done = _fire(session, timer, t, request_id, now, settings)
            except Exception:  # one broken row must not stop the others (nor the reminders)
                session.rollback()
                log.exception("timer %s failed on request %s; a later run tries again", timer.name, request_id)
                continue
            if done is None:
                session.rollback()
                continue
            session.commit()
            log.info("timer %s fired on request %s", timer.name, request_id)
            fired.append(done)
    return fired


def retry_email(session: Session, row: ReminderSent, now: datetime, process: Process = PROCESS) -> Email | None:
    """The email of an earlier firing whose delivery failed, if it is still worth sending.

    Only notice-only timers are retried (a review prompt): their row is still in the status the
    notice is about, and their notice is re-rendered as it was sent.
    """
    timer = next((x for x in process.timers if kind_of(x) == row.kind), None)
    if timer is None or not timer.email or timer.transition is not None or row.request_id is None:
        return None
    req = session.get(ServiceRequest, row.request_id)
    if req is None or req.status is not timer.status or key_of(req, timer) != row.key \
            or (timer.unless is not None and timer.unless(req, now)):
        return None
    words = notices.base_words(session, req, SYSTEM.full_name) | {
        "late": _duration(now - getattr(req, timer.anchor))}
    first = timer.notices[0]
    user_ids = notices.recipients(session, req, first.to)
    if not user_ids:
        return None
    lang = language_of(session.get(User, user_ids[0]))  # re-rendered in the recipient's language
    return email_for(session, req, user_ids[0], *notices.render(first, words, lang))


def timer_kinds(process: Process = PROCESS) -> list[str]:
    """Ledger kinds of the timers that email (the reminder pass retries their failed emails)."""
    return [kind_of(x) for x in process.timers if x.email and x.transition is None]
