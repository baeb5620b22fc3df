"""Where Reflex's event loop meets our metrics and logs: the one module that touches Reflex internals.

Checked against Reflex 0.10.1 (`reflex_base.otel`, `reflex_base.event.processor`); the test
`tests/unit/test_observability_reflex.py` runs a real event through Reflex's own event processor
and fails if any of the names below change.

Why this hook: `rx.App` 0.10.1 has `add_middleware`, but only its `preprocess` still runs
(`postprocess` is never called), so a middleware sees an event start and never its end or its
error. Reflex's OpenTelemetry seam (`reflex_base.otel`) does see both: the event processor
wraps every handler execution in `otel.event_span`, which times it (state lock, handler, delta
sent) and records `reflex.event.duration` with the event name and, on failure, `error.type`;
the socket namespace adds ±1 to `reflex.websocket.connections` on connect and disconnect. That
seam is public and meant for exactly this (`otel.enable(tracer_provider, meter_provider)`), so
we enable it with a no-op tracer and a small meter provider that forwards those three
instruments to prometheus_client and writes our per-event log line. No Reflex function is
replaced.

Risks: the instrument and attribute names are Reflex's, not ours (the test pins them); if the
`reflex-otel` package is ever installed and enables itself first, `otel.enable` ignores our
call and event metrics stay at zero (we log a warning at start); the record runs inside the
event's `finally`, so it must never raise (it logs and swallows its own errors).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import reflex as rx
from opentelemetry import trace
from opentelemetry.metrics import Histogram, NoOpHistogram, NoOpMeter, NoOpUpDownCounter, UpDownCounter
from opentelemetry.metrics import MeterProvider as _MeterProviderBase
from reflex.event import EventSpec
from reflex_base import otel
from reflex_base.event.context import EventContext

from hsa.observability.logs import configure_logging, get_logger
from hsa.observability.metrics import ERRORS, EVENT_SECONDS, EVENT_STATE_WAIT, TABS, multiprocess_dir

REFLEX_VERSION_CHECKED = "0.10.1"
EVENT_DURATION = otel.METRIC_EVENT_DURATION          # "reflex.event.duration"
STATE_ACQUIRE = otel.METRIC_STATE_ACQUIRE_DURATION   # "reflex.state.acquire.duration"
CONNECTIONS = otel.METRIC_WEBSOCKET_CONNECTIONS      # "reflex.websocket.connections"

log = get_logger("hsa.events")
_installed = False


@lru_cache(maxsize=1024)
def handler_label(event_name: str) -> str:
    """`reflex___state____state.hsa___state___login____login_state.submit` -> `login_state.submit`.

    Only registered handlers reach the processor, so the label set is the app's handler list."""
    state_path, _, handler = event_name.rpartition(".")
    state = state_path.rpartition(".")[2].rpartition("____")[2]
    return f"{state}.{handler}" if state else handler or "unknown"


def event_finished(seconds: float, attributes: Mapping[str, Any]) -> None:
    """One handled event: histogram sample and one log line (never its payload, never the tab token)."""
    try:
        error_type = attributes.get(otel.ATTR_ERROR_TYPE)
        # Recorded in the `finally` of Reflex's event span, so a propagating exception is still current:
        # a cancelled event (a page load superseded by navigating on) is neither ok nor an error.
        exc = sys.exc_info()[1]
        cancelled = isinstance(exc, asyncio.CancelledError)
        outcome = "error" if error_type else "cancelled" if cancelled else "ok"
        handler = handler_label(str(attributes.get(otel.ATTR_EVENT_NAME, "")))
        EVENT_SECONDS.labels(handler=handler, outcome=outcome).observe(seconds)
        fields: dict[str, Any] = {"handler": handler, "outcome": outcome, "duration_ms": round(seconds * 1000, 2)}
        with contextlib.suppress(LookupError):
            ctx = EventContext.get()
            fields["event_id"] = ctx.txid
            if ctx.parent_txid:
                fields["parent_event_id"] = ctx.parent_txid
        if attributes.get(otel.ATTR_EVENT_BACKGROUND):
            fields["background"] = True
        if not error_type:
            log.info("reflex_event", **fields)
            return
        ERRORS.labels(kind="event_exception").inc()
        log.error("reflex_event", **fields, error_type=str(error_type),
                  exc_info=exc if exc is not None and type(exc).__qualname__ == error_type else None)
    except Exception:  # never let bookkeeping break the event that is finishing
        with contextlib.suppress(Exception):
            log.exception("event_metrics_failed")


class _EventDuration(NoOpHistogram):
    def record(self, amount: float, attributes: Mapping[str, Any] | None = None, context: Any = None) -> None:
        event_finished(amount, attributes or {})


class _StateWait(NoOpHistogram):
    def record(self, amount: float, attributes: Mapping[str, Any] | None = None, context: Any = None) -> None:
        EVENT_STATE_WAIT.observe(amount)


class _Connections(NoOpUpDownCounter):
    def add(self, amount: float, attributes: Mapping[str, Any] | None = None, context: Any = None) -> None:
        TABS.inc(amount)


class _Meter(NoOpMeter):
    """Hands Reflex our instruments for the three names we use; every other instrument is a no-op."""

    created: set[str] = set()

    def create_histogram(self, name: str, unit: str = "", description: str = "", *,
                         explicit_bucket_boundaries_advisory: Sequence[float] | None = None) -> Histogram:
        _Meter.created.add(name)
        kinds = {EVENT_DURATION: _EventDuration, STATE_ACQUIRE: _StateWait}
        if name in kinds:
            return kinds[name](name, unit=unit, description=description)
        return super().create_histogram(name, unit, description,
                                        explicit_bucket_boundaries_advisory=explicit_bucket_boundaries_advisory)

    def create_up_down_counter(self, name: str, unit: str = "", description: str = "") -> UpDownCounter:
        _Meter.created.add(name)
        if name == CONNECTIONS:
            return _Connections(name, unit=unit, description=description)
        return super().create_up_down_counter(name, unit, description)


class _MeterProvider(_MeterProviderBase):
    def get_meter(self, name: str, version: str | None = None, schema_url: str | None = None,
                  attributes: Any = None) -> _Meter:
        return _Meter(name, version=version, schema_url=schema_url)


def install_event_metrics() -> bool:
    """Turn on Reflex's trace points with our meter (once per process). False if someone else owns them."""
    global _installed
    if _installed:
        return True
    if otel.enabled:
        log.warning("reflex_otel_already_enabled", detail="hsa event metrics and event logs stay off")
        return False
    otel.enable(tracer_provider=trace.NoOpTracerProvider(), meter_provider=_MeterProvider())
    _installed = True
    return True


def on_backend_exception(exception: Exception) -> EventSpec:
    """What the page shows when a handler raised: a generic toast, never the trace.

    Replaces Reflex's default, which shows the same toast in prod but also writes a multi-line
    trace outside our JSON log; the trace is already on the event's log line (`event_finished`)."""
    return rx.toast("An error occurred.", level="error", fallback_to_alert=True,
                    description="Please try again. If it keeps happening, contact support.",
                    position="top-center", id="backend_error")


def on_frontend_exception(exception: Exception) -> None:
    """A page reported a JavaScript error (Reflex rate-limits and sanitises these per socket)."""
    ERRORS.labels(kind="frontend").inc()
    log.warning("frontend_exception", message=str(exception)[:500])


@contextlib.asynccontextmanager
async def _worker_lifespan() -> AsyncIterator[None]:
    """Per worker process: make sure our log handler survived the server's own logging setup, and in
    multiprocess mode remove this worker's live gauges when it stops (so dead workers' tabs do not count)."""
    configure_logging()
    started = time.time()
    try:
        yield
    finally:
        if multiprocess_dir():
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid())
        log.info("worker_stopped", uptime_s=round(time.time() - started))


def install(app: rx.App) -> None:
    """Called once from `hsa/hsa.py` right after the app is built: logs, event metrics, error handlers."""
    configure_logging()
    install_event_metrics()
    app.backend_exception_handler = on_backend_exception
    app.frontend_exception_handler = on_frontend_exception
    app._validate_exception_handlers()  # the checks rx.App(...) runs on handlers given to its constructor
    app.register_lifespan_task(_worker_lifespan)
