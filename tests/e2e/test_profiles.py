"""Public profiles, favourites and "Book again" (issue #19), in the browser at phone width.

A professional uploads a photo and ticks the languages they speak on their profile; a customer
finds them in search, opens their profile by the name (photo, rating distribution, jobs, languages,
five reviews then "Show more reviews"), saves them to favourites with a double click (one row), and
books again from "Your favourites" and from a finished job's card — each time the booking form is
addressed to that professional and the slot picker offers only their free times. Pages are
checked with axe-core and for the 375 px layout.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from hsa.models import Favourite, ProfessionalProfile, RequestStatus, Review, Role, Service, User
from hsa.services import availability, sessions
from tests.e2e.a11y import assert_axe_clean, assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import at, signed_in
from tests.factories import make_request, make_service, make_user
from tests.files import png

_n = itertools.count(1)


@dataclass
class World:
    service: Service
    pro: User
    other: User      # same service, free all day: without the limit the picker would offer every time
    customer: User
    done_id: int     # the customer's finished job with `pro`


@pytest.fixture
def world(server: Server, tmp_path) -> World:  # noqa: ANN001
    tag = f"{time.monotonic_ns() % 10**6}{next(_n)}"
    with server.session() as s:
        service = make_service(s, name=f"Profile Test Tiling {tag}", minutes=60)
        pro = make_user(s, role=Role.professional, service=service, email=f"tiler-{tag}@example.com",
                        full_name="Lakshmi Bhat", pincode="560034")
        other = make_user(s, role=Role.professional, service=service, email=f"tiler2-{tag}@example.com",
                          full_name="Other Tiler", pincode="560034")
        customer = make_user(s, email=f"tiling-customer-{tag}@example.com", full_name="Nisha Rao", pincode="560034")
        done = make_request(s, customer=customer, service=service, status=RequestStatus.closed, professional=pro)
        ratings = [5, 5, 4, 5, 3, 5, 4]
        for i, stars in enumerate(ratings):
            reviewer = make_user(s, full_name=f"Reviewer{i} Sharma", email=f"rev{i}-{tag}@example.com")
            req = make_request(s, customer=reviewer, service=service, status=RequestStatus.closed, professional=pro)
            s.add(Review(request_id=req.id, customer_id=reviewer.id, professional_id=pro.id, rating=stars,
                         comment=f"Neat grout work {i}"))
        profile = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
        profile.rating_count, profile.rating_sum = len(ratings), sum(ratings)
        s.commit()
        actor = sessions.resolve_actor(session=s, token=sessions.issue_session(session=s, user_id=pro.id))
        availability.set_hours(session=s, actor=actor, data={
            **{d: "10:00-12:00" for d in availability.WEEKDAYS}, "buffer_minutes": "0", "horizon_days": "60"})
        return World(service, pro, other, customer, done.id)


def _times(page: Page) -> list[str]:
    expect(page.locator("#time-chips input").first).to_be_attached()
    return page.locator("#time-chips input").evaluate_all("els => els.map(e => e.value)")


def _addressed_to_pro(page: Page, w: World) -> None:
    """The booking form names the professional and offers only their free times (10:00-12:00)."""
    expect(page).to_have_url(at("/book"))
    expect(page.locator("#preferred")).to_contain_text("Lakshmi Bhat")
    assert _times(page) == ["10:00", "10:30", "11:00"]


def test_profile_favourite_and_book_again(browser: Browser, server: Server, world: World, tmp_path) -> None:  # noqa: ANN001
    w = world
    pro = signed_in(browser, server, w.pro.id, "/profile")
    card = pro.locator("#public-profile-card")
    photo = tmp_path / "me.png"
    photo.write_bytes(png(32, 32))
    card.locator('input[type="file"]').set_input_files(str(photo))
    card.get_by_role("button", name="Upload photo").click()
    expect(pro.locator("#public-notice")).to_contain_text("Photo saved")
    card.locator("label.chip", has_text="English").click()
    card.locator("label.chip", has_text="Kannada").click()
    card.get_by_role("button", name="Save languages").click()
    expect(pro.locator("#public-notice")).to_have_text("Languages saved.")
    with server.session() as s:
        stored = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == w.pro.id)).one()
        assert stored.languages == "en,kn" and stored.photo_content_type == "image/png"
    assert_phone_layout(pro)
    assert_axe_clean(pro)

    customer = signed_in(browser, server, w.customer.id, "/customer")
    customer.select_option("#search-service", label=w.service.name)
    customer.get_by_role("button", name="Search").click()
    customer.locator("#results").get_by_role("link", name="Lakshmi Bhat").click()
    expect(customer).to_have_url(at("/pro"))
    expect(customer.locator("#pro-name")).to_have_text("Lakshmi Bhat")
    expect(customer.locator("#pro-languages")).to_have_text("English, ಕನ್ನಡ (Kannada)")
    expect(customer.locator("#pro-jobs")).to_have_text("8 jobs completed")
    expect(customer.locator("#rating-distribution li")).to_have_count(5)
    expect(customer.locator("#rating-distribution li").first).to_contain_text("4 reviews")  # 5★
    assert customer.locator("#pro-photo").evaluate("img => img.complete && img.naturalWidth") == 32
    expect(customer.locator("#reviews li")).to_have_count(5)
    expect(customer.locator("#reviews")).to_contain_text("Reviewer6 S.")
    customer.get_by_role("button", name="Show more reviews").click()
    expect(customer.locator("#reviews li")).to_have_count(7)
    expect(customer.locator("#more-reviews")).to_have_count(0)
    page_text = customer.locator("#pro-profile").inner_text()
    assert w.pro.email not in page_text and w.pro.phone not in page_text and "560034" not in page_text
    assert_phone_layout(customer)
    assert_axe_clean(customer)

    customer.get_by_role("button", name="Save to favourites").dblclick()
    expect(customer.locator("#favourite")).to_have_text("Saved to favourites · Remove")
    with server.session() as s:
        assert len(s.exec(select(Favourite).where(Favourite.customer_id == w.customer.id)).all()) == 1

    customer.goto("/customer")
    favourite = customer.locator("#favourites .favourite-card", has_text="Lakshmi Bhat")
    favourite.get_by_role("link", name="Book again").click()
    _addressed_to_pro(customer, w)

    customer.goto("/requests")
    customer.locator(f"#book-again-{w.done_id}").click()
    _addressed_to_pro(customer, w)
    for page in (pro, customer):
        page.context.close()
