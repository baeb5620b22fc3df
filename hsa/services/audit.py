"""Append-only audit trail of security-relevant actions."""

from __future__ import annotations

import json

from sqlmodel import Session

from hsa.models import AuditLog


def record(*, session: Session, actor_id: int | None, action: str, target_type: str,
           target_id: int | None, **details: object) -> None:
    """Add an audit row to the caller's transaction (it commits with the change it describes)."""
    session.add(AuditLog(actor_id=actor_id, action=action, target_type=target_type,
                         target_id=target_id, details=json.dumps(details, default=str)[:2000]))
