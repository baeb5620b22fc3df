"""The private thread of each booking between its customer and its professional, and reports.

Kept with the booking (never deleted with it: a dispute or a report may need it); an admin reads
a thread only once a report (or, later, a dispute) is opened on it, and each reading is audited.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import enum_column, ts_column, utcnow


class ChatMessage(SQLModel, table=True):
    __tablename__ = "chat_messages"
    __table_args__ = (sa.Index("ix_chat_messages_request_id_id", "request_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="service_requests.id")
    sender_id: int = Field(foreign_key="users.id")
    body: str = Field(max_length=1000)      # as shown: contact details already masked where required
    masked: bool = Field(default=False)     # a phone number or email was hidden from it
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    read_at: datetime | None = Field(default=None, sa_column=ts_column())  # by the other party


class ReportReason(StrEnum):
    abuse = "abuse"                  # insults, threats, harassment
    fraud = "fraud"                  # a scam, a fake job
    off_platform = "off_platform"    # asked to pay or book outside HomeServe
    other = "other"


class ReportStatus(StrEnum):
    open = "open"
    closed = "closed"


class Report(SQLModel, table=True):
    """A person reports a message or the other party of a booking; the admin queue works these."""

    __tablename__ = "reports"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="service_requests.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="chat_messages.id")
    reporter_id: int = Field(foreign_key="users.id")
    reported_id: int = Field(foreign_key="users.id", index=True)
    reason: ReportReason = Field(sa_column=enum_column(ReportReason))
    details: str = Field(default="", max_length=1000)
    status: ReportStatus = Field(default=ReportStatus.open, sa_column=enum_column(ReportStatus, index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=ts_column())
    closed_by_id: int | None = Field(default=None, foreign_key="users.id")
    outcome: str = Field(default="", max_length=500)  # what the admin decided, shown to the reporter
