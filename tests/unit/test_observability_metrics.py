"""Metrics that services and the database layer feed, and the rules that keep the module usable everywhere."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlmodel import Session

from hsa.db import session_scope
from hsa.observability import db as db_metrics
from hsa.observability import metrics
from hsa.services import bookings
from hsa.services.errors import DomainError
from tests.factories import actor_for, make_request, make_service, make_user

ROOT = Path(__file__).resolve().parents[2]
NO_REFLEX = ["metrics.py", "logs.py", "db.py", "health.py", "http.py", "__init__.py"]


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.parametrize("module", NO_REFLEX)
def test_observability_modules_used_below_the_state_layer_do_not_import_reflex(module: str) -> None:
    tree = ast.parse((ROOT / "hsa" / "observability" / module).read_text())
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {n for n in names if n.split(".")[0] in ("reflex", "reflex_base", "fastapi")}


def test_services_can_import_the_counters_without_reflex_loaded() -> None:
    code = ("import sys, hsa.observability.metrics as m, hsa.services.signin, hsa.services.bookings; "
            "m.LOGIN_FAILURES.inc(); m.THROTTLED.labels(scope='login_ip').inc(); "
            "assert not [k for k in sys.modules if k.split('.')[0] in ('reflex', 'reflex_base')], 'reflex loaded'")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_exposition_lists_every_family_with_closed_label_sets() -> None:
    body, content_type = metrics.render()
    text_body = body.decode()
    assert content_type.startswith("text/plain")
    for family in ("hsa_event_duration_seconds", "hsa_http_request_duration_seconds", "hsa_errors_total",
                   "hsa_login_failures_total", "hsa_throttled_total", "hsa_booking_transitions_total",
                   "hsa_push_queue_length", "hsa_push_delivery_seconds", "hsa_db_query_duration_seconds",
                   "hsa_connected_tabs", "process_resident_memory_bytes"):
        assert f"# TYPE {family.removesuffix('_total')}" in text_body, family
    for kind in metrics.ERROR_KINDS:  # present at 0 before the first error, so rate() alerts work
        assert f'hsa_errors_total{{kind="{kind}"}}' in text_body


@pytest.mark.parametrize(("sql", "op"), [("SELECT 1", "select"), ("  insert into x values (1)", "insert"),
                                         ("UPDATE t SET a=1", "update"), ("BEGIN IMMEDIATE", "begin"),
                                         ("PRAGMA foreign_keys=ON", "other"), ("", "other")])
def test_statement_kind_is_a_fixed_label(sql: str, op: str) -> None:
    assert db_metrics.operation(sql) == op


def test_every_statement_on_our_engines_is_timed(db_url: str) -> None:
    before = value("hsa_db_query_duration_seconds_count", operation="select")
    with session_scope(readonly=True) as session:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        session.exec(text("SELECT 2"))  # type: ignore[call-overload]
    assert value("hsa_db_query_duration_seconds_count", operation="select") == before + 2
    assert value("hsa_db_query_duration_seconds_sum", operation="select") > 0


def test_a_committed_transition_counts_once_and_a_refused_one_not_at_all(session: Session) -> None:
    service = make_service(session)
    customer = make_user(session)
    req = make_request(session, customer=customer, service=service)
    session.commit()
    before = value("hsa_booking_transitions_total", action="cancel")
    stranger = actor_for(session, make_user(session))
    with pytest.raises(DomainError):
        bookings.transition(session=session, actor=stranger, request_id=req.id, action="cancel",
                            data={"reason": "not mine"})
    session.rollback()
    assert value("hsa_booking_transitions_total", action="cancel") == before
    bookings.transition(session=session, actor=actor_for(session, customer), request_id=req.id, action="cancel",
                        data={"reason": "Plans changed"})
    assert value("hsa_booking_transitions_total", action="cancel") == before + 1
