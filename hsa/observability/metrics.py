"""Every Prometheus metric the app exports, in one place (names are the dashboard's contract).

No Reflex, FastAPI or database import: services (`signin`, `bookings`), the database layer and
the API all increment these, and `deploy/grafana-dashboard.json` is tested against this list.

Labels are closed sets on purpose: a handler name comes from the registered handlers, a route
from the route *template* (never the raw path), an HTTP status from its class (2xx...5xx), so
no client input can grow the number of series.

Multi-worker: with `PROMETHEUS_MULTIPROC_DIR` set *before* this module is first imported,
prometheus_client keeps every value in memory-mapped files in that folder and `render()`
aggregates all workers (docs/operations.md). Gauges then say how to combine workers
(`livesum`: add up the workers that are alive).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

# Seconds. A user waits for an event's round trip; 1 s is the alerting threshold (operations.md).
EVENT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
DB_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
PUSH_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)

EVENT_SECONDS = Histogram(
    "hsa_event_duration_seconds",
    "Reflex event handling time, from taking the tab's state lock to the last delta sent",
    ["handler", "outcome"], buckets=EVENT_BUCKETS)
EVENT_STATE_WAIT = Histogram(
    "hsa_event_state_wait_seconds",
    "Time an event waited for its tab's state (lock + load); high means contention or a slow store",
    buckets=EVENT_BUCKETS)
HTTP_SECONDS = Histogram(
    "hsa_http_request_duration_seconds",
    "HTTP requests (API, ops endpoints, Reflex HTTP routes, frontend files) by route template",
    ["route", "method", "status"], buckets=EVENT_BUCKETS)
ERRORS = Counter(
    "hsa_errors",
    "Errors by kind: event_exception (a handler raised), http_5xx, frontend (reported by a page), "
    "push (a live refresh failed)",
    ["kind"])
ERROR_KINDS = ("event_exception", "http_5xx", "frontend", "push")

# Incremented by hsa/services/signin.py (the login throttle).
LOGIN_FAILURES = Counter("hsa_login_failures", "Wrong email or password at sign-in")
THROTTLED = Counter("hsa_throttled", "Attempts refused by a rate limit before any check", ["scope"])

BOOKING_TRANSITIONS = Counter(
    "hsa_booking_transitions", "Lifecycle actions applied to bookings (committed or not)", ["action"])

PUSH_QUEUE = Gauge(
    "hsa_push_queue_length", "Open tabs with a live refresh waiting to be delivered",
    multiprocess_mode="livesum")
PUSH_SECONDS = Histogram(
    "hsa_push_delivery_seconds",
    "From a commit to its live refresh being handled for one tab (debounce and per-tab interval included)",
    buckets=PUSH_BUCKETS)
PUSH_DELIVERIES = Counter(
    "hsa_push_deliveries",
    "Live refreshes by outcome: delivered (or already fresh), dropped (tab gone, left the page, signed out)",
    ["outcome"])
PUSH_OUTCOMES = ("delivered", "dropped")

DB_SECONDS = Histogram(
    "hsa_db_query_duration_seconds", "SQL statement time by kind (select, insert, update, delete, begin, other)",
    ["operation"], buckets=DB_BUCKETS)

TABS = Gauge("hsa_connected_tabs", "Browser tabs connected over the websocket", multiprocess_mode="livesum")

for _kind in ERROR_KINDS:  # series exist at 0 from the start: rate() and alerts see the first error
    ERRORS.labels(kind=_kind)
for _outcome in PUSH_OUTCOMES:
    PUSH_DELIVERIES.labels(outcome=_outcome)


def multiprocess_dir() -> str:
    """The shared folder of multi-worker mode, or "" in the default single-worker mode."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()


def render() -> tuple[bytes, str]:
    """The exposition text and its content type: this process, or every worker's files combined."""
    if multiprocess_dir():
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def series_names(registry: CollectorRegistry = REGISTRY) -> set[str]:
    """Every sample name the registry can expose (histograms: _bucket/_sum/_count; counters: _total),
    including labelled metrics that have not been observed yet."""
    suffixes = {"histogram": ("_bucket", "_sum", "_count", "_created"), "counter": ("_total", "_created"),
                "summary": ("_sum", "_count", "_created")}
    names: set[str] = set()
    for family in registry.collect():
        names.add(family.name)
        names.update(family.name + s for s in suffixes.get(family.type, ()))
        names.update(sample.name for sample in family.samples)
    return names
