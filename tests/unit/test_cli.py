"""Operator CLI: migrate, seed (idempotent) and create-admin, run as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, create_engine, func, select

from hsa.models import Role, User
from hsa.services.demo_data import USERS

ROOT = Path(__file__).resolve().parents[2]


def _cli(db: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HSA_ADMIN_PASSWORD"}
    env["HSA_DATABASE_URL"] = f"sqlite:///{db}"
    env["HSA_DATA_DIR"] = str(db.parent / "data")
    if password is not None:
        env["HSA_ADMIN_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "hsa.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120, check=False)


def _users(db: Path) -> list[User]:
    engine = create_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        users = list(s.exec(select(User)))
    engine.dispose()
    return users


def test_migrate_seed_and_create_admin(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert _cli(db, "migrate").returncode == 0
    first = _cli(db, "seed")
    assert first.returncode == 0 and "demo data loaded" in first.stdout
    again = _cli(db, "seed")
    assert again.returncode == 0 and "not loaded" in again.stdout
    assert len(_users(db)) == len(USERS)  # idempotent: nothing duplicated

    no_password = _cli(db, "create-admin", "--email", "ops@example.com")
    assert no_password.returncode == 2 and "HSA_ADMIN_PASSWORD" in no_password.stderr
    weak = _cli(db, "create-admin", "--email", "ops@example.com", password="short")
    assert weak.returncode == 1 and "password: Use at least 8 characters." in weak.stderr
    ok = _cli(db, "create-admin", "--email", "Ops@Example.com", "--name", "Ops Lead", password="LongEnough9")
    assert ok.returncode == 0, ok.stderr
    dup = _cli(db, "create-admin", "--email", "ops@example.com", password="LongEnough9")
    assert dup.returncode == 1 and "already exists" in dup.stderr
    admins = [u for u in _users(db) if u.role is Role.admin]
    assert sorted(u.email for u in admins) == ["admin@example.com", "ops@example.com"]


def test_demo_data_covers_roles_and_real_pincodes(tmp_path: Path) -> None:
    from hsa.services.pincodes import is_valid_pincode

    db = tmp_path / "demo.db"
    _cli(db, "migrate")
    _cli(db, "seed")
    users = _users(db)
    assert {u.role for u in users} == set(Role)
    assert all(is_valid_pincode(u.pincode) for u in users)
    engine = create_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(User)).one() == len(USERS)
    engine.dispose()


def test_reminders_command_runs_one_pass(tmp_path: Path) -> None:
    db = tmp_path / "rem.db"
    assert _cli(db, "migrate").returncode == 0
    ok = _cli(db, "reminders", "--now", "2026-12-01T07:00")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "0 reminders sent"
    again = _cli(db, "reminders")  # real clock; the daily clean-up already ran for that other day
    assert again.returncode == 0 and again.stdout.strip().endswith("reminders sent")
    bad = _cli(db, "reminders", "--now", "tomorrow")
    assert bad.returncode == 2 and "ISO" in bad.stderr


def test_import_demand_checks_the_whole_file_and_seed_plants_history_only_for_the_demo(tmp_path: Path) -> None:
    from hsa.models import DemandHistory, DemandSeries

    db = tmp_path / "cli.db"
    assert _cli(db, "migrate").returncode == 0
    assert _cli(db, "create-admin", "--email", "ops@example.com", password="LongEnough9").returncode == 0
    refused = _cli(db, "seed", "--demand-history")
    assert refused.returncode == 0 and "not planted" in refused.stdout  # a real city's database: no demo data
    bad = tmp_path / "bad.csv"
    bad.write_text("day,service,city,requests\n2025-01-01,Plumbing,Mumbai,3\n", encoding="utf-8")
    failed = _cli(db, "import-demand", str(bad))
    assert failed.returncode == 1 and "line 2: no service named 'Plumbing'" in failed.stderr

    db2 = tmp_path / "demo.db"
    assert _cli(db2, "migrate").returncode == 0
    seeded = _cli(db2, "seed", "--demand-history")
    assert seeded.returncode == 0 and "today's forecasts computed" in seeded.stdout, seeded.stderr
    good = tmp_path / "good.csv"
    good.write_text("day,service,city,requests\n2025-01-01,Plumbing,Pune,3\n2025-01-02,Plumbing,Pune,4\n",
                    encoding="utf-8")
    for _ in range(2):
        ok = _cli(db2, "import-demand", str(good), "--source", "callcentre")
        assert ok.returncode == 0 and "2 daily counts imported" in ok.stdout, ok.stderr
    engine = create_engine(f"sqlite:///{db2}")
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(DemandHistory)
                      .where(DemandHistory.source == "callcentre")).one() == 2
        assert s.exec(select(func.count()).select_from(DemandSeries)).one() >= 40  # 10 services x 4 cities
    engine.dispose()
