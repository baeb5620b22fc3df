"""Every route visited as every kind of user: allowed pages stay, others redirect.

Also checks the phone layout of each page a person can reach: no horizontal scroll at
375 px and 44 px tap targets for controls; and axe-core (WCAG 2.2 AA) finds no critical or
serious violation on it at 375 px or at 1280 px (issue #19).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import select

from hsa import routes
from hsa.models import NotificationKind, Role, User
from hsa.services import sessions
from hsa.services.notifications import notify
from tests.e2e.a11y import BLOCKING, axe_violations
from tests.e2e.a11y import assert_phone_layout as _assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import at

ACTORS: dict[str, tuple[str | None, Role | None]] = {
    "anonymous": (None, None),
    "customer": ("asha@example.com", Role.customer),
    "pending_pro": ("deepa@example.com", Role.professional),  # stays pending in every e2e test
    "approved_pro": ("ravi@example.com", Role.professional),
    "admin": ("admin@example.com", Role.admin),
}

# A heading or landmark unique to each page, seen only once its data has loaded.
MARKERS = {
    routes.INDEX: "text=Trusted home services",
    routes.LOGIN: "#login-form",
    routes.REGISTER: "#register-form",
    routes.REGISTER_PRO: "#register-pro-form",
    routes.CUSTOMER_HOME: "#customer-dashboard",
    routes.BOOK: "#book-form",
    routes.MY_REQUESTS: "#my-requests",
    routes.PRO_HOME: "#professional-dashboard",
    routes.PRO_EARNINGS: "#pro-earnings-page",
    routes.PRO_HOURS: "#working-hours-page",
    routes.PRO_PROFILE: "#pro-profile-page",
    routes.ADMIN_HOME: "#admin-dashboard",
    routes.ADMIN_PROS: "#admin-pros",
    routes.ADMIN_USERS: "#admin-users",
    routes.ADMIN_SERVICES: "#admin-services",
    routes.ADMIN_REQUESTS: "#admin-requests",
    routes.ADMIN_AUDIT: "#admin-audit",
    routes.ADMIN_PAYOUTS: "#admin-payouts",
    routes.ADMIN_FINANCE: "#admin-finance",
    routes.PROFILE: "#profile-form",
    routes.PASSWORD: "#password-form",
    routes.NOTIFICATIONS: "#notifications-page",
    routes.FORGOT_PASSWORD: "#forgot-form",
    routes.RESET_PASSWORD: "#link-closed",  # no token in the address: "ask for a new link"
    routes.VERIFY_EMAIL: "#form-error",     # likewise
    routes.VERIFY: "#email-step",
    routes.SESSIONS: "#devices",
    routes.CHAT: "#chat-page",  # no booking in the address: "not available"
    routes.ADMIN_REPORTS: "#admin-reports",
    routes.ADMIN_REVIEWS: "#admin-reviews",
    routes.ADMIN_DEMAND: "#admin-demand",
    routes.ADMIN_DISPUTES: "#admin-disputes",
    routes.ADMIN_QUALITY: "#admin-quality",
    routes.ADMIN_CHAT: "#admin-chat",
}


PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def contexts(browser: Browser, server: Server) -> Iterator[dict[str, BrowserContext]]:
    """One phone-sized browser context per actor, signed in by a token the server issued."""
    made: dict[str, BrowserContext] = {}
    with server.session() as s:
        for name, (email, _) in ACTORS.items():
            ctx = browser.new_context(base_url=server.url, viewport=PHONE)
            if email:
                user = s.exec(select(User).where(User.email == email)).one()
                # an unread notification, so the bell's badge is on every page the sweep checks
                notify(s, user_id=user.id, kind=NotificationKind.booking, title="Page matrix: unread")
                token = sessions.issue_session(session=s, user_id=user.id)
                s.commit()
                ctx.add_init_script(f"window.localStorage.setItem('hsa_session', {token!r});")
            made[name] = ctx
    yield made
    for ctx in made.values():
        ctx.close()


@pytest.fixture(scope="module")
def pages(contexts: dict[str, BrowserContext]) -> dict[str, Page]:
    return {name: ctx.new_page() for name, ctx in contexts.items()}


CELLS = [(actor, route) for actor in ACTORS for route in routes.PAGE_ACCESS]


@pytest.mark.parametrize(("actor", "route"), CELLS, ids=[f"{a}:{r}" for a, r in CELLS])
def test_route_access(pages: dict[str, Page], actor: str, route: str) -> None:
    page = pages[actor]
    role = ACTORS[actor][1]
    expected = routes.redirect_for(route, role) or route
    page.goto(route)
    expect(page.locator(MARKERS[expected])).to_be_visible()
    expect(page).to_have_url(at(expected))
    expect(page.locator("#nav-links")).to_be_visible()  # the guard has run
    if expected == route:  # allowed: must not bounce after the guard's answer
        expect(page).to_have_url(at(route))
    _assert_phone_layout(page)
    if expected == route:  # each page once per role (a redirect lands on a page with its own cell)
        if ACTORS[actor][0]:
            expect(page.locator("#bell-count")).to_be_visible()  # the badge is part of what is checked
        found = axe_at_both_widths(page)
        assert not any(found.values()), f"axe on {route} as {actor}: {found}"


def axe_at_both_widths(page: Page) -> dict[str, list[str]]:
    """Blocking axe findings at 375 px, then at 1280 px (the page is left at phone size)."""
    found = {"375 px": axe_violations(page, impacts=BLOCKING)}
    page.set_viewport_size(DESKTOP)
    try:
        found["1280 px"] = axe_violations(page, impacts=BLOCKING)
    finally:
        page.set_viewport_size(PHONE)
    return found


def test_matrix_covers_every_route_and_actor() -> None:
    assert {r for _, r in CELLS} == set(routes.PAGE_ACCESS) and len(CELLS) == len(ACTORS) * len(routes.PAGE_ACCESS)
