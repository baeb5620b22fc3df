"""Route registry: unique paths, a rule for each, and the access table as the UI applies it."""

from __future__ import annotations

import pytest

from hsa import routes
from hsa.models import Role

ALL = [v for k, v in vars(routes).items() if k.isupper() and isinstance(v, str) and v.startswith("/")]


def test_routes_are_unique_and_all_have_an_access_rule() -> None:
    assert len(ALL) == len(set(ALL))
    assert set(ALL) == set(routes.PAGE_ACCESS)


EXPECTED = {
    # route:               anonymous     customer        professional     admin
    routes.INDEX:         (None,         None,           None,            None),
    routes.LOGIN:         (None,         "/customer",    "/professional", "/admin"),
    routes.REGISTER:      (None,         "/customer",    "/professional", "/admin"),
    routes.REGISTER_PRO:  (None,         "/customer",    "/professional", "/admin"),
    routes.CUSTOMER_HOME: ("/login",     None,           "/professional", "/admin"),
    routes.BOOK:          ("/login",     None,           "/professional", "/admin"),
    routes.MY_REQUESTS:   ("/login",     None,           "/professional", "/admin"),
    routes.PRO_HOME:      ("/login",     "/customer",    None,            "/admin"),
    routes.PRO_EARNINGS:  ("/login",     "/customer",    None,            "/admin"),
    routes.PRO_HOURS:     ("/login",     "/customer",    None,            "/admin"),
    routes.ADMIN_HOME:    ("/login",     "/customer",    "/professional", None),
    routes.ADMIN_PROS:    ("/login",     "/customer",    "/professional", None),
    routes.ADMIN_USERS:   ("/login",     "/customer",    "/professional", None),
    routes.ADMIN_SERVICES: ("/login",    "/customer",    "/professional", None),
    routes.ADMIN_REQUESTS: ("/login",    "/customer",    "/professional", None),
    routes.ADMIN_AUDIT:   ("/login",     "/customer",    "/professional", None),
    routes.ADMIN_PAYOUTS: ("/login",     "/customer",    "/professional", None),
    routes.ADMIN_FINANCE: ("/login",     "/customer",    "/professional", None),
    routes.PROFILE:       ("/login",     None,           None,            None),
    routes.PASSWORD:      ("/login",     None,           None,            None),
    routes.NOTIFICATIONS: ("/login",     None,           None,            None),
    routes.FORGOT_PASSWORD: (None,       "/customer",    "/professional", "/admin"),
    routes.RESET_PASSWORD: (None,        None,           None,            None),
    routes.PRO_PROFILE:   (None,         None,           None,            None),
    routes.VERIFY_EMAIL:  (None,         None,           None,            None),
    routes.VERIFY:        ("/login",     None,           None,            None),
    routes.SESSIONS:      ("/login",     None,           None,            None),
    routes.CHAT:          ("/login",     None,           None,            "/admin"),
    routes.ADMIN_REPORTS: ("/login",     "/customer",    "/professional", None),
    routes.ADMIN_REVIEWS: ("/login",     "/customer",    "/professional", None),
    routes.ADMIN_DEMAND:  ("/login",     "/customer",    "/professional", None),
    routes.ADMIN_DISPUTES: ("/login",    "/customer",    "/professional", None),
    routes.ADMIN_QUALITY: ("/login",     "/customer",    "/professional", None),
    routes.ADMIN_CHAT:    ("/login",     "/customer",    "/professional", None),
}


@pytest.mark.parametrize("route", list(EXPECTED))
def test_redirect_table(route: str) -> None:
    got = tuple(routes.redirect_for(route, r) for r in (None, Role.customer, Role.professional, Role.admin))
    assert got == EXPECTED[route]


def test_expected_table_covers_every_route() -> None:
    assert set(EXPECTED) == set(ALL)
