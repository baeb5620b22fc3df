"""A person's chosen language (issue #19), saved on the account so every device and every
notification or e-mail to them uses it."""

from __future__ import annotations

from sqlmodel import Session

from hsa import i18n
from hsa.i18n.text import msg
from hsa.models import User
from hsa.services.actor_cache import ACTORS
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.permissions import require_actor


def set_language(*, session: Session, actor: Actor | None, language: object) -> str:
    """Save the signed-in person's language; the same choice twice is a no-op."""
    actor = require_actor(actor)
    code = i18n.normalise(language)
    if not code:
        raise ValidationFailed({"language": msg("errors.language_unknown")})
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound("account")
    if user.language != code:
        user.language = code
        session.add(user)
        session.commit()
        ACTORS.forget_users([actor.id])
    return code


def language_of(user: User | None) -> str:
    """The language to write to `user` in (notifications, e-mails): theirs, else English."""
    return (user.language if user is not None else "") or i18n.DEFAULT
