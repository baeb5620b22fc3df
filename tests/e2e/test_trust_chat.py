"""Issue #17, chat: a booking's customer and professional message each other live, numbers masked
before the job is done; a report opens the thread to support (audited), who closes it."""

from __future__ import annotations

from playwright.sync_api import Browser, expect
from sqlmodel import select

from hsa.models import AuditLog, ChatMessage, Notification, RequestStatus
from hsa.services.contact_mask import PHONE_HIDDEN
from tests.e2e.cast import cast
from tests.e2e.conftest import Server
from tests.e2e.pages import signed_in
from tests.factories import make_request, slot

LIVE = 5_000


def test_chat_both_ways_live_with_a_number_masked_then_report_and_support(browser: Browser, server: Server) -> None:
    with server.session() as s:
        people = cast(s, "chat", "Chitra Customer", "Prakash Plumber", "Support Admin")
        plumbing, customer, pro, boss = people.plumbing, people.customer, people.pro, people.admin
        req = make_request(s, customer=customer, service=plumbing, status=RequestStatus.assigned,
                           professional=pro, scheduled_at=slot(2))
        other = make_request(s, customer=customer, service=plumbing, scheduled_at=slot(3))  # nobody yet
        s.commit()

    mine = signed_in(browser, server, customer.id, "/requests")
    card = mine.locator(f"#request-{req.id}")
    expect(card).not_to_contain_text("+91")  # numbers stay private
    expect(mine.locator(f"#message-{other.id}")).to_have_count(0)  # no thread before acceptance
    card.get_by_role("link", name="Message your professional").click()
    expect(mine).to_have_url(f"{server.url}/chat?request={req.id}")
    expect(mine.locator("#chat-page")).to_contain_text("Messages with Prakash")

    theirs = signed_in(browser, server, pro.id, f"/chat?request={req.id}")
    expect(theirs.locator("#chat-page")).to_contain_text("Messages with Chitra")

    mine.get_by_label("Your message").fill("Hi! Call me on 98765 43210 when you reach")
    mine.get_by_role("button", name="Send").click()
    expect(mine.locator(".chat-message.mine")).to_contain_text(f"Call me on {PHONE_HIDDEN} when you reach")
    expect(mine.get_by_label("Your message")).to_have_value("")
    expect(theirs.locator(".chat-message.theirs")).to_contain_text(PHONE_HIDDEN, timeout=LIVE)  # pushed
    expect(theirs.locator("#messages")).not_to_contain_text("43210")
    expect(mine.locator(".chat-message.mine .seen")).to_have_text("Seen", timeout=LIVE)  # read on the other side

    theirs.get_by_label("Your message").fill("Pay me cash directly, skip the app, cheaper")
    theirs.get_by_role("button", name="Send").click()
    expect(mine.locator(".chat-message.theirs")).to_contain_text("Pay me cash directly", timeout=LIVE)
    with server.session() as s:
        bodies = s.exec(select(ChatMessage.body).where(ChatMessage.request_id == req.id)
                        .order_by(ChatMessage.id)).all()
        assert bodies == [f"Hi! Call me on {PHONE_HIDDEN} when you reach",
                          "Pay me cash directly, skip the app, cheaper"]
        reported_id = s.exec(select(ChatMessage.id).where(ChatMessage.sender_id == pro.id)).one()

    mine.locator(f"#report-{reported_id}").click()
    mine.locator(f"#report-form-{reported_id}").get_by_label("Why are you reporting this?").select_option(
        label="Asked to pay or deal outside HomeServe")
    mine.locator(f"#report-form-{reported_id}").get_by_role("button", name="Send report").click()
    expect(mine.locator("#notice")).to_contain_text("Our support team will read this conversation")

    admin = signed_in(browser, server, boss.id, "/admin/reports", width=1280)
    report = admin.locator(".report-card").filter(has_text="Chitra Customer reported Prakash Plumber")
    expect(report).to_contain_text("Pay me cash directly")
    report.get_by_role("link", name="Read the conversation").click()
    expect(admin.locator("#admin-chat")).to_contain_text(f"Hi! Call me on {PHONE_HIDDEN}")
    with server.session() as s:
        assert s.exec(select(AuditLog).where(AuditLog.action == "chat.read_by_admin",
                                             AuditLog.target_id == req.id, AuditLog.actor_id == boss.id)).first()
    admin.goto("/admin/reports")
    report = admin.locator(".report-card").filter(has_text="Chitra Customer reported Prakash Plumber")
    report.get_by_label("Outcome (the reporter is told)").fill("Warned the professional about off-app payment")
    report.get_by_role("button", name="Close report").click()
    expect(admin.locator("#notice")).to_contain_text("Report closed")
    expect(admin.locator(".report-card").filter(has_text="Chitra Customer reported Prakash Plumber")).to_have_count(0)
    with server.session() as s:
        assert s.exec(select(Notification.body).where(Notification.user_id == customer.id,
                                                      Notification.title == "Your report was reviewed")).one() \
            == "Warned the professional about off-app payment"
    for page in (mine, theirs, admin):
        page.context.close()
