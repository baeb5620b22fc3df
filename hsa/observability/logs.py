"""Structured logs: one JSON object per line (or readable console lines), from structlog and stdlib alike.

Configured once when the app starts (`hsa/hsa.py` -> `reflex_hooks.install`), from
`HSA_LOG_FORMAT` (json | console) and `HSA_LOG_LEVEL`. Reflex, SQLAlchemy and our own
`logging.getLogger` users go through the same formatter, so a log shipper sees one format.

What a line may carry: ids (event id, request id, actor id), names (handler, route), numbers
(duration, status) and, on errors, the stack trace. Never a session token, password or form
payload: callers do not pass them, and `_redact` blanks any such key that slips in anyway.
Traces stay in the server log; pages show a generic message (see `reflex_hooks`).
"""

from __future__ import annotations

import logging
import sys
from typing import IO, Any, TypeVar

import structlog

from hsa.settings import get_settings

SENSITIVE = ("password", "token", "secret", "authorization", "cookie", "form_data", "payload")
_HANDLER_NAME = "hsa-structured"


def _redact(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Blank values whose key names a secret (defence in depth: nothing should log them)."""
    for key in list(event_dict):
        if key != "event" and any(word in key.lower() for word in SENSITIVE):
            event_dict[key] = "[redacted]"
    return event_dict


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,  # request_id / actor_id bound for this task
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact,
    ]


class _Stdout(logging.StreamHandler):
    """Writes to whatever `sys.stdout` is when a line is logged (test runners swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        return sys.stdout

    @stream.setter
    def stream(self, _value: IO[str]) -> None:
        pass


def configure_logging(*, fmt: str | None = None, level: str | None = None,
                      stream: IO[str] | None = None) -> logging.Handler:
    """Route structlog and stdlib logging to one handler on the root logger; safe to call again
    (tests point it at a buffer): the handler installed by the previous call is replaced."""
    settings = get_settings()
    fmt = fmt or settings.log_format
    level_no = logging.getLevelName((level or settings.log_level).upper())
    renderer: Any = (structlog.dev.ConsoleRenderer(colors=False) if fmt == "console"
                     else structlog.processors.JSONRenderer())
    shared = _shared_processors()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    final = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if fmt != "console":
        final.append(structlog.processors.format_exc_info)  # the trace as one escaped string field
    formatter = structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=[*final, renderer])
    handler = logging.StreamHandler(stream) if stream is not None else _Stdout()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level_no)
    # /readyz reads the schema version on every probe, and alembic announces its dialect at INFO each time.
    logging.getLogger("alembic.runtime.migration").setLevel(max(level_no, logging.WARNING))
    return handler


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A structlog logger (key-value calls: `log.info("http_request", route=..., status=...)`)."""
    return structlog.stdlib.get_logger(name)


T = TypeVar("T", bound=tuple)


def bind_actor(actor: Any) -> None:
    """Remember who this event or request acts for, for every later log line of the same task.

    Called by the state layer right after it resolved the actor (`hsa/state/auth.py`); the
    binding lives in this asyncio task's context only, so it never leaks to another tab."""
    structlog.contextvars.bind_contextvars(actor_id=getattr(actor, "id", None))


def actor_bound(result: T) -> T:
    """`bind_actor(result[0])`, returning `result`: wraps `(actor, data)` answers in one expression."""
    bind_actor(result[0])
    return result
