"""Issue #17, accounts: forgot password by mail, sign-up proven by link and SMS code before booking,
and signing a lost device out — each done in the browser as a person does, checked in the database."""

from __future__ import annotations

import time
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, select

from hsa.models import AuthSession, Role, Service, ServiceRequest, User, utcnow
from hsa.services.passwords import verify_password
from hsa.services.scheduling import IST
from tests.e2e.conftest import Server
from tests.e2e.pages import LoginPage, RegisterPage, at, mailed_link, pick_slot, signed_in, texted_code
from tests.factories import PASSWORD, make_request, make_user, slot

LIVE = 5_000  # ms: a change made elsewhere shows within this, without a reload


def _person(server: Server, role: Role = Role.customer, **kw: object) -> User:
    with server.session() as s:
        n = time.monotonic_ns()
        extra = {"service": s.exec(select(Service).where(Service.name == "Plumbing")).one()} \
            if role is Role.professional else {}
        return make_user(s, role=role, email=f"trust-{n}@example.com", full_name="Trust Person", **extra, **kw)


def test_forgot_password_mail_link_new_password_and_old_sessions_gone(browser: Browser, server: Server) -> None:
    user = _person(server)
    other_device = signed_in(browser, server, user.id, "/customer")
    page = browser.new_context(base_url=server.url, viewport={"width": 375, "height": 800}).new_page()
    LoginPage(page).open()
    page.get_by_role("link", name="Forgot password?").click()
    expect(page).to_have_url(at("/forgot-password"))
    page.get_by_label("Email").fill(user.email.upper())
    page.get_by_role("button", name="Send reset link").click()
    expect(page.locator("#notice")).to_contain_text(f"If {user.email} belongs to a HomeServe account")

    page.goto(mailed_link(server, user.email, "/reset-password"))
    page.get_by_label("New password (8+ characters)").fill("Fresh-Sturdy-77")
    page.get_by_label("Repeat new password").fill("Fresh-Sturdy-70")
    page.get_by_role("button", name="Save new password").click()
    expect(page.locator("#confirm_password-error")).to_have_text("The two new passwords do not match.")
    page.get_by_label("Repeat new password").fill("Fresh-Sturdy-77")
    page.get_by_role("button", name="Save new password").click()
    expect(page).to_have_url(at("/customer"))
    expect(page.locator("#welcome")).to_have_text("Hello, Trust Person")

    expect(other_device.locator("#session-ended")).to_contain_text("session has ended", timeout=LIVE)
    with server.session() as s:
        assert verify_password("Fresh-Sturdy-77", s.get(User, user.id).password_hash)  # type: ignore[union-attr]
        live = s.exec(select(AuthSession).where(AuthSession.user_id == user.id,
                                                col(AuthSession.revoked_at).is_(None))).all()
        assert len(live) == 1  # only the browser that reset it

    page.goto(mailed_link(server, user.email, "/reset-password"))  # the same link again: used up
    expect(page.locator("#link-closed")).to_contain_text("not valid any more")
    page.context.close()
    other_device.context.close()


def _book_tomorrow(page: Page, service_id: int) -> None:
    page.goto(f"/book?service={service_id}")
    pick_slot(page, (utcnow().astimezone(IST) + timedelta(days=1)).date().isoformat(), "11:00")
    page.get_by_label("Remarks for the professional").fill("Geyser not heating")
    page.get_by_role("button", name="Confirm booking").click()


def test_sign_up_confirm_email_and_phone_then_book(browser: Browser, server: Server) -> None:
    email = f"newbie-{time.monotonic_ns()}@example.com"
    page = browser.new_context(base_url=server.url, viewport={"width": 375, "height": 800}).new_page()
    RegisterPage(page).open().fill(full_name="Neha Bose", email=email, phone="98300 12345",
                                   password="Copper-Lamp-Ocean-3", address="22, Lake Road", pincode="560034").submit()
    expect(page.locator("#signup-sent")).to_contain_text(f"We sent a link to {email}")
    link = mailed_link(server, email, "/verify-email")
    for _ in range(2):  # opening the link (as a mail scanner or a link preview does) spends nothing
        page.goto(link)
        expect(page.get_by_role("button", name="Confirm my email")).to_be_visible()
        with server.session() as s:
            assert s.exec(select(User).where(User.email == email)).one().email_verified_at is None
    expect(page.locator("#nav-links")).to_contain_text("Log in")
    page.get_by_role("button", name="Confirm my email").click()
    expect(page).to_have_url(at("/verify"))
    expect(page.locator("#verify-banner")).to_be_visible()
    with server.session() as s:
        plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
        me = s.exec(select(User).where(User.email == email)).one()

    _book_tomorrow(page, plumbing.id)  # not yet: the number is unproven
    expect(page.locator("#form-error")).to_contain_text("Confirm your email address and mobile number")
    with server.session() as s:
        assert s.exec(select(ServiceRequest).where(ServiceRequest.customer_id == me.id)).first() is None

    page.locator("#verify-now").click()
    expect(page).to_have_url(at("/verify"))
    page.get_by_role("button", name="Text me a code").click()
    expect(page.locator("#notice")).to_contain_text("We sent a 6-digit code to +91 ••••••2345")
    page.get_by_label("6-digit code").fill("000000" if texted_code(server, me.phone) != "000000" else "111111")
    page.get_by_role("button", name="Confirm number").click()
    expect(page.locator("#code-error")).to_contain_text("That code is not right. 4 tries left.")
    page.get_by_label("6-digit code").fill(texted_code(server, me.phone))
    page.get_by_role("button", name="Confirm number").click()
    expect(page.locator("#verified-all")).to_be_visible()
    expect(page.locator("#verify-banner")).to_have_count(0)

    _book_tomorrow(page, plumbing.id)
    expect(page).to_have_url(at("/requests"))
    expect(page.locator(".request-card").first).to_contain_text("Waiting for a professional")
    with server.session() as s:
        assert s.get(User, me.id).phone_verified_at is not None  # type: ignore[union-attr]
        [req] = s.exec(select(ServiceRequest).where(ServiceRequest.customer_id == me.id)).all()
        assert req.remarks == "Geyser not heating"
    page.context.close()


def test_a_professional_signs_a_lost_phone_out(browser: Browser, server: Server) -> None:
    pro = _person(server, Role.professional)
    lost_phone = signed_in(browser, server, pro.id, "/professional")
    laptop = signed_in(browser, server, pro.id, "/profile", width=1280)
    laptop.locator("#sessions-link").click()
    expect(laptop).to_have_url(at("/sessions"))
    devices = laptop.locator(".device-card")
    expect(devices).to_have_count(2)
    expect(devices.first).to_contain_text("This device")
    devices.nth(1).get_by_role("button", name="Sign out").click()
    expect(laptop.locator("#notice")).to_have_text("That device is signed out.")
    expect(devices).to_have_count(1)
    expect(lost_phone.locator("#session-ended")).to_contain_text("session has ended", timeout=LIVE)
    with server.session() as s:
        live = s.exec(select(AuthSession).where(AuthSession.user_id == pro.id,
                                                col(AuthSession.revoked_at).is_(None))).all()
        assert len(live) == 1
    lost_phone.context.close()
    laptop.context.close()


def test_delete_my_account_is_refused_while_a_booking_is_open_then_succeeds(browser: Browser,
                                                                            server: Server) -> None:
    user = _person(server)
    with server.session() as s:
        plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
        booking = make_request(s, customer=s.get(User, user.id), service=plumbing, scheduled_at=slot(5))
        s.commit()
    page = signed_in(browser, server, user.id, "/profile")
    box = page.locator("#delete-account-form")
    box.get_by_label("Your password, to confirm").fill(PASSWORD)
    box.get_by_role("button", name="Delete my account").click()
    expect(page.locator("#delete-password-error")).to_contain_text("no booking that is still open")
    with server.session() as s:
        assert s.get(User, user.id).status.value == "active"  # type: ignore[union-attr]

    page.goto("/requests")
    page.locator(f"#btn-cancel-{booking.id}").click()
    cancel = page.locator(f"#form-cancel-{booking.id}")
    cancel.get_by_label("Reason").fill("Moving out of the city")
    cancel.get_by_role("button", name="Confirm cancellation").click()
    expect(page.locator(f"#request-{booking.id}")).to_contain_text("Cancelled")

    page.goto("/profile")
    box.get_by_label("Your password, to confirm").fill(PASSWORD)
    box.get_by_role("button", name="Delete my account").click()
    expect(page).to_have_url(at("/login"))
    expect(page.locator("#flash")).to_contain_text("Your account is deleted")
    LoginPage(page).log_in(user.email, PASSWORD)
    expect(page.locator("#form-error")).to_have_text("Incorrect email or password.")
    with server.session() as s:
        gone = s.get(User, user.id)
        assert gone is not None and gone.status.value == "deleted" and gone.full_name == f"Deleted user #{user.id}"
        assert s.get(ServiceRequest, booking.id).customer_id == user.id  # type: ignore[union-attr] - history kept
    page.context.close()
