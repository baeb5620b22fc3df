"""SQL statement timing for every engine `hsa.db.engine_for` creates (histogram `hsa_db_query_duration_seconds`).

SQLAlchemy's cursor events bracket exactly the driver call, so the time excludes pool checkout
and ORM work; the label is the statement's first keyword from a fixed set, never its text.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from hsa.observability.metrics import DB_SECONDS

OPERATIONS = frozenset({"select", "insert", "update", "delete", "begin", "commit", "rollback", "savepoint"})
_START = "_hsa_query_started"


def operation(statement: str) -> str:
    """`select`, `insert`, ... or `other` (PRAGMA, DDL, WITH ...) for a SQL string."""
    word = statement.lstrip().split(None, 1)[0].lower() if statement.strip() else ""
    return word if word in OPERATIONS else "other"


def _before(_conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any, _many: bool) -> None:
    if context is not None:
        setattr(context, _START, time.perf_counter())


def _after(_conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
    started = getattr(context, _START, None) if context is not None else None
    if started is not None:
        DB_SECONDS.labels(operation=operation(statement)).observe(time.perf_counter() - started)


def instrument_engine(engine: Engine) -> Engine:
    """Attach the timing listeners (once per engine; `engine_for` caches engines per URL)."""
    if not event.contains(engine, "before_cursor_execute", _before):
        event.listen(engine, "before_cursor_execute", _before)
        event.listen(engine, "after_cursor_execute", _after)
    return engine
