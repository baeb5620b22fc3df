"""Issue #18, recommended professionals: a customer who rated a professional 5★ opens their home
page on a phone, sees "Book again" for them with the reason, a professional similar customers
chose, never a blocked one, and books again straight into a pre-filled form."""

from __future__ import annotations

import time
from datetime import timedelta

from playwright.sync_api import Browser, expect
from sqlmodel import Session, select

from hsa.models import RequestStatus, Review, Role, Service, ServiceRequest, User, UserStatus, utcnow
from hsa.services.scheduling import IST
from tests.e2e.a11y import assert_axe_clean, assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import at, pick_slot, signed_in
from tests.factories import make_request, make_service, make_user, slot


def _done(s: Session, customer: User, pro: User, service: Service, rating: int) -> None:
    req = make_request(s, customer=customer, service=service, status=RequestStatus.completed, professional=pro,
                       scheduled_at=slot(-4))
    s.add(Review(request_id=req.id, customer_id=customer.id, professional_id=pro.id, rating=rating))
    s.commit()


def test_book_again_from_recommendations(browser: Browser, server: Server) -> None:
    n = time.monotonic_ns()
    with server.session() as s:
        geyser = make_service(s, name=f"Geyser Repair {n}")  # its own service: other journeys' searches unchanged
        names = (("g", "Gautam Geyser"), ("h", "Hari Heater"), ("b", "Bhaskar Blocked"))
        pros = {name: make_user(s, role=Role.professional, service=geyser, full_name=name,
                                email=f"rec-{key}{n}@example.com") for key, name in names}
        rekha = make_user(s, full_name="Rekha Recommend", email=f"rec-c{n}@example.com")
        _done(s, rekha, pros["Gautam Geyser"], geyser, 5)
        for who in ("Bina", "Chetan"):  # similar customers nearby: they chose Gautam, Hari and Bhaskar
            other = make_user(s, full_name=f"{who} Neighbour", email=f"rec-{who}{n}@example.com")
            for pro in pros.values():
                _done(s, other, pro, geyser, 5)
        blocked = s.get(User, pros["Bhaskar Blocked"].id)
        assert blocked is not None
        blocked.status = UserStatus.blocked
        s.add(blocked)
        s.commit()
        ids = {name: u.id for name, u in pros.items()}

    page = signed_in(browser, server, rekha.id, "/customer")
    panel = page.locator("#recommended")
    expect(panel.get_by_role("heading", name="Recommended for you")).to_be_visible()
    again = panel.locator(f"#recommend-{ids['Gautam Geyser']}")
    expect(again).to_contain_text("You rated Gautam 5★")
    expect(again.get_by_role("button", name="Book again")).to_be_visible()
    similar = panel.locator(f"#recommend-{ids['Hari Heater']}")
    expect(similar).to_contain_text("Customers who booked Gautam also chose them")
    expect(similar.get_by_role("button", name="Book: Hari Heater", exact=True)).to_be_visible()
    expect(panel.locator(".recommend-card").first).to_have_id(f"recommend-{ids['Gautam Geyser']}")
    expect(panel).not_to_contain_text("Bhaskar")
    expect(panel.locator(f"#recommend-{ids['Bhaskar Blocked']}")).to_have_count(0)
    assert_phone_layout(page)
    assert_axe_clean(page, "#recommended")

    page.select_option("#search-service", label=geyser.name)  # with search results: for that service only
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results")).to_contain_text("Hari Heater")
    expect(panel.locator(".recommend-card")).to_have_count(2)  # Gautam and Hari: the only bookable ones
    expect(panel.locator(".recommend-card").first).to_contain_text("You rated Gautam 5★")

    again.get_by_role("button", name="Book again").click()
    expect(page).to_have_url(at("/book"))
    expect(page.locator("#preferred")).to_contain_text("Requesting Gautam Geyser")
    assert page.locator("input[name=preferred_professional_id]").input_value() == str(ids["Gautam Geyser"])
    pick_slot(page, (utcnow().astimezone(IST) + timedelta(days=2)).date().isoformat(), "11:00")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page).to_have_url(at("/requests"))
    with server.session() as s:  # the booking went to Gautam, as the card promised
        booked = s.exec(select(ServiceRequest).where(ServiceRequest.customer_id == rekha.id,
                                                     ServiceRequest.status == RequestStatus.requested)).one()
        assert booked.preferred_professional_id == ids["Gautam Geyser"] and booked.service_id == geyser.id
    page.context.close()
