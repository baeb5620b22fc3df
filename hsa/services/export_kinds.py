"""What each admin CSV export contains: its columns, the query that pages through them, each row.

Every query names its columns, so nothing an admin export must not carry (password hashes,
session tokens, start codes, document file names, addresses, free text typed by customers) can
slip in when a model grows a column. Phone and email appear only in the professionals export:
that is the one an admin uses to call or pay people. Text a spreadsheet would run as a formula
is defused (`spreadsheet_safe`). Money is rupees with two decimals, times ISO 8601 in IST.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import aliased
from sqlmodel import select

from hsa.models import Payment, Payout, PayoutBatch, ProfessionalProfile, Role, Service, ServiceRequest, User
from hsa.services.csv_cells import inr, spreadsheet_safe
from hsa.services.money.payouts import reference
from hsa.services.pincodes import city
from hsa.services.scheduling import IST


def when(moment: datetime | None) -> str:
    """An aware UTC timestamp as IST ISO 8601 to the second ('2026-11-03T14:05:00+05:30')."""
    return moment.astimezone(IST).isoformat(timespec="seconds") if moment else ""


@dataclass(frozen=True)
class Kind:
    """One export: `key` is the integer id it pages on (keyset: id > last, ORDER BY id, LIMIT n)."""

    name: str
    label: str
    header: tuple[str, ...]
    key: Any
    query: Callable[[], Select]
    row: Callable[[Sequence[Any]], list[object]]
    scope: tuple[Any, ...] = ()  # fixed filters on the key's table (counted and paged alike)
    dated: Any = None            # the column a date range filters (None: no range)


def _requests() -> Select:
    r, customer, pro = ServiceRequest, aliased(User), aliased(User)
    return (select(r.id, r.created_at, r.scheduled_at, r.status, Service.name, r.pincode, r.customer_id,
                   customer.full_name, r.professional_id, pro.full_name, r.price_paise, r.extra_charge_paise,
                   r.platform_fee_paise, r.cancel_fee_paise, r.completed_at, r.cancelled_at)
            .join(Service, Service.id == r.service_id)  # type: ignore[arg-type]
            .join(customer, customer.id == r.customer_id)  # type: ignore[arg-type]
            .outerjoin(pro, pro.id == r.professional_id))  # type: ignore[arg-type]


def _request_row(r: Sequence[Any]) -> list[object]:
    (rid, created, scheduled, status, service, pincode, customer_id, customer, pro_id, pro, price, extra, fee,
     cancel_fee, completed, cancelled) = r
    return [rid, when(created), when(scheduled), str(status), spreadsheet_safe(service), pincode, city(pincode),
            customer_id, spreadsheet_safe(customer), pro_id or "", spreadsheet_safe(pro or ""), inr(price),
            inr(extra), inr(fee), inr(cancel_fee), when(completed), when(cancelled)]


def _payments() -> Select:
    p = Payment
    return (select(p.id, p.request_id, ServiceRequest.customer_id, p.created_at, p.paid_at, p.status, p.method,
                   p.provider, p.amount_paise, p.refunded_paise, p.order_id, p.gateway_payment_id)
            .join(ServiceRequest, ServiceRequest.id == p.request_id))  # type: ignore[arg-type]


def _payment_row(r: Sequence[Any]) -> list[object]:
    pid, rid, customer_id, created, paid, status, method, provider, amount, refunded, order, gateway = r
    return [pid, rid, customer_id, when(created), when(paid), str(status), str(method), provider, inr(amount),
            inr(refunded), inr(amount - refunded), order or "", gateway or ""]


def _payouts() -> Select:
    p = Payout
    return (select(p.id, p.batch_id, PayoutBatch.period_end, p.professional_id, User.full_name, p.amount_paise,
                   p.txn, p.created_at)
            .join(PayoutBatch, PayoutBatch.id == p.batch_id)  # type: ignore[arg-type]
            .join(User, User.id == p.professional_id))  # type: ignore[arg-type]


def _payout_row(r: Sequence[Any]) -> list[object]:
    pid, batch_id, period_end, pro_id, name, amount, txn, created = r
    return [pid, batch_id, period_end.astimezone(IST).date().isoformat(), pro_id, spreadsheet_safe(name),
            inr(amount), reference(batch_id, pid), txn, when(created)]  # the bank transfer's reference


def _professionals() -> Select:
    u, p = User, ProfessionalProfile
    return (select(u.id, u.full_name, u.email, u.phone, u.status, u.pincode, Service.name, p.approval_status,
                   p.experience_years, p.is_available, p.service_radius_km, p.price_paise, p.rating_count,
                   p.rating_sum, u.created_at, p.reviewed_at)
            .join(p, p.user_id == u.id)  # type: ignore[arg-type]
            .join(Service, Service.id == p.service_id))  # type: ignore[arg-type]


def _professional_row(r: Sequence[Any]) -> list[object]:
    (uid, name, email, phone, status, pincode, service, approval, years, available, radius, price, n_ratings,
     rating_sum, joined, reviewed) = r
    average = f"{rating_sum / n_ratings:.2f}" if n_ratings else ""
    return [uid, spreadsheet_safe(name), spreadsheet_safe(email), phone, str(status), pincode, city(pincode),
            spreadsheet_safe(service), str(approval), years, "yes" if available else "no", radius, inr(price),
            n_ratings, average, when(joined), when(reviewed)]


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("requests", "Requests",
         ("request_id", "created_at", "scheduled_at", "status", "service", "pincode", "city", "customer_id",
          "customer_name", "professional_id", "professional_name", "price_inr", "extras_inr", "platform_fee_inr",
          "cancel_fee_inr", "completed_at", "cancelled_at"),
         ServiceRequest.id, _requests, _request_row, dated=ServiceRequest.created_at),
    Kind("payments", "Payments",
         ("payment_id", "request_id", "customer_id", "created_at", "paid_at", "status", "method", "provider",
          "amount_inr", "refunded_inr", "net_inr", "gateway_order_id", "gateway_payment_id"),
         Payment.id, _payments, _payment_row, dated=Payment.created_at),
    Kind("payouts", "Payouts",
         ("payout_id", "batch_id", "period_end", "professional_id", "professional_name", "amount_inr", "reference",
          "journal_txn", "created_at"),
         Payout.id, _payouts, _payout_row, dated=Payout.created_at),
    Kind("professionals", "Professionals",
         ("user_id", "full_name", "email", "phone", "status", "pincode", "city", "service", "approval",
          "experience_years", "available", "radius_km", "own_price_inr", "ratings", "average_rating", "joined_at",
          "reviewed_at"),
         User.id, _professionals, _professional_row, scope=(User.role == Role.professional,)),
)}
