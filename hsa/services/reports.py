"""Reporting a message or the other party of a booking, and the admin's queue of reports.

A report opens the booking's chat to admins (`chat.admin_may_read`), so support sees what was
said; the admin closes it with an outcome the reporter is told. Reporting is throttled and safe
to repeat: the same person reporting the same message (or booking) while their report is open
gets that report back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import ChatMessage, NotificationKind, Report, ReportReason, ReportStatus, ServiceRequest, User, utcnow
from hsa.services import audit, inputs, notifications, throttle
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.local_words import when_said
from hsa.services.permissions import require_actor, require_admin

REPORT_LIMIT = "5/hour;20/day"
# Each reason's label: a message (a str whose value is the English label) said in the reader's language.
REASONS = {ReportReason.abuse: msg("svc_admin.report_reason_abuse"),
           ReportReason.fraud: msg("svc_admin.report_reason_fraud"),
           ReportReason.off_platform: msg("svc_admin.report_reason_off_platform"),
           ReportReason.other: msg("svc_admin.report_reason_other")}


@dataclass(frozen=True)
class ReportView:
    id: int
    request_id: int
    reason: str
    details: str
    message: str       # the reported message's text ("" when the person was reported)
    reporter: str
    reported: str
    reported_id: int
    when: str
    status: str
    outcome: str


def file(*, session: Session, actor: Actor | None, request_id: int, reason: str, details: str = "",
         message_id: int | None = None, now: datetime | None = None) -> int:
    """A party of the booking reports the other party (or one of their messages); returns the report id."""
    actor = require_actor(actor)
    now = now or utcnow()
    req = session.get(ServiceRequest, request_id)
    if req is None or req.professional_id is None or actor.id not in (req.customer_id, req.professional_id):
        raise NotFound("request")
    why = inputs.choice(ReportReason, reason, "reason", msg("svc_admin.report_choose_reason"))
    details = " ".join(str(details or "").split())[:1000]
    reported = req.professional_id if actor.id == req.customer_id else req.customer_id
    if message_id is not None:
        message = session.get(ChatMessage, message_id)
        if message is None or message.request_id != req.id or message.sender_id != reported:
            raise NotFound("message")
    same = session.exec(select(Report.id).where(
        Report.reporter_id == actor.id, Report.request_id == req.id, Report.status == ReportStatus.open,
        Report.message_id == message_id if message_id is not None else col(Report.message_id).is_(None))).first()
    if same is not None:
        return same
    wait = throttle.take(REPORT_LIMIT, "report", str(actor.id))
    if wait > 0:
        raise ValidationFailed({"reason": msg("svc_admin.too_many_reports", wait=throttle.in_words(wait))})
    report = Report(request_id=req.id or 0, message_id=message_id, reporter_id=actor.id, reported_id=reported,
                    reason=why, details=details, created_at=now)
    session.add(report)
    session.flush()
    for admin_id in notifications.admin_ids(session):
        notifications.notify(session, user_id=admin_id, kind=NotificationKind.booking,
                             title=msg("svc_admin.report_new_title"),
                             body=msg("svc_admin.report_new_body", reason=REASONS[why], id=req.id),
                             request_id=req.id, now=now)
    audit.record(session=session, actor_id=actor.id, action="report.filed", target_type="request",
                 target_id=req.id, reason=why.value, report=report.id)
    session.commit()
    return report.id or 0


def queue(*, session: Session, actor: Actor | None, status: str = "open", limit: int = 50) -> list[ReportView]:
    """The admin's reports, oldest open first (closed: newest first)."""
    require_admin(actor)
    wanted = ReportStatus.closed if status == "closed" else ReportStatus.open
    order = col(Report.id).asc() if wanted is ReportStatus.open else col(Report.id).desc()
    rows = list(session.exec(select(Report).where(Report.status == wanted).order_by(order).limit(limit)))
    names = dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(
        {i for r in rows for i in (r.reporter_id, r.reported_id)}))).all())
    texts = dict(session.exec(select(ChatMessage.id, ChatMessage.body).where(col(ChatMessage.id).in_(
        [r.message_id for r in rows if r.message_id]))).all())
    return [ReportView(id=r.id or 0, request_id=r.request_id, reason=REASONS[r.reason], details=r.details,
                       message=texts.get(r.message_id or 0, ""), reporter=names.get(r.reporter_id, ""),
                       reported=names.get(r.reported_id, ""), reported_id=r.reported_id,
                       when=when_said(r.created_at), status=r.status.value, outcome=r.outcome) for r in rows]


def close(*, session: Session, actor: Actor | None, report_id: int, outcome: str, now: datetime | None = None) -> None:
    """Close a report with what was done; the reporter is told. Closing a closed one is a no-op."""
    actor = require_admin(actor)
    now = now or utcnow()
    outcome = inputs.text(outcome, "outcome", 5, 500, msg("svc_admin.report_outcome"))
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("report")
    if report.status is ReportStatus.closed:
        return
    report.status, report.closed_at, report.closed_by_id, report.outcome = ReportStatus.closed, now, actor.id, outcome
    session.add(report)
    notifications.notify(session, user_id=report.reporter_id, kind=NotificationKind.booking,
                         title=msg("svc_admin.report_reviewed_title"), body=outcome, request_id=report.request_id,
                         now=now)
    audit.record(session=session, actor_id=actor.id, action="report.closed", target_type="report",
                 target_id=report.id, outcome=outcome[:200])
    session.commit()


__all__ = ["REASONS", "ReportView", "close", "file", "queue"]
