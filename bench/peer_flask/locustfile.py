"""Locust users for the Flask peer: the same mix as hsa's `side` profile (bench/side_mix.py).

    PEER_DATABASE=/tmp/side.db SIDE_RESULT=/tmp/peer.json locust -f bench/peer_flask/locustfile.py \\
        --headless -u 100 -r 10 -t 120s --host http://127.0.0.1:8300

Each user signs in for real (bcrypt, session cookie) as its own generated customer
(`user<N>@bench.example`, the generator's shared password), opens the booking form once for
the CSRF token, then loops search by pincode -> My requests -> book (POST, the redirect to
My requests not followed: hsa's booking is measured to its answer too).
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from pathlib import Path

from locust import HttpUser, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import side_mix  # noqa: E402

PASSWORD = os.environ.get("SIDE_PASSWORD", "BenchPass123")  # bench/generate.py's shared password
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
side_mix.install(events)
_query = side_mix.sqlite_query(os.environ["PEER_DATABASE"])
PINCODES, SERVICE_IDS = side_mix.catalog(_query)
_EMAILS = [e for (e,) in _query("SELECT email FROM users WHERE role = 'customer' AND status = 'active' "
                                "AND email LIKE '%@bench.example' ORDER BY id")]
CUSTOMERS = (_EMAILS[(i * 37) % len(_EMAILS)] for i in itertools.count())  # distinct while < len(_EMAILS)


class PeerCustomer(HttpUser):
    wait_time = constant(0)  # think time is inside the loop, between every two actions

    def on_start(self) -> None:
        email = next(CUSTOMERS)
        with self.client.post("/login", data={"email": email, "password": PASSWORD}, name="login",
                              catch_response=True) as response:
            if response.status_code != 200 or "/search" not in response.url:
                response.failure(f"login as {email}: {response.status_code}")
        with self.client.get("/book", name="open book form", catch_response=True) as response:
            found = CSRF.search(response.text)
            if not found:
                response.failure("no CSRF token on /book")
            self.csrf = found.group(1) if found else ""
        side_mix.RECORDER.user_ready()

    @task
    def loop(self) -> None:
        form = side_mix.search_form(PINCODES, SERVICE_IDS)
        with self.client.get("/search", params={k: v for k, v in form.items() if v}, name="search",
                             catch_response=True) as response:
            if response.status_code != 200 or "professional" not in response.text:
                response.failure(f"search: {response.status_code}")
        side_mix.think()
        with self.client.get("/requests", name="requests page", catch_response=True) as response:
            if response.status_code != 200 or "My requests" not in response.text:
                response.failure(f"requests page: {response.status_code}")
        side_mix.think()
        data = {**side_mix.booking_form(PINCODES, SERVICE_IDS), "csrf": self.csrf}
        with self.client.post("/book", data=data, name="book", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"book: {response.status_code}")
        side_mix.think()
