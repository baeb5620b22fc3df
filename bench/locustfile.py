"""Locust load test speaking the app's real websocket event protocol (see bench/reflex_client.py).

    HSA_DATABASE_URL=sqlite:////tmp/bench.db locust -f bench/locustfile.py --headless \\
        -u 100 -r 20 -t 60s --host http://localhost:8200 --csv /tmp/locust

Customers search and book, professionals keep their board open and accept jobs, an admin
watches the dashboard. Each simulated user gets a real session token issued into the database
(so login rate limits and bcrypt do not dominate) and sends it the way the browser does.

Three profiles (HSA_LOAD_PROFILE):
- ``people`` (default): think times of people using the app — a customer acts every 5–15 s,
  a professional's board is kept current by server pushes and they accept what appears,
  the admin dashboard refreshes itself and is re-opened every 10–20 s.
- ``stress``: every user acts every 0.5–2 s and professionals re-open their board before each
  accept; this finds the server's ceiling in events per second.
- ``side``: issue #15's side-by-side mix (bench/side_mix.py, the same as the Flask peer's
  bench/peer_flask/locustfile.py): customers only, each looping search by pincode -> "My
  requests" (a real navigation: its on_load chain) -> book, 0.1–0.3 s think time, measured in
  a window of its own; bench/side_by_side.py runs it.

Form submits (search, book, accept) are timed to their result (`submitted`), not to the busy
flag the `submits` decorator sends first: before 2026-12-02 this file timed the first update, so
search/book/accept figures measured after that decorator came in (commit 59d755b) only timed
the busy flag. Page loads (`load`, `refresh`) answer in one update and still use `send`.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from locust import User, between, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import side_mix  # noqa: E402
from reflex_client import STATES, ReflexClient, submitted  # noqa: E402

PROFILE = os.environ.get("HSA_LOAD_PROFILE", "people")
STRESS = PROFILE == "stress"
SIDE = PROFILE == "side"
WARMUP_SECONDS = float(os.environ.get("HSA_LOAD_WARMUP", "20"))
if SIDE:
    side_mix.install(events)  # its own warm-up and window; Locust's totals are not reset


@events.spawning_complete.add_listener
def _reset_after_warmup(**_kwargs: object) -> None:
    """Figures cover the steady state: reset them once every user has connected, signed in and
    opened their page (100 sockets connecting within 10 s is the ramp, reported separately)."""
    import gevent

    if _RUNNER and WARMUP_SECONDS > 0 and not SIDE:
        gevent.spawn_later(WARMUP_SECONDS, _RUNNER[0].stats.reset_all)


_RUNNER: list = []


@events.init.add_listener
def _keep_runner(environment, **_kwargs: object) -> None:  # noqa: ANN001 - locust Environment
    _RUNNER.append(environment.runner)
PINCODES = ["560034", "560095", "560038", "400050", "110001", "600020"]


TOKENS: dict[str, list[str]] = {}


@events.init.add_listener
def _issue_tokens(**_kwargs: object) -> None:
    """Sign in every simulated user before the clock starts, in one transaction.

    Done up front because Locust's users share one gevent loop: a database call in a user's
    on_start (a random-offset pick over 100,000 customers, a write waiting for SQLite's lock)
    would stall every other user and inflate the round trips being measured.
    """
    from sqlmodel import select

    from hsa.db import session_scope
    from hsa.models import ApprovalStatus, ProfessionalProfile, Role, User
    from hsa.services import sessions

    wanted = {"customer": 400, "professional": 200, "admin": 2}
    if SIDE:
        wanted = {"customer": int(os.environ.get("SIDE_MAX_USERS", "400"))}
    with session_scope() as s:
        for role, count in wanted.items():
            query = select(User.id).where(User.role == Role(role), User.status == "active")
            if role == "professional":
                query = query.join(ProfessionalProfile, ProfessionalProfile.user_id == User.id).where(
                    ProfessionalProfile.approval_status == ApprovalStatus.approved)
            ids = list(s.exec(query.limit(count * 20)))
            # distinct users when there are enough (1M-row set), else shared (demo data)
            chosen = random.sample(ids, count) if len(ids) >= count else [random.choice(ids) for _ in range(count)]
            TOKENS[role] = [sessions.issue_session(session=s, user_id=user_id) for user_id in chosen]
        s.commit()


def _token(role: str) -> str:
    return TOKENS[role].pop()


class ReflexUser(User):
    abstract = True
    role = "customer"
    page = "/"

    def on_start(self) -> None:
        self.client = ReflexClient(self.host)
        self.client.connect()
        self.client.login_with(_token(self.role), self.page)

    def on_stop(self) -> None:
        self.client.close()

    def event(self, label: str, state: str, handler: str, payload: dict | None = None, form: bool = False) -> dict:
        """One event, timed to its first update, or with `form` (a `submits` handler) to its result."""
        started = time.perf_counter()
        try:
            if form:
                _, delta, _ = self.client.call(f"{STATES[state]}.{handler}", payload, path=self.page,
                                               done=submitted(state))
            else:
                _, delta = self.client.send(f"{STATES[state]}.{handler}", payload, path=self.page)
            events.request.fire(request_type="ws", name=label, response_time=(time.perf_counter() - started) * 1000,
                                response_length=len(str(delta)), exception=None, context={})
            return delta
        except Exception as exc:  # noqa: BLE001 - every failure is reported to Locust
            events.request.fire(request_type="ws", name=label, response_time=(time.perf_counter() - started) * 1000,
                                response_length=0, exception=exc, context={})
            return {}


class Customer(ReflexUser):
    abstract = SIDE
    weight = 6
    role, page = "customer", "/customer"
    wait_time = between(0.5, 1.5) if STRESS else between(5, 15)

    def on_start(self) -> None:
        super().on_start()
        self.event("customer: open home", "customer", "load")

    @task(3)
    def search(self) -> None:
        self.event("customer: search", "customer", "search", {"form_data": {
            "service_id": str(random.randint(1, 10)), "pincode": random.choice(PINCODES), "q": ""}}, form=True)

    @task(1)
    def book(self) -> None:
        from hsa.models import utcnow
        from hsa.services.scheduling import IST

        day = (utcnow().astimezone(IST) + timedelta(days=random.randint(1, 30))).date().isoformat()
        self.event("customer: book", "book", "submit", {"form_data": {
            "service_id": str(random.randint(1, 5)), "day": day, "time": "10:00",
            "address": "12, 4th Cross, Koramangala", "pincode": random.choice(PINCODES), "remarks": "load test"}},
            form=True)


class Professional(ReflexUser):
    abstract = SIDE
    weight = 3
    role, page = "professional", "/professional"
    wait_time = between(1, 2) if STRESS else between(5, 15)

    def on_start(self) -> None:
        super().on_start()
        self.event("pro: open board", "pro", "load")

    @task
    def board_and_accept(self) -> None:
        if STRESS:
            self.event("pro: open board", "pro", "load")
        # the open-jobs list as the server last pushed it (or as the load answered)
        rows = self.client.latest.get(STATES["pro"], {}).get("open_nearby_rx_state_") or []
        if rows:
            self.event("pro: accept", "pro", "act", {"form_data": {"request_id": str(rows[0]["id"]),
                                                                   "action": "accept"}}, form=True)


class Admin(ReflexUser):
    abstract = SIDE
    weight = 1
    fixed_count = 1
    role, page = "admin", "/admin"
    wait_time = between(2, 3) if STRESS else between(10, 20)

    def on_start(self) -> None:
        super().on_start()
        self.event("admin: open dashboard", "admin", "load")

    @task
    def dashboard(self) -> None:
        self.event("admin: refresh dashboard", "admin", "refresh")


SIDE_CATALOG: list = []


def _side_catalog() -> tuple[list[str], list[int]]:
    if not SIDE_CATALOG:
        from sqlalchemy import text

        from hsa.db import session_scope

        def query(sql: str) -> list:
            with session_scope(readonly=True) as s:
                return list(s.exec(text(sql)))
        SIDE_CATALOG.extend(side_mix.catalog(query))
    return SIDE_CATALOG[0], SIDE_CATALOG[1]


class SideCustomer(ReflexUser):
    """Issue #15's mix over the websocket: search by pincode -> My requests -> book (bench/side_mix.py)."""

    abstract = not SIDE
    role, page = "customer", "/customer"
    wait_time = constant(0)  # think time is inside the loop, between every two actions

    def on_start(self) -> None:
        self.pincodes, self.service_ids = _side_catalog()
        super().on_start()  # connect, hydrate, session token as localStorage sync hands it over
        self.timed("open home", lambda: self.client.navigate("/customer"))
        side_mix.RECORDER.user_ready()

    def timed(self, label: str, action: Callable[[], tuple[float, dict, list]],
              check: Callable[[dict, list], str] | None = None) -> None:
        started = time.perf_counter()
        exc: Exception | None = None
        size = 0
        try:
            _, delta, frontend = action()
            size = len(str(delta))
            problem = check(delta, frontend) if check else ""
            if problem:
                exc = RuntimeError(problem)
        except Exception as error:  # noqa: BLE001 - every failure is reported to Locust
            exc = error
        events.request.fire(request_type="ws", name=label, response_time=(time.perf_counter() - started) * 1000,
                            response_length=size, exception=exc, context={})

    @task
    def loop(self) -> None:
        customer, book = STATES["customer"], STATES["book"]
        form = side_mix.search_form(self.pincodes, self.service_ids)
        self.timed("search", lambda: self.client.call(f"{customer}.search", {"form_data": form}, path="/customer",
                                                      done=submitted("customer")),
                   lambda delta, _ev: _form_problem(delta.get(customer, {})))
        side_mix.think()
        self.timed("requests page", lambda: self.client.navigate("/requests"), _page_problem)
        side_mix.think()
        data = side_mix.booking_form(self.pincodes, self.service_ids)
        self.timed("book", lambda: self.client.call(f"{book}.submit", {"form_data": data}, path="/book",
                                                    done=submitted("book")),
                   lambda delta, _ev: _form_problem(delta.get(book, {})))
        side_mix.think()


def _form_problem(values: dict) -> str:
    errors = values.get("errors_rx_state_") or {}
    error = values.get("error_rx_state_") or ""
    return f"refused: {errors or error}" if errors or error else ""


def _page_problem(delta: dict, frontend: list) -> str:
    redirects = [e for e in frontend if e.get("name") == "_redirect"]
    return f"redirected: {redirects[0].get('payload')}" if redirects else ""
