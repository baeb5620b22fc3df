"""In-app notifications: written in the same transaction as the change they announce.

Two halves:
- *Writers* (`notify`, `request_changed`, `new_request`, ...) take the caller's session and
  never commit: a booking that rolls back leaves no notification behind, and one that
  commits always has its notification. Whoever made the change is never notified of it.
- *Readers* (`list_for_user`, `unread_count`, `mark_read`, `mark_all_read`) are use cases for
  the signed-in user, and only ever touch that user's own rows (index seeks on
  `(user_id, id)` and `(user_id, read_at, id)`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Select, bindparam, delete, func, insert, update
from sqlmodel import Session, col, select

from hsa.i18n import DEFAULT, normalise, stored
from hsa.i18n.text import msg, say
from hsa.models import (
    ApprovalStatus,
    Notification,
    NotificationKind,
    ProfessionalProfile,
    Role,
    Service,
    ServiceRequest,
    User,
    UserStatus,
    utcnow,
)
from hsa.services import changes, geo, slots
from hsa.services.actors import Actor
from hsa.services.local_words import distance_said, when_said
from hsa.services.permissions import at_work, require_actor, require_own
from hsa.services.pincodes import centroid, locality
from hsa.services.service_names import name_of

K = NotificationKind
NEARBY_CAP = 50  # one booking notifies at most this many professionals (nearest first)
FREE_BATCH = 200  # the nearest are checked for being free at its time this many at a time
KEEP = timedelta(days=90)
TITLE_MAX, BODY_MAX = 120, 500


# ------------------------------------------------------------------ views and reader use cases


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    title: str
    body: str
    request_id: int | None
    created_at: datetime
    when: str  # IST label, e.g. "Thu 26 Nov, 10:00"
    read: bool


@dataclass(frozen=True)
class NotificationPage:
    items: list[NotificationView]
    unread_count: int


def _view(n: Notification) -> NotificationView:
    assert n.id is not None
    return NotificationView(id=n.id, kind=n.kind.value, title=_in_readers_language(n.title, n.said, "title", TITLE_MAX),
                            body=_in_readers_language(n.body, n.said, "body", BODY_MAX), request_id=n.request_id,
                            created_at=n.created_at, when=say(when_said(n.created_at)),
                            read=n.read_at is not None)


def list_for_user(*, session: Session, actor: Actor | None, limit: int = 20) -> NotificationPage:
    """The actor's newest notifications (at most 100) and how many are unread."""
    actor = require_actor(actor)
    limit = min(max(int(limit), 1), 100)
    rows = session.exec(select(Notification).where(Notification.user_id == actor.id)
                        .order_by(col(Notification.id).desc()).limit(limit))
    return NotificationPage(items=[_view(n) for n in rows], unread_count=_unread(session, actor.id))


def _unread(session: Session, user_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, col(Notification.read_at).is_(None))).one())


def unread_count(*, session: Session, actor: Actor | None) -> int:
    """The badge on the bell: one index range count."""
    actor = require_actor(actor)
    return _unread(session, actor.id)


def mark_read(*, session: Session, actor: Actor | None, notification_id: int, now: datetime | None = None) -> None:
    """Mark one of the actor's own notifications read; anybody else's "does not exist"."""
    actor = require_actor(actor)
    n = session.get(Notification, notification_id)
    require_own(actor, n.user_id if n else None, "notification")
    assert n is not None
    if n.read_at is None:
        n.read_at = now or utcnow()
        session.add(n)
        session.commit()


def mark_all_read(*, session: Session, actor: Actor | None, now: datetime | None = None) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    actor = require_actor(actor)
    changed = session.exec(
        update(Notification).where(Notification.user_id == actor.id,  # type: ignore[arg-type]
                                   col(Notification.read_at).is_(None))
        .values(read_at=now or utcnow()).execution_options(synchronize_session=False)
    ).rowcount or 0
    changes.touch(session, changes.note(actor.id))  # a bulk UPDATE is invisible to the flush listener
    session.commit()
    return int(changed)


def prune(*, session: Session, now: datetime, keep: timedelta = KEEP) -> int:
    """Delete notifications older than `keep` (default 90 days); the caller commits."""
    return int(session.exec(delete(Notification).where(col(Notification.created_at) < now - keep)).rowcount or 0)


def forget_user(session: Session, user_id: int) -> None:
    """A deleted account keeps no messages (they name other people and places); caller commits."""
    session.exec(delete(Notification).where(Notification.user_id == user_id))  # type: ignore[arg-type]


# ------------------------------------------------------------------ writers (caller commits)


def notify(session: Session, *, user_id: int | None, kind: NotificationKind, title: str, body: str = "",
           request_id: int | None = None, now: datetime | None = None) -> Notification | None:
    """Add one notification to the caller's transaction (no-op without a recipient).

    `title` and `body` may be messages (`msg`): they are said here, in the recipient's saved
    language, and stored as said — the bell shows them as they were sent."""
    if not user_id:
        return None
    lang = languages_of(session, [user_id]).get(user_id, DEFAULT)
    n = Notification(user_id=user_id, kind=kind, title=_clip(say(title, lang), TITLE_MAX),
                     body=_clip(say(body, lang), BODY_MAX), said=_said(title, body),
                     request_id=request_id, created_at=now or utcnow())
    session.add(n)
    return n


def _said(title: str, body: str) -> dict | None:
    """The stored messages (`hsa.i18n.stored`), or None when neither is one."""
    if not (stored.is_message(title) or stored.is_message(body)):
        return None
    return {"title": stored.dump(title), "body": stored.dump(body)}


def _in_readers_language(text: str, said: dict | None, part: str, limit: int) -> str:
    """A stored notification in the language of whoever reads it now (the event's)."""
    if not said or part not in said:
        return say(text)  # a constant English title from before still finds its translation
    return _clip(say(stored.load(said[part])), limit)


def languages_of(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's saved language (English when they never chose), in one query."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = session.exec(select(User.id, User.language).where(col(User.id).in_(ids))).all()
    return {user_id: normalise(language) or DEFAULT for user_id, language in rows}


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def first_name(name: str) -> str:
    """'Ravi Kumar' -> 'Ravi': friendlier, and all a stranger needs to know."""
    return (name.split() or ["Someone"])[0]


@dataclass(frozen=True)
class _Ctx:
    service: str  # Localized: said in each recipient's language
    when: str  # Localized
    customer: str
    pro: str


def _context(session: Session, req: ServiceRequest) -> _Ctx:
    service = session.get(Service, req.service_id)
    names = {u.id: u.full_name for u in session.exec(select(User).where(col(User.id).in_(
        [i for i in (req.customer_id, req.professional_id, req.preferred_professional_id) if i])))}
    pro_id = req.professional_id or req.preferred_professional_id
    return _Ctx(service=name_of(service) if service else msg("svc_notify.service"),
                when=when_said(req.scheduled_at),
                customer=first_name(names.get(req.customer_id, "")),
                pro=first_name(names.get(pro_id, "")) if pro_id else "")


def names_of(session: Session, user_ids: list[int]) -> list[str]:
    """Full names in the order given (for "these professionals can help" suggestions)."""
    if not user_ids:
        return []
    names = dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(user_ids))).all())
    return [names[i] for i in user_ids if i in names]


def words_for(session: Session, req: ServiceRequest) -> dict[str, str]:
    """The words every booking notice may use: service, when, customer, pro (first names)."""
    c = _context(session, req)
    return {"service": c.service, "when": c.when, "customer": c.customer or msg("svc_notify.the_customer"),
            "pro": c.pro or msg("svc_notify.your_professional")}


def admin_ids(session: Session, *, exclude: Iterable[int] = ()) -> list[int]:
    """Every active admin (they hear about documents to check and jobs that did not start)."""
    skip = set(exclude)
    return [i for i in session.exec(select(User.id).where(User.role == Role.admin, User.status == UserStatus.active))
            if i not in skip]


def new_request(session: Session, *, req: ServiceRequest, now: datetime) -> int:
    """A new booking: its addressee, or the nearest available professionals; returns how many."""
    if req.preferred_professional_id:
        c = _context(session, req)
        place = locality(req.pincode) or req.pincode
        notify(session, user_id=req.preferred_professional_id, kind=K.new_job, title=msg("svc_notify.new_request"),
               body=msg("svc_notify.new_request_body", customer=c.customer, service=c.service, when=c.when,
                        place=place),
               request_id=req.id, now=now)
        return 1
    return notify_nearby(session, req=req, now=now)


@lru_cache(maxsize=1)
def _nearby_statement() -> Select:
    """Built once; `geo.origin_params`, service_id, skip and cap vary."""
    distance = geo.distance_sql().label("distance")
    return (select(ProfessionalProfile.user_id, distance).select_from(geo.pros_then_users())
            .where(ProfessionalProfile.service_id == bindparam("service_id"), at_work(),
                   col(ProfessionalProfile.is_available).is_(True),
                   col(User.id).not_in(bindparam("skip", expanding=True)), geo.in_box(),
                   geo.within(distance, col(ProfessionalProfile.service_radius_km)))
            .order_by(distance, col(ProfessionalProfile.user_id)).limit(bindparam("cap")))


def nearby_professionals(session: Session, req: ServiceRequest, *, exclude: Iterable[int] = (),
                         cap: int | None = None) -> list[tuple[int, float]]:
    """(user id, km) of approved, active, available pros of the request's service whose radius
    covers its pincode, nearest first, at most `cap` — the same rule as the board's "nearby".

    All in SQL (`hsa.services.geo`): the service's profiles, their users by id, a box around the
    request's pincode, then the exact distance against each pro's own radius, nearest first."""
    origin = centroid(req.pincode)
    if origin is None:
        return []
    skip = sorted({*exclude, req.customer_id, *([req.declined_by_id] if req.declined_by_id else [])})
    geo.plan_for_these_values(session)
    rows = session.exec(_nearby_statement(), params={  # type: ignore[call-overload]
        **geo.origin_params(origin), "service_id": req.service_id, "skip": skip,
        "cap": NEARBY_CAP if cap is None else cap})
    return [(user_id, d) for user_id, d in rows]


def nearest_free(session: Session, req: ServiceRequest, *, exclude: Iterable[int] = (),
                 now: datetime) -> list[tuple[int, float]]:
    """The `NEARBY_CAP` nearest eligible professionals free at the request's time: the nearest
    in batches of `FREE_BATCH`, each checked by `slots.free_among`, until enough are found."""
    service = session.get(Service, req.service_id)
    if service is None:
        return []
    found: list[tuple[int, float]] = []
    seen = set(exclude)
    while len(found) < NEARBY_CAP:
        batch = nearby_professionals(session, req, exclude=seen, cap=FREE_BATCH)
        free = slots.free_among(session, [user_id for user_id, _ in batch], start=req.scheduled_at,
                                duration=service.duration_minutes, now=now)
        found += [(user_id, km) for user_id, km in batch if user_id in free]
        seen.update(user_id for user_id, _ in batch)
        if len(batch) < FREE_BATCH:
            break
    return found[:NEARBY_CAP]


def notify_nearby(session: Session, *, req: ServiceRequest, now: datetime, exclude: Iterable[int] = ()) -> int:
    """An open job: tell the nearest eligible professionals free at its time (capped); returns how many.

    Free by their own hours, overrides, buffer and horizon (`slots.free_among`): a job offered to
    someone who cannot do it then only teaches them to ignore the bell."""
    pros = nearest_free(session, req, exclude=exclude, now=now)
    if not pros:
        return 0
    c = _context(session, req)
    place = locality(req.pincode) or req.pincode
    title = msg("svc_notify.nearby", service=c.service)
    langs = languages_of(session, [user_id for user_id, _ in pros])
    # One executemany INSERT instead of up to 50 ORM objects: this runs inside the booking's write
    # transaction (it was 80 % of a booking's time). Bulk inserts bypass the flush listener, so
    # the bells are named explicitly. Each is said in its professional's language.
    rows = []
    for user_id, km in pros:
        lang = langs.get(user_id, DEFAULT)
        body = msg("svc_notify.nearby_body", when=c.when, place=place, distance=distance_said(km))
        rows.append(dict(user_id=user_id, kind=K.new_job.value, request_id=req.id, created_at=now, read_at=None,
                         title=_clip(say(title, lang), TITLE_MAX), body=_clip(say(body, lang), BODY_MAX),
                         said=_said(title, body)))
    session.connection().execute(insert(Notification.__table__), rows)  # type: ignore[attr-defined]
    changes.touch(session, *(changes.note(user_id) for user_id, _ in pros))
    return len(pros)


def withdraw_offers(session: Session, *, request_id: int | None, now: datetime, keep: int | None = None) -> int:
    """The job was taken or cancelled: other professionals' unread "new job nearby" notices of it
    are marked read (their bells drop), so nobody taps an offer that is gone. Returns how many."""
    if request_id is None:
        return 0
    stale = Notification.request_id == request_id, Notification.kind == K.new_job, col(Notification.read_at).is_(None)
    users = [u for u in session.exec(select(Notification.user_id).where(*stale)) if u != keep]
    if not users:
        return 0
    session.exec(update(Notification).where(*stale, col(Notification.user_id).in_(users))
                 .values(read_at=now).execution_options(synchronize_session=False))
    changes.touch(session, *(changes.note(u) for u in users))
    return len(users)


def application_decided(session: Session, *, user_id: int, approved: bool, reason: str, now: datetime) -> None:
    """The vetting outcome, for the professional."""
    if approved:
        notify(session, user_id=user_id, kind=K.approval, title=msg("svc_notify.approved"),
               body=msg("svc_notify.approved_body"), now=now)
    else:
        notify(session, user_id=user_id, kind=K.approval, title=msg("svc_notify.not_approved"),
               body=msg("svc_notify.reason", reason=reason) if reason else "", now=now)


def document_to_review(session: Session, *, pro_id: int, pro_name: str, was: ApprovalStatus, now: datetime) -> int:
    """A vetted professional sent a new verification document: every active admin is asked to check it.

    The approval no longer covers the new file, so they are off search and the job board until then.
    Returns how many admins were told.
    """
    if was is ApprovalStatus.approved:
        body = msg("svc_notify.document_again", name=pro_name)
    else:
        body = msg("svc_notify.document_after_refusal", name=pro_name)
    admins = admin_ids(session, exclude={pro_id})
    title = msg("svc_notify.document_title", name=first_name(pro_name))
    for admin_id in admins:
        notify(session, user_id=admin_id, kind=K.approval, title=title, body=body, now=now)
    return len(admins)


def jobs_returned(session: Session, *, requests: Iterable[ServiceRequest], pro_id: int, now: datetime) -> None:
    """An admin took a professional off their jobs: each customer hears why, nearby pros get the job."""
    for req in requests:
        c = _context(session, req)
        notify(session, user_id=req.customer_id, kind=K.booking, title=msg("svc_notify.finding_another"),
               body=msg("svc_notify.pro_gone_body", service=c.service, when=c.when), request_id=req.id, now=now)
        notify_nearby(session, req=req, now=now, exclude={pro_id})


def requests_withdrawn(session: Session, *, requests: Iterable[ServiceRequest], now: datetime) -> None:
    """An admin closed a customer's account: the professional on each live job hears it is off.

    The customer is not told (their account is closed); open jobs nobody took just leave the pool.
    """
    for req in requests:
        c = _context(session, req)
        notify(session, user_id=req.professional_id or req.preferred_professional_id, kind=K.booking,
               title=msg("svc_notify.job_cancelled"), body=msg("svc_notify.withdrawn_body", service=c.service,
                                                                when=c.when), request_id=req.id, now=now)


def on_the_way(session: Session, *, req: ServiceRequest, pro_name: str, now: datetime) -> None:
    """"On my way": the customer can follow the professional live."""
    c = _context(session, req)
    notify(session, user_id=req.customer_id, kind=K.on_the_way,
           title=msg("svc_notify.on_the_way", name=first_name(pro_name)),
           body=msg("svc_notify.on_the_way_body", service=c.service),
           request_id=req.id, now=now)


__all__ = ["NEARBY_CAP", "NotificationPage", "NotificationView", "application_decided", "document_to_review",
           "admin_ids", "forget_user", "jobs_returned", "languages_of", "list_for_user", "mark_all_read", "mark_read",
           "names_of", "nearby_professionals", "new_request", "notify", "notify_nearby", "on_the_way", "prune",
           "requests_withdrawn", "unread_count", "words_for"]
