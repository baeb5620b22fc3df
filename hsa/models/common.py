"""Column helpers shared by all tables: UTC timestamps and enum-as-text columns."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

# Named constraints so migrations can drop and alter them on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timezone-aware 'now' in UTC; the only clock the models use."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, always returns aware UTC datetimes (SQLite forgets the offset otherwise)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store UTC-aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def ts_column(*, nullable: bool = True, index: bool = False) -> sa.Column:
    """A UTC timestamp column; a function because SQLAlchemy columns cannot be shared."""
    return sa.Column(UTCDateTime(), nullable=nullable, index=index)


def enum_column(enum: type[StrEnum], *, index: bool = False, default: StrEnum | None = None,
                nullable: bool = False) -> sa.Column:
    """Enum stored as its text value with a CHECK constraint (portable to PostgreSQL)."""
    return sa.Column(
        sa.Enum(enum, native_enum=False, create_constraint=True, length=32,
                values_callable=lambda e: [m.value for m in e], name=f"ck_{enum.__name__.lower()}"),
        nullable=nullable,
        index=index,
        default=default,
    )
