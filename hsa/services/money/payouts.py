"""Weekly payouts: one batch pays every professional what HomeServe owes them up to a period end.

The amount is never stored anywhere but the journal: each run reads `payables.owed` as of the
period end (payouts already made always count), so a second run for the same or an overlapping
period pays only what accrued since, and nothing is paid twice. Runs are serialised by locking
the users about to be paid (PostgreSQL: row locks, in id order; SQLite: every writer already
holds the database's write lock, `hsa.db._sqlite_begin`), then reading the balances again.

The bank file (`batch_csv`) carries who to pay and how much, but no bank account numbers: the
system never collects them (no KYC flow yet). The finance operator maps each beneficiary (by
phone and email) to their account in the bank's portal before uploading; the reference
"HS-PAYOUT-<batch>-<payout>" ties each bank transfer back to its `Payout` row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from hsa.i18n import DEFAULT, LANGUAGES, formats
from hsa.i18n.text import Localized, msg
from hsa.models import Payout, PayoutBatch, User, UserStatus
from hsa.services import audit, scheduling
from hsa.services.actors import Actor
from hsa.services.csv_cells import inr, spreadsheet_safe
from hsa.services.errors import Conflict, NotFound, ValidationFailed
from hsa.services.money import payables, postings
from hsa.services.permissions import require_admin
from hsa.services.scheduling import IST
from hsa.services.views import rupees

FIELD = "period_end"
CSV_HEADER = ("beneficiary_name", "phone", "email", "amount_inr", "reference", "narration")
DELETED_NOTE = "Account deleted: no contact details to pay; still owed."


# ------------------------------------------------------------------ the period


def default_period_day(now: datetime) -> date:
    """The last Sunday whose day is over in India (on a Sunday: the one before)."""
    today = now.astimezone(IST).date()
    return today - timedelta(days=(today.weekday() + 1) % 7 or 7)


def period_end_of(day: date) -> datetime:
    """The last instant of `day` in IST (23:59:59.999999), as aware UTC."""
    return (datetime.combine(day, time.min, tzinfo=IST) + timedelta(days=1) - timedelta(microseconds=1)
            ).astimezone(UTC)


def parse_period(text: str, *, now: datetime) -> datetime:
    """The form's date ("2026-12-06") as its period end; the date must be over already."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise ValidationFailed({FIELD: msg("svc_money.choose_period_end")}) from exc
    return period_end_of(day)


def period_label(period_end: datetime) -> str:
    """'Sun 6 Dec 2026': the day a period ends, in IST."""
    d = period_end.astimezone(IST).date()
    return f"{d:%a} {d.day} {d:%b} {d.year}"


def period_said(period_end: datetime) -> Localized:
    """`period_label` in every language ('रवि 6 दिस॰ 2026'), for a message a person reads."""
    d = period_end.astimezone(IST).date()
    return Localized(period_label(period_end), {lang: f"{formats.day(d, lang)} {d.year}"
                                                for lang in LANGUAGES if lang != DEFAULT})


def _check_period(session: Session, period_end: datetime, now: datetime) -> None:
    """Only finished days, and never before the latest batch: an earlier cut-off would count the
    later batch's payouts against less work and show people owing money they do not owe."""
    if period_end > now:
        raise ValidationFailed({FIELD: msg("svc_money.period_not_over")})
    latest = session.exec(select(PayoutBatch.period_end).order_by(col(PayoutBatch.period_end).desc())).first()
    if latest is not None and period_end < latest:
        raise ValidationFailed({FIELD: msg("svc_money.payouts_already_ran", day=period_said(latest))})


# ------------------------------------------------------------------ the plan and the run


@dataclass(frozen=True)
class Line:
    """One professional in a batch report: paid, owing HomeServe, or held back."""

    professional_id: int
    name: str
    amount_paise: int
    amount: str
    note: str = ""


@dataclass(frozen=True)
class BatchReport:
    """What a run paid (or, with `id == 0`, what it would pay) and who was left out and why."""

    id: int
    period_end: datetime
    period_label: str
    count: int
    total_paise: int
    total: str
    payouts: tuple[Line, ...] = ()
    owes: tuple[Line, ...] = ()  # hold cash from cash jobs: commission and GST they owe HomeServe
    held: tuple[Line, ...] = ()  # owed money but cannot be paid (deleted accounts)


def _plan(session: Session, period_end: datetime) -> BatchReport:
    positions = [o for o in payables.owed(session, upto=period_end).values() if o.payable_paise or o.owes_paise]
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_([o.professional_id
                                                                                 for o in positions])))}
    pay, owes, held = [], [], []
    for o in sorted(positions, key=lambda o: o.professional_id):
        user = users[o.professional_id]
        if o.owes_paise:
            owes.append(Line(o.professional_id, user.full_name, o.owes_paise, rupees(o.owes_paise)))
        elif user.status is UserStatus.deleted:
            held.append(Line(o.professional_id, user.full_name, o.payable_paise, rupees(o.payable_paise), DELETED_NOTE))
        else:
            pay.append(Line(o.professional_id, user.full_name, o.payable_paise, rupees(o.payable_paise)))
    return _report(0, period_end, pay, owes, held)


def _report(batch_id: int, period_end: datetime, pay: list[Line], owes: list[Line] | tuple[Line, ...],
            held: list[Line] | tuple[Line, ...]) -> BatchReport:
    total = sum(line.amount_paise for line in pay)
    return BatchReport(id=batch_id, period_end=period_end, period_label=period_label(period_end), count=len(pay),
                       total_paise=total, total=rupees(total), payouts=tuple(pay), owes=tuple(owes), held=tuple(held))


def preview_batch(*, session: Session, actor: Actor | None, period_end: datetime, now: datetime) -> BatchReport:
    """What `run_batch` would pay now (shown for the admin to confirm); writes nothing."""
    require_admin(actor)
    _check_period(session, period_end, now)
    return _plan(session, period_end)


def run_batch(*, session: Session, actor: Actor | None, period_end: datetime, now: datetime) -> BatchReport:
    """Pay every professional owed money for work up to `period_end`, in one transaction.

    Each payout is a `Payout` row and its journal transaction (`postings.payout`) for exactly
    the payable amount. Conflict when nobody is owed anything (a second click, a re-run).
    """
    actor = require_admin(actor)
    _check_period(session, period_end, now)
    ids = sorted(line.professional_id for line in _plan(session, period_end).payouts)
    if ids:
        # In id order, so two runs never deadlock. A run that committed while this one waited is
        # visible to the statements below (READ COMMITTED), so its payouts count against ours.
        session.exec(select(User.id).where(col(User.id).in_(ids)).order_by(col(User.id)).with_for_update()).all()
        _check_period(session, period_end, now)
    plan = _plan(session, period_end)
    pay = [line for line in plan.payouts if line.professional_id in ids]  # only people this run holds locks on
    if not pay:
        raise Conflict(msg("svc_money.nobody_owed", day=period_said(period_end)))
    batch = PayoutBatch(period_end=period_end, created_at=now, created_by_id=actor.id, count=len(pay),
                        total_paise=sum(line.amount_paise for line in pay))
    session.add(batch)
    session.flush()
    assert batch.id is not None
    for line in pay:
        txn = postings.payout(session, line.professional_id, line.amount_paise, now=now)
        session.add(Payout(batch_id=batch.id, professional_id=line.professional_id, amount_paise=line.amount_paise,
                           txn=txn, created_at=now))
    audit.record(session=session, actor_id=actor.id, action="payout.batch", target_type="payout_batch",
                 target_id=batch.id, period_end=period_end.isoformat(), count=batch.count,
                 total_paise=batch.total_paise, owes=[line.professional_id for line in plan.owes],
                 held=[line.professional_id for line in plan.held])
    session.commit()
    return _report(batch.id, period_end, pay, plan.owes, plan.held)


# ------------------------------------------------------------------ listing and the bank file


@dataclass(frozen=True)
class BatchRow:
    id: int
    period_label: str
    created: str
    count: int
    total: str


def list_batches(*, session: Session, actor: Actor | None, limit: int = 20) -> list[BatchRow]:
    """The latest batches, newest first."""
    require_admin(actor)
    rows = session.exec(select(PayoutBatch).order_by(col(PayoutBatch.id).desc()).limit(limit))
    return [BatchRow(id=b.id or 0, period_label=period_label(b.period_end),
                     created=scheduling.local_label(b.created_at), count=b.count, total=rupees(b.total_paise))
            for b in rows]


def reference(batch_id: int, payout_id: int) -> str:
    """The transfer's reference at the bank (and on the professional's statement)."""
    return f"HS-PAYOUT-{batch_id}-{payout_id}"


def batch_csv(*, session: Session, actor: Actor | None, batch_id: int) -> str:
    """The bank upload file for one batch: a header, then one row per payout (amount in rupees,
    two decimals). No account numbers: see the module docstring. The download is audited."""
    actor = require_admin(actor)
    batch = session.get(PayoutBatch, batch_id)
    if batch is None:
        raise NotFound("payout batch")
    narration = f"HomeServe payout to {batch.period_end.astimezone(IST).date().isoformat()}"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    rows = session.exec(select(Payout, User).join(User, User.id == Payout.professional_id)  # type: ignore[arg-type]
                        .where(Payout.batch_id == batch_id).order_by(col(Payout.id)))
    for payout, user in rows:
        writer.writerow((spreadsheet_safe(user.full_name), user.phone, spreadsheet_safe(user.email),
                         inr(payout.amount_paise), reference(batch_id, payout.id or 0), narration))
    audit.record(session=session, actor_id=actor.id, action="payout.bank_file", target_type="payout_batch",
                 target_id=batch_id, count=batch.count)
    session.commit()
    return out.getvalue()
