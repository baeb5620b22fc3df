"""Prices before commitment (issue #16), in the browser at phone width.

A professional types their own price on their profile; a customer searching sees it on the card,
opens Book and reads the breakdown (the professional's price, platform fee, GST, total: typed by
nobody), confirms, and the database row holds exactly those numbers. The admin narrows a band in
the rendered catalog form; a price above it is then refused beside the field. Every page visited
is checked with axe-core and for the 375 px layout.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from hsa.models import ProfessionalProfile, Role, Service, ServiceRequest, User
from hsa.services.scheduling import IST
from tests.e2e.a11y import assert_axe_clean, assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import at, pick_slot, signed_in
from tests.factories import make_service, make_user, slot

_n = itertools.count(1)
POLICY = ("Cancelling is free before a professional accepts, and after that up to 3 hours before the slot; "
          "later it costs ₹99 (incl. GST).")


@dataclass
class World:
    service: Service   # base ₹500: the default band 80–150 % is ₹400–₹750
    pro: User
    customer: User


@pytest.fixture
def world(server: Server) -> World:
    """A service of its own (so its band can change without touching other tests), one plumber-like
    professional near a new customer."""
    tag = f"{time.monotonic_ns() % 10**6}{next(_n)}"
    with server.session() as s:
        service = make_service(s, name=f"Price Test Wiring {tag}", price_paise=50_000)
        pro = make_user(s, role=Role.professional, service=service, email=f"price-pro-{tag}@example.com",
                        full_name="Farah Khan", pincode="560034")
        customer = make_user(s, email=f"price-customer-{tag}@example.com", full_name="Nisha Rao", pincode="560034")
        return World(service, pro, customer)


def _own_price(server: Server, user: User) -> int | None:
    with server.session() as s:
        return s.exec(select(ProfessionalProfile.price_paise).where(ProfessionalProfile.user_id == user.id)).one()


def _bill(page: Page) -> list[tuple[str, str]]:
    lines = page.locator("#price-breakdown .bill-line")
    return [(line.locator("dt").inner_text(), line.locator("dd").inner_text()) for line in lines.all()]


def _set_price(page: Page, service_name: str, rupees: str) -> None:
    form = page.locator('form[data-form="profile-price"]')
    form.get_by_label(f"Your price for {service_name} (₹)").fill(rupees)
    form.get_by_role("button", name="Save price").click()


def test_a_pros_own_price_is_on_the_card_in_the_breakdown_and_in_the_booking(browser: Browser, server: Server,
                                                                             world: World) -> None:
    name = world.service.name
    pro = signed_in(browser, server, world.pro.id, "/profile")
    expect(pro.locator("#price-hint")).to_have_text(
        "Allowed ₹400–₹750 (80–150% of the base ₹500). Leave it blank to charge the base price.")
    expect(pro.locator("#price-now")).to_have_text("Customers now see ₹500 (the base price).")
    _set_price(pro, name, "575")
    expect(pro.locator("#price-notice")).to_have_text("Price saved. Customers now see ₹575.")
    assert _own_price(server, world.pro) == 57_500
    assert_phone_layout(pro)
    assert_axe_clean(pro)

    # The customer searches the service near them: the card shows the professional's price and the base.
    customer = signed_in(browser, server, world.customer.id, "/customer")
    customer.select_option("#search-service", label=name)
    customer.get_by_role("button", name="Search").click()
    card = customer.locator("#results .pro-result")
    expect(card).to_have_count(1)
    expect(card.locator(".pro-price")).to_have_text("₹575 · base ₹500")
    assert_axe_clean(customer)
    card.get_by_role("link", name="Book Farah").click()
    expect(customer).to_have_url(at("/book"))

    # The breakdown, before anything is typed: the professional's price, the fee, GST on both, the total.
    expect(customer.locator("#preferred")).to_contain_text("Requesting Farah Khan (₹575 · base ₹500)")
    expect(customer.locator("#price-breakdown .bill-line")).to_have_count(5)
    assert _bill(customer) == [("Base price", "₹500"), ("Farah's price (₹575)", "+₹75"), ("Platform fee", "₹49"),
                               ("GST 18% (SAC 9987)", "₹112.32"), ("Total", "₹736.32")]
    expect(customer.locator("#cancel-policy")).to_have_text(POLICY)
    expect(customer.get_by_role("definition").filter(has_text="₹736.32")).to_be_visible()
    assert_phone_layout(customer)
    assert_axe_clean(customer)

    pick_slot(customer, slot(3).astimezone(IST).date().isoformat(), "11:00")
    customer.get_by_role("button", name="Confirm booking").click()
    expect(customer).to_have_url(at("/requests"))
    with server.session() as s:
        row = s.exec(select(ServiceRequest).where(ServiceRequest.customer_id == world.customer.id)).one()
        assert (row.service_id, row.preferred_professional_id) == (world.service.id, world.pro.id)
        assert (row.price_paise, row.platform_fee_paise, row.gst_bps, row.commission_bps) == (57_500, 4_900, 1_800,
                                                                                             2_000)
    for page in (pro, customer):
        page.context.close()


def test_the_breakdown_follows_the_service_picked(browser: Browser, server: Server, world: World) -> None:
    customer = signed_in(browser, server, world.customer.id, "/book")
    expect(customer.locator("#book-form")).to_be_visible()
    expect(customer.locator("#price-breakdown")).to_have_count(0)  # no service yet: no price to show
    customer.get_by_label("Service").select_option(label=f"{world.service.name} · ₹500")
    expect(customer.locator("#price-breakdown .bill-line").last).to_have_text("Total₹647.82")
    assert _bill(customer) == [("Base price", "₹500"), ("Platform fee", "₹49"), ("GST 18% (SAC 9987)", "₹98.82"),
                               ("Total", "₹647.82")]
    with server.session() as s:
        plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
    customer.get_by_label("Service").select_option(label=f"Plumbing · ₹{plumbing.base_price_paise // 100}")
    expect(customer.locator("#price-breakdown .bill-line").first).to_have_text("Base price₹299")
    expect(customer.locator("#price-breakdown .bill-line").last).to_have_text("Total₹410.64")
    assert_axe_clean(customer)
    customer.context.close()


def test_the_admin_narrows_the_band_and_a_price_above_it_is_refused_beside_the_field(
        browser: Browser, server: Server, world: World) -> None:
    with server.session() as s:
        admin_id = s.exec(select(User.id).where(User.email == "admin@example.com")).one()
    boss = signed_in(browser, server, admin_id, "/admin/services")
    row = boss.locator(f"#service-{world.service.id}")
    row.get_by_role("button", name="Edit").click()
    form = row.locator('form[data-form="service-edit"]')
    highest = form.get_by_label("Highest own price (% of base)")
    expect(highest).to_have_value("150")
    highest.fill("600")
    form.get_by_role("button", name="Save service").click()
    expect(form.locator(f"#service-{world.service.id}-max-price-pct-error")).to_have_text(
        "The highest price must be 100–500% of the base price.")
    expect(highest).to_have_attribute("aria-invalid", "true")
    with server.session() as s:
        assert s.get(Service, world.service.id).max_price_pct == 150  # type: ignore[union-attr]
    assert_axe_clean(boss)
    assert_phone_layout(boss)
    highest.fill("120")
    form.get_by_role("button", name="Save service").click()
    expect(boss.locator("#notice")).to_have_text("Service saved.")
    expect(boss.locator(f"#money-{world.service.id}")).to_contain_text("Own prices 80–120%")
    with server.session() as s:
        assert s.get(Service, world.service.id).max_price_pct == 120  # type: ignore[union-attr]

    pro = signed_in(browser, server, world.pro.id, "/profile")
    expect(pro.locator("#price-hint")).to_contain_text("Allowed ₹400–₹600 (80–120% of the base ₹500)")
    _set_price(pro, world.service.name, "700")
    field = pro.locator('form[data-form="profile-price"] [name="price_rupees"]')
    message = pro.locator(f'[id="{field.get_attribute("aria-describedby")}"]')
    expect(message).to_have_text("Set a price between ₹400 and ₹600 (80–120% of the base ₹500).")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value("700")  # what they typed stays, to correct
    expect(pro.locator("#price-notice")).to_have_count(0)
    assert _own_price(server, world.pro) is None
    assert_axe_clean(pro)
    for page in (boss, pro):
        page.context.close()
