"""Which indexes do the app's request queries really use? EXPLAIN QUERY PLAN on a bench database.

    python bench/generate.py --db /tmp/bench.db
    python bench/explain_plans.py --db /tmp/bench.db [--json plans.json]

Runs the services that read or write `service_requests` (the professional's board and open
pool, the admin dashboard, request searches and timeline, customers' and professionals' lists,
the reminder pass, blocking a professional and a customer), records every statement they send,
and prints SQLite's plan for each and the indexes on the table no plan touched. An index is only
worth its write cost if some plan names it. Everything runs in one outer transaction that is
rolled back (services' commits become savepoints), so the database is left unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", help="also write every statement and its plan here")
    args = parser.parse_args()
    os.environ["HSA_DATABASE_URL"] = f"sqlite:///{args.db}"
    os.environ.setdefault("HSA_DATA_DIR", tempfile.mkdtemp(prefix="hsa-explain-"))

    from sqlalchemy import event
    from sqlmodel import Session, select

    from hsa.db import get_engine
    from hsa.models import ApprovalStatus, ProfessionalProfile, Role, ServiceRequest, User
    from hsa.services import admin, bookings, jobs, reminders, search, stats
    from hsa.services.actors import Actor
    from hsa.services.mail import OutboxMailer

    engine = get_engine()
    captured: list[tuple[str, str, tuple]] = []
    where = ["setup"]

    @event.listens_for(engine, "before_cursor_execute")
    def _record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
        if "service_requests" in statement and where[0] != "setup":
            captured.append((where[0], statement, tuple(parameters[0] if executemany else parameters)))

    conn = engine.connect()
    outer = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    boss = session.exec(select(User).where(User.role == Role.admin)).first()
    pro_id = session.exec(select(ServiceRequest.professional_id)
                          .where(ServiceRequest.professional_id.is_not(None)).limit(1)).first()  # type: ignore[union-attr]
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro_id)).one()
    customer_id = session.exec(select(ServiceRequest.customer_id).limit(1)).one()
    pro, customer = session.get(User, pro_id), session.get(User, customer_id)
    assert boss is not None and pro is not None and customer is not None
    a = Actor(id=boss.id, role=Role.admin, full_name=boss.full_name)  # type: ignore[arg-type]
    p = Actor(id=pro.id, role=Role.professional, full_name=pro.full_name,  # type: ignore[arg-type]
              approval=ApprovalStatus.approved)
    c = Actor(id=customer.id, role=Role.customer, full_name=customer.full_name)  # type: ignore[arg-type]
    now = datetime.now(UTC)
    week = {"date_from": (now - timedelta(days=7)).date().isoformat(), "date_to": now.date().isoformat()}
    calls: list[tuple[str, Callable[..., Any], dict[str, Any]]] = [
        ("jobs.board", jobs.board, {"actor": p}),
        ("jobs.open_pool", jobs.open_pool, {"actor": p}),
        ("stats.dashboard", stats.dashboard, {"actor": a}),
        ("admin.search_requests()", admin.search_requests, {"actor": a}),
        ("admin.search_requests(status)", admin.search_requests, {"actor": a, "status": "requested"}),
        ("admin.search_requests(service, pincode)", admin.search_requests,
         {"actor": a, "service_id": profile.service_id, "pincode": "560034"}),
        ("admin.search_requests(dates)", admin.search_requests, {"actor": a, **week}),
        ("admin.search_requests(customer, professional)", admin.search_requests,
         {"actor": a, "customer": "Bench User 5", "professional": "Bench User 10"}),
        ("admin.request_timeline", admin.request_timeline, {"actor": a, "request_id": 1}),
        ("bookings.list_customer_requests", bookings.list_customer_requests, {"actor": c}),
        ("bookings.list_for_actor(professional)", bookings.list_for_actor, {"actor": p}),
        ("bookings.list_for_actor(admin, status)", bookings.list_for_actor, {"actor": a, "status": "assigned"}),
        ("search.search_professionals", search.search_professionals,
         {"actor": c, "service_id": profile.service_id, "pincode": "560034"}),
        ("reminders.send_due_reminders", reminders.send_due_reminders,
         {"now": now, "mailer": OutboxMailer(Path(os.environ["HSA_DATA_DIR"]) / "outbox")}),
        ("admin.block_user(professional)", admin.block_user, {"actor": a, "user_id": pro.id, "reason": "EXPLAIN"}),
        ("admin.block_user(customer)", admin.block_user, {"actor": a, "user_id": customer.id, "reason": "EXPLAIN"}),
    ]
    for name, fn, kwargs in calls:
        where[0] = name
        fn(session=session, **kwargs)
    where[0] = "setup"

    raw = sqlite3.connect(args.db)
    plans: dict[str, dict[str, Any]] = {}
    for name, sql, params in captured:
        key = re.sub(r"\s+", " ", sql).strip()
        if key not in plans:
            plans[key] = {"where": name, "sql": key,
                          "plan": [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params)]}
    session.close()
    outer.rollback()
    conn.close()

    for v in plans.values():
        print(f"{v['where']:48} {' | '.join(v['plan'])}")
    on_table = {r[0] for r in raw.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'service_requests'")}
    used = {i for v in plans.values() for line in v["plan"] for i in re.findall(r"INDEX (\w+)", line)}
    print(f"\n{len(plans)} distinct statements; indexes on service_requests no plan uses: "
          f"{sorted(on_table - used) or 'none'}")
    if args.json:
        Path(args.json).write_text(json.dumps(list(plans.values()), indent=1))


if __name__ == "__main__":
    main()
