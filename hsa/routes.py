"""Route constants and who may open each page (the UI's view; services enforce the real rules)."""

from __future__ import annotations

from enum import Enum

from hsa.models import Role

INDEX = "/"
LOGIN = "/login"
REGISTER = "/register"
REGISTER_PRO = "/register/professional"
CUSTOMER_HOME = "/customer"
BOOK = "/book"
MY_REQUESTS = "/requests"
PRO_HOME = "/professional"
PRO_EARNINGS = "/professional/earnings"
PRO_HOURS = "/professional/hours"  # weekly hours, buffer, days off (hsa.services.availability)
ADMIN_HOME = "/admin"
ADMIN_PROS = "/admin/professionals"
ADMIN_USERS = "/admin/users"
ADMIN_SERVICES = "/admin/services"
ADMIN_REQUESTS = "/admin/requests"
ADMIN_AUDIT = "/admin/audit"
ADMIN_PAYOUTS = "/admin/payouts"
ADMIN_FINANCE = "/admin/finance"
PROFILE = "/profile"
PASSWORD = "/password"  # noqa: S105 - a route, not a secret
NOTIFICATIONS = "/notifications"
FORGOT_PASSWORD = "/forgot-password"  # noqa: S105 - a route, not a secret
RESET_PASSWORD = "/reset-password"  # noqa: S105 - the mailed link's page (hsa.services.recovery)
VERIFY_EMAIL = "/verify-email"  # the sign-up link's page (hsa.services.verification)
VERIFY = "/verify"
SESSIONS = "/sessions"
CHAT = "/chat"  # ?request=<id>: the booking's thread
ADMIN_REPORTS = "/admin/reports"
ADMIN_DISPUTES = "/admin/disputes"
ADMIN_QUALITY = "/admin/quality"
ADMIN_REVIEWS = "/admin/reviews"  # flagged reviews to hide or keep (hsa.services.review_flags)
ADMIN_DEMAND = "/admin/demand"  # demand forecasts and where to recruit (hsa.services.intelligence)
PRO_PROFILE = "/pro"  # ?id=<user id>: a professional's public profile (hsa.services.pro_profiles)
ADMIN_CHAT = "/admin/chat"  # ?request=<id>: a reported booking's thread, read-only and audited


class Access(Enum):
    PUBLIC = "public"        # anyone
    GUEST = "guest"          # anonymous only; logged-in users go to their home
    SIGNED_IN = "signed_in"  # any role


PAGE_ACCESS: dict[str, Access | frozenset[Role]] = {
    INDEX: Access.PUBLIC,
    LOGIN: Access.GUEST,
    REGISTER: Access.GUEST,
    REGISTER_PRO: Access.GUEST,
    CUSTOMER_HOME: frozenset({Role.customer}),
    BOOK: frozenset({Role.customer}),
    MY_REQUESTS: frozenset({Role.customer}),
    PRO_HOME: frozenset({Role.professional}),
    PRO_EARNINGS: frozenset({Role.professional}),
    PRO_HOURS: frozenset({Role.professional}),
    ADMIN_HOME: frozenset({Role.admin}),
    ADMIN_PROS: frozenset({Role.admin}),
    ADMIN_USERS: frozenset({Role.admin}),
    ADMIN_SERVICES: frozenset({Role.admin}),
    ADMIN_REQUESTS: frozenset({Role.admin}),
    ADMIN_AUDIT: frozenset({Role.admin}),
    ADMIN_PAYOUTS: frozenset({Role.admin}),
    ADMIN_FINANCE: frozenset({Role.admin}),
    PROFILE: Access.SIGNED_IN,
    PASSWORD: Access.SIGNED_IN,
    NOTIFICATIONS: Access.SIGNED_IN,
    FORGOT_PASSWORD: Access.GUEST,
    RESET_PASSWORD: Access.PUBLIC,  # a signed-in person may follow a reset link too
    VERIFY_EMAIL: Access.PUBLIC,
    VERIFY: Access.SIGNED_IN,
    SESSIONS: Access.SIGNED_IN,
    CHAT: frozenset({Role.customer, Role.professional}),
    ADMIN_REPORTS: frozenset({Role.admin}),
    ADMIN_DISPUTES: frozenset({Role.admin}),
    ADMIN_QUALITY: frozenset({Role.admin}),
    ADMIN_REVIEWS: frozenset({Role.admin}),
    ADMIN_DEMAND: frozenset({Role.admin}),
    ADMIN_CHAT: frozenset({Role.admin}),
    PRO_PROFILE: Access.PUBLIC,
}

HOME_FOR_ROLE: dict[Role, str] = {
    Role.customer: CUSTOMER_HOME,
    Role.professional: PRO_HOME,
    Role.admin: ADMIN_HOME,
}


REQUEST_PAGE_FOR_ROLE: dict[Role, str] = {
    Role.customer: MY_REQUESTS,
    Role.professional: PRO_HOME,
    Role.admin: ADMIN_REQUESTS,
}
FOCUS_PARAM = "request"  # ?request=<id>: the page scrolls to and highlights that booking


def book_url(service_id: int, pro_id: int) -> str:
    """The booking form addressed to one professional (search, favourites, "Book again")."""
    return f"{BOOK}?service={service_id}&pro={pro_id}"


def profile_url(pro_id: int) -> str:
    return f"{PRO_PROFILE}?id={pro_id}"


def request_url(role: Role, request_id: int) -> str:
    """Where a person of `role` sees one booking (notification deep links)."""
    return f"{REQUEST_PAGE_FOR_ROLE[role]}?{FOCUS_PARAM}={request_id}"


def redirect_for(route: str, role: Role | None) -> str | None:
    """None when `role` (None = anonymous) may open `route`, else where to send them."""
    rule = PAGE_ACCESS[route]
    if rule is Access.PUBLIC:
        return None
    if rule is Access.GUEST:
        return None if role is None else HOME_FOR_ROLE[role]
    if role is None:
        return LOGIN
    if rule is Access.SIGNED_IN or role in rule:
        return None
    return HOME_FOR_ROLE[role]

