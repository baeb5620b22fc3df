"""Quality control with appeal: a professional's recent quality decides whether they keep getting jobs.

Why: a run of 1★ reviews or no-shows must stop the jobs coming (Urban Company suspends below a 4.7
average), but a machine's verdict needs a human check and a way to answer. So:

- After each rating and each strike, `assess_professional` recomputes the standing from the last
  HSA_QUALITY_WINDOW_JOBS rated jobs (reviews of jobs under an undecided dispute do not count) and
  the strikes of the last HSA_QUALITY_STRIKE_DAYS days. Below the warning lines the professional
  is told exactly why; below the suspension lines they go off duty, cannot go back on, get no new
  jobs, and every admin is asked to review. Averages need HSA_QUALITY_MIN_JOBS rated jobs first.
- A suspended professional appeals with an explanation; an admin reinstates them (only what
  happens after counts from then) or keeps the suspension, with a reason both read. Every change
  and decision is audited. The machine never lifts a suspension by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from hsa.i18n.text import Joined, Localized, msg
from hsa.models import (
    AppealDecision,
    Dispute,
    DisputeStatus,
    NotificationKind,
    ProfessionalProfile,
    QualityLevel,
    QualityStanding,
    Review,
    Role,
    Strike,
    User,
    utcnow,
)
from hsa.services import audit, inputs, notifications
from hsa.services.actors import Actor
from hsa.services.errors import InvalidTransition, NotFound
from hsa.services.local_words import when_said
from hsa.services.permissions import require_admin, require_role
from hsa.settings import Settings, get_settings

SUSPENDED = msg("svc_admin.suspended")


@dataclass(frozen=True)
class Verdict:
    level: QualityLevel
    average: float | None
    reason: str


def judge(ratings: list[int], strikes: int, settings: Settings | None = None) -> Verdict:
    """The rule itself (pure, so its boundaries are tested on their own): suspension before warning."""
    average = round(sum(ratings) / len(ratings), 2) if ratings else None
    return _judged(average, len(ratings), strikes, settings or get_settings())


def _judged(average: float | None, rated: int, strikes: int, s: Settings) -> Verdict:
    """The rule on a standing's numbers; the reason is a message said in the reader's language."""
    judged = average is not None and rated >= s.quality_min_jobs
    said = {"average": f"{average:.2f}" if average is not None else "", "count": rated}
    struck = msg("svc_admin.quality_strike_one" if strikes == 1 else "svc_admin.quality_strikes",
                 count=strikes, days=s.quality_strike_days)
    suspend_at, warn_at = f"{s.quality_suspend_average:g}", f"{s.quality_warn_average:g}"
    if judged and average < s.quality_suspend_average:  # type: ignore[operator]
        return Verdict(QualityLevel.suspended, average,
                       msg("svc_admin.quality_average_suspended", **said, limit=suspend_at))
    if strikes >= s.quality_suspend_strikes:
        return Verdict(QualityLevel.suspended, average, msg("svc_admin.quality_strikes_suspended", struck=struck))
    if judged and average < s.quality_warn_average:  # type: ignore[operator]
        return Verdict(QualityLevel.warned, average,
                       msg("svc_admin.quality_average_warned", **said, limit=warn_at, suspend=suspend_at))
    if strikes >= s.quality_warn_strikes:
        return Verdict(QualityLevel.warned, average,
                       msg("svc_admin.quality_strikes_warned", struck=struck, suspend=s.quality_suspend_strikes))
    return Verdict(QualityLevel.ok, average, "")


def _reason_said(st: QualityStanding) -> str:
    """The stored (English) reason as a message again when today's rule words it the same way, so
    the professional and the admin read it in their language; otherwise as stored."""
    again = _judged(st.average, st.rated_jobs, st.strikes, get_settings()).reason
    return again if again and again == st.reason else st.reason


def _standing(session: Session, pro_id: int) -> QualityStanding:
    row = session.exec(select(QualityStanding).where(QualityStanding.professional_id == pro_id)).first()
    return row or QualityStanding(professional_id=pro_id, level=QualityLevel.ok)


def _inputs(session: Session, pro_id: int, since: datetime | None, now: datetime) -> tuple[list[int], int]:
    s = get_settings()
    undecided = select(Dispute.request_id).where(col(Dispute.status).in_((DisputeStatus.open, DisputeStatus.answered)))
    reviews = select(Review.rating).where(Review.professional_id == pro_id, col(Review.hidden_at).is_(None),
                                          col(Review.request_id).not_in(undecided))  # hidden: review_flags
    strikes = select(Strike.id).where(Strike.professional_id == pro_id,
                                      Strike.created_at >= now - timedelta(days=s.quality_strike_days))
    if since is not None:
        reviews, strikes = reviews.where(Review.created_at >= since), strikes.where(Strike.created_at >= since)
    ratings = list(session.exec(reviews.order_by(col(Review.id).desc()).limit(s.quality_window_jobs)))
    return ratings, len(session.exec(strikes).all())


def assess_professional(session: Session, pro_id: int | None, *, now: datetime | None = None) -> QualityLevel:
    """Recompute one professional's standing in the caller's transaction (called after each rating
    and strike); tells them (and admins, on a suspension) when it gets worse."""
    if not pro_id:
        return QualityLevel.ok
    now = now or utcnow()
    st = _standing(session, pro_id)
    ratings, strikes = _inputs(session, pro_id, st.counts_from, now)
    verdict = judge(ratings, strikes)
    st.average, st.rated_jobs, st.strikes, st.checked_at = verdict.average, len(ratings), strikes, now
    was = st.level
    if was is QualityLevel.suspended:  # only an admin lifts it
        session.add(st)
        return was
    st.level, st.reason = verdict.level, verdict.reason
    session.add(st)
    if verdict.level is QualityLevel.suspended:
        _suspend(session, st, now, verdict.reason)
    elif verdict.level is QualityLevel.warned and was is not QualityLevel.warned:
        notifications.notify(session, user_id=pro_id, kind=NotificationKind.approval,
                             title=msg("svc_admin.quality_warning_title"), body=verdict.reason, now=now)
        audit.record(session=session, actor_id=None, action="quality.warned", target_type="user", target_id=pro_id,
                     reason=verdict.reason)
    return st.level


def _suspend(session: Session, st: QualityStanding, now: datetime, reason: str) -> None:
    st.suspended_at, st.appeal, st.appealed_at, st.decision = now, "", None, None
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == st.professional_id)).first()
    if profile is not None:
        profile.is_available = False
        session.add(profile)
    notifications.notify(session, user_id=st.professional_id, kind=NotificationKind.approval,
                         title=msg("svc_admin.quality_paused_title"), body=Joined(reason, " ", SUSPENDED), now=now)
    name = session.get(User, st.professional_id)
    who = Localized(name.full_name, {}) if name else msg("svc_admin.quality_a_professional")  # a name: as written
    for admin_id in notifications.admin_ids(session):
        notifications.notify(session, user_id=admin_id, kind=NotificationKind.approval,
                             title=msg("svc_admin.quality_review_title"), body=Joined(who, ": ", reason), now=now)
    audit.record(session=session, actor_id=None, action="quality.suspended", target_type="user",
                 target_id=st.professional_id, reason=st.reason)


def is_suspended(session: Session, pro_id: int) -> bool:
    return session.exec(select(QualityStanding.id).where(QualityStanding.professional_id == pro_id,
                                                         QualityStanding.level == QualityLevel.suspended)).first() \
        is not None


@dataclass(frozen=True)
class StandingView:
    professional_id: int
    name: str
    level: str
    reason: str
    average: str
    rated_jobs: int
    strikes: int
    suspended: str
    appeal: str
    appealed: str
    decision: str
    decision_reason: str


def _view(st: QualityStanding, name: str = "") -> StandingView:
    return StandingView(professional_id=st.professional_id, name=name, level=st.level.value,
                        reason=_reason_said(st), average=f"{st.average:.2f}★" if st.average is not None else "",
                        rated_jobs=st.rated_jobs, strikes=st.strikes,
                        suspended=when_said(st.suspended_at) if st.suspended_at else "",
                        appeal=st.appeal, appealed=when_said(st.appealed_at) if st.appealed_at else "",
                        decision=st.decision.value if st.decision else "", decision_reason=st.decision_reason)


def my_standing(*, session: Session, actor: Actor | None) -> StandingView:
    actor = require_role(actor, Role.professional)
    return _view(_standing(session, actor.id))


def appeal(*, session: Session, actor: Actor | None, data: dict, now: datetime | None = None) -> None:
    """A suspended professional explains; admins are asked to decide. Once per suspension."""
    actor = require_role(actor, Role.professional)
    now = now or utcnow()
    st = _standing(session, actor.id)
    if st.level is not QualityLevel.suspended:
        raise InvalidTransition(msg("svc_admin.appeal_only_paused"))
    if st.appealed_at is not None:
        if " ".join(str(data.get("appeal", "")).split()) == st.appeal:
            return  # a repeat
        raise InvalidTransition(msg("svc_admin.appeal_pending"))
    text = inputs.text(data.get("appeal"), "appeal", 20, 1000, msg("svc_admin.appeal_text"))
    st.appeal, st.appealed_at = text, now
    session.add(st)
    for admin_id in notifications.admin_ids(session):
        notifications.notify(session, user_id=admin_id, kind=NotificationKind.approval,
                             title=msg("svc_admin.quality_appeal_title"),
                             body=msg("svc_admin.quality_appealed_body", name=Localized(actor.full_name, {}),
                                      text=Localized(text[:120], {})),
                             now=now)
    audit.record(session=session, actor_id=actor.id, action="quality.appealed", target_type="user",
                 target_id=actor.id)
    session.commit()


def queue(*, session: Session, actor: Actor | None) -> list[StandingView]:
    """Suspended professionals, appeals first (oldest first), for the admin."""
    require_admin(actor)
    rows = list(session.exec(select(QualityStanding).where(QualityStanding.level == QualityLevel.suspended)))
    names = dict(session.exec(select(User.id, User.full_name).where(
        col(User.id).in_([r.professional_id for r in rows]))).all())
    rows.sort(key=lambda r: (r.appealed_at is None, r.appealed_at or r.suspended_at or r.checked_at))
    return [_view(r, names.get(r.professional_id, "")) for r in rows]


def decide(*, session: Session, actor: Actor | None, professional_id: int, data: dict,
           now: datetime | None = None) -> None:
    """Reinstate (a fresh start: only what happens from now counts) or keep the suspension."""
    actor = require_admin(actor)
    now = now or utcnow()
    st = session.exec(select(QualityStanding).where(QualityStanding.professional_id == professional_id)).first()
    if st is None or st.level is not QualityLevel.suspended:
        raise NotFound("suspension")
    decision = inputs.choice(AppealDecision, data.get("decision"), "decision", msg("svc_admin.appeal_choose"))
    reason = inputs.text(data.get("reason"), "reason", 5, 500,
                         msg("svc_admin.appeal_reason"))
    st.decision, st.decision_reason, st.decided_by_id, st.decided_at = decision, reason, actor.id, now
    if decision is AppealDecision.reinstated:
        st.level, st.counts_from, st.reason = QualityLevel.ok, now, ""
        title, body = msg("svc_admin.quality_resumed_title"), msg("svc_admin.quality_resumed_body",
                                                                   reason=Localized(reason, {}))
    else:
        title, body = msg("svc_admin.quality_kept_title"), msg("svc_admin.quality_kept_body",
                                                               reason=Localized(reason, {}))
    session.add(st)
    notifications.notify(session, user_id=professional_id, kind=NotificationKind.approval, title=title, body=body,
                         now=now)
    audit.record(session=session, actor_id=actor.id, action=f"quality.{decision.value}", target_type="user",
                 target_id=professional_id, reason=reason)
    session.commit()


__all__ = ["SUSPENDED", "StandingView", "Verdict", "appeal", "assess_professional", "decide", "is_suspended",
           "judge", "my_standing", "queue"]
