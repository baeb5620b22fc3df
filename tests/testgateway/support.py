"""Helpers for the gateway tests: a webhook receiver and a browser-less hosted-checkout driver."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import razorpay
import requests

from hsa.testgateway import RunningGateway
from tests.polling import wait_until


@dataclass(frozen=True)
class Received:
    """One webhook POST as the receiver saw it."""

    event_id: str
    signature: str
    content_type: str
    body: str
    answered: int

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


class Receiver:
    """A merchant webhook endpoint: records every POST, answers with queued statuses, then 200."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._answers: deque[int] = deque()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                with receiver._lock:
                    status = receiver._answers.popleft() if receiver._answers else 200
                    receiver.received.append(Received(self.headers.get("X-Razorpay-Event-Id", ""),
                                                      self.headers.get("X-Razorpay-Signature", ""),
                                                      self.headers.get("Content-Type", ""), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *_: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/webhooks/razorpay"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def answer(self, *statuses: int) -> None:
        """Answer the next POSTs with these statuses (then 200 again)."""
        with self._lock:
            self._answers.extend(statuses)

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
            self._answers.clear()

    def events(self) -> list[str]:
        with self._lock:
            return [r.json["event"] for r in self.received]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        wait_until(lambda: len(self.received) >= count, timeout=timeout, interval=0.005,
                   what=f"{count} webhook POSTs (got {self.events()})")
        with self._lock:
            return list(self.received)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# -- driving the hosted checkout like a browser without JS would ------------------------------------------
@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str]
    buttons: list[tuple[str, str, str]]  # (name, value, text)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.labels: dict[str, str] = {}
        self.controls: list[dict[str, str]] = []
        self._button: dict[str, str] | None = None
        self._label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get"), {}, []))
        elif tag == "input" and self.forms:
            if a.get("type") != "radio" or "checked" in a:
                self.forms[-1].fields[a["name"]] = a.get("value", "")
            if a.get("type") != "hidden":
                self.controls.append(a)
        elif tag == "select":
            self.controls.append(a)
        elif tag == "button":
            self._button = {**a, "text": ""}
        elif tag == "label":
            self._label = a.get("for", "")
            self.labels[self._label] = ""

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button["text"] += data
        if self._label is not None:
            self.labels[self._label] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None and self.forms:
            b = self._button
            self.forms[-1].buttons.append((b.get("name", ""), b.get("value", ""), b["text"].strip()))
            self._button = None
        elif tag == "label":
            self._label = None


def parse(html: str) -> _Forms:
    p = _Forms()
    p.feed(html)
    return p


def open_checkout(gw: RunningGateway, order: dict[str, Any], **extra: str) -> requests.Response:
    """What the merchant page POSTs to start Hosted Checkout."""
    data = {"key_id": gw.config.key_id, "order_id": order["id"], "amount": str(order["amount"]),
            "currency": "INR", "name": "HomeServe", "description": "Deep cleaning, 2 BHK",
            "prefill[name]": "Asha Rao", "prefill[email]": "asha@example.com", "prefill[contact]": "+919812345678",
            "callback_url": "http://app.test/payments/callback", "cancel_url": "http://app.test/booking/42"}
    data.update(extra)
    return requests.post(gw.checkout_url, data=data, timeout=5)


def pay(gw: RunningGateway, order: dict[str, Any], outcome: str = "success", **typed: str) -> Form:
    """Open checkout, press a button; return the form the gateway posts back to callback_url."""
    page = open_checkout(gw, order)
    assert page.status_code == 200, page.text
    form = parse(page.text).forms[0]
    response = requests.post(gw.base_url + form.action, data={**form.fields, **typed, "outcome": outcome}, timeout=5)
    assert response.status_code == 200, response.text
    return parse(response.text).forms[0]


def new_order(client: razorpay.Client, amount: int = 123456, **extra: Any) -> dict[str, Any]:
    return client.order.create({"amount": amount, "currency": "INR", **extra})
