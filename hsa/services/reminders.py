"""Scheduled reminders: the professional's morning digest and the customer's one-hour notice;
the booking process's timers (expiry, not-started flag, review prompt, auto-close); and, on the
1st, the admins' monthly report (`monthly_report`, claimed in the same ledger); once a day, the admins'
demand forecasts (`hsa.services.intelligence.demand_job`, claimed there too).

`send_due_reminders` is one pass; cron (`python -m hsa.cli reminders`) or the app's
background loop calls it every few minutes. Time is always passed in (`now`), so tests and
operators can replay any moment. The timers (`hsa.services.process.timers`) run in the same
pass, after the reminders' commit, each firing in its own transaction; their emails go out in
phase 2 with the reminders'.

Exactly-once in-app, at-most-once-per-attempt email, on one worker or many:
1. Phase 1 (one short transaction): work out what is due, *claim* each reminder by inserting
   `reminders_sent(kind, key)` inside a SAVEPOINT (the unique constraint turns a second claim,
   from a later run or a concurrent worker, into an IntegrityError that we skip), add the
   in-app notification, commit.
2. Phase 2 (no transaction, so SQLite's write lock is not held while talking to a mail server):
   send the emails, then record `emailed_at` for the ones the mailer accepted.
A failed email is retried by a later run (5 minutes apart, 3 attempts, within the hour); each
retry is claimed with a conditional UPDATE on `attempts`, so two workers never both retry it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from hsa.db import session_scope
from hsa.i18n import DEFAULT, formats
from hsa.i18n.text import msg, say
from hsa.models import NotificationKind, ReminderSent, RequestStatus, Service, ServiceRequest, User, UserStatus, utcnow
from hsa.services import (
    account_links,
    dispute_photos,
    exports,
    idempotency,
    monthly_report,
    my_data,
    notifications,
    scheduling,
    verification,
)
from hsa.services.languages import language_of
from hsa.services.ledger import claim as _claim
from hsa.services.ledger import claimed_keys as _claimed_keys
from hsa.services.local_words import when_said
from hsa.services.mail import Email, Mailer, mailer_from_settings
from hsa.services.money import invoice_mail
from hsa.services.money.reconcile import reconcile
from hsa.services.pincodes import locality
from hsa.services.process import timers
from hsa.services.process.declaration import PROCESS
from hsa.services.process.model import Process
from hsa.services.service_names import name_of

log = logging.getLogger(__name__)

PRO_DIGEST = "pro_daily"         # key: "<professional id>:<IST date>"
CUSTOMER_HOUR = "customer_1h"    # key: "<request id>@<slot UTC>"
MAINTENANCE = "maintenance"      # key: "prune:<IST date>" (once-a-day clean-up, no email)
DIGEST_AT = time(7, 0)           # IST
LEAD = timedelta(minutes=60)
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=5)
RETRY_WITHIN = timedelta(hours=1)  # an email about today's slot is useless later
KEEP_LEDGER = timedelta(days=30)


@dataclass(frozen=True)
class _Due:
    kind: str
    key: str
    user_id: int
    request_id: int | None
    title: str
    body: str
    email: Email


# ------------------------------------------------------------------ what is due


def _names(session: Session, ids: set[int]) -> dict[int, User]:
    return {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids)))} if ids else {}  # type: ignore[misc]


def _services(session: Session, ids: set[int]) -> dict[int, str]:
    """Service names as `Localized` (said in each reader's language)."""
    return {s.id: name_of(s) for s in session.exec(select(Service).where(col(Service.id).in_(ids)))} if ids else {}  # type: ignore[misc]


def _said(lang: str) -> Callable[..., str]:
    """`key, **params` -> the text in `lang`: a reminder is written in its reader's language."""
    return lambda key, **params: say(msg(key, **params), lang)


def _hhmm(moment: datetime) -> str:
    return f"{moment.astimezone(scheduling.IST):%H:%M}"


def _customer_dues(session: Session, now: datetime, request_id: int | None = None) -> list[_Due]:
    """Assigned jobs starting in (now, now + 60 min]: remind their customers."""
    query = select(ServiceRequest).where(ServiceRequest.status == RequestStatus.assigned,
                                         col(ServiceRequest.scheduled_at) > now,
                                         col(ServiceRequest.scheduled_at) <= now + LEAD)
    if request_id is not None:
        query = query.where(ServiceRequest.id == request_id)
    rows = list(session.exec(query))
    users = _names(session, {r.customer_id for r in rows} | {r.professional_id for r in rows if r.professional_id})
    services = _services(session, {r.service_id for r in rows})
    out = []
    for r in rows:
        customer, pro = users.get(r.customer_id), users.get(r.professional_id or -1)
        if customer is None or customer.status is not UserStatus.active or r.id is None:
            continue
        said = _said(language_of(customer))
        service, at = services.get(r.service_id) or msg("svc_notify.service"), _hhmm(r.scheduled_at)
        minutes = max(1, round((r.scheduled_at - now).total_seconds() / 60))
        pro_name = notifications.first_name(pro.full_name) if pro else msg("svc_notify.your_professional")
        title = said("svc_mail.hour_title", service=service, at=at)
        body = said("svc_mail.hour_body", pro=pro_name, at=at, minutes=minutes, address=r.address)
        text = (said("svc_mail.hello", name=notifications.first_name(customer.full_name)) + "\n\n"
                + said("svc_mail.hour_text", service=service, at=at, when=when_said(r.scheduled_at)) + "\n"
                + said("svc_mail.hour_address", pro=pro_name, address=r.address, pincode=r.pincode) + "\n"
                + (said("svc_mail.their_phone", phone=pro.phone) + "\n" if pro and pro.phone else "")
                + "\n" + said("svc_mail.hour_follow") + "\n\nHomeServe\n")
        out.append(_Due(kind=CUSTOMER_HOUR, key=f"{r.id}@{r.scheduled_at.astimezone(UTC):%Y%m%dT%H%MZ}",
                        user_id=customer.id, request_id=r.id, title=title, body=body,  # type: ignore[arg-type]
                        email=Email(to=customer.email, subject=said("svc_mail.hour_subject", service=service, at=at),
                                    body=text)))
    return out


def _pro_dues(session: Session, now: datetime, pro_id: int | None = None) -> list[_Due]:
    """From 07:00 IST: each professional's assigned jobs still ahead today, one digest a day."""
    local = now.astimezone(scheduling.IST)
    if local.time() < DIGEST_AT:
        return []
    day = local.date()
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=scheduling.IST).astimezone(UTC)
    query = select(ServiceRequest).where(ServiceRequest.status == RequestStatus.assigned,
                                         col(ServiceRequest.scheduled_at) > now,
                                         col(ServiceRequest.scheduled_at) < end)
    if pro_id is not None:
        query = query.where(ServiceRequest.professional_id == pro_id)
    rows = list(session.exec(query.order_by(col(ServiceRequest.scheduled_at))))
    by_pro: dict[int, list[ServiceRequest]] = defaultdict(list)
    for r in rows:
        if r.professional_id:
            by_pro[r.professional_id].append(r)
    users = _names(session, set(by_pro) | {r.customer_id for r in rows})
    services = _services(session, {r.service_id for r in rows})
    out = []
    for pid, jobs in by_pro.items():
        pro = users.get(pid)
        if pro is None or pro.status is not UserStatus.active:
            continue
        n, lang = len(jobs), language_of(pro)
        said = _said(lang)
        label = f"{day:%a} {day.day} {day:%b}" if lang == DEFAULT else formats.day(day, lang)
        job = msg("svc_mail.job")
        short = "; ".join(said("svc_mail.digest_item", at=_hhmm(r.scheduled_at), service=services.get(r.service_id)
                               or job, place=locality(r.pincode) or r.pincode) for r in jobs)
        lines = []
        for r in jobs:
            customer = users.get(r.customer_id)
            who = f" — {notifications.first_name(customer.full_name)}, {customer.phone}" if customer else ""
            lines.append(f"- {_hhmm(r.scheduled_at)} {say(services.get(r.service_id) or job, lang)}: {r.address} "
                         f"({r.pincode}){who}")
        text = (said("svc_mail.hello", name=notifications.first_name(pro.full_name)) + "\n\n"
                + said("svc_mail.digest_text", day=label) + "\n\n" + "\n".join(lines)
                + "\n\n" + said("svc_mail.digest_follow") + "\n\nHomeServe\n")
        out.append(_Due(kind=PRO_DIGEST, key=f"{pid}:{day.isoformat()}", user_id=pid, request_id=None,
                        title=said("svc_mail.digest_title_one" if n == 1 else "svc_mail.digest_title", n=n), body=short,
                        email=Email(to=pro.email, subject=said("svc_mail.digest_subject", day=label, n=n), body=text)))
    return out


# ------------------------------------------------------------------ retrying (claims: hsa.services.ledger)


def _again(session: Session, row: ReminderSent, now: datetime, process: Process) -> Email | None:
    """The email of a claimed reminder or timer firing, if it is still worth sending."""
    if row.kind.startswith(timers.KIND_PREFIX):
        return timers.retry_email(session, row, now, process)
    if (row.request_id if row.kind == CUSTOMER_HOUR else row.user_id) is None:
        return None
    dues = (_customer_dues(session, now, request_id=row.request_id) if row.kind == CUSTOMER_HOUR
            else _pro_dues(session, now, pro_id=row.user_id))
    due = next((d for d in dues if d.key == row.key), None)
    return due.email if due is not None else None  # None: cancelled, started or over since


def _retries(session: Session, now: datetime, process: Process) -> list[tuple[int, Email]]:
    """Claim one more attempt at each recent reminder (or timer email) whose email failed."""
    rows = list(session.exec(select(ReminderSent).where(
        col(ReminderSent.kind).in_((PRO_DIGEST, CUSTOMER_HOUR, *timers.timer_kinds(process))),
        col(ReminderSent.emailed_at).is_(None),
        ReminderSent.attempts < MAX_ATTEMPTS, col(ReminderSent.created_at) >= now - RETRY_WITHIN,
        col(ReminderSent.last_attempt_at) <= now - RETRY_AFTER)))
    out = []
    for row in rows:
        email = _again(session, row, now, process)
        if email is None:
            continue
        won = session.exec(update(ReminderSent).where(ReminderSent.id == row.id,  # type: ignore[arg-type]
                                                      ReminderSent.attempts == row.attempts)
                           .values(attempts=row.attempts + 1, last_attempt_at=now)
                           .execution_options(synchronize_session=False)).rowcount
        if won == 1:
            assert row.id is not None
            out.append((row.id, email))
    return out


# ------------------------------------------------------------------ the pass


def send_due_reminders(*, session: Session, now: datetime, mailer: Mailer, process: Process = PROCESS) -> int:
    """Send every reminder due at `now` that no run has sent yet, and fire the process's due timers;
    returns how many reminders were new (the timers' firings are logged)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    fresh: list[tuple[int, Email]] = []
    dues = _customer_dues(session, now) + _pro_dues(session, now)
    done = {kind: _claimed_keys(session, kind, [d.key for d in dues if d.kind == kind])
            for kind in (CUSTOMER_HOUR, PRO_DIGEST)}
    for due in dues:
        if due.key in done[due.kind]:
            continue
        row_id = _claim(session, kind=due.kind, key=due.key, now=now, user_id=due.user_id,
                        request_id=due.request_id)
        if row_id is None:
            continue  # another worker got there first
        notifications.notify(session, user_id=due.user_id, kind=NotificationKind.reminder, title=due.title,
                             body=due.body, request_id=due.request_id, now=now)
        fresh.append((row_id, due.email))
    retries = _retries(session, now, process)
    session.commit()
    fired = timers.run_due_timers(session=session, now=now, process=process)
    if fired:
        log.info("fired %d timers", len(fired))
    delivered: list[int] = []
    for row_id, email in fresh + retries + [(f.ledger_id, f.email) for f in fired if f.email]:
        try:
            mailer.send(email)
        except Exception:  # one bad address or a mail server hiccup must not stop the others
            log.exception("reminder email %s failed; a later run retries it", row_id)
            continue
        delivered.append(row_id)
    if delivered:
        session.exec(update(ReminderSent).where(col(ReminderSent.id).in_(delivered))
                     .values(emailed_at=now).execution_options(synchronize_session=False))
        session.commit()
    return len(fresh)


def prune_expired(*, session: Session, now: datetime, mailer: Mailer | None = None) -> bool:
    """Once a day: drop the reminder ledger after 30 days, notifications after 90, outbox mail
    after 30, idempotency keys after a day, account links and SMS codes (and texts) a day after
    they expire, dispute photos 180 days after the decision. Returns True when this call did the
    clean-up (False: already done today)."""
    today: date = scheduling.local_date(now)
    if _claim(session, kind=MAINTENANCE, key=f"prune:{today.isoformat()}", now=now) is None:
        session.rollback()
        return False
    session.exec(delete(ReminderSent).where(col(ReminderSent.created_at) < now - KEEP_LEDGER))
    removed = notifications.prune(session=session, now=now)
    idempotency.purge(session=session, now=now)  # commits: keys live a day (idempotency.TTL)
    outbox = getattr(mailer, "prune", None)
    files = outbox(now=now) if callable(outbox) else 0
    old_exports = exports.prune(now=now)  # admin CSVs: names and phone numbers, kept a day
    links = account_links.purge(session, now=now)  # reset and confirmation links, SMS codes and texts
    codes = verification.purge_codes(session, now=now)
    photos = dispute_photos.prune(session, now=now)
    session.commit()
    log.info("pruned %s notifications, %s outbox files, %s exports, %s account links, %s SMS codes and %s "
             "dispute photos", removed, files, old_exports, links, codes, photos)
    return True


def run_reminders_once(now: datetime | None = None) -> int:
    """One pass with its own session and the configured mailer (for cron and the app's loop)."""
    now = now or utcnow()
    mailer = mailer_from_settings()
    with session_scope() as session:
        sent = send_due_reminders(session=session, now=now, mailer=mailer)
        prune_expired(session=session, now=now, mailer=mailer)
        try:
            my_data.finish_abandoned(session=session, now=now)  # "Download my data" whose tab was closed
            my_data.prune(now=now)  # archives whose 24-hour links expired
        except Exception:  # one unreadable archive must not stop the reminders' loop
            session.rollback()
            log.exception("data archives failed; the next pass retries")
        try:
            invoice_mail.retry_unsent(session=session, now=now, mailer=mailer)  # invoices not emailed yet
        except Exception:  # one bad invoice must not stop the reminders' loop
            session.rollback()
            log.exception("invoice emails failed; the next pass retries")
        try:
            monthly_report.send_monthly_report(session=session, now=now, mailer=mailer)  # on the 1st, once
        except Exception:  # the report must not stop the reminders' loop either
            session.rollback()
            log.exception("monthly report failed")
        try:
            reconcile(session=session, now=now)  # payments and refunds the gateway knows better
        except Exception:  # the gateway or one row must not stop the reminders' loop
            session.rollback()
            log.exception("payment reconciliation failed; the next pass retries")
        try:
            from hsa.services.intelligence import demand_job  # numpy/pandas: loaded only when the pass runs

            demand_job.run_daily_forecast(session=session, now=now)  # once a day, on one worker
        except Exception:  # a failed fit must not stop the reminders' loop; the day stays unclaimed
            session.rollback()
            log.exception("demand forecasts failed; the next pass retries")
    return sent


__all__ = ["CUSTOMER_HOUR", "PRO_DIGEST", "prune_expired", "run_reminders_once", "send_due_reminders"]
