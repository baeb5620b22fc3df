"""Domain errors raised by services; entrypoints (state handlers, API) translate them for people."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: the message is safe to show to the user as-is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAuthenticated(DomainError):
    def __init__(self, message: str = "Please log in to continue.") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    def __init__(self, message: str = "You are not allowed to do that.") -> None:
        super().__init__(message)


class NotFound(DomainError):
    def __init__(self, what: str = "item") -> None:
        super().__init__(f"That {what} does not exist.")


class Conflict(DomainError):
    """The request is valid but clashes with current data (duplicate email, already taken)."""


class InvalidTransition(DomainError):
    """The action is not possible in the object's current state."""


class ValidationFailed(DomainError):
    """Bad input; `fields` maps a form field name to the message shown beside it."""

    def __init__(self, fields: dict[str, str], message: str = "Please correct the highlighted fields.") -> None:
        super().__init__(message)
        self.fields = fields


class AuthFailed(DomainError):
    """Login refused. One message for unknown email and wrong password (no account probing)."""

    def __init__(self, message: str = "Incorrect email or password.") -> None:
        super().__init__(message)
