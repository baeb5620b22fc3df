""""Describe your problem": a customer's words → the catalog service they need, with the top
alternatives and a confidence, or "not sure" below the model's threshold (never a guess).

The model (describe_store / describe_model) knows services by name; suggestions are only ever
active catalog services, so a service the admin switched off is never offered. Throttled per
person: each ask runs the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlmodel import Session

from hsa.i18n.text import msg
from hsa.services import catalog, throttle
from hsa.services.actors import Actor
from hsa.services.errors import DomainError, ValidationFailed
from hsa.services.intelligence import describe_model, describe_store
from hsa.services.permissions import require_actor

ASK_LIMIT = "30/minute;500/day"
MIN_CHARS, MAX_CHARS = 2, 300
ALTERNATIVES = 2
SHOWN_FROM = 0.05  # alternatives below 5 % are noise


class TooManyAsks(DomainError):
    def __init__(self, retry_after: float) -> None:
        super().__init__(msg("svc_booking.describe_busy", wait=throttle.in_words(retry_after)))
        self.retry_after = retry_after


@dataclass(frozen=True)
class Guess:
    service_id: int
    name: str
    confidence: int  # percent


@dataclass(frozen=True)
class Suggestion:
    sure: bool
    best: Guess | None          # None when not sure
    alternatives: list[Guess]   # when not sure: the likeliest few, to choose from
    text: str                   # what was described, tidied, for the booking's remarks
    model_version: str


def clean(text: object) -> str:
    words = " ".join(str(text or "").split())
    if len(words) < MIN_CHARS or not any(ch.isalnum() for ch in words):
        raise ValidationFailed({"describe": msg("svc_booking.describe_empty")})
    if len(words) > MAX_CHARS:
        raise ValidationFailed({"describe": msg("svc_booking.describe_too_long", count=MAX_CHARS)})
    return words


def suggest_service(*, session: Session, actor: Actor | None, text: object) -> Suggestion:
    actor = require_actor(actor)
    words = clean(text)
    if (wait := throttle.take(ASK_LIMIT, "describe", str(actor.id))) > 0:
        raise TooManyAsks(wait)
    loaded = describe_store.load()
    proba = loaded.model.predict_proba([words])[0]
    active = {s.name: s.id for s in catalog.list_active_services(session=session, actor=actor)}
    ranked = [(str(loaded.model.classes_[i]), float(proba[i])) for i in np.argsort(-proba)]
    guesses = [Guess(active[name], name, round(p * 100)) for name, p in ranked if name in active]
    if not guesses:
        return Suggestion(False, None, [], words, loaded.version)
    top_p = next(p for name, p in ranked if name in active)
    out_of_scope = dict(ranked).get(describe_model.NONE, 0.0) > top_p  # "book a cab": likelier than any service
    sure = not out_of_scope and top_p >= loaded.threshold
    if sure:
        others = [g for g in guesses[1:ALTERNATIVES + 1] if g.confidence >= SHOWN_FROM * 100]
        return Suggestion(True, guesses[0], others, words, loaded.version)
    return Suggestion(False, None, guesses[:ALTERNATIVES + 1], words, loaded.version)


__all__ = ["Guess", "Suggestion", "TooManyAsks", "suggest_service"]
