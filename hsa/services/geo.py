"""Where users are, as stored coordinates, and distance in SQL with the same formula as Python.

Search and new-job notices used to read every bookable professional and compute the haversine
distance in Python (47 % of the server's time under load). Storing each user's pincode centroid
as `users.lat` / `users.lon` lets the database do it: a bounding box (`in_box`, which
`ix_users_pro_location` can seek on), then `distance_sql` -- `pincodes.haversine_km` written as
SQL, operation for operation, so SQLite and PostgreSQL compute the very float Python computes
(tests/services/test_geo.py and test_search_sql.py check it to the last bit).

Coordinates are set in ONE place, `_sync_coords`, a flush hook on `User`: a user inserted or
whose pincode changes gets their centroid (None when the pincode has none). Inserts that bypass
the ORM (bench data, executemany) call `coords_for` themselves.

Also here: the join order search needs on SQLite (`pros_then_users`), PostgreSQL's plan mode
(`plan_for_these_values`) and Python's math functions for an SQLite built without its own.
"""

from __future__ import annotations

import itertools
import math
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Float, and_, bindparam, event, func, inspect, literal, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapper
from sqlalchemy.sql.compiler import FromLinter, SQLCompiler
from sqlalchemy.sql.selectable import Join
from sqlmodel import Session, col

from hsa.models import ProfessionalProfile, User
from hsa.services.pincodes import centroid

EARTH_RADIUS_KM = 6371.0088  # the mean radius `pincodes.haversine_km` uses (a test holds them equal)
MAX_RADIUS_KM = 100     # the largest service radius a professional may set (ck_pro_radius)
# "Within radius" in SQL is `distance <= radius + slack`: should a database's sin or cos ever differ
# from Python's in the last bit, a pro exactly on their radius is still in (1e-9 km is a micrometre).
RADIUS_SLACK_KM = 1e-9
_BOX_MARGIN_DEG = 1e-6  # widen the box by ~0.1 m so it never cuts off a point the exact formula keeps


def coords_for(pincode: str | None) -> tuple[float | None, float | None]:
    """(lat, lon) to store for a pincode; (None, None) when it has no known centroid."""
    point = centroid(pincode or "")
    return point if point is not None else (None, None)


def _sync_coords(_mapper: Mapper, _connection: object, user: User) -> None:
    """Give a new user, or one whose pincode changed, the coordinates of that pincode."""
    state = inspect(user)
    if state.persistent and not state.attrs.pincode.history.has_changes():
        return
    user.lat, user.lon = coords_for(user.pincode)


event.listen(User, "before_insert", _sync_coords)
event.listen(User, "before_update", _sync_coords)


def bounding_box(origin: tuple[float, float], km: float) -> tuple[float, float, float, float] | None:
    """(lat_min, lat_max, lon_min, lon_max) holding every point within `km` of `origin`.

    The longitude half-width is asin(sin θ / cos lat), exact for a spherical cap; None when the
    cap reaches a pole or the antimeridian, where a box would be wrong (nowhere near India).
    """
    lat, lon = origin
    theta = km / EARTH_RADIUS_KM
    dlat = math.degrees(theta) + _BOX_MARGIN_DEG
    if abs(lat) + dlat >= 90 or math.sin(theta) >= math.cos(math.radians(lat)):
        return None
    dlon = math.degrees(math.asin(math.sin(theta) / math.cos(math.radians(lat)))) + _BOX_MARGIN_DEG
    if abs(lon) + dlon >= 180:
        return None
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def origin_params(origin: tuple[float, float], km: float = MAX_RADIUS_KM) -> dict[str, float]:
    """Values for `in_box` and `distance_sql` around `origin`: the statements stay the same
    (built once, compiled once), only these change from one search to the next."""
    lat, lon = map(math.radians, origin)
    lat_min, lat_max, lon_min, lon_max = bounding_box(origin, km) or (-90.0, 90.0, -180.0, 180.0)
    return {"origin_lat": lat, "origin_lon": lon, "origin_cos_lat": math.cos(lat), "box_lat_min": lat_min,
            "box_lat_max": lat_max, "box_lon_min": lon_min, "box_lon_max": lon_max}


def _param(name: str) -> BindParameter[float]:
    return bindparam(name, type_=Float)


def in_box() -> ColumnElement[bool]:
    """SQL: the user's stored point is inside the `bounding_box` of `origin_params` (NULL is not)."""
    return and_(col(User.lat).between(_param("box_lat_min"), _param("box_lat_max")),
                col(User.lon).between(_param("box_lon_min"), _param("box_lon_max")))


def as_float(value: float) -> ColumnElement[float]:
    """A float bound as float8 (PostgreSQL would make a bare `40.0` NUMERIC and round differently)."""
    return literal(value, Float)


def distance_sql() -> ColumnElement[float]:
    """SQL: km from the origin (`origin_params`) to the user's stored point, exactly as
    `pincodes.haversine_km` computes it: the same operations in the same order, the origin's
    radians and cosine computed in Python as `math` does them. NULL without a point.
    """
    lat2, lon2 = func.radians(User.lat), func.radians(User.lon)
    half, two = as_float(0.5), as_float(2.0)  # x * 0.5 is exactly Python's x / 2
    h = (func.power(func.sin((lat2 - _param("origin_lat")) * half), two)
         + _param("origin_cos_lat") * func.cos(lat2) * func.power(func.sin((lon2 - _param("origin_lon")) * half), two))
    return as_float(2 * EARTH_RADIUS_KM) * func.asin(func.sqrt(h))


def within(distance: ColumnElement[float], radius_km: ColumnElement[int]) -> ColumnElement[bool]:
    """SQL: `distance` lies within `radius_km` (the pro's own radius): Python's `d <= radius`
    (`permissions.offered_to`, the job board), plus `RADIUS_SLACK_KM`."""
    return distance <= radius_km + as_float(RADIUS_SLACK_KM)


class InOrder(Join):
    """A join SQLite must not reorder: CROSS JOIN there (its documented hint), a plain JOIN elsewhere.

    Search and notices filter professional_profiles first (service, rating floor) and then seek
    each survivor's user by primary key. Left alone, SQLite starts from `users` instead (through
    `ix_users_role_status`, or after ANALYZE through the coordinates, customers included) and
    measures the distance of every professional: 3-5x slower (bench/RESULTS.md).
    """

    inherit_cache = True


@compiles(InOrder, "sqlite")
def _cross_join(join: InOrder, compiler: SQLCompiler, from_linter: FromLinter | None = None, **kw: Any) -> str:
    kw.pop("asfrom", None)
    if from_linter is not None:  # the froms are joined: no "cartesian product" warning
        from_linter.edges.update(itertools.product(_originals(join.left._from_objects),
                                                   _originals(join.right._from_objects)))
    return (join.left._compiler_dispatch(compiler, asfrom=True, from_linter=from_linter, **kw) + " CROSS JOIN "
            + join.right._compiler_dispatch(compiler, asfrom=True, from_linter=from_linter, **kw)
            + " ON " + join.onclause._compiler_dispatch(compiler, from_linter=from_linter, **kw))


def _originals(elements: Iterable[Any]) -> Iterator[Any]:
    for element in elements:
        while element._is_clone_of is not None:
            element = element._is_clone_of
        yield element


def pros_then_users() -> InOrder:
    """professional_profiles, then their users (by primary key): the FROM of search and notices."""
    return InOrder(ProfessionalProfile, User, col(User.id) == col(ProfessionalProfile.user_id))


def plan_for_these_values(session: Session) -> None:
    """PostgreSQL: plan this transaction's statements for their actual values.

    psycopg prepares a statement after 5 runs, and PostgreSQL then may switch to a generic plan
    that guesses every parameter; guessing the box (a BETWEEN it thinks keeps 0.5 % of rows)
    made search 3-10x slower from the 11th call on one connection. Planning costs ~1 ms.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SET LOCAL plan_cache_mode = force_custom_plan"))  # type: ignore[call-overload]


# ------------------------------------------------------------------ SQLite without math functions

# What distance_sql calls, with its arity; math.pow is the C pow() that Python's `x ** 2` uses.
_MATH: dict[str, tuple[int, Callable[..., float]]] = {
    "sin": (1, math.sin), "cos": (1, math.cos), "asin": (1, math.asin), "sqrt": (1, math.sqrt),
    "radians": (1, math.radians), "power": (2, math.pow)}


def ensure_math(dbapi_connection: sqlite3.Connection) -> None:
    """SQLite built without SQLITE_ENABLE_MATH_FUNCTIONS (before 3.35, or some distributions) gets
    Python's own functions, so the same SQL runs everywhere; the built-ins are kept when present."""
    try:
        dbapi_connection.execute("SELECT sin(0), cos(0), asin(0), sqrt(0), radians(0), power(0, 2)").fetchone()
    except sqlite3.OperationalError:
        register_python_math(dbapi_connection)


def register_python_math(dbapi_connection: sqlite3.Connection) -> None:
    """Python's sin, cos, asin, sqrt, radians and pow as SQL functions on this connection."""
    for name, (arity, fn) in _MATH.items():
        dbapi_connection.create_function(name, arity, _null_safe(fn), deterministic=True)


def _null_safe(fn: Callable[..., float]) -> Callable[..., float | None]:
    def call(*args: float | None) -> float | None:
        return None if any(a is None for a in args) else fn(*args)
    return call


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection: object, _record: object) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        ensure_math(dbapi_connection)
