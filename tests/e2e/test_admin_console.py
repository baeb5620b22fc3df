"""Admin console in the browser: live dashboard, vetting with documents, blocking, upload limits."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from hsa.models import ApprovalStatus, ProfessionalProfile, Role, Service, User, UserStatus, utcnow
from hsa.services.demo_data import ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_PASSWORD
from hsa.services.scheduling import IST
from tests.e2e.conftest import Server
from tests.e2e.pages import LoginPage, at, pick_slot
from tests.factories import make_user
from tests.files import HTML, pdf

LIVE = 2_000


def _signed_in(browser: Browser, server: Server, email: str, password: str, home: str, phone: bool = False) -> Page:
    viewport = {"width": 375, "height": 800} if phone else {"width": 1280, "height": 900}
    page = browser.new_context(base_url=server.url, viewport=viewport).new_page()
    LoginPage(page).open().log_in(email, password)
    expect(page).to_have_url(at(home))
    return page


def test_dashboard_counts_a_new_booking_within_two_seconds(browser: Browser, server: Server) -> None:
    run_live_dashboard(browser, server)


def run_live_dashboard(browser: Browser, server: Server) -> None:
    """Shared with the scale-out test (two workers, Redis, PostgreSQL)."""
    boss = _signed_in(browser, server, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    kpi = boss.locator("#kpi-requested")
    expect(kpi).not_to_be_empty()
    before = int(kpi.inner_text())
    expect(boss.locator("#chart-status")).to_be_visible()

    customer = _signed_in(browser, server, "meera@example.com", DEMO_PASSWORD, "/customer")
    with server.session() as s:
        cleaning = s.exec(select(Service).where(Service.name == "Bathroom Cleaning")).one()
        if s.exec(select(User).where(User.email == "cleaner-chennai@example.com")).first() is None:
            make_user(s, role=Role.professional, service=cleaning, pincode="600020", full_name="Chennai Cleaner",
                      email="cleaner-chennai@example.com")  # someone near Meera free to take it
    customer.goto(f"/book?service={cleaning.id}")
    pick_slot(customer, (utcnow().astimezone(IST) + timedelta(days=2)).date().isoformat(), "11:00")
    customer.get_by_role("button", name="Confirm booking").click()
    expect(customer).to_have_url(at("/requests"))
    expect(kpi).to_have_text(str(before + 1), timeout=LIVE)  # no reload on the admin's side
    boss.context.close()
    customer.context.close()


def test_vetting_shows_the_document_and_approval_reaches_the_professional_live(
        browser: Browser, server: Server) -> None:
    with server.session() as s:
        vikram = s.exec(select(User).where(User.email == "vikram@example.com")).one()
    pro = _signed_in(browser, server, "vikram@example.com", DEMO_PASSWORD, "/professional", phone=True)
    expect(pro.locator("#approval")).to_contain_text("Awaiting approval")

    boss = _signed_in(browser, server, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    boss.goto("/admin/professionals")
    card = boss.locator(f"#applicant-{vikram.id}")
    card.locator(f"#view-doc-{vikram.id}").click()
    image = boss.locator("#doc-viewer")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0  # really served and decoded
    src = image.get_attribute("src") or ""
    assert "/api/v1/documents/" in src and "sig=" in src
    # Without the signature, or with a forged one, the file is not served.
    for url in (f"{server.url}/api/v1/documents/{vikram.id}",
                f"{server.url}{src.split('sig=')[0]}sig={'0' * 64}"):
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 - loopback
        assert exc.value.code in (403, 422)

    card.locator(f"#approve-{vikram.id}").click()
    expect(boss.locator("#notice")).to_have_text("Approved.")
    expect(pro.locator("#approval")).to_contain_text("approved", timeout=3_000)
    with server.session() as s:
        profile = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == vikram.id)).one()
        assert profile.approval_status is ApprovalStatus.approved
    pro.context.close()
    boss.context.close()


def test_block_signs_out_the_users_open_session(browser: Browser, server: Server) -> None:
    pro = _signed_in(browser, server, "kavya@example.com", DEMO_PASSWORD, "/professional", phone=True)
    boss = _signed_in(browser, server, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    boss.goto("/admin/users")
    boss.get_by_label("Name, email or phone").fill("kavya")
    boss.get_by_role("button", name="Search users").click()
    with server.session() as s:
        kavya = s.exec(select(User).where(User.email == "kavya@example.com")).one()
    row = boss.locator(f"#user-{kavya.id}")
    row.locator(f"#block-{kavya.id}").click()
    row.get_by_label("Reason (kept in the audit log)").fill("Customer complaints of fraud")
    row.get_by_role("button", name="Block account").click()
    expect(boss.locator("#notice")).to_contain_text("Blocked")

    # No click needed: the block is pushed to their open page, which is replaced at once.
    expect(pro.locator("#session-ended")).to_contain_text("session has ended")
    expect(pro.locator("#available")).to_have_count(0)
    pro.locator("#login-again").click()
    expect(pro).to_have_url(at("/login"))
    LoginPage(pro).log_in("kavya@example.com", DEMO_PASSWORD)
    expect(pro.locator("#form-error")).to_contain_text("blocked")
    with server.session() as s:
        assert s.get(User, kavya.id).status is UserStatus.blocked  # type: ignore[union-attr]
    boss.goto("/admin/audit")
    expect(boss.locator("#audit-list")).to_contain_text("user.block")
    pro.context.close()
    boss.context.close()


def test_professional_upload_checks_content_not_the_name(browser: Browser, server: Server, tmp_path: Path) -> None:
    fake = tmp_path / "certificate.png"
    fake.write_bytes(HTML)
    real = tmp_path / "trade-licence.pdf"
    real.write_bytes(pdf())
    pro = _signed_in(browser, server, "deepa@example.com", DEMO_PASSWORD, "/professional", phone=True)
    pro.locator("#doc input[type=file]").set_input_files(str(fake))
    pro.locator("#upload-document").click()
    expect(pro.locator("#document-error")).to_have_text("Upload a PDF, PNG or JPEG file.")
    pro.locator("#doc input[type=file]").set_input_files(str(real))
    pro.locator("#upload-document").click()
    expect(pro.locator("#document-on-file")).to_contain_text("trade-licence.pdf")
    with server.session() as s:
        deepa = s.exec(select(User).where(User.email == "deepa@example.com")).one()
        profile = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == deepa.id)).one()
        assert profile.doc_content_type == "application/pdf" and profile.doc_size == len(pdf())
        assert "trade-licence" not in (profile.doc_stored_name or "")
    pro.context.close()


def test_upload_endpoint_refuses_oversize_bodies_before_reading_them(server: Server) -> None:
    """Announce a 6 MB body and send none of it: the answer must come from the headers alone."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(f"POST /_upload HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=x"
                     f"\r\nContent-Length: {6 * 1024 * 1024}\r\n\r\n".encode())
        status_line = conn.recv(200).split(b"\r\n")[0]
    assert status_line.split()[1] == b"413"
