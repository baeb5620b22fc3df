"""Live tracking and notifications in two browsers, the professional's position emulated.

The professional's phone (Playwright geolocation) taps "On my way" and moves towards the job;
the customer's open page follows — distance, ETA, "Arriving" — and their notification bell
counts each step of the job, all without a reload.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from hsa.models import Service, ServiceRequest, User, utcnow
from hsa.services import bookings, sessions
from hsa.services.demo_data import DEMO_PASSWORD
from hsa.services.pincodes import centroid
from hsa.services.scheduling import IST
from tests.e2e.conftest import Server
from tests.e2e.pages import LoginPage, at

LIVE = 2_000  # ms: the issue's bound for a position or a notification to reach the other page
JOB_PINCODE = "400005"
DEST = centroid(JOB_PINCODE)
assert DEST is not None
MOVE_GAP = 4.2  # s between fixes: the service keeps one per 3 s and refuses > 200 km/h jumps


def _north(km: float) -> dict[str, float]:
    return {"latitude": DEST[0] + km / 111.195, "longitude": DEST[1], "accuracy": 10}


def _label(km: float) -> str:
    return f"{km:.1f} km" if km >= 1 else f"{round(km * 100) * 10} m"


def _eta(km: float) -> str:
    return "Arriving now" if km <= 0.3 else f"About {math.ceil(km * 1.3 / 25 * 60)} min"


def _signed_in(browser: Browser, server: Server, email: str, home: str, **context: object) -> Page:
    page = browser.new_context(base_url=server.url, **context).new_page()  # type: ignore[arg-type]
    LoginPage(page).open().log_in(email, DEMO_PASSWORD)
    expect(page).to_have_url(at(home))
    return page


def _book_for(server: Server) -> int:
    """Rahul books Priya (Home Cleaning) for tomorrow 11:00 at his Colaba address."""
    with server.session() as s:
        rahul = s.exec(select(User).where(User.email == "rahul@example.com")).one()
        priya = s.exec(select(User).where(User.email == "priya@example.com")).one()
        cleaning = s.exec(select(Service).where(Service.name == "Home Cleaning")).one()
        actor = sessions.resolve_actor(session=s, token=sessions.issue_session(session=s, user_id=rahul.id))
        day = (utcnow().astimezone(IST) + timedelta(days=1)).date().isoformat()
        view = bookings.create_request(session=s, actor=actor, data={
            "service_id": cleaning.id, "day": day, "time": "11:00", "address": "B-204, Sea View, Colaba",
            "pincode": JOB_PINCODE, "remarks": "Deep clean", "preferred_professional_id": priya.id})
        return view.id


def test_customer_follows_the_professional_live_and_hears_every_step(browser: Browser, server: Server) -> None:
    request_id = _book_for(server)
    start = 1.2
    priya = _signed_in(browser, server, "priya@example.com", "/professional",
                       viewport={"width": 375, "height": 800}, permissions=["geolocation"],
                       geolocation=_north(start))
    rahul = _signed_in(browser, server, "rahul@example.com", "/customer", viewport={"width": 375, "height": 800})

    # Rahul starts from a clean bell, then keeps "My requests" open.
    rahul.goto("/notifications")
    if rahul.locator("#read-all").is_visible():
        rahul.locator("#read-all").click()
    expect(rahul.locator("#bell-count")).to_have_count(0)
    rahul.goto("/requests")
    card = rahul.locator(f"#request-{request_id}")
    expect(card).to_contain_text("Deep clean")

    # Priya was told about the request addressed to her; she accepts it on her phone.
    expect(priya.locator("#bell-count")).to_be_visible(timeout=LIVE)
    priya.locator(f"#btn-accept-{request_id}").click()
    expect(rahul.locator("#bell-count")).to_have_text("1", timeout=LIVE)  # live in the other role's page
    expect(card).to_contain_text("Priya Nair", timeout=LIVE)

    # "On my way": the phone shares its position, Rahul's page shows the map, distance and ETA.
    priya.locator(f"#btn-onmyway-{request_id}").click()
    expect(priya.locator("#sharing")).to_be_visible()
    expect(rahul.locator("#bell-count")).to_have_text("2", timeout=LIVE)
    tracking = rahul.locator("#tracking")
    expect(tracking.locator("#track-distance")).to_have_text(_label(start), timeout=3 * LIVE)
    expect(tracking.locator("#track-eta")).to_have_text(_eta(start))
    expect(tracking.locator("#track-label")).to_have_text("On the way")
    expect(tracking.locator(".leaflet-container")).to_be_visible()  # the npm map mounted (tiles are offline)
    expect(priya.locator("#share-status")).to_contain_text("Sharing your location")

    # She moves towards the job; each fix reaches Rahul's page within 2 s.
    last_fix = time.monotonic()
    for km in (0.9, 0.6, 0.25):
        time.sleep(max(0.0, MOVE_GAP - (time.monotonic() - last_fix)))
        priya.context.set_geolocation(_north(km))
        expect(tracking.locator("#track-distance")).to_have_text(_label(km), timeout=LIVE)
        last_fix = time.monotonic()
        expect(tracking.locator("#track-eta")).to_have_text(_eta(km))
    expect(tracking.locator("#track-label")).to_have_text("Arriving")
    expect(priya.locator("#share-error")).to_have_count(0)

    for page in (priya, rahul):  # the phone layout holds with the map and the sharing banner
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    # At the door Rahul reads out the code on his card and Priya types it; then the job ends:
    # tracking stops and the position is deleted.
    code = rahul.locator(f"#code-{request_id}").inner_text()
    priya.locator(f"#btn-start-{request_id}").click()
    start = priya.locator(f"#form-start-{request_id}")
    start.get_by_label("Customer's 4-digit code").fill(code)
    start.get_by_role("button", name="Start job").click()
    expect(rahul.locator("#track-label")).to_have_text("Job in progress", timeout=LIVE)
    priya.locator(f"#btn-complete-{request_id}").click()
    priya.get_by_role("button", name="Confirm completed").click()
    expect(rahul.locator("#tracking")).to_have_count(0, timeout=LIVE)
    with server.session() as s:
        req = s.get(ServiceRequest, request_id)
        assert req is not None and req.status.value == "completed"
        from hsa.models import JobLocation

        assert s.get(JobLocation, request_id) is None
    for page in (priya, rahul):
        page.context.close()
