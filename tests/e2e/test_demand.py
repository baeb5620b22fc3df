"""Issue #18 part 3: after the daily job ran on seeded data with planted history, an admin sees the
forecast chart, the method shown and the where-to-recruit table; another service changes both."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Browser, expect
from sqlmodel import select

from bench.demand_data import write_requests
from hsa.models import DemandSeries, Role, Service, User, utcnow
from hsa.services.intelligence.demand_job import run_forecasts
from hsa.services.intelligence.demand_synth import CITIES, generate
from hsa.services.scheduling import local_date
from tests.e2e.a11y import assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import signed_in
from tests.factories import make_user


def test_on_the_demo_data_the_page_already_shows_forecasts(browser: Browser, server: Server) -> None:
    """`seed --demand-history` (what ./scripts/serve runs) planted two years and computed today's rows."""
    with server.session() as s:
        stored = list(s.exec(select(DemandSeries)))
        admin = s.exec(select(User).where(User.role == Role.admin)).first()
        assert admin is not None and len(stored) >= 40  # 10 services x 4 cities
    page = signed_in(browser, server, admin.id, "/admin/demand", width=1280)
    expect(page.locator("#chart-demand svg.main-svg").first).to_be_visible()
    expect(page.locator("#demand-method")).to_contain_text("Shown: ")
    expect(page.locator(".recruit-row")).to_have_count(len(stored))
    page.context.close()


def test_an_admin_sees_the_forecast_and_where_to_recruit(browser: Browser, server: Server) -> None:
    now = utcnow()
    with server.session() as s:
        ids = {svc.name: svc.id for svc in s.exec(select(Service))}
        customer = make_user(s, email=f"demand-{now.timestamp()}@example.com", pincode="400050")
        planted = generate(end=local_date(now) - timedelta(days=1), days=120, services=("AC Repair", "Home Cleaning"),
                           cities={"Mumbai": CITIES["Mumbai"]})
        write_requests(s.connection(), planted, service_ids=ids, customer_id=customer.id)
        s.commit()
        run_forecasts(session=s, now=now)  # what `python -m hsa.cli forecast` and the daily pass run
        rows = {(r.service_name, r.city): r for r in s.exec(select(DemandSeries))}
        admin = s.exec(select(User).where(User.role == Role.admin)).first()
        assert admin is not None
    ac, cleaning = rows[("AC Repair", "Mumbai")], rows[("Home Cleaning", "Mumbai")]
    assert ac.professionals == 0 and ac.shortfall_14d > 0  # nobody repairs ACs in Mumbai in the demo data

    page = signed_in(browser, server, admin.id, "/admin/demand", width=1280)
    chart = page.locator("#chart-demand")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    top = max(rows.values(), key=lambda r: (r.shortfall_14d, r.demand_14d))
    expect(chart).to_contain_text(f"{top.service_name} in {top.city}")
    expect(page.locator("#demand-method")).to_have_text(f"Shown: {top.method_label}")
    row = page.locator(f"#recruit-{ac.service_id}-Mumbai")
    expect(row).to_contain_text(f"{ac.shortfall_14d:.0f}")
    expect(row).to_contain_text(str(ac.recruit))

    other = cleaning if top is ac else ac
    page.get_by_label("Service").select_option(str(other.service_id))
    expect(chart).to_contain_text(f"{other.service_name} in Mumbai")
    expect(page.locator("#demand-method")).to_have_text(f"Shown: {other.method_label}")
    page.set_viewport_size({"width": 375, "height": 800})
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    assert_phone_layout(page)
    page.context.close()
