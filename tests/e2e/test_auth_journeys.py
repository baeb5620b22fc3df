"""Account journeys in a real browser against the production server."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, func, select

from hsa.models import ApprovalStatus, ProfessionalProfile, Role, Service, User
from hsa.services.demo_data import ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_PASSWORD
from tests.e2e.conftest import Server
from tests.e2e.pages import LoginPage, RegisterPage, at, log_out, mailed_link

NEW_CUSTOMER = dict(full_name="Nisha Kapoor", email="nisha.e2e@example.com", phone="9811122233",
                    password="Mango-Kite-Rain-7", address="14, Park Street", pincode="700016")


def test_register_confirm_by_link_log_out_and_log_back_in(page: Page, server: Server) -> None:
    RegisterPage(page).open().fill(**NEW_CUSTOMER).submit()
    expect(page.locator("#signup-sent")).to_contain_text(f"We sent a link to {NEW_CUSTOMER['email']}")
    expect(page.locator("#nav-links")).to_contain_text("Log in")  # not signed in before the link
    page.goto(mailed_link(server, NEW_CUSTOMER["email"], "/verify-email"))
    page.get_by_role("button", name="Confirm my email").click()
    expect(page).to_have_url(at("/verify"))
    expect(page.locator("#notice")).to_have_text("Your email address is confirmed.")
    expect(page.locator("#email-step")).to_contain_text("Confirmed")
    page.goto("/customer")
    expect(page.locator("#welcome")).to_have_text("Hello, Nisha Kapoor")
    expect(page.locator("#customer-dashboard")).to_contain_text("Plumbing")

    log_out(page)
    expect(page.locator("#nav-links")).to_contain_text("Log in")
    page.goto("/customer")  # the token is gone: the page sends us to log in
    expect(page).to_have_url(at("/login"))

    LoginPage(page).open().log_in(NEW_CUSTOMER["email"].upper(), NEW_CUSTOMER["password"])
    expect(page).to_have_url(at("/customer"))
    expect(page.locator("#welcome")).to_have_text("Hello, Nisha Kapoor")
    with server.session() as s:
        user = s.exec(select(User).where(User.email == NEW_CUSTOMER["email"])).one()
        assert user.role is Role.customer and user.pincode == "700016" and user.email_verified_at is not None


def test_wrong_password_shows_a_message_and_stays_on_login(page: Page) -> None:
    login = LoginPage(page).open()
    login.log_in("asha@example.com", "not-my-password")
    expect(login.error).to_have_text("Incorrect email or password.")
    expect(page).to_have_url(at("/login"))
    login.log_in("nobody-here@example.com", "not-my-password")
    expect(login.error).to_have_text("Incorrect email or password.")


def test_demo_admin_sees_the_admin_dashboard(page: Page, server: Server) -> None:
    LoginPage(page).open().log_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page).to_have_url(at("/admin"))
    expect(page.locator("#admin-title")).to_have_text("Admin dashboard")
    with server.session() as s:
        pending = s.exec(select(func.count()).select_from(ProfessionalProfile)
                         .where(ProfessionalProfile.approval_status == ApprovalStatus.pending)).one()
    expect(page.locator("#kpi-pros-pending")).to_have_text(str(pending))
    expect(page.locator("#nav-links")).to_contain_text("Dashboard")


def test_bad_registration_shows_messages_beside_fields_and_writes_nothing(page: Page, server: Server) -> None:
    form = RegisterPage(page).open()
    form.fill(**dict(NEW_CUSTOMER, email="bad.e2e@example.com", pincode="999999", phone="12345")).submit()
    expect(form.field_error("pincode")).to_have_text("Enter a valid 6-digit Indian pincode.")
    expect(form.field_error("phone")).to_contain_text("valid Indian mobile number")
    expect(page.locator("#pincode")).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url(at("/register"))
    with server.session() as s:
        assert s.exec(select(User).where(User.email == "bad.e2e@example.com")).first() is None


def test_professional_registers_and_waits_for_approval(page: Page, server: Server) -> None:
    with server.session() as s:  # the demo's 10 and any a test added
        active = len(s.exec(select(Service.id).where(col(Service.is_active).is_(True))).all())
    form = RegisterPage(page).open(professional=True)
    expect(page.locator("#service_id option")).to_have_count(1 + active)  # the placeholder, then each service
    form.fill(full_name="Imran Sheikh", email="imran.e2e@example.com", phone="9822233344",
              password="Copper-Lamp-Ocean-3", address="7, Charminar Road", pincode="500002",
              service_id="Electrical", experience_years="6", bio="Industrial electrician")
    form.submit("Apply")
    expect(page.locator("#signup-sent")).to_contain_text("We sent a link to imran.e2e@example.com")
    page.goto(mailed_link(server, "imran.e2e@example.com", "/verify-email"))
    page.get_by_role("button", name="Confirm my email").click()
    expect(page).to_have_url(at("/verify"))
    page.goto("/professional")
    expect(page.locator("#approval")).to_contain_text("Awaiting approval")
    with server.session() as s:
        user = s.exec(select(User).where(User.email == "imran.e2e@example.com")).one()
        profile = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user.id)).one()
        assert profile.approval_status is ApprovalStatus.pending and profile.experience_years == 6


def test_password_change_signs_out_other_devices(browser: Browser, base_url: str) -> None:
    phone = browser.new_context(base_url=base_url).new_page()
    laptop = browser.new_context(base_url=base_url).new_page()
    for p in (phone, laptop):
        LoginPage(p).open().log_in("meera@example.com", DEMO_PASSWORD)
        expect(p).to_have_url(at("/customer"))

    phone.goto("/password")
    phone.get_by_label("Current password").fill(DEMO_PASSWORD)
    phone.get_by_label("New password (8+ characters)").fill("MeeraNew1234")
    phone.get_by_label("Repeat new password").fill("MeeraNew1234")
    phone.get_by_role("button", name="Change password").click()
    expect(phone.locator("#notice")).to_contain_text("Password changed")

    # The change is pushed to the other device's open page, which is signed out at once.
    expect(laptop.locator("#session-ended")).to_contain_text("session has ended")
    laptop.locator("#login-again").click()
    expect(laptop).to_have_url(at("/login"))

    phone.goto("/profile")  # the device that changed it stays signed in
    expect(phone.locator("#profile-form")).to_be_visible()
    phone.context.close()
    laptop.context.close()


def test_profile_edit_round_trip(page: Page) -> None:
    LoginPage(page).open().log_in("rahul@example.com", DEMO_PASSWORD)
    expect(page).to_have_url(at("/customer"))
    page.goto("/profile")
    page.get_by_label("Pincode").fill("12")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#pincode-error")).to_have_text("Enter a valid 6-digit Indian pincode.")
    page.get_by_label("Pincode").fill("400001")
    page.get_by_label("Full name").fill("Rahul M. Mehta")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#notice")).to_have_text("Profile saved.")
    page.reload()
    expect(page.get_by_label("Pincode")).to_have_value("400001")
    expect(page.get_by_label("Full name")).to_have_value("Rahul M. Mehta")


def test_sign_up_with_a_taken_email_or_number_says_neither(page: Page, server: Server) -> None:
    """The answer is the same whichever is taken (and when nothing is); the owner gets a mail."""
    form = RegisterPage(page).open()
    form.fill(**dict(NEW_CUSTOMER, email="ASHA@example.com", phone="98111 22299")).submit()
    expect(page.locator("#signup-sent")).to_have_text(
        "We sent a link to asha@example.com. Open it to confirm your address and sign in.")
    with server.session() as s:
        assert s.exec(select(func.count()).select_from(User).where(User.email == "asha@example.com")).one() == 1
        asha = s.exec(select(User).where(User.email == "asha@example.com")).one()
    page.goto("/register")
    form.fill(**dict(NEW_CUSTOMER, email="someone.new.e2e@example.com", phone=asha.phone.removeprefix("+91"))).submit()
    expect(page.locator("#signup-sent")).to_have_text(  # a taken number: word for word the same
        "We sent a link to someone.new.e2e@example.com. Open it to confirm your address and sign in.")
    with server.session() as s:  # an unproven claim to a number blocks nobody (#17)
        assert s.exec(select(User).where(User.email == "someone.new.e2e@example.com")).one().phone_verified_at is None
    outbox = server.log.parent / "outbox"
    assert any("To: asha@example.com" in m.read_text() for m in outbox.glob("*.eml"))


def test_a_common_password_is_refused_beside_the_field(page: Page, server: Server) -> None:
    form = RegisterPage(page).open()
    form.fill(**dict(NEW_CUSTOMER, email="weak.e2e@example.com", phone="98111 22388", password="password1")).submit()
    expect(form.field_error("password")).to_contain_text("too easy to guess")
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    with server.session() as s:
        assert s.exec(select(User).where(User.email == "weak.e2e@example.com")).first() is None
