"""The monthly activity report, emailed to every active admin once the month is over (IST).

The reminder pass calls `send_monthly_report` every minute; from 00:00 IST on the 1st (and until
the 3rd, so a server that was down on the 1st catches up) it claims `monthly_report:<YYYY-MM>` in
`reminders_sent` (`ledger.claim`): the unique key makes exactly one pass, on one worker, win it.
The winner builds the figures (bookings by status, `finance`'s revenue, commission, GST, refunds
and payouts, professionals approved, top services), writes the month's requests CSV with the
exports machinery (kept 35 days, listed on the Finance page; attached too when it is small), and
mails each admin after the claim's commit, so no lock is held while a mail server answers.
A failed email is logged, not retried: the figures stay on the Finance page for any range.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import format_date
from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa import routes
from hsa.db import session_scope
from hsa.i18n import BABEL_LOCALES, DEFAULT, formats
from hsa.models import ApprovalStatus, ProfessionalProfile, Role, Service, ServiceRequest, User, UserStatus
from hsa.services import exports
from hsa.services.actors import Actor
from hsa.services.languages import language_of
from hsa.services.ledger import claim, claimed_keys
from hsa.services.mail import Attachment, Email, Mailer
from hsa.services.mail_words import said_in
from hsa.services.money import finance
from hsa.services.notifications import first_name
from hsa.services.permissions import require_admin
from hsa.services.process.engine import SYSTEM
from hsa.services.scheduling import IST
from hsa.services.service_names import localized
from hsa.settings import get_settings

log = logging.getLogger(__name__)

KIND = "monthly_report"    # key: "2026-11", the month reported
CATCH_UP_DAYS = 3          # a pass on the 1st to the 3rd sends the month before
TOP = 5
KEEP_EXPORT = timedelta(days=35)
ATTACH_LIMIT = 2_000_000   # bytes: a bigger CSV is only linked (mail servers refuse ~10-25 MB)
# Each status's words in the report ("{n} waiting"), catalog keys said in the admin's language.
STATUS_KEYS = {"requested": "svc_mail.report_waiting", "assigned": "svc_mail.report_accepted",
               "in_progress": "svc_mail.report_in_progress", "completed": "svc_mail.report_completed",
               "closed": "svc_mail.report_closed", "cancelled": "svc_mail.report_cancelled"}


@dataclass(frozen=True)
class MonthlyReport:
    month: date                          # its first day
    bookings: int
    by_status: dict[str, int]
    figures: finance.Figures
    professionals_approved: int
    top_services: list[tuple[str, int, int]]  # (name, bookings, revenue paise), most booked first

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"

    def label_in(self, lang: str) -> str:
        """'November 2026' / 'नवंबर 2026' / 'ನವೆಂಬರ್ 2026'."""
        return self.label if lang == DEFAULT else format_date(self.month, "MMMM y", locale=BABEL_LOCALES[lang])


def month_before(now: datetime) -> date:
    """The first day of the IST month before `now`'s."""
    return (now.astimezone(IST).date().replace(day=1) - timedelta(days=1)).replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[00:00 IST on the 1st, 00:00 IST on the next 1st)."""
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return finance.day_start(month), finance.day_start(following)


def build_report(*, session: Session, actor: Actor | None, month: date) -> MonthlyReport:
    """The month's figures in a handful of aggregates (the finance page's for its days)."""
    require_admin(actor)
    start, end = month_bounds(month)
    made = (col(ServiceRequest.created_at) >= start, col(ServiceRequest.created_at) < end)
    by_status = Counter({s: 0 for s in STATUS_KEYS})
    for status, n in session.exec(select(ServiceRequest.status, func.count()).where(*made)
                                  .group_by(ServiceRequest.status)):
        by_status[str(status)] = int(n)
    approved = session.exec(select(func.count()).select_from(ProfessionalProfile).where(
        ProfessionalProfile.approval_status == ApprovalStatus.approved,
        col(ProfessionalProfile.reviewed_at) >= start, col(ProfessionalProfile.reviewed_at) < end)).one()
    sid = (ServiceRequest.service_id + 0).label("sid")  # group on the (created_at, service_id) index
    counts = session.exec(select(sid, func.count()).where(*made).group_by(sid)
                          .order_by(func.count().desc(), sid).limit(TOP)).all()
    names = {i: localized(name, translations) for i, name, translations in session.exec(
        select(Service.id, Service.name, Service.translations).where(
            col(Service.id).in_([i for i, _ in counts]))).all()} if counts else {}
    money = finance.finance_report(session=session, actor=actor, date_from=month.isoformat(),
                                   date_to=(end.astimezone(IST).date() - timedelta(days=1)).isoformat())
    revenue = {name: f.revenue_paise for name, f in money.by_service}
    top = [(names.get(i) or str(i), int(n), revenue.get(str(names.get(i) or i), 0)) for i, n in counts]
    return MonthlyReport(month=month, bookings=sum(by_status.values()), by_status=dict(by_status),
                         figures=money.totals, professionals_approved=int(approved), top_services=top)


def report_text(report: MonthlyReport, *, name: str, csv_note: str, lang: str = DEFAULT) -> str:
    """The email's body: plain text, figures first, in `lang` (the admin's)."""
    f, said = report.figures, said_in(lang)

    def money(paise: int) -> str:
        return formats.rupees(paise, lang)

    statuses = ", ".join(said(STATUS_KEYS[s], n=n) for s, n in report.by_status.items())
    top = "\n".join(f"  {i}. " + said("svc_mail.report_top_line_one" if n == 1 else "svc_mail.report_top_line",
                                      service=s, n=formats.number(n, lang), amount=money(r))
                    for i, (s, n, r) in enumerate(report.top_services, 1)) or "  " + said("svc_mail.report_none")
    lines = [said("svc_mail.report_bookings", n=formats.number(report.bookings, lang), statuses=statuses),
             said("svc_mail.report_revenue", amount=money(f.revenue_paise)),
             said("svc_mail.report_commission", amount=money(f.commission_paise)),
             said("svc_mail.report_gst", amount=money(f.gst_paise)),
             said("svc_mail.report_refunds", amount=money(f.refunds_paise)),
             said("svc_mail.report_payouts", amount=money(f.payouts_paise)),
             said("svc_mail.report_approved", n=report.professionals_approved)]
    return (said("svc_mail.hello", name=first_name(name)) + "\n\n"
            + said("svc_mail.report_intro", month=report.label_in(lang)) + "\n\n" + "\n".join(lines) + "\n\n"
            + said("svc_mail.report_top") + f"\n{top}\n\n{csv_note}\n\nHomeServe\n")


def _requests_csv(session: Session, report: MonthlyReport, now: datetime) -> exports.ExportStatus:
    """The month's requests as CSV, through the same chunked writer as an admin's export."""
    start, end = month_bounds(report.month)
    job = exports.start_export(session=session, actor=SYSTEM, kind="requests", created_from=start,
                               created_before=end, title=f"Requests, {report.label}", keep=KEEP_EXPORT,
                               filename=f"homeserve-requests-{report.month:%Y-%m}.csv", now=now)
    with session_scope(readonly=True) as reader:  # chunks are reads: no write lock held while they run
        return exports.run_export(session=reader, actor=SYSTEM, export_id=job.id)


def send_monthly_report(*, session: Session, now: datetime, mailer: Mailer) -> bool:
    """Email last month's report to every active admin, once; True when this call sent it."""
    if now.astimezone(IST).day > CATCH_UP_DAYS:
        return False
    month = month_before(now)
    key = f"{month:%Y-%m}"
    if claimed_keys(session, KIND, [key]) or claim(session, kind=KIND, key=key, now=now) is None:
        session.rollback()
        return False  # a pass before this one, or another worker right now
    session.commit()
    report = build_report(session=session, actor=SYSTEM, month=month)
    csv_file = _requests_csv(session, report, now)
    path = exports.exports_dir() / f"{csv_file.id}.csv"
    attach = csv_file.state == exports.DONE and path.stat().st_size <= ATTACH_LIMIT
    where = f"{get_settings().public_url}{routes.ADMIN_FINANCE}"
    attachments = (Attachment(csv_file.filename, "text/csv", path.read_bytes()),) if attach else ()
    admins = session.exec(select(User).where(User.role == Role.admin, User.status == UserStatus.active)).all()
    for admin in admins:
        lang = language_of(admin)
        said = said_in(lang)
        note = said("svc_mail.report_csv_attached" if attach else "svc_mail.report_csv_linked",
                    rows=formats.number(csv_file.done, lang), where=where, days=KEEP_EXPORT.days)
        try:
            mailer.send(Email(to=admin.email, subject=said("svc_mail.report_subject", month=report.label_in(lang)),
                              body=report_text(report, name=admin.full_name, csv_note=note, lang=lang),
                              attachments=attachments))
        except Exception:  # one bad address must not keep the report from the others
            log.exception("monthly report to admin %s failed", admin.id)
    return True
