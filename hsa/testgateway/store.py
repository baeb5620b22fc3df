"""The gateway's books: orders, payments, refunds and queued webhook events, in one SQLite database.

Why one lock around one transaction per operation: the money rules (an order takes at most one successful
payment; refunds never exceed the captured amount; an idempotency key is used once) must hold when the
customer double-clicks "Pay" or the app retries a refund concurrently. Each state change commits together
with the webhook events it causes, so an event is never lost or sent for a change that did not happen.
A file path makes everything survive a restart; ":memory:" is for tests.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import string
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Entity = dict[str, Any]
_ALPHABET = string.ascii_letters + string.digits
NOT_FOUND = "The id provided does not exist"
SUCCESSFUL = ("authorized", "captured", "refunded")
BANKS = {"HDFC": "HDFC Bank", "ICIC": "ICICI Bank", "SBIN": "State Bank of India", "UTIB": "Axis Bank",
         "KKBK": "Kotak Mahindra Bank"}
_VPA = re.compile(r"[A-Za-z0-9._-]{2,256}@[A-Za-z]{2,64}")
_EXPIRY = re.compile(r"(0[1-9]|1[0-2])\s*/\s*\d{2}")
_NETWORKS = {"4": "Visa", "5": "MasterCard", "6": "RuPay", "3": "American Express"}
_DECLINED_CARD = "4000000000000002"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, parent TEXT, receipt TEXT, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entities_lookup ON entities (kind, parent, receipt);
CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, refund_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, event TEXT NOT NULL, payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER, last_error TEXT, next_at REAL, created_at INTEGER NOT NULL);
"""
_LIST = ("SELECT body FROM entities WHERE kind = ? AND (? IS NULL OR parent = ?) AND (? IS NULL OR receipt = ?)"
         " ORDER BY rowid DESC LIMIT ? OFFSET ?")


class ApiError(Exception):
    """A request Razorpay would refuse; the API turns it into `{"error": {...}}` with this HTTP status."""

    def __init__(self, description: str, *, status: int = 400, field: str | None = None) -> None:
        super().__init__(description)
        self.description = description
        self.status = status
        self.field = field


def new_id(prefix: str) -> str:
    """Razorpay-style id: prefix + 14 random alphanumerics (e.g. `pay_Kx3...`)."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(14))


def _digits(n: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(n))


def _luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def method_details(method: str, typed: dict[str, str]) -> tuple[Entity, bool]:
    """The payment's method fields from what the customer typed, and whether that test data asks for a
    decline (failure@razorpay, card 4000 0000 0000 0002). ValueError: input a real checkout would refuse."""
    details: Entity = {"description": typed.get("description") or None,
                       "email": typed.get("email") or "void@razorpay.com",
                       "contact": typed.get("contact") or "+919000090000"}
    if method == "upi":
        vpa = typed.get("vpa", "").strip()
        if not _VPA.fullmatch(vpa):
            raise ValueError("Enter a UPI ID like name@bank.")
        details.update(vpa=vpa, acquirer_data={"rrn": _digits(12), "upi_transaction_id": None})
        return details, vpa.lower().startswith("failure@")
    if method == "card":
        number = re.sub(r"[\s-]", "", typed.get("card_number", ""))
        if not (number.isdigit() and 12 <= len(number) <= 19 and _luhn(number)):
            raise ValueError("Enter a valid card number (test card: 4111 1111 1111 1111).")
        if not _EXPIRY.fullmatch(typed.get("card_expiry", "").strip()):
            raise ValueError("Enter the card expiry as MM/YY.")
        if not re.fullmatch(r"\d{3,4}", typed.get("card_cvv", "").strip()):
            raise ValueError("Enter the 3 or 4 digit CVV.")
        card = {"id": new_id("card_"), "entity": "card", "name": typed.get("card_name") or None,
                "last4": number[-4:], "network": _NETWORKS.get(number[0], "Unknown"), "type": "credit",
                "issuer": None, "international": False, "emi": False, "sub_type": "consumer"}
        details.update(card_id=card["id"], card=card, acquirer_data={"auth_code": _digits(6)})
        return details, number == _DECLINED_CARD
    if method == "netbanking":
        if typed.get("bank") not in BANKS:
            raise ValueError("Choose your bank.")
        details.update(bank=typed["bank"], acquirer_data={"bank_transaction_id": _digits(10)})
        return details, False
    raise ValueError("Choose a payment method.")


def public(entity: Entity) -> Entity:
    """The entity as the API shows it: bookkeeping keys (leading "_") removed."""
    return {k: v for k, v in entity.items() if not k.startswith("_")}


class Store:
    """All reads and state changes of the gateway; every method is safe to call from any thread."""

    def __init__(self, path: str = ":memory:") -> None:
        if path != ":memory:" and not os.path.exists(path):
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # test keys live here: owner-only
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.executescript(_SCHEMA)
        self._queued = False
        self.on_event: Callable[[], None] = lambda: None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One serialised transaction; listeners hear about queued events after it commits."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                self._queued = False
                raise
            self._conn.execute("COMMIT")
            queued, self._queued = self._queued, False
        if queued:
            self.on_event()

    def reset(self) -> None:
        """Forget everything (tests share one gateway per module)."""
        with self.tx() as conn:
            conn.execute("DELETE FROM entities")
            conn.execute("DELETE FROM idempotency")
            conn.execute("DELETE FROM events")

    # -- entities -------------------------------------------------------------------------------------
    def _get(self, conn: sqlite3.Connection, kind: str, entity_id: str) -> Entity:
        row = conn.execute("SELECT body FROM entities WHERE id = ? AND kind = ?", (entity_id, kind)).fetchone()
        if row is None:
            raise ApiError(NOT_FOUND)
        return json.loads(row[0])

    def _put(self, conn: sqlite3.Connection, kind: str, entity: Entity, parent: str | None = None) -> None:
        conn.execute(
            "INSERT INTO entities (id, kind, parent, receipt, body) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            (entity["id"], kind, parent, entity.get("receipt"), json.dumps(entity)),
        )

    def _list(self, conn: sqlite3.Connection, kind: str, *, parent: str | None = None,
              receipt: str | None = None, count: int = 100, skip: int = 0) -> list[Entity]:
        rows = conn.execute(_LIST, (kind, parent, parent, receipt, receipt, count, skip)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def fetch(self, kind: str, entity_id: str) -> Entity:
        with self.tx() as conn:
            return public(self._get(conn, kind, entity_id))

    def collection(self, kind: str, *, parent: str | None = None, receipt: str | None = None,
                   count: int = 10, skip: int = 0) -> list[Entity]:
        """Newest first, like Razorpay's list endpoints."""
        with self.tx() as conn:
            return [public(e) for e in self._list(conn, kind, parent=parent, receipt=receipt, count=count, skip=skip)]

    def successful_payment(self, order_id: str) -> Entity | None:
        """The order's authorized/captured payment, if any: the one payment the order may ever have."""
        with self.tx() as conn:
            return self._successful(conn, order_id)

    def _successful(self, conn: sqlite3.Connection, order_id: str) -> Entity | None:
        payments = self._list(conn, "payment", parent=order_id)
        return next((public(p) for p in payments if p["status"] in SUCCESSFUL), None)

    # -- orders and payments --------------------------------------------------------------------------
    def create_order(self, *, amount: int, currency: str, receipt: str | None, notes: dict[str, Any],
                     payment_capture: bool, unique_receipt: bool) -> Entity:
        """A new order; with `unique_receipt` an order already made for the receipt is returned instead."""
        with self.tx() as conn:
            if unique_receipt and receipt:
                existing = self._list(conn, "order", receipt=receipt, count=1)
                if existing:
                    if existing[0]["amount"] != amount:
                        raise ApiError("An order with this receipt already exists with a different amount.",
                                       field="amount")
                    return public(existing[0])
            order = {"id": new_id("order_"), "entity": "order", "amount": amount, "amount_paid": 0,
                     "amount_due": amount, "currency": currency, "receipt": receipt, "offer_id": None,
                     "status": "created", "attempts": 0, "notes": notes or [], "created_at": int(time.time()),
                     "_payment_capture": payment_capture}
            self._put(conn, "order", order)
            return public(order)

    def attempt(self, order_id: str, *, succeed: bool, method: str, details: Entity) -> tuple[Entity, bool]:
        """A checkout attempt: (payment, reused). If the order already has a successful payment, that one is
        returned with reused=True and nothing changes, so a double submit can never charge twice."""
        with self.tx() as conn:
            order = self._get(conn, "order", order_id)
            done = self._successful(conn, order_id)
            if done is not None:
                return done, True
            payment = {
                "id": new_id("pay_"), "entity": "payment", "amount": order["amount"], "currency": order["currency"],
                "status": "created", "order_id": order_id, "invoice_id": None, "international": False,
                "method": method, "amount_refunded": 0, "refund_status": None, "captured": False,
                "description": None, "card_id": None, "card": None, "bank": None, "wallet": None, "vpa": None,
                "email": None, "contact": None, "notes": order["notes"], "fee": None, "tax": None,
                "error_code": None, "error_description": None, "error_source": None, "error_step": None,
                "error_reason": None, "acquirer_data": {}, "created_at": int(time.time()),
            }
            payment.update(details)
            order["attempts"] += 1
            order["status"] = "attempted"
            if succeed:
                payment["status"] = "authorized"
                self._event(conn, "payment.authorized", payment=payment)
                if order["_payment_capture"]:
                    self._capture(conn, payment, order)
            else:
                payment.update(status="failed", acquirer_data={}, error_code="BAD_REQUEST_ERROR",
                               error_description="Your payment was declined by the bank (test mode).",
                               error_source="customer", error_step="payment_authorization",
                               error_reason="payment_failed")
                self._event(conn, "payment.failed", payment=payment)
            self._put(conn, "payment", payment, parent=order_id)
            self._put(conn, "order", order)
            return public(payment), False

    def _capture(self, conn: sqlite3.Connection, payment: Entity, order: Entity) -> None:
        base = round(payment["amount"] * 0.02)  # Razorpay's standard 2% plus 18% GST on it, in paise
        tax = round(base * 0.18)
        payment.update(status="captured", captured=True, fee=base + tax, tax=tax)
        order.update(status="paid", amount_paid=order["amount"], amount_due=0)
        self._event(conn, "payment.captured", payment=payment)
        self._event(conn, "order.paid", payment=payment, order=order)

    def capture(self, payment_id: str, amount: int, currency: str | None) -> Entity:
        """Manual capture: only an authorized payment, only for exactly the authorized amount."""
        with self.tx() as conn:
            payment = self._get(conn, "payment", payment_id)
            if payment["captured"]:
                raise ApiError("This payment has already been captured")
            if payment["status"] != "authorized":
                raise ApiError("Only payments which have been authorized and not yet captured can be captured")
            if amount != payment["amount"]:
                raise ApiError("Capture amount must be equal to the amount authorized", field="amount")
            if currency is not None and currency != payment["currency"]:
                raise ApiError("Currency should be same as payment currency", field="currency")
            order = self._get(conn, "order", payment["order_id"])
            self._capture(conn, payment, order)
            self._put(conn, "payment", payment, parent=order["id"])
            self._put(conn, "order", order)
            return public(payment)

    # -- refunds --------------------------------------------------------------------------------------
    def refund(self, payment_id: str, *, amount: int | None, speed: str, receipt: str | None,
               notes: dict[str, Any], idempotency_key: str | None) -> Entity:
        """Refund part or (amount None) all of what is left; a repeated idempotency key with the same
        request returns the first refund instead of refunding again."""
        fingerprint = json.dumps([payment_id, amount, speed, receipt, notes], sort_keys=True)
        with self.tx() as conn:
            if idempotency_key:
                row = conn.execute("SELECT fingerprint, refund_id FROM idempotency WHERE key = ?",
                                   (idempotency_key,)).fetchone()
                if row is not None:
                    if row[0] != fingerprint:
                        raise ApiError("Different request with the same idempotency key has already been processed.")
                    return public(self._get(conn, "refund", row[1]))
            payment = self._get(conn, "payment", payment_id)
            if payment["status"] == "refunded":
                raise ApiError("The payment has been fully refunded already")
            if payment["status"] != "captured":
                raise ApiError("Only captured payments can be refunded")
            left = payment["amount"] - payment["amount_refunded"]
            amount = left if amount is None else amount
            if amount > left:
                raise ApiError("The refund amount provided is greater than amount captured", field="amount")
            refund = {"id": new_id("rfnd_"), "entity": "refund", "amount": amount, "currency": payment["currency"],
                      "payment_id": payment_id, "notes": notes or [], "receipt": receipt,
                      "acquirer_data": {"arn": None}, "created_at": int(time.time()), "batch_id": None,
                      "status": "processed", "speed_processed": "normal", "speed_requested": speed}
            payment["amount_refunded"] += amount
            full = payment["amount_refunded"] == payment["amount"]
            payment.update(refund_status="full" if full else "partial", status="refunded" if full else "captured")
            self._put(conn, "refund", refund, parent=payment_id)
            self._put(conn, "payment", payment, parent=payment["order_id"])
            if idempotency_key:
                conn.execute("INSERT INTO idempotency (key, fingerprint, refund_id) VALUES (?, ?, ?)",
                             (idempotency_key, fingerprint, refund["id"]))
            self._event(conn, "refund.created", refund=refund, payment=payment)
            self._event(conn, "refund.processed", refund=refund, payment=payment)
            return public(refund)

    # -- webhook events -------------------------------------------------------------------------------
    def _event(self, conn: sqlite3.Connection, name: str, **entities: Entity) -> None:
        """Queue an event with a snapshot of the entities as they are now (later changes don't leak in);
        the webhook body is built from it by `webhooks.envelope`."""
        payload = json.dumps({kind: public(e) for kind, e in entities.items()})
        conn.execute("INSERT INTO events (id, event, payload, next_at, created_at) VALUES (?, ?, ?, ?, ?)",
                     (new_id("evt_"), name, payload, time.time(), int(time.time())))
        self._queued = True
