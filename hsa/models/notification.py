"""In-app notifications and the ledger of reminders already sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import enum_column, ts_column, utcnow


class NotificationKind(StrEnum):
    booking = "booking"          # a request the user is part of changed (accepted, cancelled, ...)
    new_job = "new_job"          # an open job near a professional, or a request addressed to them
    approval = "approval"        # the outcome of a professional's vetting
    payment = "payment"          # the customer paid for a job
    review = "review"            # a review was left for the professional
    on_the_way = "on_the_way"    # the professional set off for the customer's address
    reminder = "reminder"        # today's jobs (professional) or the slot in an hour (customer)


class Notification(SQLModel, table=True):
    """One message for one user; `read_at` is NULL until they open or dismiss it."""

    __tablename__ = "notifications"
    __table_args__ = (
        # newest first for one user: an index seek in SQLite and PostgreSQL, no sort
        sa.Index("ix_notifications_user_id_id", "user_id", "id"),
        # unread count and "mark all read": a range seek on (user_id, read_at IS NULL)
        sa.Index("ix_notifications_user_read_id", "user_id", "read_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    kind: NotificationKind = Field(sa_column=enum_column(NotificationKind))
    title: str = Field(max_length=120)
    body: str = Field(default="", max_length=500)
    request_id: int | None = Field(default=None, foreign_key="service_requests.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    read_at: datetime | None = Field(default=None, sa_column=ts_column())
    # Title and body as messages (hsa.i18n.stored), so the inbox says them in the language its
    # reader reads now; `title`/`body` hold them as sent (the recipient's language then). NULL for
    # text that is no message (and for rows written before languages).
    said: dict | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))


class ReminderSent(SQLModel, table=True):
    """A reminder claimed by one run: the unique (kind, key) makes every reminder at-most-once.

    The row is inserted (and committed) before the email goes out; `emailed_at` is set once
    the mailer accepted it, so a failed email can be retried by a later run without ever
    creating a second in-app notification.
    """

    __tablename__ = "reminders_sent"
    __table_args__ = (sa.UniqueConstraint("kind", "key", name="uq_reminders_sent_kind_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    key: str = Field(max_length=80)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    request_id: int | None = Field(default=None, foreign_key="service_requests.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False, index=True))
    attempts: int = Field(default=0)
    last_attempt_at: datetime | None = Field(default=None, sa_column=ts_column())
    emailed_at: datetime | None = Field(default=None, sa_column=ts_column())
