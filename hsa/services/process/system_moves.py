"""HomeServe itself taking a declared transition on a locked row (a payment confirmed by the
gateway): the same effects, status, notices and audit as a person's move, actor `SYSTEM`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from hsa.models import ServiceRequest
from hsa.services.process.context import Move
from hsa.services.process.engine import SYSTEM, run_effects
from hsa.services.process.facts import load_facts
from hsa.services.process.model import Transition


def system_move(session: Session, req: ServiceRequest, t: Transition | None, *, now: datetime,
                words: dict[str, str]) -> list[tuple[int, str, str]]:
    """Run `t` on `req` (already locked by the caller) inside the caller's transaction."""
    assert t is not None and req.id is not None
    facts = load_facts(session, [req])[req.id]
    return run_effects(Move(session=session, actor=SYSTEM, req=req, data={}, now=now, transition=t, facts=facts,
                            system=True, words=dict(words)))
