"""What an effect function receives: one move of one request, inside the engine's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from hsa.models import ServiceRequest
from hsa.services.actors import Actor
from hsa.services.errors import DomainError
from hsa.services.process.model import RequestFacts, Transition


@dataclass
class Move:
    """Effects read `data` (the form), change `req`, and add words their notices use (`words`)."""

    session: Session
    actor: Actor
    req: ServiceRequest
    data: dict
    now: datetime
    transition: Transition
    facts: RequestFacts
    words: dict[str, str] = field(default_factory=dict)
    system: bool = False   # fired by a timer: HomeServe itself acts
    quiet: bool = False    # an effect decided the declared notices would be noise (e.g. a long-gone slot)
    # work to do once the move is committed (a refund sent to the gateway): fn(session), errors logged
    after_commit: list[Callable[[Session], object]] = field(default_factory=list)


class KeptFailure(DomainError):
    """Refuse the move but keep a record of the attempt (a wrong start code counts as a try).

    The engine rolls the move back to a savepoint, runs `record(session)` while it still holds
    the request's row lock, commits, and raises `error` to the caller: the refusal and its audit
    row are both real. Only effects marked with `keeps_failures` may raise it.
    """

    def __init__(self, error: DomainError, record: Callable[[Session], None]) -> None:
        super().__init__(error.message)
        self.error = error
        self.record = record


KEEPS = "_hsa_keeps_failures"


def keeps_failures(obj: Callable | Transition) -> bool:
    """Does this effect (or any effect of this transition) raise `KeptFailure`? Their moves pay for a savepoint."""
    if isinstance(obj, Transition):
        return any(keeps_failures(e) for e in obj.effects)
    return bool(getattr(obj, KEEPS, False))


def keeps_record(effect: Callable[[Move], None]) -> Callable[[Move], None]:
    """Mark an effect that may refuse with `KeptFailure` (the engine then runs the move in a savepoint)."""
    setattr(effect, KEEPS, True)
    return effect
