"""Issue #17, flagged reviews: a professional flags one of several reviews on their phone, an admin
hides it with a reason, and it stops counting — seen on both pages and in the database."""

from __future__ import annotations

from playwright.sync_api import Browser, expect
from sqlmodel import select

from hsa.models import ProfessionalProfile, RequestStatus, Review
from tests.e2e.a11y import assert_phone_layout
from tests.e2e.cast import cast
from tests.e2e.conftest import Server
from tests.e2e.pages import signed_in
from tests.factories import make_request, slot


def test_a_flagged_review_hidden_by_an_admin_stops_counting(browser: Browser, server: Server) -> None:
    with server.session() as s:
        people = cast(s, "flag", "Farah Customer", "Gopal Plumber", "Moderating Admin")
        ids = []
        for hour, (rating, text) in zip((9, 11, 13), ((5, "Lovely work"), (1, "Rude man, never again"),
                                                      (4, "Good, a little late")), strict=True):
            req = make_request(s, customer=people.customer, service=people.plumbing, status=RequestStatus.completed,
                               professional=people.pro, scheduled_at=slot(-3, hour))
            review = Review(request_id=req.id, customer_id=people.customer.id, professional_id=people.pro.id,
                            rating=rating, comment=text)
            s.add(review)
            s.commit()
            ids.append(review.id)
        profile = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == people.pro.id)).one()
        profile.rating_count, profile.rating_sum = 3, 10
        s.add(profile)
        s.commit()
    rude = ids[1]
    pro = signed_in(browser, server, people.pro.id, "/professional")
    card = pro.locator(f"#review-{rude}")
    expect(pro.locator("#reviews .rt-Card")).to_have_count(3)
    card.get_by_text("Flag this review").click()
    card.get_by_label("What is wrong with it").select_option(label="About a different job or person")
    card.get_by_label("Anything support should know (optional)").fill("I never did a job at this address")
    card.get_by_role("button", name="Send to HomeServe").click()
    expect(card).to_contain_text("Flagged: HomeServe is looking at it.")
    expect(pro.locator(f"#review-{ids[0]}")).to_contain_text("Flag this review")  # the others stay as they were
    assert_phone_layout(pro)

    admin = signed_in(browser, server, people.admin.id, "/admin/reviews", width=1280)
    flag = admin.locator(f"#flag-{rude}")
    expect(flag).to_contain_text("Rude man, never again")
    expect(flag).to_contain_text("I never did a job at this address")
    flag.get_by_label("Decision").select_option(label="Hide it (it stops counting)")
    flag.get_by_label("Reason (the professional reads it)").fill("Records show another professional did it")
    flag.get_by_role("button", name="Decide").click()
    expect(admin.locator("#notice")).to_contain_text("Review hidden")
    expect(admin.locator(f"#flag-{rude}")).to_have_count(0)
    with server.session() as s:
        assert s.get(Review, rude).hidden_at is not None  # type: ignore[union-attr]
        profile = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == people.pro.id)).one()
        assert (profile.rating_count, profile.rating_sum) == (2, 9)

    pro.reload()
    expect(pro.locator(f"#review-{rude}")).to_contain_text("Hidden by HomeServe: it no longer counts.")
    expect(pro.locator(f"#review-{rude}")).to_contain_text("Records show another professional did it")
    expect(pro.locator("#main")).to_contain_text("4.5")  # the average without the hidden 1★
    pro.context.close()
    admin.context.close()
