"""Weekly payouts in the browser: an admin types the period's last day, reviews, confirms and sees
the batch; its bank file downloads with the professional's row; the professional then sees the
money as paid out on their earnings page (all on a 375 px phone screen)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Browser, expect
from sqlmodel import select

from hsa.models import LedgerEntry, Payout, RequestStatus, Role, utcnow
from hsa.services import sessions
from hsa.services.money.pricing import bill
from hsa.services.scheduling import IST
from hsa.services.views import rupees
from tests.e2e.a11y import assert_axe_clean, assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import open_as
from tests.factories import make_request, make_service, make_user


def _token(server: Server, user_id: int) -> str:
    with server.session() as s:
        token = sessions.issue_session(session=s, user_id=user_id)
        s.commit()
        return token


def test_admin_pays_the_week_and_the_professional_sees_it(browser: Browser, server: Server) -> None:
    with server.session() as s:
        service = make_service(s, name="Payout Geyser Repair", price_paise=49_900)
        customer = make_user(s, email="payout-customer@example.com", full_name="Payout Customer")
        pro = make_user(s, role=Role.professional, service=service, email="payout-pro@example.com",
                        full_name="Payout Prakash")
        admin = make_user(s, role=Role.admin, email="payout-admin@example.com", full_name="Payout Admin")
        req = make_request(s, customer=customer, service=service, status=RequestStatus.completed,
                           professional=pro, paid=True)
        for entry in s.exec(select(LedgerEntry).where(LedgerEntry.request_id == req.id)):
            entry.created_at = utcnow() - timedelta(days=2)  # the job was done and paid before yesterday ended
            s.add(entry)
        s.commit()
        share = bill(req).professional_paise
    yesterday = (utcnow().astimezone(IST).date() - timedelta(days=1)).isoformat()

    page = open_as(browser, server.url, _token(server, admin.id), "/admin/payouts")
    expect(page.locator("#admin-payouts")).to_be_visible()
    assert_phone_layout(page)
    page.get_by_label("Pay for work up to the end of (IST)").fill(yesterday)
    page.get_by_role("button", name="Run payouts").click()
    preview = page.locator("#payout-preview")
    expect(preview.locator("#payout-lines")).to_contain_text(f"Payout Prakash · {rupees(share)}")
    with server.session() as s:
        assert s.exec(select(Payout).where(Payout.professional_id == pro.id)).first() is None  # review only
    assert_axe_clean(page)
    assert_phone_layout(page)
    page.locator("#confirm-payouts").click()
    expect(page.locator("#notice")).to_contain_text("Download its bank file below")
    with server.session() as s:
        payout = s.exec(select(Payout).where(Payout.professional_id == pro.id)).one()
    assert payout.amount_paise == share
    batch = page.locator(f"#batch-{payout.batch_id}")
    expect(batch).to_be_visible()
    assert_phone_layout(page)

    with page.expect_download() as download:
        batch.get_by_role("button", name=f"Download the bank file of batch {payout.batch_id}").click()
    assert download.value.suggested_filename == f"homeserve-payouts-{payout.batch_id}.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][:5] == ["beneficiary_name", "phone", "email", "amount_inr", "reference"]
    assert ["Payout Prakash", pro.phone, pro.email, f"{share / 100:.2f}",
            f"HS-PAYOUT-{payout.batch_id}-{payout.id}"] in [r[:5] for r in rows[1:]]
    page.context.close()

    mine = open_as(browser, server.url, _token(server, pro.id), "/professional/earnings")
    expect(mine.locator("#paid-out")).to_have_text(rupees(share))
    expect(mine.get_by_text("Paid out", exact=True)).to_be_visible()
    expect(mine.locator("#payout-list")).to_contain_text(f"HS-PAYOUT-{payout.batch_id}-{payout.id}")
    expect(mine.locator("#ready")).to_have_text("₹0")
    assert_axe_clean(mine)
    assert_phone_layout(mine)
    mine.context.close()
