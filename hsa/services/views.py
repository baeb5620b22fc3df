"""Read-only views returned by services: frozen dataclasses safe to put in UI state or JSON.

They never hold password hashes or tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

from hsa.services.wording import group_digits


@dataclass(frozen=True)
class ServiceView:
    id: int
    name: str
    description: str
    base_price_paise: int
    duration_minutes: int
    is_active: bool
    extra_cap_factor: int = 3       # extras on one job: at most this many times the base price
    completion_code: bool = False   # the customer's code is asked at completion too
    # money policy (issue #16, see hsa.services.money.pricing); defaults are the table's
    min_price_pct: int = 80         # professionals' own prices: from this % of the base ...
    max_price_pct: int = 150        # ... to this %
    commission_bps: int = 2000      # HomeServe's share of the work
    cancel_fee_paise: int = 9900    # a late cancellation's fee, incl. GST
    free_cancel_hours: int = 3      # free until this long before an accepted slot

    @property
    def price_label(self) -> str:
        return rupees(self.base_price_paise)


@dataclass(frozen=True)
class ProfileView:
    id: int
    full_name: str
    email: str
    phone: str
    address: str
    pincode: str
    locality: str
    role: str
    service_name: str = ""
    experience_years: int = 0
    bio: str = ""
    approval_status: str = ""
    approval_reason: str = ""
    document_name: str = ""
    document_uploaded: str = ""
    service_id: int | None = None


@dataclass(frozen=True)
class SignupResult:
    """The same answer for every sign-up, new address or taken (no account enumeration)."""

    email: str
    message: str


@dataclass(frozen=True)
class LoginResult:
    """The raw token goes to the client once; `home` is the role's landing route."""

    token: str
    user_id: int
    role: str
    device_token: str = ""  # marks this browser as one the account has used (see services/signin.py)


def rupees(paise: int) -> str:
    """'₹1,499' or '₹1,499.50' with Indian digit grouping (lakh/crore)."""
    whole, frac = divmod(paise, 100)
    return f"₹{group_digits(whole)}" + (f".{frac:02d}" if frac else "")
