"""Issue #17, disputes: a customer reports a problem with a completed, paid job; the professional
answers; support refunds part of it through the gateway; both are told and the journal shows it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Locator, expect
from sqlmodel import select

from hsa.models import Dispute, LedgerEntry, Notification, Refund, RefundStatus, RequestStatus
from hsa.services.money import journal
from tests.e2e.cast import cast
from tests.e2e.conftest import Server
from tests.e2e.money import pay_online
from tests.e2e.pages import signed_in
from tests.factories import actor_for, make_request, slot
from tests.files import HTML, png
from tests.polling import wait_until

LIVE = 5_000


def _photo_shows(photo: Locator) -> None:
    """The <img> loaded real pixels from its signed link (a broken link has naturalWidth 0)."""
    expect(photo.locator("img")).to_be_visible()
    photo.locator("img").evaluate("img => img.decode()")
    assert photo.locator("img").evaluate("img => img.naturalWidth") == 6


def test_dispute_answer_and_partial_refund_both_told_and_journaled(browser: Browser, server: Server,
                                                                   tmp_path: Path) -> None:
    with server.session() as s:
        people = cast(s, "dispute", "Divya Customer", "Dinesh Plumber", "Dispute Admin")
        plumbing, customer, pro, boss = people.plumbing, people.customer, people.pro, people.admin
        job = make_request(s, customer=customer, service=plumbing, status=RequestStatus.completed, professional=pro,
                           scheduled_at=slot(1))
        other = make_request(s, customer=customer, service=plumbing, scheduled_at=slot(4))  # not done: no button
        c_actor = actor_for(s, customer)
        s.commit()
    pay_online(server, c_actor, job.id)

    mine = signed_in(browser, server, customer.id, "/requests")
    card = mine.locator(f"#request-{job.id}")
    expect(mine.locator(f"#btn-dispute-{other.id}")).to_have_count(0)
    card.get_by_role("button", name="Report a problem").click()
    form = mine.locator(f"#form-dispute-{job.id}")
    form.get_by_label("What went wrong?").select_option(label="Poor quality, or the problem came back")
    form.get_by_label("Tell us what happened").fill("short")
    form.get_by_role("button", name="Send to support").click()
    expect(mine.locator(f"#dispute-details-{job.id}-error")).to_contain_text("10–1,000 characters")
    form.get_by_label("Tell us what happened").fill("The sink leaks again since the next morning")
    form.get_by_role("button", name="Send to support").click()
    expect(card.locator("#notice")).to_contain_text("We have your report")
    expect(card).to_contain_text("waiting for the professional's side")

    # an optional photo: a web page renamed .png is refused beside the field, a real one is shown
    fake, real = tmp_path / "leak.png", tmp_path / "sink.png"
    fake.write_bytes(HTML)
    real.write_bytes(png(6, 6))
    card.get_by_role("button", name="Add a photo").click()
    panel = mine.locator(f"#photo-panel-{job.id}")
    panel.locator("input[type=file]").set_input_files(str(fake))
    panel.get_by_role("button", name="Send the photo").click()
    expect(panel.locator("#photo-error")).to_contain_text("PNG, JPEG or WebP")
    panel.locator("input[type=file]").set_input_files(str(real))
    panel.get_by_role("button", name="Send the photo").dblclick()
    expect(card.locator("#notice")).to_contain_text("Photo added")
    _photo_shows(mine.locator(f"#dispute-photo-{job.id}"))
    expect(card.get_by_role("button", name="Replace the photo")).to_be_visible()
    with server.session() as s:
        assert s.exec(select(Dispute).where(Dispute.request_id == job.id)).one().photo_content_type == "image/png"

    theirs = signed_in(browser, server, pro.id, "/professional")
    answer = theirs.locator(f"#form-answer-{job.id}")
    answer.get_by_label("Your side (support reads both)").fill("The pipe under the sink is old; I advised a new one")
    answer.get_by_role("button", name="Send my side").click()
    expect(theirs.locator(f"#dispute-{job.id}")).to_contain_text("support is deciding")
    _photo_shows(theirs.locator(f"#dispute-photo-{job.id}"))
    expect(card).to_contain_text("The pipe under the sink is old", timeout=LIVE)  # pushed to the customer

    admin = signed_in(browser, server, boss.id, "/admin/disputes", width=1280)
    decide = admin.locator(f"#form-decide-{job.id}")
    expect(admin.locator(f"#dispute-card-{job.id}")).to_contain_text("The pipe under the sink is old")
    _photo_shows(admin.locator(f"#dispute-photo-{job.id}"))
    decide.get_by_label("Decision").select_option(label="A refund")
    decide.get_by_label("Refund (₹, for a refund)").fill("100000")
    decide.get_by_label("Reason (both sides read it)").fill("Part of the visit did not fix the leak")
    decide.get_by_role("button", name="Decide").click()
    expect(admin.locator(f"#refund-{job.id}-error")).to_contain_text("Refund between ₹1 and")
    with server.session() as s:
        assert s.exec(select(Dispute).where(Dispute.request_id == job.id)).one().status.value == "answered"
    decide.get_by_label("Refund (₹, for a refund)").fill("150")
    decide.get_by_role("button", name="Decide").click()
    expect(admin.locator("#notice")).to_contain_text("Decided")
    expect(admin.locator(f"#dispute-card-{job.id}")).to_have_count(0)

    expect(card).to_contain_text("Decision: a refund of ₹150 — Part of the visit did not fix the leak", timeout=LIVE)
    expect(card).to_contain_text("₹150 refunded", timeout=LIVE)
    expect(card.get_by_role("button", name="Replace the photo")).to_have_count(0)  # decided: no more photos

    def refunded() -> bool:
        with server.session() as s:
            refund = s.exec(select(Refund).where(Refund.request_id == job.id)).first()
            return refund is not None and refund.status is RefundStatus.processed
    wait_until(refunded, timeout=10, what="the gateway to process the refund")
    with server.session() as s:
        for who in (customer.id, pro.id):
            assert "Support decided" in s.exec(select(Notification.title).where(
                Notification.user_id == who, Notification.request_id == job.id)).all()
        assert s.exec(select(LedgerEntry).where(LedgerEntry.request_id == job.id,
                                                LedgerEntry.amount_paise == 15_000)).first() is not None
        assert journal.unbalanced_transactions(s) == []
    for page in (mine, theirs, admin):
        page.context.close()
