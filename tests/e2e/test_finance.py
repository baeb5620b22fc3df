"""The Finance page in the browser: an admin types a range and sees its figures, charts and their
tables, then exports every request, watches the bar reach 100 % and downloads the CSV (375 px)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Browser, expect
from sqlmodel import func, select

from hsa.models import LedgerEntry, RequestStatus, Role, ServiceRequest, utcnow
from hsa.services.money.pricing import bill
from hsa.services.scheduling import IST
from hsa.services.views import rupees
from hsa.services.wording import group_digits
from tests.e2e.a11y import assert_axe_clean, assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import signed_in
from tests.factories import make_request, make_service, make_user


def test_admin_reads_a_range_and_downloads_the_requests_export(browser: Browser, server: Server) -> None:
    with server.session() as s:
        service = make_service(s, name="Finance Chimney Cleaning", price_paise=59_900)
        customer = make_user(s, email="finance-customer@example.com", full_name="Finance Customer")
        pro = make_user(s, role=Role.professional, service=service, email="finance-pro@example.com")
        admin = make_user(s, role=Role.admin, email="finance-admin@example.com", full_name="Finance Admin")
        recent = make_request(s, customer=customer, service=service, status=RequestStatus.completed,
                              professional=pro, paid=True, pincode="560034")
        older = make_request(s, customer=customer, service=service, status=RequestStatus.completed,
                             professional=pro, paid=True, pincode="400001")
        for entry in s.exec(select(LedgerEntry).where(LedgerEntry.request_id == older.id)):
            entry.created_at = utcnow() - timedelta(days=10)  # paid ten days ago
            s.add(entry)
        s.commit()
        recent_bill, older_bill = bill(recent), bill(older)
    today = utcnow().astimezone(IST).date()

    page = signed_in(browser, server, admin.id, "/admin")
    page.get_by_role("link", name="Finance").click()
    expect(page.locator("#admin-finance")).to_be_visible()
    page.mouse.move(0, 790)  # off the nav link just clicked (its hover colours are not the page's)
    assert_phone_layout(page)
    assert_axe_clean(page)

    form = page.locator('form[data-form="finance-range"]')
    form.get_by_label("From (IST)").fill((today - timedelta(days=3)).isoformat())
    form.get_by_label("To (IST)").fill(today.isoformat())
    form.get_by_role("button", name="Show figures").click()
    expect(page.locator("#finance-range-label")).to_contain_text(f"{today - timedelta(days=3):%d %b %Y}")
    with server.session() as s:  # other tests' bookings may share the server: the range's own sum
        expected = _revenue_since(s, today - timedelta(days=3))
    assert expected >= recent_bill.total_paise
    expect(page.locator("#kpi-revenue")).to_have_text(rupees(expected))
    expect(page.locator("#kpi-due")).not_to_have_text("…")
    for chart in ("day", "service", "city"):
        expect(page.locator(f"#chart-finance-{chart} .js-plotly-plot")).to_be_visible()
    service_table = page.locator("#chart-finance-service-table")
    service_table.locator("summary").click()
    expect(service_table.get_by_role("row", name="Finance Chimney Cleaning")).to_contain_text(
        rupees(recent_bill.total_paise))  # the older payment is outside the range
    page.locator("#chart-finance-city-table summary").click()
    expect(page.locator("#chart-finance-city-table")).to_contain_text("Bengaluru")

    form.get_by_label("From (IST)").fill((today - timedelta(days=12)).isoformat())
    form.get_by_role("button", name="Show figures").click()
    expect(service_table.get_by_role("row", name="Finance Chimney Cleaning")).to_contain_text(
        rupees(recent_bill.total_paise + older_bill.total_paise))

    page.get_by_role("button", name="Export requests").click()
    expect(page.locator("#export-rows")).to_contain_text("100 %")
    expect(page.locator("#export-progress")).to_have_attribute("aria-valuenow", "100")
    with server.session() as s:
        count = s.exec(select(func.count()).select_from(ServiceRequest)).one()
    expect(page.locator("#export-rows")).to_contain_text(f"{group_digits(count)} rows")
    assert_phone_layout(page)
    with page.expect_download() as download:
        page.locator("#export-download").click()
    assert download.value.suggested_filename.startswith("homeserve-requests-")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][:4] == ["request_id", "created_at", "scheduled_at", "status"]
    by_id = {r[0]: r for r in rows[1:]}
    assert len(rows) - 1 == count and {str(recent.id), str(older.id)} <= set(by_id)
    assert by_id[str(recent.id)][4] == "Finance Chimney Cleaning" and by_id[str(older.id)][6] == "Mumbai"
    expect(page.locator("#recent-exports")).to_contain_text("rows · done")
    page.context.close()


def _revenue_since(s, first) -> int:  # noqa: ANN001
    """Money received less refunds since `first` (IST), summed straight from the journal."""
    from hsa.services.money.finance import day_start
    entries = s.exec(select(LedgerEntry).where(LedgerEntry.account == "customer_receivable",
                                               LedgerEntry.created_at >= day_start(first))).all()
    return -sum(e.amount_paise for e in entries if e.kind in ("payment", "cash", "refund"))
