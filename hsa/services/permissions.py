"""Authorization predicates and guards in one place; services call these before doing work."""

from __future__ import annotations

from hsa.models import Role
from hsa.services.actors import Actor
from hsa.services.errors import Forbidden, NotAuthenticated


def require_actor(actor: Actor | None) -> Actor:
    """Anonymous callers are refused before anything is read."""
    if actor is None:
        raise NotAuthenticated()
    return actor


def require_role(actor: Actor | None, *roles: Role) -> Actor:
    """The actor must be logged in and hold one of `roles`."""
    actor = require_actor(actor)
    if actor.role not in roles:
        raise Forbidden()
    return actor


def require_admin(actor: Actor | None) -> Actor:
    return require_role(actor, Role.admin)


def require_approved_professional(actor: Actor | None) -> Actor:
    """Professionals may only work once an admin has approved them."""
    actor = require_role(actor, Role.professional)
    if not actor.is_approved_professional:
        raise Forbidden("Your professional account is awaiting approval.")
    return actor


