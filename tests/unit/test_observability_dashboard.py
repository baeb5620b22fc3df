"""deploy/grafana-dashboard.json queries only metrics the code exports, through the datasource variable."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from hsa.observability.metrics import series_names

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana-dashboard.json"
SELECTOR = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)\s*\{")          # metric{labels...}
OURS = re.compile(r"\b((?:hsa|process)_[A-Za-z0-9_]+)")            # any name in our namespaces
REQUIRED = {  # what docs/operations.md promises the dashboard shows
    "event latency": "hsa_event_duration_seconds_bucket", "API latency": "hsa_http_request_duration_seconds_bucket",
    "errors": "hsa_errors_total", "login failures": "hsa_login_failures_total", "throttles": "hsa_throttled_total",
    "booking transitions": "hsa_booking_transitions_total", "push queue": "hsa_push_queue_length",
    "push latency": "hsa_push_delivery_seconds_bucket", "DB time": "hsa_db_query_duration_seconds_bucket",
    "tabs": "hsa_connected_tabs", "memory": "process_resident_memory_bytes",
}


def _panels(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        out.append(item)
        out.extend(_panels(item.get("panels", [])))
    return out


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def _queries(dashboard: dict[str, Any]) -> list[str]:
    exprs = [t["expr"] for p in _panels(dashboard["panels"]) for t in p.get("targets", [])]
    for var in dashboard["templating"]["list"]:
        if var["type"] == "query":
            query = var["query"]
            exprs.append(query["query"] if isinstance(query, dict) else query)
    return exprs


def test_every_metric_the_dashboard_queries_is_exported(dashboard: dict[str, Any]) -> None:
    exported = series_names()
    queries = _queries(dashboard)
    assert queries
    used = {name for q in queries for name in SELECTOR.findall(q) + OURS.findall(q)}
    missing = sorted(used - exported)
    assert not missing, f"the dashboard queries metrics the code does not export: {missing}"
    for name in REQUIRED.values():
        assert name in used, f"the dashboard lost its {name} panel"


def test_panels_use_the_prometheus_datasource_variable(dashboard: dict[str, Any]) -> None:
    [variable] = [v for v in dashboard["templating"]["list"] if v["type"] == "datasource"]
    assert variable["query"] == "prometheus"
    for panel in _panels(dashboard["panels"]):
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${" + variable["name"] + "}", panel["title"]
            assert all(t["datasource"]["uid"] == panel["datasource"]["uid"] for t in panel["targets"])


def test_panel_ids_are_unique(dashboard: dict[str, Any]) -> None:
    ids = [p["id"] for p in _panels(dashboard["panels"])]
    assert len(ids) == len(set(ids))
