"""Paying online in a real browser, through the test gateway's hosted page (its own process,
Razorpay's contract), the way a customer does it on a phone: a declined card then a retry that
succeeds; a late cancellation whose fee is shown before confirming, with the rest refunded.
Every step is checked on the page and in the database."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Browser, expect
from sqlmodel import col, select

from hsa.models import Payment, PaymentStatus, Refund, RefundStatus, RequestStatus, Role, utcnow
from tests.e2e.a11y import assert_axe_clean, assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import GatewayPage, signed_in
from tests.factories import make_request, make_service, make_user, slot

LIVE = 10_000  # ms: webhooks and the reconciler's work show up without a reload


def _payments(server: Server, request_id: int) -> list[Payment]:
    with server.session() as s:
        return list(s.exec(select(Payment).where(Payment.request_id == request_id).order_by(col(Payment.id))))


def test_a_declined_card_then_a_retry_pays_once(browser: Browser, server: Server) -> None:
    with server.session() as s:
        service = make_service(s, name="Pay Sofa Cleaning", price_paise=59_900)
        customer = make_user(s, email="pay-card@example.com", full_name="Nisha Menon")
        pro = make_user(s, role=Role.professional, service=service, email="pay-card-pro@example.com")
        done = make_request(s, customer=customer, service=service, status=RequestStatus.completed,
                            professional=pro, scheduled_at=slot(1, 11)).id
        make_request(s, customer=customer, service=service, scheduled_at=slot(5, 12))  # a second card
    page = signed_in(browser, server, customer.id, "/requests")
    card = page.locator(f"#request-{done}")
    expect(card.locator(f"#bill-{done}")).to_contain_text("GST 18% (SAC 9987)")
    assert_axe_clean(page)
    assert_phone_layout(page)
    card.get_by_role("button", name="Pay ₹706.82 online").click()  # 599 + 18 % GST (no fee on this one)
    GatewayPage(page)
    assert_axe_clean(page)  # the hosted page too: customers meet it on a phone
    assert_phone_layout(page)
    GatewayPage(page).pay("card", fail=True)
    expect(page).to_have_url(re.compile(rf"/requests/?\?payment=failed&request={done}$"))
    expect(card.locator("#form-error")).to_contain_text("Your payment did not go through")
    expect(card.locator(f"#payment-error-{done}")).to_contain_text("declined")
    [attempt] = _payments(server, done)
    assert attempt.status is PaymentStatus.created and "declined" in attempt.error

    card.get_by_role("button", name="Pay ₹706.82 online").click()
    GatewayPage(page).pay("card")
    expect(page).to_have_url(re.compile(rf"/requests/?\?payment=paid&request={done}$"))
    expect(page.locator(f"#paid-{done}")).to_have_text("Paid ₹706.82 · CARD")
    expect(page.locator(f"#btn-pay-online-{done}")).to_have_count(0)
    expect(page.locator(f"#payment-error-{done}")).to_have_count(0)
    [paid] = _payments(server, done)  # the same order: one payment, one charge
    assert (paid.status, paid.method.value, paid.amount_paise, paid.order_id) == (
        PaymentStatus.paid, "card", 70_682, attempt.order_id)
    page.context.close()


def test_a_late_cancellation_shows_the_fee_first_then_refunds_the_rest(browser: Browser, server: Server) -> None:
    with server.session() as s:
        service = make_service(s, name="Pay Deep Cleaning", price_paise=49_900)
        customer = make_user(s, email="pay-cancel@example.com", full_name="Kavya Rao")
        pro = make_user(s, role=Role.professional, service=service, email="pay-cancel-pro@example.com")
        soon = make_request(s, customer=customer, service=service, status=RequestStatus.assigned, professional=pro,
                            scheduled_at=utcnow() + timedelta(hours=2), platform_fee_paise=4_900).id
        later = make_request(s, customer=customer, service=service, status=RequestStatus.assigned,
                             professional=pro, scheduled_at=slot(6, 10)).id
    page = signed_in(browser, server, customer.id, "/requests")
    card = page.locator(f"#request-{soon}")
    card.get_by_role("button", name="Pay ₹646.64 online").click()  # paid in advance: (499 + 49) + 18 % GST
    GatewayPage(page).pay("upi")
    expect(page.locator(f"#paid-{soon}")).to_have_text("Paid ₹646.64 · UPI")

    # The other booking is days away: cancelling it would be free, and the form says so.
    page.locator(f"#btn-cancel-{later}").click()
    expect(page.locator(f"#cancel-terms-{later}")).to_contain_text("Free: it is more than 3 hours before the slot.")
    page.locator(f"#btn-cancel-{later}").click()  # close it again

    page.locator(f"#btn-cancel-{soon}").click()
    form = page.locator(f"#form-cancel-{soon}")
    expect(form.locator(f"#cancel-terms-{soon}")).to_contain_text("A cancellation fee of ₹99 (incl. GST) applies")
    form.get_by_label("Reason for cancelling").fill("Guests arrived early")
    form.get_by_role("button", name="Confirm cancellation").click()
    expect(card).to_contain_text("Cancelled")
    expect(page.locator(f"#refund-{soon}")).to_have_text("₹547.64 refunded", timeout=LIVE)
    expect(page.locator(f"#bill-{soon}")).to_contain_text("Cancellation fee (incl. GST)")
    with server.session() as s:
        refund = s.exec(select(Refund).where(Refund.request_id == soon)).one()
        assert (refund.amount_paise, refund.status) == (54_764, RefundStatus.processed)
        assert refund.gateway_refund_id and refund.gateway_refund_id.startswith("rfnd_")
    page.context.close()
