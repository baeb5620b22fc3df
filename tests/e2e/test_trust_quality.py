"""Issue #17, quality control: a 1★ rating takes a professional below the line; their new jobs stop,
they appeal from their phone, an admin reinstates them — each step as the person does it."""

from __future__ import annotations

from playwright.sync_api import Browser, expect
from sqlmodel import select

from hsa.models import ProfessionalProfile, QualityLevel, QualityStanding, RequestStatus, Review
from tests.e2e.cast import cast
from tests.e2e.conftest import Server
from tests.e2e.pages import signed_in
from tests.factories import make_request, slot


def test_a_professional_falls_below_the_line_appeals_and_is_reinstated(browser: Browser, server: Server) -> None:
    with server.session() as s:
        people = cast(s, "quality", "Kiran Customer", "Qadir Plumber", "Quality Admin")
        plumbing, customer, pro, boss = people.plumbing, people.customer, people.pro, people.admin
        for _ in range(4):  # four earlier jobs rated 4★
            done = make_request(s, customer=customer, service=plumbing, status=RequestStatus.closed,
                                professional=pro, scheduled_at=slot(1))
            s.add(Review(request_id=done.id, customer_id=customer.id, professional_id=pro.id, rating=4))
        job = make_request(s, customer=customer, service=plumbing, status=RequestStatus.completed,
                           professional=pro, paid=True, scheduled_at=slot(2))
        s.commit()

    mine = signed_in(browser, server, customer.id, "/requests")
    mine.locator(f"#btn-close-{job.id}").click()
    form = mine.locator(f"#form-close-{job.id}")
    form.get_by_label("Rating").select_option(label="★ Bad")
    form.get_by_role("button", name="Submit rating").click()
    expect(mine.locator(f"#request-{job.id}")).to_contain_text("Closed")
    with server.session() as s:
        standing = s.exec(select(QualityStanding).where(QualityStanding.professional_id == pro.id)).one()
        assert standing.level is QualityLevel.suspended and standing.average == 3.4
        assert s.exec(select(ProfessionalProfile.is_available).where(ProfessionalProfile.user_id == pro.id)).one() \
            is False

    phone = signed_in(browser, server, pro.id, "/professional")
    panel = phone.locator("#quality")
    expect(panel).to_contain_text("New jobs are paused")
    expect(panel).to_contain_text("average 3.40★ over your last 5 rated jobs is below 4★")
    panel.get_by_label("Your appeal: what happened, and what you will do differently").fill(
        "The 1★ was for a leak in the neighbour's flat, not the tap I fixed. Photos on request.")
    panel.get_by_role("button", name="Send appeal").click()
    expect(phone.locator("#appeal-notice")).to_contain_text("HomeServe will review your appeal")
    expect(panel).to_contain_text("Your appeal: “The 1★ was for a leak")

    admin = signed_in(browser, server, boss.id, "/admin/quality", width=1280)
    card = admin.locator(f"#quality-{pro.id}")
    expect(card).to_contain_text("The 1★ was for a leak")
    card.get_by_label("Decision").select_option(label="Reinstate (a fresh start)")
    card.get_by_label("Reason (the professional reads it)").fill("The rating was about another flat's leak")
    card.get_by_role("button", name="Decide").click()
    expect(admin.locator("#notice")).to_contain_text("Decided")
    expect(admin.locator(f"#quality-{pro.id}")).to_have_count(0)

    phone.reload()
    expect(phone.locator("#professional-dashboard")).to_be_visible()
    expect(phone.locator("#quality")).to_have_count(0)
    with server.session() as s:
        standing = s.exec(select(QualityStanding).where(QualityStanding.professional_id == pro.id)).one()
        assert standing.level is QualityLevel.ok and standing.decision_reason.startswith("The rating was about")
    for page in (mine, phone, admin):
        page.context.close()
