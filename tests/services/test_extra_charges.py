"""Extra charges need the customer's consent (issue #14).

The professional proposes an amount and a reason while the job runs; the customer approves or
rejects it on their booking; only approved amounts reach the total, the payment and the
professional's earnings; one job's extras are capped at `extra_cap_factor` × the base price.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, func, select

from hsa.models import (
    AuditLog,
    ExtraCharge,
    Notification,
    NotificationKind,
    Payment,
    RequestStatus,
    Role,
    Service,
    ServiceRequest,
    User,
)
from hsa.services import admin, bookings, jobs
from hsa.services.actors import Actor
from hsa.services.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from tests.factories import actor_for, fresh, make_request, make_service, make_user, notes_of

S = RequestStatus
PRICE = 29_900  # ₹299: the cap at the default 3× is ₹897


class Job:
    """One in-progress job with its customer and professional as actors."""

    def __init__(self, session: Session, *, factor: int = 3) -> None:
        self.session = session
        self.service = make_service(session, price_paise=PRICE)
        self.service.extra_cap_factor = factor
        session.add(self.service)
        session.commit()
        self.customer_user = make_user(session, full_name="Asha Rao")
        self.pro_user = make_user(session, role=Role.professional, service=self.service, full_name="Ravi Kumar")
        self.req = make_request(session, customer=self.customer_user, service=self.service,
                                status=S.in_progress, professional=self.pro_user)
        self.c, self.p = actor_for(session, self.customer_user), actor_for(session, self.pro_user)

    def act(self, actor: Actor, action: str, data: dict | None = None, key: str | None = None):  # noqa: ANN201
        return bookings.transition(session=self.session, actor=actor, request_id=self.req.id, action=action,
                                   data=data, idempotency_key=key)

    def propose(self, rupees: int, reason: str = "Replaced the corroded washer", key: str | None = None):  # noqa: ANN201
        return self.act(self.p, "propose_extra", {"amount_rupees": rupees, "reason": reason}, key)

    def charges(self) -> list[tuple[int, str]]:
        rows = self.session.exec(select(ExtraCharge).where(ExtraCharge.request_id == self.req.id)
                                 .order_by(col(ExtraCharge.id))).all()
        return [(e.amount_paise, e.status.value) for e in rows]

    def row(self) -> ServiceRequest:
        return fresh(self.session, self.req.id)

    def notes(self, user: User) -> list[Notification]:
        return notes_of(self.session, user)


@pytest.fixture
def job(session: Session) -> Job:
    return Job(session)


def test_a_proposal_is_stored_and_told_to_the_customer_but_the_total_waits(job: Job) -> None:
    view = job.propose(150)
    assert job.charges() == [(15_000, "proposed")]
    assert (view.total, view.total_paise, view.extra_charge) == ("₹352.82", 35_282, "₹0")  # 299 + 18 % GST
    assert (view.pending_extra, view.pending_extra_reason) == ("₹150", "Replaced the corroded washer")
    assert "propose_extra" not in view.actions  # one question at a time
    [note] = job.notes(job.customer_user)
    assert note.kind is NotificationKind.payment and note.request_id == job.req.id
    assert "₹150" in note.body and "Replaced the corroded washer" in note.body and "Ravi" in note.body
    assert job.row().extra_charge_paise == 0
    seen = bookings.get_request(session=job.session, actor=job.c, request_id=job.req.id)
    assert seen.pending_extra == "₹150" and {"approve_extra", "reject_extra"} <= set(seen.actions)


def test_a_second_proposal_waits_for_the_answer_to_the_first(job: Job) -> None:
    job.propose(150)
    with pytest.raises(InvalidTransition, match="waiting for the customer's answer"):
        job.propose(100, "Another tap")
    assert job.charges() == [(15_000, "proposed")]


@pytest.mark.parametrize(("amount", "words"), [(0, ""), (898, "₹897"), (100_001, "")])
def test_an_amount_outside_the_rules_is_refused_beside_the_field_and_writes_nothing(
        job: Job, amount: int, words: str) -> None:
    notes_before = len(job.notes(job.customer_user))
    audits_before = job.session.exec(select(func.count()).select_from(AuditLog)).one()
    with pytest.raises(ValidationFailed) as exc:
        job.propose(amount)
    assert "amount_rupees" in exc.value.fields and words in exc.value.fields["amount_rupees"]
    assert job.charges() == [] and job.row().extra_charge_paise == 0
    assert len(job.notes(job.customer_user)) == notes_before
    assert job.session.exec(select(func.count()).select_from(AuditLog)).one() == audits_before


def test_the_cap_counts_approved_and_pending_extras_and_is_set_per_service(session: Session) -> None:
    job = Job(session)
    job.propose(500)
    job.act(job.c, "approve_extra")
    with pytest.raises(ValidationFailed) as exc:
        job.propose(398)
    assert "₹897" in exc.value.fields["amount_rupees"] and "₹397 is left" in exc.value.fields["amount_rupees"]
    job.propose(397)  # exactly to the cap
    job.act(job.c, "reject_extra")  # a rejected one frees its room again
    job.propose(397)
    job.act(job.c, "approve_extra")
    with pytest.raises(ValidationFailed, match="highlighted") as exc:
        job.propose(1)
    assert "already has all the extra charges" in exc.value.fields["amount_rupees"]
    generous = Job(session, factor=10)
    generous.propose(2_990)
    assert generous.charges() == [(299_000, "proposed")]


def test_approving_adds_to_the_total_and_tells_the_professional(job: Job) -> None:
    job.propose(150)
    view = job.act(job.c, "approve_extra")
    assert job.charges() == [(15_000, "approved")]
    assert (view.total, view.total_paise, view.extra_charge, view.pending_extra) == ("₹529.82", 52_982, "₹150", "")
    row = job.row()
    assert row.extra_charge_paise == 15_000 and row.extra_charge_reason == "Replaced the corroded washer"
    [note] = job.notes(job.pro_user)
    assert note.kind is NotificationKind.payment and "₹150" in note.body and "₹529.82" in note.body
    assert "Asha" in note.body
    assert "propose_extra" in bookings.get_request(session=job.session, actor=job.p, request_id=job.req.id).actions


def test_rejecting_keeps_the_total_and_tells_the_professional(job: Job) -> None:
    job.propose(150)
    view = job.act(job.c, "reject_extra")
    assert job.charges() == [(15_000, "rejected")]
    assert (view.total, view.pending_extra) == ("₹352.82", "") and job.row().extra_charge_paise == 0
    [note] = job.notes(job.pro_user)
    assert note.kind is NotificationKind.payment and "rejected" in note.body and "₹352.82" in note.body


def test_there_is_nothing_to_answer_without_a_proposal(job: Job) -> None:
    for action in ("approve_extra", "reject_extra"):
        with pytest.raises(InvalidTransition, match="no extra charge to answer"):
            job.act(job.c, action)


def test_only_the_owner_answers(session: Session, job: Job) -> None:
    job.propose(150)
    stranger = actor_for(session, make_user(session))
    admin = actor_for(session, make_user(session, role=Role.admin))
    for action in ("approve_extra", "reject_extra"):
        with pytest.raises(NotFound):
            job.act(stranger, action)
        for actor in (job.p, admin):
            with pytest.raises(Forbidden):
                job.act(actor, action)
    assert job.charges() == [(15_000, "proposed")]
    with pytest.raises(Forbidden):  # and only the assigned professional proposes
        job.act(job.c, "propose_extra", {"amount_rupees": 10, "reason": "I want to pay more"})


def test_extras_are_proposed_only_while_the_job_runs_or_awaits_payment(session: Session) -> None:
    service = make_service(session, price_paise=PRICE)
    customer, pro = make_user(session), make_user(session, role=Role.professional, service=service)
    for status, paid in ((S.assigned, False), (S.completed, True)):
        req = make_request(session, customer=customer, service=service, status=status, professional=pro, paid=paid)
        with pytest.raises(InvalidTransition):
            bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id,
                                action="propose_extra", data={"amount_rupees": 100, "reason": "More pipe"})


def test_a_repeated_approval_with_the_same_key_counts_once(job: Job) -> None:
    job.propose(150, key="propose-1")
    job.propose(150, key="propose-1")  # a double tap by the professional: still one proposal
    assert job.charges() == [(15_000, "proposed")]
    first = job.act(job.c, "approve_extra", key="approve-1")
    again = job.act(job.c, "approve_extra", key="approve-1")
    assert first.total == again.total == "₹529.82"
    assert job.charges() == [(15_000, "approved")] and job.row().extra_charge_paise == 15_000
    assert len(job.notes(job.pro_user)) == 1


def test_payment_waits_for_the_answer_and_charges_price_plus_approved_extras(job: Job) -> None:
    job.propose(150)
    job.act(job.c, "approve_extra")
    job.propose(200, "Second tap")
    job.act(job.c, "reject_extra")
    job.propose(100, "Sealant")
    done = job.act(job.p, "complete")  # the last question is still open at completion
    assert done.status == "completed" and done.total == "₹529.82"
    with pytest.raises(InvalidTransition, match="Approve or reject the extra charge"):
        job.act(job.p, "collect_cash")
    assert "collect_cash" not in bookings.get_request(session=job.session, actor=job.p, request_id=job.req.id).actions
    assert job.session.exec(select(Payment).where(Payment.request_id == job.req.id)).first() is None
    approved = job.act(job.c, "approve_extra")
    assert approved.total == "₹647.82" and approved.balance == "₹647.82"
    assert "collect_cash" in bookings.get_request(session=job.session, actor=job.p, request_id=job.req.id).actions
    paid = job.act(job.p, "collect_cash")
    assert paid.paid
    payment = job.session.exec(select(Payment).where(Payment.request_id == job.req.id)).one()
    assert payment.amount_paise == (PRICE + 15_000 + 10_000) * 118 // 100
    assert job.charges() == [(15_000, "approved"), (20_000, "rejected"), (10_000, "approved")]
    with pytest.raises(InvalidTransition):  # nothing left to answer, and it is paid
        job.act(job.c, "approve_extra")


def test_earnings_count_approved_extras_only(job: Job) -> None:
    job.propose(150)
    job.act(job.c, "approve_extra")
    job.propose(300, "Extra cleaning")
    job.act(job.c, "reject_extra")
    job.act(job.p, "complete")
    assert jobs.board(session=job.session, actor=job.p).earnings == "₹0"  # not paid yet
    job.act(job.p, "collect_cash")
    board = jobs.board(session=job.session, actor=job.p)
    assert (board.earnings, board.jobs_done) == ("₹359.20", 1)  # 80 % of 299 + 150


# ------------------------------------------------------------------ the admin sets the rules per service


def test_an_admin_sets_the_cap_factor_and_the_completion_code_per_service(session: Session) -> None:
    boss = actor_for(session, make_user(session, role=Role.admin))
    base = {"name": "Deep Cleaning", "description": "", "base_price_rupees": 1_000, "duration_minutes": 120}
    sid = admin.save_service(session=session, actor=boss, data=base)
    [made] = [s for s in admin.list_services(session=session, actor=boss) if s.id == sid]
    assert (made.extra_cap_factor, made.completion_code) == (3, False)  # the defaults
    for bad in (0, 11, "lots"):
        with pytest.raises(ValidationFailed) as exc:
            admin.save_service(session=session, actor=boss, service_id=sid, data=base | {"extra_cap_factor": bad})
        assert set(exc.value.fields) == {"extra_cap_factor"}
    admin.save_service(session=session, actor=boss, service_id=sid,
                       data=base | {"extra_cap_factor": 2, "completion_code": True})
    service = session.get(Service, sid)
    assert service is not None and (service.extra_cap_factor, service.completion_code) == (2, True)

    customer, pro = make_user(session), make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=customer, service=service, status=S.in_progress, professional=pro)
    req.start_code = "4821"
    session.add(req)
    session.commit()
    p = actor_for(session, pro)
    with pytest.raises(ValidationFailed) as exc:  # 2 × ₹1,000
        bookings.transition(session=session, actor=p, request_id=req.id, action="propose_extra",
                            data={"amount_rupees": 2_001, "reason": "Second bathroom"})
    assert "2×" in exc.value.fields["amount_rupees"]
    with pytest.raises(ValidationFailed) as exc:  # the completion code is now asked for
        bookings.transition(session=session, actor=p, request_id=req.id, action="complete")
    assert "code" in exc.value.fields
    done = bookings.transition(session=session, actor=p, request_id=req.id, action="complete", data={"code": "4821"})
    assert done.status == "completed"


def test_the_professional_can_withdraw_an_unanswered_charge_and_propose_a_corrected_one(job: Job) -> None:
    job.propose(1500 // 10)  # a typo: ₹150 instead of ₹15
    job.act(job.p, "withdraw_extra")
    assert job.charges() == [(15_000, "withdrawn")] and job.row().extra_charge_paise == 0
    assert "withdrew the extra ₹150" in job.notes(job.customer_user)[-1].body
    job.propose(15)
    assert job.charges() == [(15_000, "withdrawn"), (1_500, "proposed")]
    with pytest.raises(Forbidden):
        job.act(job.c, "withdraw_extra")  # only the professional who proposed it takes it back
