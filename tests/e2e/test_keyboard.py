"""A keyboard-only journey (issue #19, WCAG 2.1.1 / 2.4.7 / 3.3.1), at phone width.

A new customer registers, confirms their email and number, searches, books with the slot picker,
and a professional accepts, starts and completes the job — every step with Tab, Shift+Tab, Enter,
Space and the arrow keys only (page.goto stands in for following the mailed link and for typing a
URL). At every Tab the focused element must show a focus ring. A refused form announces its
message (role=alert) and moves focus to the first field to fix.
"""

from __future__ import annotations

import itertools
import re
import time

from playwright.sync_api import Browser, Locator, Page, expect
from sqlmodel import select

from hsa.models import RequestStatus, Role, ServiceRequest, User
from hsa.services.scheduling import IST
from tests.e2e.conftest import Server
from tests.e2e.pages import at, mailed_link, signed_in, texted_code
from tests.factories import make_service, make_user
from tests.polling import wait_until

_n = itertools.count(1)
RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'body';
  const box = el.matches('.chip-input') ? el.closest('.chip') : el;
  const s = getComputedStyle(box);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow || 'none') !== 'none';
  return ring ? '' : el.outerHTML.slice(0, 120);
}"""


def tab_to(page: Page, target: str | Locator, *, back: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until `target` (a CSS selector or a locator) has focus, checking
    the focus ring at every stop."""
    where = page.locator(target) if isinstance(target, str) else target
    expect(where.first).to_be_attached()
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        missing = page.evaluate(RING)
        assert missing in ("", "body"), f"no visible focus ring on {missing}"
        if where.evaluate_all("els => els.includes(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {target} on {page.url}")


def _texted(server: Server, phone: str) -> bool:
    try:
        return bool(texted_code(server, phone))
    except AssertionError:  # not written yet
        return False


def type_into(page: Page, name: str, text: str) -> None:
    tab_to(page, f'[name="{name}"]')
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_register_book_and_do_the_job_with_the_keyboard_only(browser: Browser, server: Server) -> None:
    tag = f"{time.monotonic_ns() % 10**6}{next(_n)}"
    email = f"keys-{tag}@example.com"
    with server.session() as s:
        service = make_service(s, name=f"Keyboard Test Fan Fitting {tag}", minutes=60)
        pro = make_user(s, role=Role.professional, service=service, email=f"keys-pro-{tag}@example.com",
                        full_name="Kiran Keys", pincode="560034")
    ctx = browser.new_context(base_url=server.url, viewport={"width": 375, "height": 800})
    page = ctx.new_page()

    # Register: a bad pincode first, refused beside the field with focus moved there.
    page.goto("/register")
    expect(page.locator("#nav-links")).to_be_visible()
    fields = dict(full_name="Tara Keys", email=email, phone=f"98{int(tag) % 10**8:08d}",
                  password="Mango-Kite-Rain-7", address="3, 80 Feet Road", pincode="12")
    for name, value in fields.items():
        type_into(page, name, value)
    page.keyboard.press("Enter")
    expect(page.locator("#pincode-error")).to_have_attribute("role", "alert")
    expect(page.locator('[name="pincode"]')).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("560034")
    page.keyboard.press("Enter")
    expect(page.locator("#signup-sent")).to_contain_text(email)

    # Confirm the email (the mailed link), then the number: "Text me a code", type it, Enter.
    page.goto(mailed_link(server, email, "/verify-email"))
    tab_to(page, page.get_by_role("button", name="Confirm my email"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(at("/verify"))
    tab_to(page, page.get_by_role("button", name="Text me a code"))
    page.keyboard.press("Enter")
    with server.session() as s:
        phone = s.exec(select(User.phone).where(User.email == email)).one()
    expect(page.locator('[name="code"]')).to_be_visible()
    wait_until(lambda: _texted(server, phone), timeout=10, what="the SMS code in the outbox")
    type_into(page, "code", texted_code(server, phone))
    page.keyboard.press("Enter")
    expect(page.locator("#verified-all")).to_be_visible()

    # Search: the service select with the arrow keys, then Enter on "Search".
    page.goto("/customer")
    tab_to(page, "#search-service")
    while page.locator("#search-service").evaluate("e => e.options[e.selectedIndex].text") != service.name:
        page.keyboard.press("ArrowDown")
    tab_to(page, page.get_by_role("button", name="Search"))
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_contain_text("Kiran Keys")
    tab_to(page, "#results a[href*='/book']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(at("/book"))
    expect(page.locator("#preferred")).to_contain_text("Kiran Keys")

    # The slot picker: Tab into the days, an arrow to the next open day, Tab into the times, an arrow.
    expect(page.locator("#time-chips input").first).to_be_attached()
    tab_to(page, "#day-chips input:checked")
    first_day = page.locator("#day-chips input:checked").get_attribute("value")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#day-chips input:checked")).not_to_have_value(first_day or "")
    chosen_day = page.locator("#day-chips input:checked").get_attribute("value")
    expect(page.locator("#time-chips input").first).to_be_attached()
    tab_to(page, "#time-chips input")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#time-chips input:checked")).to_have_value("08:30")
    tab_to(page, page.get_by_role("button", name="Confirm booking"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(at("/requests"))
    with server.session() as s:
        req = s.exec(select(ServiceRequest).where(ServiceRequest.service_id == service.id)).one()
        assert req.preferred_professional_id == pro.id and req.status is RequestStatus.requested
    code = page.locator(f"#code-{req.id}")

    # The professional: Accept, Start with the customer's code, Complete — keyboard only.
    work = signed_in(browser, server, pro.id, "/professional")
    tab_to(work, f"#btn-accept-{req.id}")
    work.keyboard.press("Enter")
    expect(work.locator("#upcoming")).to_contain_text(service.name)
    expect(code).to_have_text(re.compile(r"^\d{4}$"))
    tab_to(work, f"#btn-start-{req.id}")
    work.keyboard.press("Enter")
    type_into(work, "code", code.inner_text())
    work.keyboard.press("Enter")
    expect(work.locator(f"#btn-complete-{req.id}")).to_be_visible()
    tab_to(work, f"#btn-complete-{req.id}")
    work.keyboard.press("Enter")
    tab_to(work, work.get_by_role("button", name="Confirm completed"))
    work.keyboard.press("Enter")
    expect(page.locator(f"#request-{req.id}")).to_contain_text("Completed")
    with server.session() as s:
        done = s.get(ServiceRequest, req.id)
        assert done is not None and done.status is RequestStatus.completed
        assert done.scheduled_at.astimezone(IST).date().isoformat() == chosen_day
    ctx.close()
    work.context.close()
