"""Users' stored coordinates follow their pincode, and SQL measures distance exactly as Python does."""

from __future__ import annotations

import math
import random
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import Session, select

from hsa.db import engine_for
from hsa.migrate import alembic_config
from hsa.models import Role, User
from hsa.services import accounts, demo_data, geo
from hsa.services.pincodes import centroid, haversine_km
from tests.factories import actor_for, make_user

KORAMANGALA = "560034"
PLACES = ["560034", "560066", "560001", "560102", "570001", "600020", "400001", "110001", "700016", "682001"]


def _point(session: Session, user: User) -> tuple[float | None, float | None]:
    session.expire_all()
    row = session.exec(select(User.lat, User.lon).where(User.id == user.id)).one()
    return row[0], row[1]


def test_new_users_get_their_pincode_centroid(session: Session) -> None:
    customer = make_user(session, pincode=KORAMANGALA)
    pro = make_user(session, role=Role.professional, pincode="600020")
    unknown = make_user(session, pincode="110073")  # a real pincode the offline data has no point for
    assert _point(session, customer) == centroid(KORAMANGALA)
    assert _point(session, pro) == centroid("600020")
    assert _point(session, unknown) == (None, None)


def test_a_new_pincode_moves_the_user_and_other_edits_do_not(session: Session) -> None:
    me = make_user(session, pincode=KORAMANGALA)
    actor = actor_for(session, me)
    accounts.update_profile(session=session, actor=actor, data={
        "full_name": "Moved Person", "phone": "9876543210", "address": "7 Beach Road", "pincode": "600020"})
    assert _point(session, me) == centroid("600020")
    # a stale point (as a hand-edited row might have) is left alone when the pincode does not change ...
    session.exec(text("UPDATE users SET lat = 1.0, lon = 2.0 WHERE id = :id"), params={"id": me.id})  # type: ignore[call-overload]
    session.commit()
    user = session.get(User, me.id)
    assert user is not None
    user.full_name = "Renamed Person"
    session.add(user)
    session.commit()
    assert _point(session, me) == (1.0, 2.0)
    # ... and replaced as soon as it does
    user.pincode = KORAMANGALA
    session.add(user)
    session.commit()
    assert _point(session, me) == centroid(KORAMANGALA)


def test_demo_accounts_have_coordinates(session: Session) -> None:
    assert demo_data.load_demo_data(session=session)
    points = session.exec(select(User.pincode, User.lat, User.lon)).all()
    assert len(points) == len(demo_data.USERS)
    assert all((lat, lon) == centroid(pincode) for pincode, lat, lon in points)


def test_coords_for_is_the_hook_rule_for_bulk_inserts() -> None:
    assert geo.coords_for(KORAMANGALA) == centroid(KORAMANGALA)
    assert geo.coords_for("000000") == geo.coords_for("") == geo.coords_for(None) == (None, None)


def test_migration_adds_and_backfills_coordinates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    monkeypatch.setenv("HSA_DATABASE_URL", url)
    command.upgrade(alembic_config(), "20261202b001")
    engine = engine_for(url)
    insert = text("INSERT INTO users (email, full_name, phone, password_hash, role, status, address, pincode, "
                  "failed_login_count, created_at, updated_at) VALUES (:email, 'n', :phone, 'h', 'customer', "
                  "'active', '', :pincode, 0, '2026-01-01', '2026-01-01')")
    pins = [KORAMANGALA, KORAMANGALA, "600020", "000000"]
    with engine.begin() as conn:
        for n, pin in enumerate(pins):
            conn.execute(insert, {"email": f"u{n}@example.com", "phone": f"+91900000000{n}", "pincode": pin})
    command.upgrade(alembic_config(), "head")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT pincode, lat, lon FROM users ORDER BY id")).all()
    assert [(lat, lon) for _, lat, lon in rows] == [geo.coords_for(pin) for pin in pins]
    command.downgrade(alembic_config(), "20261202b001")
    with engine.connect() as conn:
        assert "lat" not in {c[1] for c in conn.execute(text("PRAGMA table_info(users)"))}
    engine.dispose()


def test_sql_distance_is_pythons_to_the_last_bit(session: Session) -> None:
    """On the session's database (SQLite here, PostgreSQL in the second pass of scripts/test)."""
    users = [make_user(session, pincode=pin) for pin in PLACES]
    distance = geo.distance_sql()
    for origin_pin in PLACES:
        origin = centroid(origin_pin)
        assert origin is not None
        rows = session.exec(select(User.id, User.pincode, distance).where(  # type: ignore[call-overload]
            User.id.in_([u.id for u in users])), params=geo.origin_params(origin)).all()  # type: ignore[union-attr]
        assert len(rows) == len(PLACES)
        for _, pin, km in rows:
            assert km == haversine_km(origin, centroid(pin))  # type: ignore[arg-type]


def test_pythons_math_stands_in_for_a_sqlite_without_math_functions() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, lat REAL, lon REAL)")
    geo.ensure_math(conn)  # built-ins present: nothing replaced, nothing fails
    geo.register_python_math(conn)  # what a build without them gets
    with pytest.raises(sqlite3.OperationalError):  # proof that Python's sqrt now answers (SQLite's gives NULL)
        conn.execute("SELECT sqrt(-1)").fetchone()
    points = [centroid(pin) for pin in PLACES]
    conn.executemany("INSERT INTO users (lat, lon) VALUES (?, ?)", [*points, (None, None)])
    compiled = select(geo.distance_sql()).select_from(User).order_by(User.id).compile(
        dialect=sqlite_dialect.dialect())
    origin = centroid(KORAMANGALA)
    assert origin is not None
    params = compiled.construct_params(geo.origin_params(origin))
    found = [km for (km,) in conn.execute(str(compiled), [params[k] for k in compiled.positiontup or []])]
    assert found == [haversine_km(origin, p) for p in points] + [None]  # type: ignore[arg-type]


def test_the_box_holds_every_point_within_reach() -> None:
    rnd = random.Random(7)
    for origin_pin in PLACES:
        origin = centroid(origin_pin)
        assert origin is not None
        box = geo.bounding_box(origin, geo.MAX_RADIUS_KM)
        assert box is not None
        lat_min, lat_max, lon_min, lon_max = box
        for _ in range(200):
            point = _destination(origin, rnd.uniform(0, 360), geo.MAX_RADIUS_KM * rnd.random() ** 0.5)
            assert lat_min <= point[0] <= lat_max and lon_min <= point[1] <= lon_max
        for bearing in range(0, 360, 5):  # right on the circle, where the box is tight
            point = _destination(origin, bearing, geo.MAX_RADIUS_KM)
            assert lat_min <= point[0] <= lat_max and lon_min <= point[1] <= lon_max
        outside = _destination(origin, 45, geo.MAX_RADIUS_KM * 1.5)
        assert not (lat_min <= outside[0] <= lat_max and lon_min <= outside[1] <= lon_max)
    assert geo.bounding_box((89.5, 0.0), 100) is None  # a cap over the pole: no box, every point is checked
    assert geo.EARTH_RADIUS_KM * 2 * math.asin(1) == pytest.approx(haversine_km((0, 0), (0, 180)))


def _destination(origin: tuple[float, float], bearing_deg: float, km: float) -> tuple[float, float]:
    """The point `km` from `origin` along `bearing_deg` (great circle)."""
    lat1, lon1, bearing = math.radians(origin[0]), math.radians(origin[1]), math.radians(bearing_deg)
    d = km / geo.EARTH_RADIUS_KM
    lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(bearing))
    lon2 = lon1 + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(lat1),
                             math.cos(d) - math.sin(lat1) * math.sin(lat2))
    return math.degrees(lat2), math.degrees(lon2)
