"""Page template: `@template(route=..., title=...)` wraps rx.page with the role's navbar."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from hsa import i18n, routes
from hsa.components.forms import TAP
from hsa.i18n.catalog import messages
from hsa.state.auth import SessionState
from hsa.state.locale import LocaleState, t, tf
from hsa.state.notifications import NotificationState


def _link(key: str, href: str) -> rx.Component:
    return rx.link(t(key), href=href, class_name="nav-link", underline="none")


def _role_links() -> rx.Component:
    return rx.match(
        SessionState.viewer_role,
        ("customer", rx.fragment(_link("nav.home", routes.CUSTOMER_HOME),
                                 _link("nav.my_requests", routes.MY_REQUESTS))),
        ("professional", rx.fragment(_link("nav.home", routes.PRO_HOME), _link("nav.hours", routes.PRO_HOURS),
                                         _link("nav.earnings", routes.PRO_EARNINGS))),
        ("admin", rx.fragment(_link("nav.dashboard", routes.ADMIN_HOME), _link("nav.professionals", routes.ADMIN_PROS),
                              _link("nav.users", routes.ADMIN_USERS), _link("nav.services", routes.ADMIN_SERVICES),
                              _link("nav.requests", routes.ADMIN_REQUESTS), _link("nav.payouts", routes.ADMIN_PAYOUTS),
                              _link("nav.finance", routes.ADMIN_FINANCE), _link("nav.reports", routes.ADMIN_REPORTS),
                              _link("nav.disputes", routes.ADMIN_DISPUTES), _link("nav.quality", routes.ADMIN_QUALITY),
                              _link("nav.reviews", routes.ADMIN_REVIEWS), _link("nav.demand", routes.ADMIN_DEMAND),
                              _link("nav.audit", routes.ADMIN_AUDIT))),
        rx.fragment(_link("nav.log_in", routes.LOGIN), _link("nav.sign_up", routes.REGISTER)),
    )


def bell() -> rx.Component:
    """Unread count, live on every page; the link's accessible name carries the number."""
    return rx.link(
        rx.icon("bell", size=20, aria_hidden="true"),
        rx.cond(NotificationState.unread > 0,
                rx.badge(NotificationState.unread, color_scheme="red", variant="solid", id="bell-count")),
        href=routes.NOTIFICATIONS, id="bell",
        aria_label=rx.cond(NotificationState.unread > 0, tf("nav.bell_unread", count=NotificationState.unread),
                           t("nav.bell")),
        class_name="nav-link bell", underline="none",
    )


def language_switcher() -> rx.Component:
    """On every page, for guests too: each language named in itself, a native select (keyboard,
    screen readers and phones' pickers work as people expect); choosing reloads the page's data."""
    return rx.el.label(
        rx.el.span(t("nav.language"), class_name="sr-only"),
        rx.el.select(
            *[rx.el.option(name, value=code, lang=code) for code, name in i18n.NAMES.items()],
            value=LocaleState.code, on_change=LocaleState.choose, id="language",
            class_name="language-select",
        ),
        class_name="language-switcher",
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
                    _link("nav.profile", routes.PROFILE),
                    rx.button(t("nav.log_out"), on_click=SessionState.logout, variant="soft", size="3",
                              min_height=TAP, id="logout"),
                )),
                spacing="2", wrap="wrap", align="center", justify="end", id="nav-links",
            )),
            language_switcher(),
            justify="between", align="center", wrap="wrap", width="100%", spacing="2",
        ),
        aria_label=t("nav.main"), class_name="navbar",
    )


def _verify_banner() -> rx.Component:
    """Signed in but not yet proven (issue #17): browsing works, booking and accepting wait."""
    show = (SessionState.viewer_role != "") & ~SessionState.viewer_verified
    return rx.cond(show, rx.callout(
        rx.hstack(rx.text(t("nav.verify_banner")),
                  rx.link(t("nav.verify_now"), href=routes.VERIFY, id="verify-now", min_height=TAP,
                          display="inline-flex", align_items="center"),
                  wrap="wrap", spacing="2", align="center"),
        icon="shield_check", color_scheme="amber", id="verify-banner", width="100%", margin_bottom="1rem"))


def _session_ended() -> rx.Component:
    """Shown in place of every page once a push found the session gone (blocked, revoked)."""
    again = rx.link(t("nav.log_in"), href=routes.LOGIN, id="login-again")
    return rx.callout(rx.vstack(rx.text(SessionState.flash), again),
                      icon="lock", color_scheme="amber", id="session-ended", width="100%")


def _title(key: str) -> rx.Var:
    brand = rx.Var.create(" · HomeServe")
    return (t(key).to(str) + brand) if key in messages(i18n.DEFAULT) else rx.Var.create(key) + brand


def template(*, route: str, title: str, on_load: rx.event.EventType | None = None) -> Callable:
    """Register a page with the shared chrome; one decorator so every page looks alike.

    `title` is a catalog key: the tab's title follows the page's language too.
    """

    def wrap(body: Callable[[], rx.Component]) -> rx.Component:
        def page() -> rx.Component:
            return rx.box(
                navbar(),
                rx.el.main(rx.cond(SessionState.ended, _session_ended(), rx.fragment(_verify_banner(), body())),
                           class_name="page-body", id="main"),
                class_name="app-shell", lang=LocaleState.code,
            )

        page.__name__ = body.__name__
        # One event per page load: the page's guard also fills the bell (`auth.PagePart`).
        return rx.page(route=route, title=_title(title), on_load=on_load or NotificationState.load)(page)

    return wrap
