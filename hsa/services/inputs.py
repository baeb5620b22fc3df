"""The two checks every small trust form makes (a choice from a list, a text of a sensible length),
written once so each refusal reads the same way and lands beside its field."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from hsa.services.errors import ValidationFailed

E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], value: object, field: str, message: str) -> E:
    """`value` as a member of `enum`, else a field error."""
    try:
        return enum(str(value or ""))
    except ValueError as exc:
        raise ValidationFailed({field: message}) from exc


def text(value: object, field: str, low: int, high: int, message: str, *, one_line: bool = True) -> str:
    """`value` trimmed (and on one line unless `one_line` is False), `low`–`high` characters, else a field error."""
    raw = str(value or "")
    cleaned = " ".join(raw.split()) if one_line else raw.strip()
    if not low <= len(cleaned) <= high:
        raise ValidationFailed({field: message})
    return cleaned


__all__ = ["choice", "text"]
