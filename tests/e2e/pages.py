"""Page objects: how a person uses each page, so tests read like journeys."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect


def at(path: str) -> re.Pattern[str]:
    """URL matcher for a route; the static export serves pages with a trailing slash."""
    return re.compile(rf"^https?://[^/]+{re.escape(path.rstrip('/'))}/?(\?.*)?$")


class LoginPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> LoginPage:
        self.page.goto("/login")
        expect(self.page.locator("#nav-links")).to_be_visible()
        return self

    def log_in(self, email: str, password: str) -> None:
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()

    @property
    def error(self):  # noqa: ANN201 - playwright Locator
        return self.page.locator("#form-error")


class RegisterPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self, professional: bool = False) -> RegisterPage:
        self.page.goto("/register/professional" if professional else "/register")
        expect(self.page.locator("#nav-links")).to_be_visible()
        return self

    def fill(self, **fields: str) -> RegisterPage:
        for name, value in fields.items():
            locator = self.page.locator(f"#{name}")
            if locator.evaluate("e => e.tagName") == "SELECT":
                locator.select_option(label=value)
            else:
                locator.fill(value)
        return self

    def submit(self, label: str = "Create account") -> None:
        self.page.get_by_role("button", name=label).click()

    def field_error(self, name: str):  # noqa: ANN201
        return self.page.locator(f"#{name}-error")


def log_out(page: Page) -> None:
    page.locator("#logout").click()
    expect(page).to_have_url(at("/login"))


def signed_in(browser: Browser, server: Any, user_id: int, route: str, *, width: int = 375) -> Page:
    """`open_as` with a fresh session token for `user_id` (issued as the login would)."""
    from hsa.services import sessions

    with server.session() as s:
        token = sessions.issue_session(session=s, user_id=user_id)
        s.commit()
    return open_as(browser, server.url, token, route, width=width)


def open_as(browser: Browser, server_url: str, token: str, route: str, *, width: int = 375) -> Page:
    """A new phone-sized browser already signed in with `token` (as the app's own login stores
    it), on `route` once the page has rendered."""
    ctx = browser.new_context(base_url=server_url, viewport={"width": width, "height": 800})
    ctx.add_init_script(f"window.localStorage.setItem('hsa_session', {token!r});")
    page = ctx.new_page()
    page.goto(route)
    expect(page.locator("#nav-links")).to_be_visible()
    return page


class GatewayPage:
    """The payment gateway's hosted page (the built-in test gateway: Razorpay's sandbox look)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        expect(page.get_by_text("TEST MODE", exact=True)).to_be_visible()

    def pay(self, method: str = "upi", *, fail: bool = False) -> None:
        """Choose UPI / Card / Netbanking (prefilled test details) and press Pay or Fail."""
        self.page.locator(f"#m-{method}").check()
        if fail:
            self.page.get_by_role("button", name="Fail payment").click()
        else:
            self.page.get_by_role("button", name=re.compile(r"^Pay ₹")).click()


def mailed_link(server: Any, to: str, path: str) -> str:
    """The newest link to `path` the server mailed to `to` (its outbox folder, as the person's inbox)."""
    from tests.factories import mailed

    for text in reversed(mailed(server.log.parent, to)):
        if found := re.search(rf"https?://\S+{re.escape(path)}\?token=\S+", text):
            return found.group(0)
    raise AssertionError(f"no mail to {to} with a {path} link")


def texted_code(server: Any, phone: str) -> str:
    """The newest 6-digit code the server texted to `phone` (its SMS outbox)."""
    for sms in sorted((server.log.parent / "sms-outbox").glob("*.txt"), reverse=True):
        text = sms.read_text()
        if text.startswith(f"To: {phone}\n") and (found := re.search(r"\b(\d{6})\b", text.split("\n", 2)[2])):
            return found.group(1)
    raise AssertionError(f"no code texted to {phone}")


def pick_slot(page: Page, day: str, at: str) -> None:
    """Choose a day and a start time in the booking form's slot picker as a person does: "Later
    days" until that day's chip shows, click it, then click the time's chip."""
    day_input = page.locator(f'#day-chips input[value="{day}"]')
    first = page.locator("#day-chips input").first
    expect(first).to_be_attached()
    for _ in range(9):
        if day_input.count():
            break
        shown = first.get_attribute("value")
        page.get_by_role("button", name="Later days").click()
        expect(first).not_to_have_value(shown or "")
    page.locator("#day-chips label.chip", has=page.locator(f'input[value="{day}"]')).click()
    expect(day_input).to_be_checked()
    time_input = page.locator(f'#time-chips input[value="{at}"]')
    page.locator("#time-chips label.chip", has=page.locator(f'input[value="{at}"]')).click()
    expect(time_input).to_be_checked()
