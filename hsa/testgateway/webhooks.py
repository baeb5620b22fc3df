"""Webhook events: Razorpay's envelope and signature, delivered by a background worker with retries.

Why a worker thread: Razorpay sends webhooks after (and independently of) the API answer and the browser
redirect, retries a failing endpoint, and gives no ordering guarantee. The app has to cope with a webhook
that arrives late, twice, out of order or never; this worker reproduces that, and the test controls
(pause, flush, deliver in a chosen order, redeliver) let tests force each case on purpose.

Events live in the store's `events` table, so queued events survive a restart when the store is a file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from typing import TYPE_CHECKING, Any

import requests
from fastapi import APIRouter
from pydantic import BaseModel

from hsa.testgateway.store import ApiError, Store

if TYPE_CHECKING:
    from hsa.testgateway.app import Gateway

SEND_TIMEOUT = 5.0
ACCOUNT_ID = "acc_test"


def envelope(name: str, payload: str, created_at: int) -> str:
    """The exact body Razorpay POSTs (`payload.<kind>.entity` per entity); deterministic, so a redelivery
    is byte-identical and carries the same signature."""
    entities = json.loads(payload)
    return json.dumps({"entity": "event", "account_id": ACCOUNT_ID, "event": name, "contains": list(entities),
                       "payload": {kind: {"entity": e} for kind, e in entities.items()}, "created_at": created_at},
                      separators=(",", ":"))


def sign(secret: str, body: bytes) -> str:
    """X-Razorpay-Signature: hex HMAC-SHA256 of the raw body, keyed with the webhook secret."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Dispatcher:
    """Sends queued events to the webhook URL, oldest due first, retrying failures on a delay schedule.

    A failing event waits for its retry without blocking the events behind it (as Razorpay does), so
    delivery order is only guaranteed while the receiver answers 2xx. `deliver` False pauses the worker
    (events stay queued) until `flush()`, `deliver_now()` or `deliver` is switched back on.
    """

    def __init__(self, store: Store, *, url: str, secret: str, delays: tuple[float, ...]) -> None:
        self._store = store
        self.url = url
        self._secret = secret
        self._delays = tuple(delays)
        self.deliver = True
        self._cond = threading.Condition()
        self._send_lock = threading.Lock()
        self._busy = 0
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._session = requests.Session()

    def start(self) -> None:
        """Start the worker (idempotent); queued events from a previous run are picked up."""
        with self._cond:
            if self._thread is not None:
                return
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="testgateway-webhooks", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the worker; an attempt in progress finishes (bounded by the send timeout)."""
        with self._cond:
            self._stopping = True
            thread, self._thread = self._thread, None
            self._cond.notify_all()
        if thread is not None:
            thread.join(timeout)
        self._session.close()

    def notify(self) -> None:
        """Wake the worker: the store queued a new event."""
        with self._cond:
            self._cond.notify_all()

    def set_delivery(self, *, deliver: bool | None = None, url: str | None = None) -> None:
        """Pause/resume automatic delivery or point it at another receiver (tests learn ports late)."""
        with self._cond:
            if deliver is not None:
                self.deliver = deliver
            if url is not None:
                self.url = url
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """True once nothing is being sent and the worker has nothing left it would send on its own
        (no pending events, or delivery paused / no URL); False if that did not happen within `timeout`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                active = self.deliver and bool(self.url)
                if not self._busy and not (active and self._pending()):
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.05))

    def flush(self) -> list[dict[str, Any]]:
        """Send every pending event once now, oldest first, even while paused; failures stay pending."""
        with self._store.tx() as conn:
            queued = [r[0] for r in conn.execute("SELECT id FROM events WHERE status = 'pending' ORDER BY seq")]
        return [self._attempt(event_id, only_pending=True) for event_id in queued]

    def deliver_now(self, event_ids: list[str]) -> list[dict[str, Any]]:
        """Send these events once each, in exactly this order (to simulate out-of-order delivery)."""
        for event_id in event_ids:
            self.event(event_id)  # every id must exist before anything is sent
        return [self._attempt(event_id) for event_id in event_ids]

    def redeliver(self, event_id: str) -> dict[str, Any]:
        """Send one event again, whatever its state: same id, same body, same signature."""
        self.event(event_id)
        return self._attempt(event_id)

    # -- the events table (rows are inserted by the store, in the transaction that caused them) ------------
    def event(self, event_id: str) -> dict[str, Any]:
        """One event with its exact body; ApiError(404) if unknown."""
        keys = ("id", "event", "payload", "status", "attempts", "failures", "last_status", "last_error", "created_at")
        with self._store.tx() as conn:
            row = conn.execute("SELECT id, event, payload, status, attempts, failures, last_status, last_error,"
                               " created_at FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            raise ApiError("The id provided does not exist", status=404)
        event = dict(zip(keys, row, strict=True))
        event["body"] = envelope(event["event"], event.pop("payload"), event["created_at"])
        return event

    def events(self) -> list[dict[str, Any]]:
        """Every event, oldest first."""
        with self._store.tx() as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY seq")]
        return [self.event(i) for i in ids]

    def _pending(self) -> list[tuple[str, float]]:
        """Pending events with when each is due, due-first (ties: queued first)."""
        with self._store.tx() as conn:
            return conn.execute("SELECT id, next_at FROM events WHERE status = 'pending'"
                                " ORDER BY next_at, seq").fetchall()

    def _record(self, event_id: str, *, status: str, code: int | None, error: str | None, failures: int,
                next_at: float | None) -> None:
        with self._store.tx() as conn:
            conn.execute("UPDATE events SET status = ?, attempts = attempts + 1, failures = ?, last_status = ?,"
                         " last_error = ?, next_at = ? WHERE id = ?",
                         (status, failures, code, error, next_at, event_id))

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._stopping:
                    return
                event_id, wait = self._next_due()
                if event_id is None:
                    self._cond.wait(wait)
                    continue
            self._attempt(event_id, only_pending=True)

    def _next_due(self) -> tuple[str | None, float | None]:
        """The event to send now, or how long to sleep (None: until notified)."""
        if not (self.deliver and self.url):
            return None, None
        due = self._pending()
        if not due:
            return None, None
        event_id, next_at = due[0]
        delay = next_at - time.time()
        return (event_id, None) if delay <= 0 else (None, delay)

    def _attempt(self, event_id: str, *, only_pending: bool = False) -> dict[str, Any]:
        """One POST of one event, recorded. One send at a time keeps sends in the order they were picked."""
        with self._cond:
            self._busy += 1
        try:
            with self._send_lock:
                event = self.event(event_id)
                if only_pending and event["status"] != "pending":
                    return {"id": event_id, "sent": False, "status_code": None}
                code, error = self._post(event_id, event["body"].encode())
                ok = code is not None and 200 <= code < 300
                failures = 0 if ok else event["failures"] + 1
                if ok:
                    status, next_at = "delivered", None
                elif failures <= len(self._delays):
                    status, next_at = "pending", time.time() + self._delays[failures - 1]
                else:
                    status, next_at = "failed", None
                self._record(event_id, status=status, code=code, error=error,
                             failures=failures, next_at=next_at)
                return {"id": event_id, "sent": True, "ok": ok, "status_code": code, "status": status}
        finally:
            with self._cond:
                self._busy -= 1
                self._cond.notify_all()

    def _post(self, event_id: str, body: bytes) -> tuple[int | None, str | None]:
        if not self.url:
            return None, "no webhook_url configured"
        headers = {
            "Content-Type": "application/json",
            "X-Razorpay-Signature": sign(self._secret, body),
            "X-Razorpay-Event-Id": event_id,
            "User-Agent": "Razorpay-Webhook/v1 (test mode)",
        }
        try:
            response = self._session.post(self.url, data=body, headers=headers, timeout=SEND_TIMEOUT)
        except requests.RequestException as exc:
            return None, f"{type(exc).__name__}: {exc}"[:300]
        return response.status_code, None if response.ok else response.text[:300]


class DeliveryConfig(BaseModel):
    """Body of POST /_test/config; fields left out keep their value."""

    deliver_webhooks: bool | None = None
    webhook_url: str | None = None


class DeliveryOrder(BaseModel):
    """Body of POST /_test/events/deliver: event ids, sent one by one in this order."""

    order: list[str]


def summary(event: dict[str, Any]) -> dict[str, Any]:
    """An event as the test controls list it: delivery state plus the ids of the entities it carries."""
    payload = json.loads(event["body"])["payload"]
    return {"id": event["id"], "event": event["event"], "delivered": event["status"] == "delivered",
            "status": event["status"], "attempts": event["attempts"], "last_status": event["last_status"],
            "last_error": event["last_error"], "created_at": event["created_at"],
            "entity_ids": {kind: value["entity"]["id"] for kind, value in payload.items()}}


def controls_router(gw: Gateway) -> APIRouter:
    """/_test: unauthenticated switches for tests (and scripts driving an out-of-process gateway).
    Sending endpoints are plain `def`, so they run in the threadpool and answer after the sends."""
    dispatcher = gw.dispatcher
    router = APIRouter(prefix="/_test")

    def current() -> dict[str, Any]:
        return {"deliver_webhooks": dispatcher.deliver, "webhook_url": dispatcher.url}

    @router.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/config")
    def get_config() -> dict[str, Any]:
        return current()

    @router.post("/config")
    def set_config(body: DeliveryConfig) -> dict[str, Any]:
        dispatcher.set_delivery(deliver=body.deliver_webhooks, url=body.webhook_url)
        return current()

    @router.get("/events")
    def list_events() -> dict[str, Any]:
        items = [summary(e) for e in dispatcher.events()]
        return {"count": len(items), "items": items}

    @router.get("/events/{event_id}")
    def get_event(event_id: str) -> dict[str, Any]:
        event = dispatcher.event(event_id)
        return {**summary(event), "body": event["body"]}

    @router.post("/events/{event_id}/redeliver")
    def redeliver(event_id: str) -> dict[str, Any]:
        return dispatcher.redeliver(event_id)

    @router.post("/events/deliver")
    def deliver(body: DeliveryOrder) -> dict[str, Any]:
        return {"results": dispatcher.deliver_now(body.order)}

    @router.post("/flush")
    def flush() -> dict[str, Any]:
        return {"results": dispatcher.flush()}

    @router.post("/wait_idle")
    def wait_idle(timeout: float = 5.0) -> dict[str, bool]:
        return {"idle": dispatcher.wait_idle(min(max(timeout, 0.0), 60.0))}

    @router.post("/reset")
    def reset() -> dict[str, str]:
        gw.store.reset()
        return {"status": "ok"}

    return router
