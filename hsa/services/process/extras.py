"""Extra charges with consent: the professional proposes, the customer approves or rejects.

Only approved amounts reach the total (`ServiceRequest.extra_charge_paise` is their sum, kept in
the same transaction as each decision). A service caps the extras of one job at
`extra_cap_factor` times its base price, so a typo or a squeeze cannot turn ₹499 into ₹49,900.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import ExtraCharge, ExtraChargeStatus, ServiceRequest
from hsa.services.errors import InvalidTransition, ValidationFailed
from hsa.services.money.pricing import bill
from hsa.services.process.context import Move
from hsa.services.process.effects import service_of
from hsa.services.schemas import ExtraChargeForm, parse
from hsa.services.views import rupees


def pending(session: Session, request_id: int) -> ExtraCharge | None:
    return session.exec(select(ExtraCharge).where(ExtraCharge.request_id == request_id,
                                                  ExtraCharge.status == ExtraChargeStatus.proposed)).first()


def pending_ids(session: Session, request_ids: list[int]) -> dict[int, ExtraCharge]:
    """Open proposals of many requests (for the views: one query)."""
    if not request_ids:
        return {}
    rows = session.exec(select(ExtraCharge).where(col(ExtraCharge.request_id).in_(request_ids),
                                                  ExtraCharge.status == ExtraChargeStatus.proposed))
    return {e.request_id: e for e in rows}


def _committed(session: Session, request_id: int) -> int:
    """Approved plus proposed paise: what the cap is measured against."""
    return int(session.exec(select(func.coalesce(func.sum(ExtraCharge.amount_paise), 0)).where(
        ExtraCharge.request_id == request_id,
        col(ExtraCharge.status).in_((ExtraChargeStatus.proposed, ExtraChargeStatus.approved)))).one())


def cap_paise(session: Session, req: ServiceRequest) -> int:
    service = service_of(session, req)
    return req.price_paise * service.extra_cap_factor


def propose(m: Move) -> None:
    form = parse(ExtraChargeForm, m.data)
    assert m.req.id is not None
    amount = form.amount_rupees * 100
    cap = cap_paise(m.session, m.req)
    room = cap - _committed(m.session, m.req.id)
    if amount > room:
        factor = service_of(m.session, m.req).extra_cap_factor
        if room <= 0:
            message = msg("svc_booking.extras_full", cap=rupees(cap))
        elif room < cap:
            message = msg("svc_booking.extras_cap_left", cap=rupees(cap), factor=factor, room=rupees(room))
        else:
            message = msg("svc_booking.extras_cap", cap=rupees(cap), factor=factor)
        raise ValidationFailed({"amount_rupees": message})
    m.session.add(ExtraCharge(request_id=m.req.id, amount_paise=amount, reason=form.reason,
                              proposed_by_id=m.actor.id, proposed_at=m.now))
    with_extra = replace(bill(m.req), extras_paise=m.req.extra_charge_paise + amount)
    m.words.update(extra=rupees(amount), extra_reason=form.reason, new_total=rupees(with_extra.total_paise))


def _decide(m: Move, status: ExtraChargeStatus) -> ExtraCharge:
    assert m.req.id is not None
    offer = pending(m.session, m.req.id)
    if offer is None:
        raise InvalidTransition(msg("svc_booking.no_extra_to_answer"))
    offer.status, offer.decided_at = status, m.now
    m.session.add(offer)
    m.words.update(extra=rupees(offer.amount_paise), extra_reason=offer.reason, extra_paise=str(offer.amount_paise))
    return offer


def approve(m: Move) -> None:
    offer = _decide(m, ExtraChargeStatus.approved)
    m.req.extra_charge_paise += offer.amount_paise
    m.req.extra_charge_reason = "; ".join(x for x in (m.req.extra_charge_reason, offer.reason) if x)[:300]
    m.words["new_total"] = rupees(bill(m.req).total_paise)


def reject(m: Move) -> None:
    _decide(m, ExtraChargeStatus.rejected)
    m.words["new_total"] = rupees(bill(m.req).total_paise)


def withdraw(m: Move) -> None:
    """The professional takes back a proposal the customer has not answered (a typo, or the
    work turned out not to be needed); they may then propose a corrected amount."""
    _decide(m, ExtraChargeStatus.withdrawn)
    m.words["new_total"] = rupees(bill(m.req).total_paise)
