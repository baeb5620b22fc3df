"""The process's clock in a real browser: an unaccepted request expires and a finished job asks for a review.

Time is injected the way an operator would: `python -m hsa.cli reminders --now <time>` against the
e2e server's own database and data folder (the cron path). That process is not the web server, so
the pages are reloaded to show what it committed. The rows are made near the real clock in a
city no other test uses (Pune), so the server's own once-a-minute pass, running on the real clock,
does not fire them first and the injected time touches no other test's bookings.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes, policy
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, expect
from sqlmodel import col, select

from hsa.models import (
    Notification,
    ReminderSent,
    RequestStatus,
    Review,
    Role,
    Service,
    ServiceRequest,
    User,
    utcnow,
)
from hsa.services import sessions
from hsa.services.process.timer_effects import EXPIRED
from hsa.services.scheduling import local_label
from tests.e2e.conftest import Server, server_env
from tests.e2e.pages import at
from tests.factories import make_request, make_user

PUNE = "411004"  # Deccan Gymkhana


def _signed_in(browser: Browser, server: Server, user: User, width: int = 1200) -> BrowserContext:
    with server.session() as s:
        token = sessions.issue_session(session=s, user_id=user.id)
        s.commit()
    ctx = browser.new_context(base_url=server.url, viewport={"width": width, "height": 900})
    ctx.add_init_script(f"window.localStorage.setItem('hsa_session', {token!r});")
    return ctx


def _cron(server: Server, now_iso: str) -> subprocess.CompletedProcess[str]:
    """The documented cron command, run as the operator would, with the server's own settings."""
    port = urlsplit(server.url).port
    assert port is not None
    env = server_env(server.db_url, port, server.log.parent)
    return subprocess.run([sys.executable, "-m", "hsa.cli", "reminders", "--now", now_iso], cwd=server.cwd,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def test_an_expired_request_and_a_review_prompt_with_injected_time(browser: Browser, server: Server) -> None:
    now = utcnow()
    n = time.monotonic_ns()
    with server.session() as s:
        plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
        customer = make_user(s, email=f"timers-c{n}@example.com", full_name="Leela Joshi", pincode=PUNE)
        omkar = make_user(s, role=Role.professional, service=plumbing, email=f"timers-p{n}@example.com",
                          full_name="Omkar Patil", pincode=PUNE)
        make_user(s, role=Role.professional, service=plumbing, email=f"timers-q{n}@example.com",
                  full_name="Sneha Kulkarni", pincode="411038")
        # Nobody has accepted it; it expires 2 h before its slot, i.e. 30 minutes from now on the real clock.
        open_req = make_request(s, customer=customer, service=plumbing, pincode=PUNE,
                                scheduled_at=now + timedelta(hours=2, minutes=30))
        # Finished and paid 90 minutes ago; the review prompt is due 2 h after completion.
        done = make_request(s, customer=customer, service=plumbing, status=RequestStatus.completed,
                            professional=omkar, paid=True, scheduled_at=now - timedelta(hours=3), pincode=PUNE)
        done.completed_at = now - timedelta(minutes=90)
        s.add(done)
        s.commit()
        open_id, done_id = open_req.id, done.id
        slot_label = local_label(open_req.scheduled_at)

    pro = _signed_in(browser, server, omkar, width=375).new_page()
    pro.goto("/professional")
    expect(pro.locator(f"#job-{open_id}")).to_be_visible()
    page = _signed_in(browser, server, customer).new_page()
    page.goto("/requests")
    expect(page.locator(f"#request-{open_id}")).to_contain_text("Waiting for a professional")
    expect(page.locator(f"#request-{done_id}")).to_contain_text("Completed")

    # 45 minutes later (injected): the request is past its deadline, the prompt is due.
    cron = _cron(server, (now + timedelta(minutes=45)).isoformat())
    assert cron.returncode == 0, cron.stderr

    with server.session() as s:
        expired = s.get(ServiceRequest, open_id)
        assert expired is not None and expired.status is RequestStatus.cancelled
        assert (expired.cancel_reason, expired.cancelled_by_id) == (EXPIRED, None)
        assert s.get(ServiceRequest, done_id).status is RequestStatus.completed  # type: ignore[union-attr]
        fired = {(r.kind, r.request_id) for r in s.exec(select(ReminderSent).where(
            col(ReminderSent.request_id).in_([open_id, done_id])))}
        assert fired == {("timer:expire_unaccepted", open_id), ("timer:review_prompt", done_id)}
        notes = {x.title: x for x in s.exec(select(Notification).where(Notification.user_id == customer.id))}
        assert set(notes) == {"No professional accepted in time", "How did Omkar do?"}
        prompt_id = notes["How did Omkar do?"].id

    # The prompt's email, in the outbox (no SMTP server is configured).
    mails = [message_from_bytes(f.read_bytes(), policy=policy.default)
             for f in (server.log.parent / "outbox").glob("*.eml")]
    [mail] = [m for m in mails if m["To"] == customer.email]
    assert mail["Subject"] == "How did Omkar do?"
    body = mail.get_content()
    assert body.startswith("Hi Leela,\n\nHow did Omkar do? Rate your Plumbing job on ")
    assert f"Open your booking: {server.url}/requests?request={done_id}" in body

    # The customer's page: the expired request is cancelled by HomeServe, with the reason.
    page.reload()
    card = page.locator(f"#request-{open_id}")
    expect(card).to_contain_text("Cancelled")
    expect(card).to_contain_text(f"Cancelled by HomeServe: {EXPIRED}")
    expect(page.locator("#bell-count")).to_have_text("2")
    # ... and it is gone from the professional's board.
    pro.reload()
    expect(pro.locator("#open-jobs")).to_be_visible()
    expect(pro.locator(f"#job-{open_id}")).to_have_count(0)

    # The bell: the expiry notice names who can help nearby; the prompt links to the booking.
    page.locator("#bell").click()
    expect(page).to_have_url(at("/notifications"))
    expect(page.locator("#notification-list")).to_contain_text(
        f"Nobody accepted your Plumbing booking for {slot_label}, so it was cancelled. Omkar Patil and "
        "Sneha Kulkarni work nearby and are available: book one of them directly, or pick another time.")
    prompt = page.locator(f"#notification-{prompt_id}")
    expect(prompt).to_contain_text("How did Omkar do?")
    expect(prompt).to_contain_text("it helps your neighbours choose.")
    prompt.get_by_role("button", name="Open").click()

    # Through to the booking, and rate it.
    expect(page).to_have_url(at("/requests"))
    job = page.locator(f"#request-{done_id}")
    expect(job).to_have_class(re.compile(r"\bfocused\b"))  # scrolled to and highlighted
    job.locator(f"#btn-close-{done_id}").click()
    job.get_by_label("Rating").select_option(value="4")
    job.get_by_label("Review (optional)").fill("Came on time, fixed the tap")
    job.get_by_role("button", name="Submit rating").click()
    expect(job).to_contain_text("Closed")
    with server.session() as s:
        closed = s.get(ServiceRequest, done_id)
        assert closed is not None and closed.status is RequestStatus.closed
        review = s.exec(select(Review).where(Review.request_id == done_id)).one()
        assert (review.rating, review.comment, review.customer_id) == (4, "Came on time, fixed the tap", customer.id)
    for ctx in (pro.context, page.context):
        ctx.close()
