"""Rescheduling an accepted job in two browsers: one side proposes a new time, the other answers, live.

The customer (desktop) and the professional (phone) each have several cards on their page, so
the ids must pick the right one. The customer types a new date and time into the card's own
inputs (first the unchanged booked time, which is refused beside the field); the professional's
board shows the proposal without a reload and they accept it: both cards show the new time and
the database moved the slot. Then the other way round: the professional proposes, the customer
keeps the old time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, select

from hsa.models import Notification, RequestStatus, Role, Service, ServiceRequest, User
from hsa.services.scheduling import IST, local_label
from tests.e2e.conftest import Server
from tests.e2e.pages import LoginPage, at
from tests.factories import PASSWORD, make_request, make_user, slot

LIVE = 5_000  # ms: the other side's page must follow within this, without a reload


@dataclass(frozen=True)
class World:
    customer: User
    pro: User
    first: int       # the customer will move this one
    second: int      # the professional will try to move this one
    bystander: int   # a third accepted job on both pages: never touched


@pytest.fixture(scope="module")
def world(server: Server) -> World:
    with server.session() as s:
        plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
        customer = make_user(s, email="resched-customer@example.com", full_name="Kavya Menon")
        pro = make_user(s, role=Role.professional, email="resched-pro@example.com", full_name="Arjun Shetty",
                        service=plumbing)
        jobs = [make_request(s, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro,
                             scheduled_at=slot(days, 10)).id for days in (3, 4, 5)]
        make_request(s, customer=customer, service=plumbing, scheduled_at=slot(6, 10))  # still waiting: no button
        return World(customer=customer, pro=pro, first=jobs[0], second=jobs[1], bystander=jobs[2])


def _signed_in(browser: Browser, server: Server, email: str, home: str, **context: object) -> Page:
    page = browser.new_context(base_url=server.url, **context).new_page()  # type: ignore[arg-type]
    LoginPage(page).open().log_in(email, PASSWORD)
    expect(page).to_have_url(at(home))
    return page


@pytest.fixture
def customer(browser: Browser, server: Server, world: World) -> Iterator[Page]:
    page = _signed_in(browser, server, world.customer.email, "/customer", viewport={"width": 1200, "height": 900})
    page.goto("/requests")
    yield page
    page.context.close()


@pytest.fixture
def pro(browser: Browser, server: Server, world: World) -> Iterator[Page]:
    page = _signed_in(browser, server, world.pro.email, "/professional", viewport={"width": 375, "height": 800})
    yield page
    page.context.close()


def _row(server: Server, request_id: int) -> ServiceRequest:
    with server.session() as s:
        row = s.get(ServiceRequest, request_id)
        assert row is not None
        return row


def _notes(server: Server, user: User, title: str) -> list[Notification]:
    with server.session() as s:
        return list(s.exec(select(Notification).where(Notification.user_id == user.id, Notification.title == title)
                           .order_by(col(Notification.id))))


def _propose(page: Page, request_id: int, at_: datetime) -> None:
    """Type the new IST date and time into the card's own form and send it."""
    form = page.locator(f"#form-propose_time-{request_id}")
    local = at_.astimezone(IST)
    form.locator(f"#propose_time-day-{request_id}").fill(local.date().isoformat())
    form.locator(f"#propose_time-time-{request_id}").fill(f"{local:%H:%M}")
    form.get_by_role("button", name="Send new time").click()


def test_customer_proposes_and_the_professional_accepts_live(customer: Page, pro: Page, server: Server,
                                                             world: World) -> None:
    job, booked = world.first, _row(server, world.first).scheduled_at
    new = booked + timedelta(days=1, hours=5)  # the next day at 15:00 IST
    card, job_card = customer.locator(f"#request-{job}"), pro.locator(f"#job-{job}")
    expect(job_card).to_contain_text(local_label(booked))

    # The booked time itself is refused beside the time field; nothing is stored.
    customer.locator(f"#btn-propose_time-{job}").click()
    form = customer.locator(f"#form-propose_time-{job}")
    expect(form.locator(f"#propose_time-day-{job}")).to_have_value(booked.astimezone(IST).date().isoformat())
    form.get_by_role("button", name="Send new time").click()
    expect(customer.locator(f"#propose_time-time-{job}-error")).to_have_text(
        "That is the time already booked. Choose another time.")
    expect(form.locator(f"#propose_time-time-{job}")).to_have_attribute("aria-invalid", "true")
    assert _row(server, job).reschedule_to is None

    _propose(customer, job, new)
    expect(customer.locator("#notice")).to_contain_text("New time sent")
    expect(customer.locator(f"#reschedule-{job}")).to_contain_text(
        f"You asked to move this job to {local_label(new)}. Waiting for the professional.")
    expect(customer.locator(f"#btn-accept_time-{job}")).to_have_count(0)  # not your own proposal
    expect(customer.locator(f"#btn-propose_time-{job}")).to_have_count(0)  # one at a time
    assert _row(server, job).reschedule_to == new and _row(server, job).scheduled_at == booked

    # The professional's board shows it without a reload, on that card only.
    expect(pro.locator(f"#reschedule-{job}")).to_contain_text(
        f"The customer asks to move this job to {local_label(new)}.", timeout=LIVE)
    for other in (world.second, world.bystander):
        expect(pro.locator(f"#reschedule-{other}")).to_have_count(0)
        expect(pro.locator(f"#btn-accept_time-{other}")).to_have_count(0)
    [told] = _notes(server, world.pro, "New time proposed")
    assert told.request_id == job and local_label(new) in told.body

    pro.locator(f"#btn-accept_time-{job}").click()
    expect(pro.locator("#notice")).to_contain_text("Done: the booking moved to the new time.")
    expect(job_card).to_contain_text(local_label(new))
    expect(pro.locator(f"#reschedule-{job}")).to_have_count(0)
    expect(card).to_contain_text(local_label(new), timeout=LIVE)
    expect(customer.locator(f"#reschedule-{job}")).to_have_count(0)
    row = _row(server, job)
    assert row.scheduled_at == new and row.reschedule_to is None and row.reschedule_by_id is None
    assert row.status is RequestStatus.assigned
    assert len(_notes(server, world.customer, "New time accepted")) == 1
    assert _row(server, world.bystander).scheduled_at == slot(5, 10)


def test_professional_proposes_and_the_customer_keeps_the_old_time(customer: Page, pro: Page, server: Server,
                                                                   world: World) -> None:
    job, booked = world.second, _row(server, world.second).scheduled_at
    new = booked + timedelta(hours=2)  # same day, 12:00 IST
    card, job_card = customer.locator(f"#request-{job}"), pro.locator(f"#job-{job}")

    pro.locator(f"#btn-propose_time-{job}").click()
    _propose(pro, job, new)
    expect(pro.locator("#notice")).to_contain_text("New time sent")
    expect(pro.locator(f"#reschedule-{job}")).to_contain_text(
        f"You asked to move this job to {local_label(new)}. Waiting for the customer.")
    assert _row(server, job).reschedule_to == new

    expect(customer.locator(f"#reschedule-{job}")).to_contain_text(
        f"The professional asks to move this job to {local_label(new)}.", timeout=LIVE)
    expect(customer.locator(f"#reschedule-{world.bystander}")).to_have_count(0)
    customer.locator(f"#btn-decline_time-{job}").click()
    expect(customer.locator("#notice")).to_contain_text("The booking keeps its time.")
    expect(customer.locator(f"#reschedule-{job}")).to_have_count(0)
    expect(card).to_contain_text(local_label(booked))
    expect(pro.locator(f"#reschedule-{job}")).to_have_count(0, timeout=LIVE)
    expect(job_card).to_contain_text(local_label(booked))
    expect(pro.locator(f"#btn-propose_time-{job}")).to_be_visible()  # free to propose another
    row = _row(server, job)
    assert row.scheduled_at == booked and row.reschedule_to is None and row.reschedule_by_id is None
    [declined] = _notes(server, world.pro, "New time declined")
    assert f"Kavya can't do {local_label(new)}" in declined.body
