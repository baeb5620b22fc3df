"""A customer's complaint about a completed job, the professional's answer and support's decision."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from hsa.models.common import enum_column, ts_column, utcnow


class DisputeReason(StrEnum):
    not_done = "not_done"            # the work was not done, or not finished
    poor_quality = "poor_quality"    # done badly; the problem came back
    damage = "damage"                # something was damaged
    overcharged = "overcharged"      # charged more than agreed
    behaviour = "behaviour"          # rude, unsafe, late
    other = "other"


class DisputeStatus(StrEnum):
    open = "open"          # waiting for the professional's side
    answered = "answered"  # both sides in: support decides
    decided = "decided"


class DisputeOutcome(StrEnum):
    no_action = "no_action"
    refund = "refund"                        # part or all of what was paid online, through the gateway
    strike = "strike"                        # the professional gets a strike (quality control reads it)
    refund_and_strike = "refund_and_strike"


class Dispute(SQLModel, table=True):
    __tablename__ = "disputes"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="service_requests.id", sa_column_kwargs={"unique": True})  # one per job
    customer_id: int = Field(foreign_key="users.id", index=True)
    professional_id: int = Field(foreign_key="users.id", index=True)
    reason: DisputeReason = Field(sa_column=enum_column(DisputeReason))
    details: str = Field(max_length=1000)
    status: DisputeStatus = Field(default=DisputeStatus.open, sa_column=enum_column(DisputeStatus, index=True))
    answer: str = Field(default="", max_length=1000)
    answered_at: datetime | None = Field(default=None, sa_column=ts_column())
    outcome: DisputeOutcome | None = Field(default=None, sa_column=enum_column(DisputeOutcome, nullable=True))
    refund_paise: int = Field(default=0)
    decision_note: str = Field(default="", max_length=500)  # both sides read it
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = Field(default=None, sa_column=ts_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    # The customer's optional photo (dispute_photos.py): a random name under private/disputes.
    photo_stored_name: str | None = Field(default=None, max_length=64)
    photo_content_type: str = Field(default="", max_length=20)
    photo_sha256: str = Field(default="", max_length=64)
    photo_at: datetime | None = Field(default=None, sa_column=ts_column())
