"""Everyday actions that failed in a real browser: double taps, blocked users' open tabs, deep links.

Each test drives the rendered page as a person does (dblclick is a real double click) and checks
both what the person sees and what the database holds.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import func, select

from hsa.models import Notification, ProfessionalProfile, RequestStatus, Role, Service, ServiceRequest, User
from hsa.services import bookings, sessions
from hsa.services.scheduling import IST
from tests.e2e.conftest import Server
from tests.e2e.pages import pick_slot
from tests.factories import actor_for, make_request, make_user, slot
from tests.polling import wait_until

LIVE = 3_000  # ms: a change made elsewhere shows within this, without a reload


def _signed_in(browser: Browser, server: Server, user: User, width: int = 375) -> BrowserContext:
    with server.session() as s:
        token = sessions.issue_session(session=s, user_id=user.id)
        s.commit()
    ctx = browser.new_context(base_url=server.url, viewport={"width": width, "height": 800})
    ctx.add_init_script(f"window.localStorage.setItem('hsa_session', {token!r});")
    return ctx


@pytest.fixture
def people(server: Server) -> Iterator[dict[str, User]]:
    """A fresh customer and an available plumber near them, for one test."""
    with server.session() as s:
        plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
        n = time.monotonic_ns()
        customer = make_user(s, email=f"everyday-c{n}@example.com", full_name="Everyday Customer")
        pro = make_user(s, role=Role.professional, service=plumbing, email=f"everyday-p{n}@example.com",
                        full_name="Everyday Plumber")
        profile = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
        profile.is_available = True
        s.add(profile)
        s.commit()
        yield {"customer": customer, "pro": pro, "service": plumbing}


def _count(server: Server, where: Callable[[], object]) -> int:
    with server.session() as s:
        return s.exec(select(func.count()).select_from(ServiceRequest).where(where())).one()


def test_double_clicking_confirm_booking_books_once(browser: Browser, server: Server, people: dict) -> None:
    customer = people["customer"]
    ctx = _signed_in(browser, server, customer)
    page = ctx.new_page()
    page.goto("/book")
    form = page.locator('form[data-form="book"]')
    form.get_by_label("Service").select_option(label=f"Plumbing · ₹{people['service'].base_price_paise // 100}")
    pick_slot(page, slot(2).astimezone(IST).date().isoformat(), "10:00")
    form.get_by_label("Remarks for the professional").fill("Double click")
    form.get_by_role("button", name="Confirm booking").dblclick()
    expect(page.locator("#my-requests")).to_be_visible()
    assert _count(server, lambda: ServiceRequest.customer_id == customer.id) == 1  # the database first:
    expect(page.locator(".request-card")).to_have_count(1)  # a second card without a second row is a list bug
    ctx.close()


def test_double_tapping_accept_tells_the_winner_the_job_is_theirs(browser: Browser, server: Server,
                                                                   people: dict) -> None:
    with server.session() as s:
        req = make_request(s, customer=people["customer"], service=people["service"], preferred=people["pro"])
    ctx = _signed_in(browser, server, people["pro"])
    page = ctx.new_page()
    page.goto("/professional")
    page.locator(f"#btn-accept-{req.id}").dblclick()
    expect(page.locator("#notice")).to_contain_text("Job accepted")
    expect(page.locator("#form-error")).to_have_count(0)
    with server.session() as s:
        row = s.get(ServiceRequest, req.id)
        assert row.status is RequestStatus.assigned and row.professional_id == people["pro"].id
    ctx.close()


def test_blocking_a_user_signs_out_every_open_tab_at_once(browser: Browser, server: Server, people: dict) -> None:
    customer = people["customer"]
    with server.session() as s:
        make_request(s, customer=customer, service=people["service"])
        boss = s.exec(select(User).where(User.role == Role.admin)).first()
    ctx = _signed_in(browser, server, customer)
    requests_tab, home_tab = ctx.new_page(), ctx.new_page()
    requests_tab.goto("/requests")
    expect(requests_tab.locator(".request-card")).to_have_count(1)
    home_tab.goto("/customer")
    expect(home_tab.locator("#customer-dashboard")).to_be_visible()
    admin_ctx = _signed_in(browser, server, boss, width=1280)
    admin = admin_ctx.new_page()
    admin.goto("/admin/users")
    admin.get_by_label("Name, email or phone").fill(customer.email)
    admin.get_by_role("button", name="Search users").click()
    admin.locator(f"#block-{customer.id}").click()
    admin.locator(f"#user-{customer.id}").get_by_label("Reason (kept in the audit log)").fill("Fraud reports")
    admin.get_by_role("button", name="Block account").click()
    expect(admin.locator("#notice")).to_contain_text("Blocked")
    for tab in (requests_tab, home_tab):  # no click, no reload: the push signs them out
        expect(tab.locator("#session-ended")).to_be_visible(timeout=LIVE)
        expect(tab.locator(".request-card")).to_have_count(0)
        expect(tab.locator("#main")).not_to_contain_text("1 Test Street")
    with server.session() as s:  # and their open request left the pool with them
        assert _count(server, lambda: (ServiceRequest.customer_id == customer.id)
                      & (ServiceRequest.status == RequestStatus.requested)) == 0
    ctx.close()
    admin_ctx.close()


def test_a_notification_opens_the_booking_it_is_about(browser: Browser, server: Server, people: dict) -> None:
    customer = people["customer"]
    with server.session() as s:
        reqs = [make_request(s, customer=customer, service=people["service"], scheduled_at=slot(d)) for d in (2, 3, 4)]
        target = reqs[1]
        bookings.transition(session=s, actor=actor_for(s, people["pro"]), request_id=target.id, action="accept")
        assert s.exec(select(Notification).where(Notification.user_id == customer.id,
                                                 Notification.request_id == target.id)).first()
    ctx = _signed_in(browser, server, customer)
    page = ctx.new_page()
    page.goto("/notifications")
    page.get_by_role("link", name="Open").first.click()
    expect(page).to_have_url(f"{server.url}/requests?request={target.id}")

    def read() -> bool:  # opening it read it: the bell stops counting it
        with server.session() as s:
            return s.exec(select(Notification.read_at).where(Notification.user_id == customer.id,
                                                             Notification.request_id == target.id)).one() is not None
    wait_until(read, timeout=5, what="the opened notification to be marked read")
    card = page.locator(f"#request-{target.id}")
    expect(card).to_have_class(re.compile(r"\bfocused\b"))
    expect(card).to_be_in_viewport()
    expect(page.locator(".focused")).to_have_count(1)
    ctx.close()


def test_searching_by_an_old_city_name_or_a_spaced_pincode_finds_professionals(
        browser: Browser, server: Server, people: dict) -> None:
    ctx = _signed_in(browser, server, people["customer"])
    page = ctx.new_page()
    page.goto("/customer")
    form = page.locator('form[data-form="search"]')
    for typed in ("Bangalore", "560 034"):
        form.get_by_label("Service").select_option(label="Plumbing")
        form.get_by_label("Pincode or locality").fill(typed)
        form.get_by_role("button", name="Search").click()
        expect(page.locator("#results .pro-result").first).to_be_visible()
        expect(page.locator("#pincode-error")).to_have_count(0)
    ctx.close()



def _book(page: Page, service: Service, day_offset: int) -> float:
    """Seconds from "Confirm booking" to the confirmation on My requests."""
    page.goto("/book")
    form = page.locator('form[data-form="book"]')
    form.get_by_label("Service").select_option(label=f"Plumbing · ₹{service.base_price_paise // 100}")
    pick_slot(page, slot(day_offset).astimezone(IST).date().isoformat(), "10:00")
    started = time.monotonic()
    form.get_by_role("button", name="Confirm booking").click()
    expect(page.locator("#notice")).to_contain_text("Booked")
    return time.monotonic() - started


def test_booking_does_not_wait_for_pushes_to_the_customers_other_tab(browser: Browser, server: Server,
                                                                     people: dict) -> None:
    """A second tab on My requests gets every booking pushed, and the tab the person books in is no
    slower for it. (The 2.3 s seen before came from booking in a *background* tab: Chromium throttles
    the timers of hidden tabs. Server-side the booking handler returned in 60–120 ms and the pushes
    to the other tab ran after it; a person books in the tab in front, as this test does.)"""
    ctx = _signed_in(browser, server, people["customer"])
    acting = ctx.new_page()
    alone = min(_book(acting, people["service"], d) for d in (2, 3))
    other = ctx.new_page()
    other.goto("/requests")
    expect(other.locator(".request-card")).to_have_count(2)
    acting.bring_to_front()
    with_tab = min(_book(acting, people["service"], d) for d in (4, 5))
    expect(other.locator(".request-card")).to_have_count(4, timeout=LIVE)  # the other tab did get the pushes
    assert with_tab < alone + 0.5, f"booking took {with_tab:.2f}s with My requests open elsewhere, {alone:.2f}s alone"
    ctx.close()


def test_my_requests_pages_history_with_show_older(browser: Browser, server: Server, people: dict) -> None:
    """A regular customer's page shows every open booking and the newest finished ones; "Show
    older" brings the rest, and the live page keeps what was opened when a push arrives."""
    customer, pro = people["customer"], people["pro"]
    with server.session() as s:
        upcoming = make_request(s, customer=customer, service=people["service"], scheduled_at=slot(3))
        past = [make_request(s, customer=customer, service=people["service"], status=RequestStatus.closed,
                             professional=pro) for _ in range(bookings.PAST_PAGE + 2)]
        s.commit()
    ctx = _signed_in(browser, server, customer)
    page = ctx.new_page()
    page.goto("/requests")
    cards = page.locator(".request-card")
    expect(cards).to_have_count(bookings.PAST_PAGE + 1)
    expect(cards.first).to_have_attribute("id", f"request-{upcoming.id}")
    expect(page.locator(f"#request-{past[0].id}")).to_have_count(0)  # the oldest waits for "Show older"
    older = page.get_by_role("button", name="Show older requests")
    older.click()
    expect(cards).to_have_count(bookings.PAST_PAGE + 3)
    expect(page.locator(f"#request-{past[0].id}")).to_be_visible()
    expect(older).to_have_count(0)
    pro_ctx = _signed_in(browser, server, pro)  # the professional accepts: a push to the open page
    board = pro_ctx.new_page()
    board.goto("/professional")
    board.locator(f"#btn-accept-{upcoming.id}").click()
    expect(page.locator(f"#request-{upcoming.id}")).to_contain_text("Accepted", timeout=LIVE)
    expect(cards).to_have_count(bookings.PAST_PAGE + 3)  # it kept the longer list
    pro_ctx.close()
    ctx.close()
