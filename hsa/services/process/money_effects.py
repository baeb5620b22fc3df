"""Effects where the booking process moves money: charge at completion, cash, cancellation fees
and refunds, and a professional releasing a job (a strike when late). Each posts its journal
entries in the move's transaction (`hsa.services.money.postings`)."""

from __future__ import annotations

from datetime import timedelta

from hsa.i18n.text import Joined, msg
from hsa.models import Payment, PaymentMethod, PaymentStatus, RequestStatus, Strike
from hsa.services import quality
from hsa.services.money import invoices, postings, refunds
from hsa.services.money.payments import balance, paid_amounts
from hsa.services.money.pricing import Breakdown, bill, cancel_terms
from hsa.services.process.context import Move
from hsa.services.process.effects import service_of
from hsa.services.schemas import DeclineForm, parse
from hsa.services.views import rupees


def _invoice(m: Move) -> None:
    """Issue the tax invoice if the booking is now paid up and its work done (or its fee set),
    judged by the status the move is about to set (effects run before the engine sets it)."""
    invoices.issue_if_settled(m.session, m.req, now=m.now, status=m.transition.target_from(m.req.status))


def _paid(m: Move) -> int:
    assert m.req.id is not None
    return paid_amounts(m.session, [m.req.id]).get(m.req.id, 0)


def charge_on_completion(m: Move) -> None:
    """The job is done: the customer owes its bill (work, approved extras, fee, GST)."""
    postings.charge(m.session, m.req, bill(m.req), now=m.now)
    _invoice(m)  # paid in advance: the invoice is issued now the work is done


def charge_extra_if_completed(m: Move) -> None:
    """An extra approved after completion is charged on its own (the job's bill was posted already)."""
    if m.req.status is not RequestStatus.completed:
        return
    offer_paise = int(m.words.get("extra_paise", "0"))
    extra = Breakdown(base_paise=0, work_paise=0, extras_paise=offer_paise, platform_fee_paise=0,
                      gst_bps=m.req.gst_bps, commission_bps=m.req.commission_bps)
    postings.charge(m.session, m.req, extra, now=m.now, kind="charge_extra")


def collect_cash(m: Move) -> None:
    """The professional confirms the customer paid the balance in cash."""
    owed = balance(m.req, _paid(m))
    m.session.add(Payment(request_id=m.req.id, amount_paise=owed, method=PaymentMethod.cash,
                          status=PaymentStatus.paid, provider="cash", created_at=m.now, paid_at=m.now))
    postings.cash_payment(m.session, m.req, owed, now=m.now)
    m.words.update(amount=rupees(owed), how=msg("svc_notices.how_cash"))
    _invoice(m)


def cancel_fee_and_refund(m: Move) -> None:
    """Charge the fee the policy sets now (shown on the form before confirming) and give back
    whatever was paid beyond it, through the gateway (sent after the commit)."""
    terms = cancel_terms(m.req, service_of(m.session, m.req), now=m.now, by_customer=m.actor.id == m.req.customer_id)
    m.req.cancel_fee_paise = terms.fee_paise
    said = [m.words["why"]] if m.words.get("why") else []  # the reason, if the cancel effect gave one
    if terms.fee_paise:
        postings.cancel_fee(m.session, m.req, terms.fee_paise, now=m.now)
        said.append(msg("svc_notices.why_fee", fee=rupees(terms.fee_paise)))
    surplus = _paid(m) - terms.fee_paise
    if surplus > 0:
        refunds.decide(m.session, m.req, surplus, reason="Cancelled booking", now=m.now)
        m.after_commit.append(refunds.send_pending)
        said.append(msg("svc_notices.why_refund", amount=rupees(surplus)))
    if said:
        m.words["why"] = Joined(*said)  # each part said in the reader's language
    _invoice(m)  # a fee kept out of a prepayment is paid now


def release_job(m: Move) -> None:
    """The assigned professional cannot make it: the job goes back to the pool (a strike when the
    slot is close: the customer was counting on them)."""
    form = parse(DeclineForm, m.data)
    service = service_of(m.session, m.req)
    if m.req.scheduled_at - m.now < timedelta(hours=service.free_cancel_hours):
        m.session.add(Strike(professional_id=m.actor.id, request_id=m.req.id, created_at=m.now,
                             reason=f"Released a job {service.free_cancel_hours} h or less before its slot: "
                                    f"{form.reason}"[:300]))
        quality.assess_professional(m.session, m.actor.id, now=m.now)
    m.req.professional_id, m.req.assigned_at, m.req.start_code, m.req.start_code_tries = None, None, "", 0
    m.req.preferred_professional_id = None
    m.req.decline_reason, m.req.declined_by_id = form.reason, m.actor.id
    m.words["why"] = msg("svc_notices.why_reason", reason=form.reason)
