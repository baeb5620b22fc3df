"""A professional's monthly statement in the browser: on the earnings page they pick last month
in the "Statement month" select and download its PDF (on a 375 px phone screen); the file is a
PDF of that month with the job's share in it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time
from pathlib import Path

from playwright.sync_api import Browser, expect
from pypdf import PdfReader
from sqlmodel import select

from hsa.models import LedgerEntry, RequestStatus, Role, utcnow
from hsa.services.money import statements
from hsa.services.money.pricing import bill
from hsa.services.scheduling import IST
from tests.e2e.a11y import assert_axe_clean, assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import signed_in
from tests.factories import make_request, make_service, make_user


def test_the_professional_downloads_last_months_statement(browser: Browser, server: Server) -> None:
    last = statements.recent_months(utcnow(), 2)[1]
    label = statements.month_label(last)
    with server.session() as s:
        service = make_service(s, name="Statement Fan Repair", price_paise=59_900)
        customer = make_user(s, email="statement-customer@example.com", full_name="Meera Statement")
        pro = make_user(s, role=Role.professional, service=service, email="statement-pro@example.com",
                        full_name="Statement Suresh")
        req = make_request(s, customer=customer, service=service, status=RequestStatus.completed,
                           professional=pro, paid=True)
        y, m = map(int, last.split("-"))
        done = datetime.combine(datetime(y, m, 5).date(), time(11, 0), tzinfo=IST).astimezone(UTC)
        for entry in s.exec(select(LedgerEntry).where(LedgerEntry.request_id == req.id)):
            entry.created_at = done  # the job was done and paid on the 5th of last month
            s.add(entry)
        s.commit()
        share = bill(req).professional_paise
        pro_id = pro.id

    page = signed_in(browser, server, pro_id, "/professional/earnings")
    expect(page.locator("#statement")).to_be_visible()
    month = page.get_by_label("Statement month")
    expect(month).to_have_value(statements.recent_months(utcnow(), 1)[0])  # this month first
    month.select_option(last)
    link = page.get_by_role("link", name=f"Download statement (PDF) for {label}")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["height"] >= 44
    assert_axe_clean(page)
    assert_phone_layout(page)

    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"homeserve-statement-{last}-{pro_id}.pdf"
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    whole, paise = divmod(share, 100)
    assert f"Earnings statement: {label}" in text and "Statement Fan Repair · Meera" in text
    assert f"₹{whole}.{paise:02d}" in text
    page.context.close()
