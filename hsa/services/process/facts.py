"""Loading `RequestFacts` for many requests in a fixed number of queries (views) or one (engine)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from hsa.models import ExtraCharge, ExtraChargeStatus, Service, ServiceRequest
from hsa.services.money.payments import balance, paid_amounts
from hsa.services.process.model import RequestFacts
from hsa.settings import get_settings


def facts_of(req: ServiceRequest, *, paid_paise: int, pending_extra: bool, completion_code: bool) -> RequestFacts:
    assert req.customer_id is not None
    owed = balance(req, paid_paise)
    return RequestFacts(
        status=req.status, customer_id=req.customer_id, professional_id=req.professional_id,
        preferred_professional_id=req.preferred_professional_id, service_id=req.service_id,
        scheduled_at=req.scheduled_at, paid=owed <= 0, balance_paise=owed, pending_extra=pending_extra,
        reschedule_by=req.reschedule_by_id if req.reschedule_to is not None else None,
        reschedule_to=req.reschedule_to,
        code_locked=req.start_code_tries >= get_settings().start_code_tries, completion_code=completion_code)


def load_facts(session: Session, rows: list[ServiceRequest]) -> dict[int, RequestFacts]:
    """Facts of every row: three queries however many rows (money paid, open extras, services)."""
    ids = [r.id for r in rows if r.id is not None]
    if not ids:
        return {}
    paid = paid_amounts(session, ids)
    pending = set(session.exec(select(ExtraCharge.request_id).where(
        col(ExtraCharge.request_id).in_(ids), ExtraCharge.status == ExtraChargeStatus.proposed)))
    with_code = set(session.exec(select(Service.id).where(
        col(Service.id).in_({r.service_id for r in rows}), col(Service.completion_code).is_(True))))
    return facts_for(rows, paid=paid, pending=pending, with_code=with_code)


def facts_for(rows: list[ServiceRequest], *, paid: dict[int, int], pending: set[int],
              with_code: set[int]) -> dict[int, RequestFacts]:
    """Facts of every row from what the caller already loaded (`paid`: net paise per booking)."""
    return {r.id: facts_of(r, paid_paise=paid.get(r.id, 0), pending_extra=r.id in pending,  # type: ignore[misc]
                           completion_code=r.service_id in with_code) for r in rows}
