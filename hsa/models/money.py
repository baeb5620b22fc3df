"""Money: payments through a gateway (or cash), refunds, verified webhook events and the
double-entry journal. Amounts are integer paise everywhere; no card or UPI data is ever stored
(the gateway holds it; we keep its ids)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import enum_column, ts_column, utcnow


class PaymentMethod(StrEnum):
    cash = "cash"
    upi = "upi"
    card = "card"
    netbanking = "netbanking"
    online = "online"  # a gateway order the customer has not paid yet: the method is chosen on its page


class PaymentStatus(StrEnum):
    created = "created"    # an order at the gateway, waiting for the customer
    paid = "paid"          # captured (or cash received); `refunded_paise` may be part of it
    failed = "failed"      # the order expired or was replaced (a declined attempt keeps the order open)
    refunded = "refunded"  # every paisa went back


OPEN_ORDER = "status = 'created'"


class Payment(SQLModel, table=True):
    """One order (gateway) or one cash receipt for a booking.

    At most one open order per booking (partial unique index): twenty clicks on "Pay" reuse it,
    and a gateway order takes at most one successful payment, so a customer is charged once.
    """

    __tablename__ = "payments"
    __table_args__ = (
        sa.CheckConstraint("amount_paise >= 0 AND refunded_paise >= 0 AND refunded_paise <= amount_paise",
                           name="ck_payment_amount"),
        sa.Index("ix_payments_created_status_amount", "created_at", "status", "amount_paise"),  # revenue sums
        sa.Index("ux_payments_one_open_order", "request_id", unique=True,
                 sqlite_where=sa.text(OPEN_ORDER), postgresql_where=sa.text(OPEN_ORDER)),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="service_requests.id", index=True)
    amount_paise: int
    method: PaymentMethod = Field(sa_column=enum_column(PaymentMethod))
    status: PaymentStatus = Field(default=PaymentStatus.paid, sa_column=enum_column(PaymentStatus))
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False, index=True))
    provider: str = Field(default="manual", max_length=16, sa_column_kwargs={"server_default": "manual"})
    order_id: str | None = Field(default=None, max_length=40, sa_column_kwargs={"unique": True})
    gateway_payment_id: str | None = Field(default=None, max_length=40, sa_column_kwargs={"unique": True})
    refunded_paise: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    error: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})  # last declined try
    paid_at: datetime | None = Field(default=None, sa_column=ts_column())


class RefundStatus(StrEnum):
    pending = "pending"      # decided and journaled; the gateway has not confirmed it yet
    processed = "processed"  # the gateway (or the professional, for cash) paid it back
    failed = "failed"


class Refund(SQLModel, table=True):
    """Money going back to a customer; `idempotency_key` is also the gateway's X-Refund-Idempotency."""

    __tablename__ = "refunds"
    __table_args__ = (sa.CheckConstraint("amount_paise > 0", name="ck_refund_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payments.id", index=True)
    request_id: int = Field(foreign_key="service_requests.id", index=True)
    amount_paise: int
    reason: str = Field(default="", max_length=300)
    status: RefundStatus = Field(default=RefundStatus.pending, sa_column=enum_column(RefundStatus))
    gateway_refund_id: str | None = Field(default=None, max_length=40, sa_column_kwargs={"unique": True})
    idempotency_key: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    processed_at: datetime | None = Field(default=None, sa_column=ts_column())
    # support's goodwill: it lowers what the booking costs (HomeServe bears it), so it is not owed
    # again; other refunds give back money paid beyond the bill (a cancellation, a double payment)
    concession: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class WebhookEvent(SQLModel, table=True):
    """A verified gateway event, stored by its event id: a redelivery finds it and does nothing."""

    __tablename__ = "webhook_events"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    event: str = Field(max_length=64)
    received_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))


class Account(StrEnum):
    """The journal's accounts. Debits are positive, credits negative; every transaction sums to 0."""

    customer_receivable = "customer_receivable"    # what customers owe (negative: paid in advance)
    gateway_clearing = "gateway_clearing"          # money held for us at the gateway
    platform_commission = "platform_commission"    # HomeServe's revenue: commission and platform fees
    gst_payable = "gst_payable"                    # tax collected, owed to the government
    professional_payable = "professional_payable"  # what HomeServe owes each professional
    payouts = "payouts"                            # money sent to professionals' banks
    refunds = "refunds"                            # refunds decided, not yet paid back by the gateway


class LedgerEntry(SQLModel, table=True):
    """One line of a balanced transaction (`txn`); `user_id` is the customer or professional the
    line is about, so a person's balance on an account is one indexed sum."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        sa.CheckConstraint("amount_paise <> 0", name="ck_ledger_amount"),
        sa.Index("ix_ledger_entries_account_user", "account", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    txn: str = Field(max_length=40, index=True)
    kind: str = Field(max_length=32)  # charge, payment, cash, cancel_fee, refund, refund_paid, payout
    account: Account = Field(sa_column=enum_column(Account))
    amount_paise: int
    request_id: int | None = Field(default=None, foreign_key="service_requests.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False, index=True))


class Strike(SQLModel, table=True):
    """A professional let a customer down (a late cancellation); quality control reads these."""

    __tablename__ = "strikes"

    id: int | None = Field(default=None, primary_key=True)
    professional_id: int = Field(foreign_key="users.id", index=True)
    request_id: int = Field(foreign_key="service_requests.id")
    reason: str = Field(max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))


class Invoice(SQLModel, table=True):
    """A GST tax invoice for money a customer paid: numbered per financial year without gaps
    (`InvoiceCounter`, taken in the payment's transaction), amounts frozen when issued."""

    __tablename__ = "invoices"
    __table_args__ = (sa.UniqueConstraint("fy", "seq", name="uq_invoices_fy_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, sa_column_kwargs={"unique": True})  # "HS/2026-27/000001"
    fy: str = Field(max_length=7)                                          # "2026-27" (April to March)
    seq: int
    request_id: int = Field(foreign_key="service_requests.id", index=True)
    kind: str = Field(max_length=16)  # job | extra | cancellation
    taxable_paise: int
    gst_paise: int
    total_paise: int
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    emailed_at: datetime | None = Field(default=None, sa_column=ts_column())


class InvoiceCounter(SQLModel, table=True):
    """The last invoice number of each financial year (one row per year, updated under a lock)."""

    __tablename__ = "invoice_counters"

    fy: str = Field(primary_key=True, max_length=7)
    last: int = Field(default=0)


class PayoutBatch(SQLModel, table=True):
    """One weekly payout run: every professional owed money up to `period_end`, paid once."""

    __tablename__ = "payout_batches"

    id: int | None = Field(default=None, primary_key=True)
    period_end: datetime = Field(sa_column=ts_column(nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    total_paise: int = Field(default=0)
    count: int = Field(default=0)


class Payout(SQLModel, table=True):
    """What one professional is paid in one batch (a row of the bank's upload file)."""

    __tablename__ = "payouts"
    __table_args__ = (
        sa.UniqueConstraint("batch_id", "professional_id", name="uq_payouts_batch_professional"),
        sa.CheckConstraint("amount_paise > 0", name="ck_payout_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="payout_batches.id", index=True)
    professional_id: int = Field(foreign_key="users.id", index=True)
    amount_paise: int
    txn: str = Field(max_length=40)  # the journal transaction that moved it
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
