"""Working hours and the slot picker (issue #19), in the browser at phone width.

A professional types their weekly hours (two ranges on one day), a travel gap and a day off into
the rendered forms; a customer opening Book sees exactly the start times that professional is
free for, the day off shown full, picks a time by tapping its chip and books; once the
professional accepts, a second customer no longer sees the times that job and its gap cover.
Every page is checked with axe-core and for the 375 px layout.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from hsa.models import AvailabilityOverride, ProfessionalProfile, Role, Service, ServiceRequest, User, utcnow
from hsa.services.availability import WEEKDAY_NAMES
from hsa.services.scheduling import IST, local_date
from tests.e2e.a11y import assert_axe_clean, assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import at, pick_slot, signed_in
from tests.factories import make_service, make_user

_n = itertools.count(1)


@dataclass
class World:
    service: Service   # 60 minutes
    pro: User
    customers: tuple[User, User]
    day: date          # the working day tested, three days ahead


@pytest.fixture
def world(server: Server) -> World:
    """A service of its own, so only this test's professional can be free for it."""
    tag = f"{time.monotonic_ns() % 10**6}{next(_n)}"
    with server.session() as s:
        service = make_service(s, name=f"Slot Test Repair {tag}", minutes=60)
        pro = make_user(s, role=Role.professional, service=service, email=f"slot-pro-{tag}@example.com",
                        full_name="Imran Shaikh", pincode="560034")
        customers = tuple(make_user(s, email=f"slot-c{i}-{tag}@example.com", full_name=f"Customer {i}",
                                    pincode="560034") for i in (1, 2))
        return World(service, pro, customers, local_date(utcnow()) + timedelta(days=3))  # type: ignore[arg-type]


def _profile(server: Server, user: User) -> ProfessionalProfile:
    with server.session() as s:
        return s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user.id)).one()


def _times(page: Page) -> list[str]:
    return page.locator("#time-chips input").evaluate_all("els => els.map(e => e.value)")


def _set_hours(page: Page, w: World) -> None:
    form = page.locator('form[data-form="working-hours"]')
    for name in WEEKDAY_NAMES:
        form.get_by_label(name).fill("")
    form.get_by_label(WEEKDAY_NAMES[w.day.weekday()]).fill("9-11, 15:00-17:00")
    form.get_by_label(WEEKDAY_NAMES[(w.day + timedelta(days=1)).weekday()]).fill("08:00-20:00")
    form.get_by_label("Time kept free between jobs (travel)").select_option(label="30 minutes")
    form.get_by_role("button", name="Save working hours").click()
    expect(page.locator("#hours-notice")).to_have_text("Working hours saved.")


def test_a_pros_hours_and_day_off_are_the_times_a_customer_can_pick(browser: Browser, server: Server,
                                                                    world: World) -> None:
    w = world
    pro = signed_in(browser, server, w.pro.id, "/professional/hours")
    # A bad range is refused beside its day and changes nothing.
    form = pro.locator('form[data-form="working-hours"]')
    form.get_by_label("Monday").fill("25:00-26:00")
    form.get_by_role("button", name="Save working hours").click()
    expect(pro.locator("#mon-error")).to_contain_text("Write hours like")
    assert _profile(server, w.pro).weekly_hours == ""
    _set_hours(pro, w)
    expect(form.get_by_label(WEEKDAY_NAMES[w.day.weekday()])).to_have_value("09:00-11:00, 15:00-17:00")
    stored = _profile(server, w.pro)
    assert json.loads(stored.weekly_hours)[w.day.weekday()] == "09:00-11:00, 15:00-17:00"
    assert stored.buffer_minutes == 30

    off = w.day + timedelta(days=1)
    overrides = pro.locator('form[data-form="date-override"]')
    overrides.get_by_label("From").fill(off.isoformat())
    overrides.get_by_role("button", name="Save these days").click()
    expect(pro.locator("#override-notice")).to_have_text("Day off saved.")
    expect(pro.locator("#overrides")).to_contain_text(f"{off:%a} {off.day} {off:%b}")
    with server.session() as s:
        assert s.exec(select(AvailabilityOverride.hours).where(AvailabilityOverride.user_id == w.pro.id,
                                                               AvailabilityOverride.day == off)).all() == [""]
    assert_phone_layout(pro)
    assert_axe_clean(pro)

    customer = signed_in(browser, server, w.customers[0].id, f"/book?service={w.service.id}")
    expect(customer.locator("#slot-picker")).to_be_visible()
    off_chip = customer.locator(f'#day-chips input[value="{off.isoformat()}"]')
    expect(off_chip).to_be_disabled()
    pick_slot(customer, w.day.isoformat(), "15:30")
    assert _times(customer) == ["09:00", "09:30", "10:00", "15:00", "15:30", "16:00"]
    assert_phone_layout(customer)
    assert_axe_clean(customer)
    customer.get_by_role("button", name="Confirm booking").click()
    expect(customer).to_have_url(at("/requests"))
    with server.session() as s:
        req = s.exec(select(ServiceRequest).where(ServiceRequest.customer_id == w.customers[0].id)).one()
        assert req.scheduled_at.astimezone(IST).strftime("%Y-%m-%d %H:%M") == f"{w.day.isoformat()} 15:30"

    # The professional accepts it; 15:00-17:00 is now taken with its 30-minute gap.
    pro.goto("/professional")
    pro.locator(f"#btn-accept-{req.id}").click()
    expect(pro.locator("#upcoming")).to_contain_text(w.service.name)
    second = signed_in(browser, server, w.customers[1].id, f"/book?service={w.service.id}")
    pick_slot(second, w.day.isoformat(), "09:30")
    assert _times(second) == ["09:00", "09:30", "10:00"]
    for page in (pro, customer, second):
        page.context.close()


def test_booking_with_nobody_free_says_so_and_offers_later_days(browser: Browser, server: Server,
                                                                 world: World) -> None:
    """A professional off every day: the week is full, the note says why, nothing can be booked."""
    w = world
    pro = signed_in(browser, server, w.pro.id, "/professional/hours")
    form = pro.locator('form[data-form="working-hours"]')
    for name in WEEKDAY_NAMES:
        form.get_by_label(name).fill("")
    form.get_by_role("button", name="Save working hours").click()
    expect(pro.locator("#hours-notice")).to_have_text("Working hours saved.")
    customer = signed_in(browser, server, w.customers[0].id, f"/book?service={w.service.id}")
    expect(customer.locator("#slots-note")).to_have_text("Nobody is free on these days. Try later days.")
    expect(customer.locator("#day-chips input:enabled")).to_have_count(0)
    customer.get_by_role("button", name="Later days").click()
    expect(customer.locator("#slots-note")).to_be_visible()
    customer.get_by_role("button", name="Confirm booking").click()
    expect(customer).to_have_url(at("/book"))
    with server.session() as s:
        assert s.exec(select(ServiceRequest).where(ServiceRequest.customer_id == w.customers[0].id)).all() == []
    for page in (pro, customer):
        page.context.close()
