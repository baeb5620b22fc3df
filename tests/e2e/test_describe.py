"""Issue #18, "describe your problem": a customer types the problem in their words, gets the
service (or "not sure"), and books with that service and those words as the remarks."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Browser, expect
from sqlmodel import col, select

from hsa.models import Role, Service, ServiceRequest, utcnow
from hsa.services.scheduling import IST
from tests.e2e.a11y import assert_phone_layout, axe_violations
from tests.e2e.conftest import Server
from tests.e2e.pages import pick_slot, signed_in
from tests.factories import make_user

HINGLISH = "AC se paani gir raha hai, bedroom wala"


def test_describe_then_book_with_the_suggested_service_and_the_words(browser: Browser, server: Server) -> None:
    with server.session() as s:
        me = make_user(s, full_name="Kavya Describe")
        ids = {name: sid for sid, name in s.exec(select(Service.id, Service.name))}
        appliances = s.get(Service, ids["Appliance Repair"])
        make_user(s, role=Role.professional, service=appliances, full_name="Describe Fixer",
                  email=f"describe-fixer-{me.id}@example.com")  # someone free to take it (the slot picker)
        s.commit()
    page = signed_in(browser, server, me.id, "/customer")
    box = page.locator("#describe-card")
    box.get_by_label("What needs fixing or cleaning?").fill("!!")
    box.get_by_role("button", name="Suggest a service").click()
    expect(box.locator("#describe-error")).to_contain_text("Describe the problem in a few words")

    box.get_by_label("What needs fixing or cleaning?").fill("asdfgh qwerty")
    box.get_by_role("button", name="Suggest a service").click()
    expect(box.locator("#suggested-service")).to_contain_text("Not sure which service this is")
    expect(box.locator("#describe-answer button")).to_have_count(3)  # the likeliest three to choose from

    box.get_by_label("What needs fixing or cleaning?").fill(HINGLISH)
    box.get_by_role("button", name="Suggest a service").click()
    expect(box.locator("#suggested-service")).to_contain_text("Looks like AC Repair")
    assert_phone_layout(page)
    assert axe_violations(page, "#describe-card") == []
    box.get_by_role("button", name="Book AC Repair").click()

    expect(page).to_have_url(f"{server.url}/book?service={ids['AC Repair']}&from=describe")
    form = page.locator("#book-form")
    expect(form.get_by_label("Service")).to_have_value(str(ids["AC Repair"]))
    expect(form.get_by_label("Remarks for the professional")).to_have_value(HINGLISH)

    # on the booking page itself: another description switches the form's service and remarks
    fridge = "fridge thanda nahi kar raha"
    page.locator("#describe-card").get_by_label("What needs fixing or cleaning?").fill(fridge)
    page.locator("#describe-card").get_by_role("button", name="Suggest a service").click()
    expect(page.locator("#suggested-service")).to_contain_text("Looks like Appliance Repair")
    page.get_by_role("button", name="Book Appliance Repair").click()
    expect(form.get_by_label("Service")).to_have_value(str(ids["Appliance Repair"]))
    expect(form.get_by_label("Remarks for the professional")).to_have_value(fridge)
    expect(page.locator("#price-breakdown")).to_contain_text("₹")

    form.get_by_label("Remarks for the professional").fill(fridge + ", double door LG")  # still theirs to change
    pick_slot(page, (utcnow().astimezone(IST) + timedelta(days=2)).date().isoformat(), "11:00")
    page.get_by_role("button", name="Confirm booking").dblclick()
    expect(page).to_have_url(f"{server.url}/requests")
    with server.session() as s:
        mine = s.exec(select(ServiceRequest).where(ServiceRequest.customer_id == me.id)
                      .order_by(col(ServiceRequest.id))).all()
        assert [(r.service_id, r.remarks) for r in mine] == [(ids["Appliance Repair"], fridge + ", double door LG")]
    page.context.close()
