"""Extra charges with consent, in two browsers: the professional asks, the customer answers live.

The customer and the professional each have several cards open (an in-progress job, an accepted
one, another customer's job on the professional's side), so ids must stay per card. Every step
is checked on both screens without a reload and in the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from hsa.models import ExtraCharge, Payment, RequestStatus, Role, Service, ServiceRequest, User
from hsa.services import sessions
from tests.e2e.conftest import Server
from tests.factories import make_request, make_service, make_user, slot

LIVE = 5_000  # ms: a change made in the other browser must show within this, without a reload
S = RequestStatus


@dataclass
class World:
    customer: User
    pro: User
    job: int        # in progress: the one that gets extra charges
    later: int      # the same two people, accepted for next week
    waiting: int    # the customer's open request nobody took yet
    other: int      # the professional's in-progress job for someone else


def _world(s: Session) -> World:
    service = make_service(s, name="Extra Geyser Repair", price_paise=40_000)  # ₹400: extras up to ₹1,200
    customer = make_user(s, email="extra-customer@example.com", full_name="Meera Iyer")
    someone = make_user(s, email="extra-someone@example.com", full_name="Kiran Das")
    pro = make_user(s, role=Role.professional, service=service, email="extra-pro@example.com",
                    full_name="Imran Sheikh")
    job = make_request(s, customer=customer, service=service, status=S.in_progress, professional=pro,
                       scheduled_at=slot(1, 10))
    later = make_request(s, customer=customer, service=service, status=S.assigned, professional=pro,
                         scheduled_at=slot(6, 11))
    waiting = make_request(s, customer=customer, service=service, scheduled_at=slot(8, 12))
    other = make_request(s, customer=someone, service=service, status=S.in_progress, professional=pro,
                         scheduled_at=slot(1, 14))
    return World(customer, pro, job.id, later.id, waiting.id, other.id)  # type: ignore[arg-type]


def _signed_in(browser: Browser, server: Server, user: User, route: str) -> Page:
    with server.session() as s:
        token = sessions.issue_session(session=s, user_id=user.id)
        s.commit()
    ctx = browser.new_context(base_url=server.url, viewport={"width": 375, "height": 800})
    ctx.add_init_script(f"window.localStorage.setItem('hsa_session', {token!r});")
    page = ctx.new_page()
    page.goto(route)
    expect(page.locator("#nav-links")).to_be_visible()
    return page


def _charges(server: Server, request_id: int) -> list[tuple[int, str]]:
    with server.session() as s:
        return [(e.amount_paise, e.status.value) for e in s.exec(
            select(ExtraCharge).where(ExtraCharge.request_id == request_id).order_by(col(ExtraCharge.id)))]


def _extra_paise(server: Server, request_id: int) -> int:
    with server.session() as s:
        row = s.get(ServiceRequest, request_id)
        assert row is not None
        return row.extra_charge_paise


def _propose(pro: Page, job: int, amount: str, reason: str) -> None:
    """Tap "Add extra charge" on the job's card and type into the form it opens."""
    pro.locator(f"#btn-propose_extra-{job}").click()
    form = pro.locator(f"#form-propose_extra-{job}")
    expect(form).to_be_visible()
    form.get_by_label("Extra charge in ₹").fill(amount)
    form.get_by_label("What is the extra work?").fill(reason)
    form.get_by_role("button", name="Send for approval").click()


def test_extra_charges_are_proposed_answered_live_and_only_approved_ones_are_paid(
        browser: Browser, server: Server) -> None:
    with server.session() as s:
        w = _world(s)
    pro = _signed_in(browser, server, w.pro, "/professional")
    customer = _signed_in(browser, server, w.customer, "/requests")
    job_card, pro_card = customer.locator(f"#request-{w.job}"), pro.locator(f"#job-{w.job}")
    expect(job_card).to_contain_text("₹472")  # 400 + 18 % GST
    expect(pro.locator(f"#btn-propose_extra-{w.other}")).to_be_visible()  # both running jobs can ask
    expect(pro.locator(f"#btn-propose_extra-{w.later}")).to_have_count(0)  # not started yet

    # Over the cap (3 × ₹400): the message sits beside the amount and nothing is written.
    _propose(pro, w.job, "1500", "Replace the whole tank")
    amount = pro.locator(f"#propose_extra-amount-{w.job}")
    expect(pro.locator(f"#propose_extra-amount-{w.job}-error")).to_contain_text("₹1,200 (3× the base price)")
    expect(amount).to_have_attribute("aria-invalid", "true")
    assert _charges(server, w.job) == []

    # Within the cap: sent for approval; the total waits for the customer.
    amount.fill("350")
    pro.locator(f"#form-propose_extra-{w.job}").get_by_role("button", name="Send for approval").click()
    # the outcome is told on the card acted on (a long list would hide the page's message area)
    expect(pro.locator(f"#job-{w.job} #notice")).to_contain_text("Extra charge sent to the customer for approval.")
    expect(pro.locator(f"#extra-{w.job}")).to_contain_text("₹350")
    expect(pro.locator(f"#btn-propose_extra-{w.job}")).to_have_count(0)  # one question at a time
    assert _charges(server, w.job) == [(35_000, "proposed")] and _extra_paise(server, w.job) == 0

    # The customer's open page shows it live, with Approve / Reject on that card only.
    expect(customer.locator(f"#extra-{w.job}")).to_contain_text("₹350", timeout=LIVE)
    expect(customer.locator(f"#extra-{w.job}")).to_contain_text("Replace the whole tank")
    expect(job_card.locator(f"#btn-approve_extra-{w.job}")).to_be_visible()
    expect(job_card.locator(f"#btn-reject_extra-{w.job}")).to_be_visible()
    for card in (w.later, w.waiting):
        expect(customer.locator(f"#btn-approve_extra-{card}")).to_have_count(0)
    expect(job_card).to_contain_text("₹472")  # 400 + 18 % GST

    # Approve: the total grows on both screens.
    customer.locator(f"#btn-approve_extra-{w.job}").click()
    expect(customer.locator(f"#request-{w.job} #notice")).to_contain_text("Extra charge approved.")
    expect(job_card).to_contain_text("₹885")  # (400 + 350) + 18 % GST
    expect(customer.locator(f"#extra-{w.job}")).to_have_count(0)
    expect(pro_card).to_contain_text("₹885", timeout=LIVE)
    expect(pro.locator(f"#extra-{w.job}")).to_have_count(0)
    assert _charges(server, w.job) == [(35_000, "approved")] and _extra_paise(server, w.job) == 35_000

    # A second one, still open when the job is marked completed: Pay waits for the answer.
    expect(pro.locator(f"#btn-propose_extra-{w.job}")).to_be_visible(timeout=LIVE)
    _propose(pro, w.job, "200", "Extra sealant")
    expect(customer.locator(f"#extra-{w.job}")).to_contain_text("₹200", timeout=LIVE)
    pro.locator(f"#btn-complete-{w.job}").click()
    pro.locator(f"#form-complete-{w.job}").get_by_role("button", name="Confirm completed").click()
    expect(job_card).to_contain_text("Completed", timeout=LIVE)
    expect(customer.locator(f"#btn-reject_extra-{w.job}")).to_be_visible()
    expect(customer.locator(f"#btn-pay-online-{w.job}")).to_have_count(0)
    expect(pro.locator(f"#btn-collect_cash-{w.job}")).to_have_count(0)

    # Reject: the total stays, on both screens, and now it can be paid.
    customer.locator(f"#btn-reject_extra-{w.job}").click()
    expect(customer.locator("#notice")).to_contain_text("Extra charge rejected.")
    expect(customer.locator(f"#extra-{w.job}")).to_have_count(0)
    expect(job_card).to_contain_text("₹885")  # (400 + 350) + 18 % GST
    expect(pro.locator(f"#extra-{w.job}")).to_have_count(0, timeout=LIVE)
    expect(pro_card).to_contain_text("₹885")  # (400 + 350) + 18 % GST
    assert _charges(server, w.job) == [(35_000, "approved"), (20_000, "rejected")]
    assert _extra_paise(server, w.job) == 35_000

    # The customer pays the professional in cash; the professional confirms it on the job card.
    expect(customer.locator(f"#btn-pay-online-{w.job}")).to_be_visible()
    pro.locator(f"#btn-collect_cash-{w.job}").click()
    expect(pro.locator(f"#job-{w.job} #notice")).to_contain_text("Cash payment recorded.")
    expect(customer.locator(f"#paid-{w.job}")).to_have_text("Paid ₹885 · CASH", timeout=LIVE)
    expect(customer.locator(f"#btn-pay-online-{w.job}")).to_have_count(0)
    with server.session() as s:
        payment = s.exec(select(Payment).where(Payment.request_id == w.job)).one()
        assert payment.amount_paise == 88_500 and payment.method.value == "cash"
        other = s.get(ServiceRequest, w.other)
        assert other is not None and other.extra_charge_paise == 0 and other.status is S.in_progress
    for page in (pro, customer):
        page.context.close()


def test_an_admin_sets_the_extra_charge_cap_and_the_completion_code(browser: Browser, server: Server) -> None:
    with server.session() as s:
        service_id = make_service(s, name="Extra Sofa Cleaning", price_paise=79_900).id
        boss = make_user(s, role=Role.admin, email="extra-admin@example.com", full_name="Extra Admin")
    page = _signed_in(browser, server, boss, "/admin/services")
    row = page.locator(f"#service-{service_id}")
    expect(row).to_contain_text("extras up to 3×")
    row.get_by_role("button", name="Edit").click()
    form = row.locator('form[data-form="service-edit"]')
    cap = form.get_by_label("Extra charges on one job may add up to")
    expect(cap).to_have_value("3")
    code = form.get_by_label("Ask for the customer's code at completion too")
    expect(code).not_to_be_checked()
    cap.select_option(label="2× the base price")
    code.check()
    form.get_by_role("button", name="Save service").click()
    expect(page.locator("#notice")).to_contain_text("Service saved.")
    expect(row).to_contain_text("extras up to 2×")
    expect(row).to_contain_text("code at completion")
    with server.session() as s:
        saved = s.get(Service, service_id)
        assert saved is not None and (saved.extra_cap_factor, saved.completion_code) == (2, True)

    # Reopened, the form shows what was saved; unticking turns the code off again.
    row.get_by_role("button", name="Edit").click()
    expect(form.get_by_label("Extra charges on one job may add up to")).to_have_value("2")
    expect(code).to_be_checked()
    code.uncheck()
    form.get_by_role("button", name="Save service").click()
    expect(page.locator("#notice")).to_contain_text("Service saved.")
    expect(row.get_by_text("code at completion")).to_have_count(0)
    with server.session() as s:
        saved = s.get(Service, service_id)
        assert saved is not None and (saved.extra_cap_factor, saved.completion_code) == (2, False)
    page.context.close()
