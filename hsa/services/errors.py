"""Domain errors raised by services; entrypoints (state handlers, API) translate them for people."""

from __future__ import annotations

from hsa.i18n.text import msg, say


class DomainError(Exception):
    """Base class: the message is safe to show to the user as-is.

    `message` (and `ValidationFailed.fields`) are said in the current event's language
    (hsa.i18n): a service raises English or a keyed `msg(...)`, the reader gets their language.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self._message = message

    @property
    def message(self) -> str:
        return say(self._message)


class NotAuthenticated(DomainError):
    def __init__(self, message: str = msg("errors.log_in")) -> None:
        super().__init__(message)


class Forbidden(DomainError):
    def __init__(self, message: str = msg("errors.forbidden")) -> None:
        super().__init__(message)


class NotFound(DomainError):
    def __init__(self, what: str = "item") -> None:
        super().__init__(msg("errors.not_found", what=what))


class Conflict(DomainError):
    """The request is valid but clashes with current data (duplicate email, already taken)."""


class InvalidTransition(DomainError):
    """The action is not possible in the object's current state."""


class ValidationFailed(DomainError):
    """Bad input; `fields` maps a form field name to the message shown beside it."""

    def __init__(self, fields: dict[str, str], message: str = msg("errors.correct_fields")) -> None:
        super().__init__(message)
        self._fields = fields

    @property
    def fields(self) -> dict[str, str]:
        return {name: say(text) for name, text in self._fields.items()}


class AuthFailed(DomainError):
    """Login refused. One message for unknown email and wrong password (no account probing)."""

    def __init__(self, message: str = msg("errors.bad_login")) -> None:
        super().__init__(message)
