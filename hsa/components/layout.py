"""Page template: `@template(route=..., title=...)` wraps rx.page with the role's navbar."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP
from hsa.state.auth import SessionState
from hsa.state.notifications import NotificationState


def _link(label: str, href: str) -> rx.Component:
    return rx.link(label, href=href, class_name="nav-link", underline="none")


def _role_links() -> rx.Component:
    return rx.match(
        SessionState.viewer_role,
        ("customer", rx.fragment(_link("Home", routes.CUSTOMER_HOME), _link("My requests", routes.MY_REQUESTS))),
        ("professional", rx.fragment(_link("Home", routes.PRO_HOME), _link("Hours", routes.PRO_HOURS),
                                         _link("Earnings", routes.PRO_EARNINGS))),
        ("admin", rx.fragment(_link("Dashboard", routes.ADMIN_HOME), _link("Professionals", routes.ADMIN_PROS),
                              _link("Users", routes.ADMIN_USERS), _link("Services", routes.ADMIN_SERVICES),
                              _link("Requests", routes.ADMIN_REQUESTS), _link("Payouts", routes.ADMIN_PAYOUTS),
                              _link("Finance", routes.ADMIN_FINANCE), _link("Reports", routes.ADMIN_REPORTS),
                              _link("Disputes", routes.ADMIN_DISPUTES), _link("Quality", routes.ADMIN_QUALITY),
                              _link("Reviews", routes.ADMIN_REVIEWS), _link("Demand", routes.ADMIN_DEMAND),
                              _link("Audit", routes.ADMIN_AUDIT))),
        rx.fragment(_link("Log in", routes.LOGIN), _link("Sign up", routes.REGISTER)),
    )


def bell() -> rx.Component:
    """Unread count, live on every page; the link's accessible name carries the number."""
    return rx.link(
        rx.icon("bell", size=20, aria_hidden="true"),
        rx.cond(NotificationState.unread > 0,
                rx.badge(NotificationState.unread, color_scheme="red", variant="solid", id="bell-count")),
        href=routes.NOTIFICATIONS, aria_label=NotificationState.bell_label, id="bell",
        class_name="nav-link bell", underline="none",
    )


def navbar() -> rx.Component:
    signed_in = SessionState.viewer_role != ""
    return rx.el.nav(
        rx.hstack(
            rx.link(rx.heading("HomeServe", size="5"), href=routes.INDEX, underline="none",
                    class_name="nav-brand"),
            rx.cond(SessionState.checked, rx.hstack(
                _role_links(),
                rx.cond(signed_in, rx.fragment(
                    bell(),
                    _link("Profile", routes.PROFILE),
                    rx.button("Log out", on_click=SessionState.logout, variant="soft", size="3",
                              min_height=TAP, id="logout"),
                )),
                spacing="2", wrap="wrap", align="center", justify="end", id="nav-links",
            )),
            justify="between", align="center", wrap="wrap", width="100%", spacing="2",
        ),
        aria_label="Main", class_name="navbar",
    )


def _verify_banner() -> rx.Component:
    """Signed in but not yet proven (issue #17): browsing works, booking and accepting wait."""
    show = (SessionState.viewer_role != "") & ~SessionState.viewer_verified
    return rx.cond(show, rx.callout(
        rx.hstack(rx.text("Confirm your email address and mobile number to book or accept jobs."),
                  rx.link("Verify now", href=routes.VERIFY, id="verify-now", min_height=TAP,
                          display="inline-flex", align_items="center"),
                  wrap="wrap", spacing="2", align="center"),
        icon="shield_check", color_scheme="amber", id="verify-banner", width="100%", margin_bottom="1rem"))


def _session_ended() -> rx.Component:
    """Shown in place of every page once a push found the session gone (blocked, revoked)."""
    return rx.callout(rx.vstack(rx.text(SessionState.flash), rx.link("Log in", href=routes.LOGIN, id="login-again")),
                      icon="lock", color_scheme="amber", id="session-ended", width="100%")


def template(*, route: str, title: str, on_load: rx.event.EventType | None = None) -> Callable:
    """Register a page with the shared chrome; one decorator so every page looks alike."""

    def wrap(body: Callable[[], rx.Component]) -> rx.Component:
        def page() -> rx.Component:
            return rx.box(
                navbar(),
                rx.el.main(rx.cond(SessionState.ended, _session_ended(), rx.fragment(_verify_banner(), body())),
                           class_name="page-body", id="main"),
                class_name="app-shell",
            )

        page.__name__ = body.__name__
        # One event per page load: the page's guard also fills the bell (`auth.PagePart`).
        return rx.page(route=route, title=f"{title} · HomeServe", on_load=on_load or NotificationState.load)(page)

    return wrap
