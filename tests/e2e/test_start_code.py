"""The start code at the door, in two phones: the customer's card shows it, the professional types it.

A wrong code is refused beside the field and counted (the database keeps the try and its audit
row); the right one starts the job and the customer's card follows live. Five wrong codes take
Start away until the customer taps "Get a new start code". Each page lists several job cards,
so every id is per card.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, func, select

from hsa.models import AuditLog, ProfessionalProfile, RequestStatus, Role, Service, ServiceRequest, User
from hsa.services import sessions
from hsa.services.process.effects import new_code
from tests.e2e.conftest import Server
from tests.factories import make_request, make_user, slot

LIVE = 3_000  # ms: a change made on the other phone must show within this, without a reload
PHONE = {"width": 375, "height": 800}
_n = itertools.count(1)


@dataclass
class World:
    customer: User
    pro: User
    offered: int        # requested from the professional: accepted in the browser
    others: list[int]   # accepted earlier: more cards on both pages, with their own codes


def _world(s: Session) -> World:
    n = next(_n)
    plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
    customer = make_user(s, email=f"code-customer-{n}@example.com", full_name=f"Meera Code{n}")
    pro = make_user(s, role=Role.professional, service=plumbing, email=f"code-pro-{n}@example.com",
                    full_name=f"Arjun Code{n}")
    profile = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.is_available = True
    s.add(profile)
    offered = make_request(s, customer=customer, service=plumbing, preferred=pro, scheduled_at=slot(2, 10)).id
    others = []
    for days in (3, 4):
        req = make_request(s, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro,
                           scheduled_at=slot(days, 10))
        req.start_code = new_code()  # what accepting gave them
        s.add(req)
        others.append(req.id)
    s.commit()
    return World(customer=customer, pro=pro, offered=offered, others=others)  # type: ignore[arg-type]


def _phone(browser: Browser, server: Server, user: User, route: str) -> Page:
    """A phone signed in as `user` (a session the server issued), on `route`."""
    with server.session() as s:
        token = sessions.issue_session(session=s, user_id=user.id)  # type: ignore[arg-type]
        s.commit()
    ctx = browser.new_context(base_url=server.url, viewport=PHONE)
    ctx.add_init_script(f"window.localStorage.setItem('hsa_session', {token!r});")
    page = ctx.new_page()
    page.goto(route)
    expect(page.locator("#nav-links")).to_be_visible()
    return page


def _row(server: Server, request_id: int) -> ServiceRequest:
    with server.session() as s:
        row = s.get(ServiceRequest, request_id)
        assert row is not None
        return row


def _wrong_tries(server: Server, request_id: int) -> int:
    with server.session() as s:
        return s.exec(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "request.code_wrong", AuditLog.target_id == request_id)).one()


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 10_000:04d}"


def _type_code(pro: Page, request_id: int, code: str) -> None:
    """Open the Start form if it is closed, type the code, tap the form's Start job."""
    form = pro.locator(f"#form-start-{request_id}")
    if not form.is_visible():
        pro.locator(f"#btn-start-{request_id}").click()
    expect(form).to_be_visible()
    form.get_by_label("Customer's 4-digit code").fill(code)
    form.get_by_role("button", name="Start job").click()


@pytest.fixture
def world(server: Server) -> World:
    with server.session() as s:
        return _world(s)


def test_wrong_then_right_code_starts_the_job_and_the_customer_sees_it_live(
        browser: Browser, server: Server, world: World) -> None:
    job = world.offered
    customer = _phone(browser, server, world.customer, "/requests")
    pro = _phone(browser, server, world.pro, "/professional")
    card = customer.locator(f"#request-{job}")
    expect(card).to_contain_text("Waiting for a professional")
    expect(customer.locator(".start-code")).to_have_count(len(world.others))  # each accepted card has its own

    # The professional accepts; the customer's card shows the code without a reload.
    pro.locator(f"#btn-accept-{job}").click()
    expect(pro.locator("#notice")).to_have_text("Job accepted. It is in your schedule.")
    code_box = customer.locator(f"#code-{job}")
    expect(code_box).to_have_text(re.compile(r"^\d{4}$"), timeout=LIVE)
    code = code_box.inner_text()
    assert code == _row(server, job).start_code
    expect(pro.locator(f"#code-{job}")).to_have_count(0)  # the professional must hear it at the door

    # The code field on a 375 px phone: labelled, a 44 px tap target, the numeric keyboard.
    pro.locator(f"#btn-start-{job}").click()
    field = pro.locator(f"#start-code-{job}")
    expect(field).to_be_visible()
    expect(pro.get_by_label("Customer's 4-digit code")).to_have_attribute("id", f"start-code-{job}")
    expect(field).to_have_attribute("inputmode", "numeric")
    expect(field).to_have_attribute("maxlength", "4")
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    box = field.bounding_box()
    assert box is not None and box["height"] >= 44, box
    assert pro.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    # A wrong code: the message beside the field; the database kept the try, nothing else moved.
    _type_code(pro, job, _other(code))
    error = pro.locator(f"#start-code-{job}-error")
    expect(error).to_have_text("That code is not right. 4 tries left.")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", f"start-code-{job}-error")
    row = _row(server, job)
    assert (row.status, row.start_code_tries, row.started_at) == (RequestStatus.assigned, 1, None)
    assert _wrong_tries(server, job) == 1
    expect(card).to_contain_text("Accepted")

    # The right code starts it; the customer's card follows live and the code is gone from it.
    _type_code(pro, job, code)
    expect(pro.locator("#notice")).to_have_text("Job started.")
    expect(card).to_contain_text("In progress", timeout=LIVE)
    expect(customer.locator(f"#code-{job}")).to_have_count(0)
    row = _row(server, job)
    assert row.status is RequestStatus.in_progress and row.started_at is not None
    for other in world.others:  # the other cards kept their own state and codes
        assert _row(server, other).status is RequestStatus.assigned
        expect(customer.locator(f"#code-{other}")).to_have_text(_row(server, other).start_code)
        expect(pro.locator(f"#btn-start-{other}")).to_be_visible()
    for page in (customer, pro):
        page.context.close()


def test_five_wrong_codes_lock_start_until_the_customer_gets_a_new_code(
        browser: Browser, server: Server, world: World) -> None:
    job = world.others[0]
    customer = _phone(browser, server, world.customer, "/requests")
    pro = _phone(browser, server, world.pro, "/professional")
    old = customer.locator(f"#code-{job}").inner_text()
    assert old == _row(server, job).start_code
    expect(customer.locator(f"#btn-renew_code-{job}")).to_have_count(0)  # only once it is locked

    for left in (4, 3, 2, 1):
        _type_code(pro, job, _other(old))
        expect(pro.locator(f"#start-code-{job}-error")).to_contain_text(f"{left} tr")
    _type_code(pro, job, _other(old))
    expect(pro.locator("#form-error")).to_contain_text("that was the last try")
    expect(pro.locator(f"#btn-start-{job}")).to_have_count(0)  # Start is gone for this job only
    expect(pro.locator(f"#job-{job}")).to_contain_text("Too many wrong codes")
    expect(pro.locator(f"#btn-start-{world.others[1]}")).to_be_visible()
    assert _row(server, job).start_code_tries == 5 and _wrong_tries(server, job) == 5

    # The customer's card offers a new code, live; tapping it shows a different one.
    renew = customer.locator(f"#btn-renew_code-{job}")
    expect(renew).to_be_visible(timeout=LIVE)
    expect(customer.locator(f"#request-{job}")).to_contain_text("Too many wrong codes")
    renew.click()
    expect(customer.locator("#notice")).to_contain_text("Here is your new start code")
    code_box = customer.locator(f"#code-{job}")
    expect(code_box).not_to_have_text(old)
    new = code_box.inner_text()
    row = _row(server, job)
    assert re.fullmatch(r"\d{4}", new) and new != old and row.start_code == new and row.start_code_tries == 0
    expect(renew).to_have_count(0)

    # Start is back on the professional's phone, live; the old code no longer works, the new one does.
    expect(pro.locator(f"#btn-start-{job}")).to_be_visible(timeout=LIVE)
    _type_code(pro, job, old)
    expect(pro.locator(f"#start-code-{job}-error")).to_have_text("That code is not right. 4 tries left.")
    _type_code(pro, job, new)
    expect(pro.locator("#notice")).to_have_text("Job started.")
    expect(customer.locator(f"#request-{job}")).to_contain_text("In progress", timeout=LIVE)
    assert _row(server, job).status is RequestStatus.in_progress
    for page in (customer, pro):
        page.context.close()


def test_a_service_that_asks_at_completion_shows_the_code_field_on_complete(browser: Browser,
                                                                              server: Server) -> None:
    n = next(_n)
    with server.session() as s:
        service = Service(name=f"Locksmith {n}", description="Asks for the code when done", base_price_paise=49_900,
                          duration_minutes=60, completion_code=True)
        s.add(service)
        s.commit()
        customer = make_user(s, email=f"code-end-customer-{n}@example.com", full_name=f"Kavya End{n}")
        pro = make_user(s, role=Role.professional, service=service, email=f"code-end-pro-{n}@example.com",
                        full_name=f"Farhan End{n}")
        req = make_request(s, customer=customer, service=service, status=RequestStatus.in_progress,
                           professional=pro, scheduled_at=slot(2, 12))
        req.start_code = new_code()  # the fresh code the start gave the customer's card
        s.add(req)
        s.commit()
        job = req.id
    customer_page = _phone(browser, server, customer, "/requests")
    pro_page = _phone(browser, server, pro, "/professional")
    code = customer_page.locator(f"#code-{job}").inner_text()
    assert code == _row(server, job).start_code

    pro_page.locator(f"#btn-complete-{job}").click()
    form = pro_page.locator(f"#form-complete-{job}")
    field = form.get_by_label("Customer's 4-digit code")
    expect(field).to_have_attribute("id", f"complete-code-{job}")
    expect(field).to_have_attribute("inputmode", "numeric")
    field.fill(_other(code))
    form.get_by_role("button", name="Confirm completed").click()
    expect(pro_page.locator(f"#complete-code-{job}-error")).to_have_text("That code is not right. 4 tries left.")
    assert _row(server, job).status is RequestStatus.in_progress and _wrong_tries(server, job) == 1
    field.fill(code)
    form.get_by_role("button", name="Confirm completed").click()
    expect(pro_page.locator("#notice")).to_have_text("Job marked completed.")
    expect(customer_page.locator(f"#request-{job}")).to_contain_text("Completed", timeout=LIVE)
    assert _row(server, job).status is RequestStatus.completed
    for page in (customer_page, pro_page):
        page.context.close()
