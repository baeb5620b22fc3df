"""The whole job in three browsers: book, race to accept, do the job, pay, rate — all live."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from hsa.models import Payment, PaymentStatus, RequestStatus, Role, Service, ServiceRequest, User, utcnow
from hsa.services.bookings import ALREADY_TAKEN
from hsa.services.demo_data import DEMO_PASSWORD
from hsa.services.scheduling import IST
from tests.e2e.conftest import Server
from tests.e2e.pages import LoginPage, at, pick_slot
from tests.factories import make_user

LIVE = 3_000  # ms: a change made elsewhere must show within this, without reload


def _signed_in(browser: Browser, base_url: str, email: str, home: str, phone: bool = False) -> Page:
    viewport = {"width": 375, "height": 800} if phone else {"width": 1200, "height": 900}
    page = browser.new_context(base_url=base_url, viewport=viewport).new_page()
    LoginPage(page).open().log_in(email, DEMO_PASSWORD)
    expect(page).to_have_url(at(home))
    return page


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_book_race_accept_do_pay_and_rate(browser: Browser, server: Server) -> None:
    run_booking_journey(browser, server)


def run_booking_journey(browser: Browser, server: Server) -> None:
    """Shared with the scale-out test (two workers, Redis, PostgreSQL)."""
    ravi = _signed_in(browser, server.url, "ravi@example.com", "/professional", phone=True)
    sunil = _signed_in(browser, server.url, "sunil@example.com", "/professional", phone=True)
    customer = _signed_in(browser, server.url, "asha@example.com", "/customer")
    for pro in (ravi, sunil):
        expect(pro.locator("#open-jobs")).to_contain_text("No open jobs")

    # Search: both Bengaluru plumbers, nearest-and-best first.
    customer.select_option("#search-service", label="Plumbing")
    customer.get_by_role("button", name="Search").click()
    results = customer.locator("#results .pro-result")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Ravi Kumar")

    # Book an open request (no preferred professional) for tomorrow 10:00.
    with server.session() as s:
        plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
    customer.goto(f"/book?service={plumbing.id}")
    tomorrow = (utcnow().astimezone(IST) + timedelta(days=1)).date().isoformat()
    pick_slot(customer, tomorrow, "10:00")
    customer.get_by_label("Remarks for the professional").fill("Kitchen sink blocked")
    customer.get_by_role("button", name="Confirm booking").click()
    expect(customer).to_have_url(at("/requests"))
    card = customer.locator(".request-card").first
    expect(card).to_contain_text("Waiting for a professional")
    with server.session() as s:
        req = s.exec(select(ServiceRequest).order_by(ServiceRequest.id.desc())).first()  # type: ignore[union-attr]
        assert req is not None and req.remarks == "Kitchen sink blocked"

    # Both professionals see it appear without reloading.
    for pro in (ravi, sunil):
        expect(pro.locator(f"#job-{req.id}")).to_contain_text("Kitchen sink blocked", timeout=LIVE)

    # Race: both tap Accept; exactly one wins, the other is told it is taken.
    ravi.locator(f"#btn-accept-{req.id}").click(no_wait_after=True)
    sunil.locator(f"#btn-accept-{req.id}").click(no_wait_after=True)
    for pro in (ravi, sunil):
        expect(pro.locator("#notice, #form-error")).to_be_visible()
    winner, loser = (ravi, sunil) if ravi.locator("#notice").is_visible() else (sunil, ravi)
    expect(loser.locator("#form-error")).to_have_text(ALREADY_TAKEN)
    expect(loser.locator(f"#job-{req.id}")).to_have_count(0)
    expect(winner.locator("#upcoming")).to_contain_text("Kitchen sink blocked")
    with server.session() as s:
        fresh = s.get(ServiceRequest, req.id)
        assert fresh is not None and fresh.status is RequestStatus.assigned and fresh.professional_id is not None
    winner_name = "Ravi Kumar" if winner is ravi else "Sunil Gowda"
    expect(card).to_contain_text("Accepted", timeout=LIVE)
    expect(card).to_contain_text(winner_name)

    # At the door the customer reads out the code on their card; the professional types it to start.
    code = customer.locator(f"#code-{req.id}")
    expect(code).to_have_text(re.compile(r"^\d{4}$"), timeout=LIVE)
    winner.locator(f"#btn-start-{req.id}").click()
    start = winner.locator(f"#form-start-{req.id}")
    start.get_by_label("Customer's 4-digit code").fill(code.inner_text())
    start.get_by_role("button", name="Start job").click()

    # The customer's page follows live; complete on the phone.
    expect(card).to_contain_text("In progress", timeout=LIVE)
    winner.locator(f"#btn-complete-{req.id}").click()
    winner.get_by_role("button", name="Confirm completed").click()
    expect(card).to_contain_text("Completed", timeout=LIVE)
    _no_horizontal_scroll(winner)

    # Pay online: the bill is on the card; the gateway's hosted page takes UPI, then brings them back.
    expect(customer.locator(f"#bill-{req.id}")).to_contain_text("GST 18% (SAC 9987)")
    customer.get_by_role("button", name="Pay ₹410.64 online").click()  # (299 + 49 fee) + 18 % GST
    expect(customer.get_by_text("TEST MODE", exact=True)).to_be_visible()
    customer.locator("#m-upi").check()  # the method radios: UPI / Card / Netbanking
    customer.get_by_label("UPI ID").fill("asha@okhdfc")
    customer.get_by_role("button", name="Pay ₹410.64").click()
    expect(customer).to_have_url(re.compile(rf"/requests/?\?payment=paid&request={req.id}$"))
    card = customer.locator(f"#request-{req.id}")
    expect(customer.locator("#notice")).to_have_text("Payment received. Thank you!")
    expect(customer.locator(f"#paid-{req.id}")).to_have_text("Paid ₹410.64 · UPI")
    # Paid and done: the tax invoice is on the card, and its link downloads the PDF.
    invoice = card.get_by_role("link", name=re.compile(r"^Download tax invoice HS\/\d{4}-\d{2}\/\d{6} \(PDF\)$"))
    expect(invoice).to_be_visible(timeout=LIVE)
    with customer.expect_download() as download:
        invoice.click()
    assert re.fullmatch(r"HS-\d{4}-\d{2}-\d{6}\.pdf", download.value.suggested_filename)
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    with server.session() as s:
        paid = s.exec(select(Payment).where(Payment.request_id == req.id)).one()
        assert (paid.status, paid.method.value, paid.amount_paise) == (PaymentStatus.paid, "upi", 41_064)
    customer.locator(f"#btn-close-{req.id}").click()
    customer.get_by_label("Rating").select_option(value="5")
    customer.get_by_label("Review (optional)").fill("Fixed it in ten minutes")
    customer.get_by_role("button", name="Submit rating").click()
    expect(card).to_contain_text("Closed")

    # The professional sees the new rating without reloading.
    expect(winner.locator("#pro-rating")).to_have_text("5.0", timeout=LIVE)
    expect(winner.locator("#reviews")).to_contain_text("Fixed it in ten minutes")
    expect(winner.locator("#pro-earnings")).to_have_text("₹239.20")  # 299 less 20 % commission
    for page in (ravi, sunil, customer):
        page.context.close()


def test_the_picker_offers_only_starts_that_end_by_closing_and_a_forged_time_is_refused(page: Page,
                                                                                       server: Server) -> None:
    """A 60-minute job: the last start offered is 19:00 (it must end by 20:00). A time the picker
    never offered, forced into the form, is refused beside the time and books nothing."""
    with server.session() as s:  # an electrician near Rahul (Colaba), so the picker has times
        if s.exec(select(User).where(User.email == "spark-colaba@example.com")).first() is None:
            electrical = s.exec(select(Service).where(Service.name == "Electrical")).one()
            make_user(s, role=Role.professional, service=electrical, pincode="400005", full_name="Colaba Spark",
                      email="spark-colaba@example.com")
    LoginPage(page).open().log_in("rahul@example.com", DEMO_PASSWORD)
    expect(page).to_have_url(at("/customer"))
    page.goto("/book")
    page.select_option("#service_id", label="Electrical · ₹249")
    tomorrow = (utcnow().astimezone(IST) + timedelta(days=1)).date().isoformat()
    pick_slot(page, tomorrow, "19:00")
    offered = page.locator("#time-chips input").evaluate_all("els => els.map(e => e.value)")
    assert offered[-1] == "19:00" and "19:30" not in offered
    page.locator("#time-chips input:checked").evaluate("e => { e.value = '19:30'; }")  # a crafted request
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.locator("#time-error")).to_have_text("Choose a start time so the job fits between 08:00 and 20:00.")
    expect(page).to_have_url(at("/book"))
    with server.session() as s:
        electrical = s.exec(select(Service).where(Service.name == "Electrical")).one()
        assert s.exec(select(ServiceRequest).where(ServiceRequest.service_id == electrical.id)).first() is None
