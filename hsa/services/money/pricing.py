"""What a booking costs, and what cancelling it would cost now: one place for every amount.

Money is integer paise. Rounding: each percentage (GST, commission) is taken of a whole amount
and rounded half up to the paisa, once per booking — never per line — so the invoice's lines add
up to its total exactly. GST is 18 % (SAC 9987, maintenance and repair services) on the work,
approved extras and the platform fee. A cancellation fee is GST-inclusive (the customer sees one
number); the journal splits the tax out of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hsa.i18n.text import msg
from hsa.models import ProfessionalProfile, RequestStatus, Service, ServiceRequest
from hsa.services.errors import ValidationFailed
from hsa.services.views import rupees

GST_BPS = 1800
SAC_CODE = "9987"
LATE_GRACE = timedelta(minutes=30)  # a professional this late for the slot has let the customer down


def share(amount_paise: int, bps: int) -> int:
    """`bps` basis points of a non-negative amount, rounded half up to the paisa."""
    return (amount_paise * bps + 5_000) // 10_000


def inclusive_tax(gross_paise: int, bps: int = GST_BPS) -> int:
    """The tax inside a tax-inclusive amount (a cancellation fee), rounded half up."""
    return (gross_paise * bps * 2 + 10_000 + bps) // (2 * (10_000 + bps))


@dataclass(frozen=True)
class Breakdown:
    """One booking's bill: the lines a customer sees and the split the journal posts."""

    base_paise: int          # the service's base price
    work_paise: int          # the professional's price for it (base unless they set their own)
    extras_paise: int        # approved extra charges
    platform_fee_paise: int
    gst_bps: int = GST_BPS
    commission_bps: int = 0

    @property
    def taxable_paise(self) -> int:
        return self.work_paise + self.extras_paise + self.platform_fee_paise

    @property
    def gst_paise(self) -> int:
        return share(self.taxable_paise, self.gst_bps)

    @property
    def total_paise(self) -> int:
        return self.taxable_paise + self.gst_paise

    @property
    def commission_paise(self) -> int:
        return share(self.work_paise + self.extras_paise, self.commission_bps)

    @property
    def professional_paise(self) -> int:
        """What the professional earns from the job: work and extras less HomeServe's commission."""
        return self.work_paise + self.extras_paise - self.commission_paise

    def lines(self, pro_first_name: str = "") -> list[tuple[str, str]]:
        """Label and amount, in the order a customer reads a bill."""
        rows = [(msg("svc_money.base_price"), rupees(self.base_paise))]
        if self.work_paise != self.base_paise:
            amount = rupees(self.work_paise)
            diff = self.work_paise - self.base_paise
            rows.append((msg("svc_money.price_of", name=pro_first_name, amount=amount) if pro_first_name
                         else msg("svc_money.pro_price", amount=amount),
                         ("+" if diff > 0 else "−") + rupees(abs(diff))))
        if self.extras_paise:
            rows.append((msg("svc_money.approved_extras"), rupees(self.extras_paise)))
        rows.append((msg("svc_money.platform_fee"), rupees(self.platform_fee_paise)))
        rows.append((msg("svc_money.gst_line", rate=f"{self.gst_bps / 100:g}", sac=SAC_CODE), rupees(self.gst_paise)))
        rows.append((msg("svc_money.total"), rupees(self.total_paise)))
        return rows


def price_of(service: Service, profile: ProfessionalProfile | None) -> int:
    """A professional's price for their service (their own within the band, else the base)."""
    if profile is not None and profile.price_paise is not None and profile.service_id == service.id:
        low, high = band(service)
        return min(max(profile.price_paise, low), high)  # a band narrowed later clamps old prices
    return service.base_price_paise


def band(service: Service) -> tuple[int, int]:
    """The prices a professional may set, in whole rupees (paise), from the admin's band."""
    low = -(-service.base_price_paise * service.min_price_pct // 10_000) * 100  # rounded up to the rupee
    high = service.base_price_paise * service.max_price_pct // 10_000 * 100     # rounded down
    return low, max(low, high)


def band_label(service: Service) -> str:
    """The band as the professional's price field shows it: '₹400–₹749'."""
    low, high = band(service)
    return f"{rupees(low)}–{rupees(high)}"


def cancel_policy(service: Service) -> str:
    """The service's cancellation policy in one sentence, shown before "Confirm booking"; it says
    what `cancel_terms` applies, so the customer is never told one thing and charged another."""
    fee, hours = service.cancel_fee_paise, service.free_cancel_hours
    if fee == 0:
        return msg("svc_money.cancel_free_always")
    until = msg("svc_money.until_hour" if hours == 1 else "svc_money.until_hours", count=hours) if hours \
        else msg("svc_money.until_slot")
    return msg("svc_money.cancel_policy", until=until, fee=rupees(fee))


def check_price(service: Service, price_rupees: int) -> int:
    """The price in paise, or the message beside the field naming the band."""
    low, high = band(service)
    paise = price_rupees * 100
    if not low <= paise <= high:
        raise ValidationFailed({"price_rupees": msg("svc_money.price_band", low=rupees(low), high=rupees(high),
                                                    min_pct=service.min_price_pct, max_pct=service.max_price_pct,
                                                    base=rupees(service.base_price_paise))})
    return paise


def quote(service: Service, profile: ProfessionalProfile | None, *, platform_fee_paise: int) -> Breakdown:
    """The bill shown before "Confirm booking"."""
    return Breakdown(base_paise=service.base_price_paise, work_paise=price_of(service, profile), extras_paise=0,
                     platform_fee_paise=platform_fee_paise, gst_bps=GST_BPS, commission_bps=service.commission_bps)


def bill(req: ServiceRequest, base_paise: int | None = None) -> Breakdown:
    """The booking's bill from what was fixed when it was booked, plus approved extras."""
    return Breakdown(base_paise=req.price_paise if base_paise is None else base_paise, work_paise=req.price_paise,
                     extras_paise=req.extra_charge_paise, platform_fee_paise=req.platform_fee_paise,
                     gst_bps=req.gst_bps, commission_bps=req.commission_bps)


def amount_due(req: ServiceRequest) -> int:
    """What the customer owes for the booking as it stands (before what they already paid)."""
    if req.status is RequestStatus.cancelled:
        return req.cancel_fee_paise
    return bill(req).total_paise


@dataclass(frozen=True)
class CancelTerms:
    """The fee cancelling would cost now, and the sentence that explains it."""

    fee_paise: int
    reason: str


def cancel_terms(req: ServiceRequest, service: Service, *, now: datetime, by_customer: bool) -> CancelTerms:
    """The policy: free until a professional accepts and until `free_cancel_hours` before the slot;
    the service's fee after that; waived when the professional is at fault (late for the slot, or
    they asked to move it); HomeServe support never charges one."""
    hours = service.free_cancel_hours
    if not by_customer:
        return CancelTerms(0, msg("svc_money.no_fee_support"))
    if req.status is RequestStatus.requested:
        return CancelTerms(0, msg("svc_money.free_unaccepted"))
    if now <= req.scheduled_at - timedelta(hours=hours):
        return CancelTerms(0, msg("svc_money.free_hours_before", hours=hours))
    if now > req.scheduled_at + LATE_GRACE and req.started_at is None:
        return CancelTerms(0, msg("svc_money.no_fee_late"))
    if req.reschedule_to is not None and req.reschedule_by_id == req.professional_id:
        return CancelTerms(0, msg("svc_money.no_fee_moved"))
    fee = service.cancel_fee_paise
    return CancelTerms(fee, msg("svc_money.fee_applies", fee=rupees(fee), hours=hours))
