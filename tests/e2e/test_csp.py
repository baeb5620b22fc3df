"""The built frontend works under the app's Content-Security-Policy, for every kind of user.

Each page is opened with a listener for `securitypolicyviolation` events (and console messages
about the policy); there must be none, and each page must still do its job over the websocket:
a search returns results, charts draw, a deep link scrolls (Reflex runs that script with eval),
the professional's phone shares its position and the customer's map mounts. The admin console
refuses to render inside another site's frame, and a service name written as HTML is shown as
text in the dashboard's charts, never as a link.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlmodel import select

from hsa import routes
from hsa.models import ApprovalStatus, Role, Service, User, utcnow
from hsa.services import bookings, documents, sessions, stats, tracking
from hsa.services.demo_data import ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_PASSWORD
from hsa.services.pincodes import centroid
from hsa.services.scheduling import IST
from tests.e2e.conftest import Server
from tests.e2e.pages import LoginPage, at
from tests.e2e.test_page_matrix import MARKERS
from tests.factories import PASSWORD, make_request, make_service, make_user
from tests.files import pdf

EVIL = '<a href="https://evil.example">x</a>'
CSP_WORDS = ("content security policy", "csp violation")
HOOK = """document.addEventListener('securitypolicyviolation', e => console.error(
    'CSP violation: ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in ' +
    e.sourceFile + ':' + e.lineNumber + ' ' + (e.sample || '')));"""


class Watched:
    """A signed-in (or guest) tab that records every policy complaint across navigations."""

    def __init__(self, browser: Browser, server: Server, **context: object) -> None:
        self.context = browser.new_context(base_url=server.url, **context)  # type: ignore[arg-type]
        self.context.add_init_script(HOOK)
        self.page = self.context.new_page()
        self.complaints: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self._note(f"page error: {exc}"))

    def _console(self, message: ConsoleMessage) -> None:
        self._note(f"console {message.type}: {message.text}")

    def _note(self, text: str) -> None:
        if any(word in text.lower() for word in CSP_WORDS) or text.startswith("page error"):
            self.complaints.append(f"{self.page.url}: {text}")

    def sign_in(self, email: str, password: str, home: str) -> Watched:
        LoginPage(self.page).open().log_in(email, password)
        expect(self.page).to_have_url(at(home))
        return self

    def visit(self, route: str) -> Page:
        response = self.page.goto(route)
        assert response is not None and "frame-ancestors 'none'" in response.headers["content-security-policy"]
        path = route.split("?")[0]
        expect(self.page.locator(MARKERS[path])).to_be_visible()
        return self.page

    def close(self) -> None:
        assert self.complaints == [], "\n".join(self.complaints)
        self.context.close()


@pytest.fixture
def watched(browser: Browser, server: Server) -> Iterator[list[Watched]]:
    """Tabs made by a test; each must end without a complaint."""
    tabs: list[Watched] = []
    yield tabs
    for tab in tabs:
        tab.close()


def _tab(watched: list[Watched], browser: Browser, server: Server, **context: object) -> Watched:
    watched.append(Watched(browser, server, **context))
    return watched[-1]


def test_guest_pages_run_under_the_policy(browser: Browser, server: Server, watched: list[Watched]) -> None:
    guest = _tab(watched, browser, server)
    for route in (routes.INDEX, routes.REGISTER, routes.REGISTER_PRO, routes.LOGIN):
        guest.visit(route)
    guest.page.reload()  # revalidated from the cache (304): the page must keep its policy and work
    expect(guest.page.locator(MARKERS[routes.LOGIN])).to_be_visible()
    login = LoginPage(guest.page)  # a websocket round trip as a guest
    login.log_in("nobody@example.com", "WrongPass123")
    expect(login.error).to_contain_text("Incorrect email or password")


def test_customer_pages_search_and_deep_link(browser: Browser, server: Server, watched: list[Watched]) -> None:
    with server.session() as s:  # a customer of its own: the demo customers' lists stay as other tests expect
        someone = make_user(s, email=f"csp-{uuid4().hex[:8]}@example.com", pincode="560034")
        plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
        request_id = make_request(s, customer=someone, service=plumbing).id
    customer = _tab(watched, browser, server).sign_in(someone.email, PASSWORD, routes.CUSTOMER_HOME)
    page = customer.visit(routes.CUSTOMER_HOME)
    page.select_option("#search-service", label="Plumbing")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results .pro-result").first).to_contain_text("Ravi Kumar")
    for route in (routes.BOOK, routes.PROFILE, routes.PASSWORD, routes.NOTIFICATIONS):
        customer.visit(route)
    # Reflex runs the deep link's scroll script with eval(): the reason for 'unsafe-eval'.
    page = customer.visit(f"{routes.MY_REQUESTS}?{routes.FOCUS_PARAM}={request_id}")
    card = page.locator(f"#request-{request_id}")
    expect(card).to_be_in_viewport()


def test_live_location_and_the_map_work_under_the_policy(browser: Browser, server: Server, watched: list[Watched],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Suresh shares his position (geolocation via an eval'd script); the customer's map mounts."""
    monkeypatch.setenv("HSA_EARLY_START_HOURS", "1500")  # as the server runs: set off for tomorrow's job now
    with server.session() as s:
        suresh = s.exec(select(User).where(User.email == "suresh@example.com")).one()
        electrical = s.exec(select(Service).where(Service.name == "Electrical")).one()
        customer = make_user(s, email=f"csp-{uuid4().hex[:8]}@example.com", full_name="Csp Customer",
                             pincode="560038")
        as_customer = sessions.resolve_actor(session=s, token=sessions.issue_session(session=s, user_id=customer.id))
        as_suresh = sessions.resolve_actor(session=s, token=sessions.issue_session(session=s, user_id=suresh.id))
        day = (utcnow().astimezone(IST) + timedelta(days=1)).date().isoformat()
        job = bookings.create_request(session=s, actor=as_customer, data={
            "service_id": electrical.id, "day": day, "time": "11:00", "address": "9, Indiranagar",
            "pincode": "560038", "remarks": "Fan wiring", "preferred_professional_id": suresh.id}).id
        bookings.transition(session=s, actor=as_suresh, request_id=job, action="accept")
        tracking.start_trip(session=s, actor=as_suresh, request_id=job)
    spot = centroid("560038")
    assert spot is not None
    pro = _tab(watched, browser, server, permissions=["geolocation"],
               geolocation={"latitude": spot[0] + 0.02, "longitude": spot[1], "accuracy": 10})
    pro.sign_in("suresh@example.com", DEMO_PASSWORD, routes.PRO_HOME)
    expect(pro.visit(routes.PRO_HOME).locator("#share-status")).to_contain_text("Sharing your location")
    follower = _tab(watched, browser, server).sign_in(customer.email, PASSWORD, routes.CUSTOMER_HOME)
    page = follower.visit(routes.MY_REQUESTS)
    expect(page.locator("#tracking .leaflet-container")).to_be_visible()
    expect(page.locator("#track-distance")).not_to_be_empty()
    with server.session() as s:  # end the trip so no other test finds Suresh on the road
        bookings.transition(session=s, actor=as_customer, request_id=job, action="cancel",
                            data={"reason": "Browser test finished"})
        assert tracking.active_trip(session=s, actor=as_suresh) is None


def _evil_service_on_top(server: Server) -> None:
    """A service named as HTML, booked often enough in the last 30 days to lead the chart.

    Inactive, so the catalog other tests walk never lists it (an unbreakable 36-character name
    overflows the phone layout of the service cards)."""
    with server.session() as s:
        admin = s.exec(select(User).where(User.email == ADMIN_EMAIL)).one()
        actor = sessions.resolve_actor(session=s, token=sessions.issue_session(session=s, user_id=admin.id))
        top = stats.dashboard(session=s, actor=actor).top_services
        if top and top[0][0] == EVIL:
            return
        service = (s.exec(select(Service).where(Service.name == EVIL)).first()
                   or make_service(s, name=EVIL, active=False))
        booker = make_user(s, email=f"csp-booker-{uuid4().hex[:8]}@example.com")
        for _ in range((top[0][1] if top else 0) + 1):
            make_request(s, customer=booker, service=service)


def _pending_pro_with_pdf(server: Server, monkeypatch: pytest.MonkeyPatch) -> int:
    """A new applicant whose document is a PDF, shown in an <object> on the vetting screen."""
    monkeypatch.setenv("HSA_DATA_DIR", str(server.log.parent))  # the server's documents folder
    with server.session() as s:
        painting = s.exec(select(Service).where(Service.name == "Painting")).one()
        pro = make_user(s, role=Role.professional, email=f"csp-pro-{uuid4().hex[:8]}@example.com",
                        approval=ApprovalStatus.pending, service=painting)
        actor = sessions.resolve_actor(session=s, token=sessions.issue_session(session=s, user_id=pro.id))
        documents.upload_document(session=s, actor=actor, filename="licence.pdf", data=pdf())
        return pro.id


def test_admin_console_runs_under_the_policy_and_shows_html_names_as_text(
        browser: Browser, server: Server, watched: list[Watched], monkeypatch: pytest.MonkeyPatch) -> None:
    _evil_service_on_top(server)
    applicant = _pending_pro_with_pdf(server, monkeypatch)
    admin = _tab(watched, browser, server, viewport={"width": 1280, "height": 900})
    admin.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, routes.ADMIN_HOME)
    page = admin.visit(routes.ADMIN_HOME)
    chart = page.locator("#chart-services")
    expect(chart.locator(".js-plotly-plot")).to_be_visible(timeout=20_000)  # a cold 4 MB plotly bundle
    expect(chart).to_contain_text(EVIL)  # the name, as typed
    links = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot a')]
        .map(a => a.getAttribute('href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '')
        .filter(href => href.includes('evil'))""")
    assert links == [], f"a service name became a link in the dashboard: {links}"
    chart.hover()
    with page.expect_download() as download:  # plotly draws the PNG through a blob: image
        chart.locator('.modebar-btn[data-title="Download plot as a PNG"]').click()
    assert download.value.suggested_filename.endswith(".png")

    page = admin.visit(routes.ADMIN_PROS)
    page.locator(f"#view-doc-{applicant}").click()
    viewer = page.locator("#doc-viewer")
    expect(viewer).to_be_attached()
    assert viewer.evaluate("e => e.tagName") == "OBJECT"
    for route in (routes.ADMIN_USERS, routes.ADMIN_SERVICES, routes.ADMIN_REQUESTS, routes.ADMIN_AUDIT):
        admin.visit(route)


def test_admin_users_refuses_to_render_in_another_sites_frame(browser: Browser, server: Server,
                                                              watched: list[Watched]) -> None:
    admin = _tab(watched, browser, server).sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, routes.ADMIN_HOME)
    evil = "http://evil.test/"
    admin.page.route(evil, lambda route: route.fulfill(content_type="text/html", body=(
        f'<iframe id="victim" src="{server.url}{routes.ADMIN_USERS}" '
        "onload=\"document.body.dataset.loaded = 'yes'\"></iframe>")))
    admin.page.goto(evil)
    expect(admin.page.locator("body[data-loaded=yes]")).to_be_attached()
    frame = admin.page.frame_locator("#victim")
    expect(frame.locator("#admin-users")).to_have_count(0)
    victim = next(f for f in admin.page.frames if f != admin.page.main_frame)
    assert not victim.url.startswith(server.url), victim.url  # Chromium swaps in its error page
    # The refusal itself is logged as a frame-ancestors complaint: expected here, and only that.
    admin.complaints = [c for c in admin.complaints if "frame-ancestors" not in c and "X-Frame-Options" not in c]
