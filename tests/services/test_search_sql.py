"""Search in SQL gives exactly what the old Python ranking gave, on SQLite and on PostgreSQL.

`old_search_professionals` is the previous implementation, kept here (and only here) as the
oracle: every bookable row to Python, haversine from pincode centroids, sort, slice. A random
Bengaluru data set is searched both ways, page by page, and the cards must be equal — scores
and rounded distances included, which holds only if SQL computes the same floats as Python.
(`bench/search_bench.py --before` times it.) The PostgreSQL pass is scripts/test's second run
(HSA_TEST_DATABASE_URL).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from sqlalchemy import event, text
from sqlmodel import Session, col, select

from hsa.db import engine_for
from hsa.models import ApprovalStatus, ProfessionalProfile, Role, Service, User, UserStatus
from hsa.models.user import SHRUNK_RATING_INDEX
from hsa.services import notifications, search
from hsa.services.actors import Actor
from hsa.services.permissions import offered_to
from hsa.services.pincodes import centroid, haversine_km
from hsa.settings import ROOT
from tests.factories import actor_for, make_request, make_service, make_user, password_hash

# Bengaluru pincodes with a centroid; two far cities; two pincodes without a point.
BENGALURU = [p for p in (f"5600{n:02d}" for n in range(1, 100)) if centroid(p) is not None]
ELSEWHERE = ["570001", "600020"]  # Mysuru (~140 km), Chennai (~290 km): outside every radius
NO_POINT = ["000000", "110073"]  # not a pincode; a real Delhi pincode the offline data has no point for
NAMES = ["Ravi Kumar", "Sunil Gowda", "Priya Nair", "Arjun Kumar", "Kavya Menon", "Deepa Shah", "Anil Rao",
         "Élodie D'Souza", "ರವಿ ಕುಮಾರ್", "Rao_100%"]


def old_search_professionals(*, session: Session, actor: Actor | None, service_id: int | None = None,
                             pincode: str = "", q: str = "", page: int = 1) -> list[search.ProfessionalCard]:
    """The Python ranking as it was before search moved into SQL (the oracle)."""
    actor = search.require_actor(actor)
    me = session.get(User, actor.id)
    pincode = search.resolve_place(pincode, near=me.pincode if me else "")
    query = search._bookable()
    if service_id:
        query = query.where(ProfessionalProfile.service_id == service_id)
    if q.strip():
        query = query.where(col(User.full_name).ilike(f"%{q.strip()[:50]}%"))
    origin = centroid(pincode) if pincode else None
    ranked: list[tuple[tuple, tuple, float | None]] = []
    for row in session.exec(query):
        distance = None
        if origin is not None:
            here = centroid(row[2])
            distance = haversine_km(origin, here) if here else None
            if distance is None or distance > row[8]:
                continue
        key = (-search.rank_score(row[7], row[6], distance), round(distance or 0.0, 1), -row[6], row[0])
        ranked.append((key, row, distance))
    ranked.sort(key=lambda item: item[0])
    start = (max(page, 1) - 1) * search.PAGE_SIZE
    return [search._card(row, distance) for _, row, distance in ranked[start:start + search.PAGE_SIZE]]


def _random_pros(session: Session, rnd: random.Random, services: list[Service], n: int) -> None:
    """`n` professionals in one flush (the ORM hook gives each its coordinates)."""
    users = [User(email=f"pro{i}@example.com", full_name=f"{rnd.choice(NAMES)} {i}", phone=f"+9171{i:08d}",
                  password_hash=password_hash(), role=Role.professional, address="1 Test Street",
                  pincode=rnd.choice(BENGALURU * 8 + ELSEWHERE + NO_POINT),
                  status=rnd.choices([UserStatus.active, UserStatus.blocked], [12, 1])[0])
             for i in range(n)]
    session.add_all(users)
    session.flush()
    for user in users:
        # many ties on purpose: no reviews (prior 4.0), 4.0 exactly from (4, 1), (8, 2), same pincodes
        count = rnd.choice([0, 0, 1, 2, rnd.randint(1, 30), rnd.randint(30, 400)])
        total = 4 * count if rnd.random() < 0.2 else sum(rnd.randint(1, 5) for _ in range(count))
        session.add(ProfessionalProfile(
            user_id=user.id, service_id=rnd.choice(services).id, experience_years=rnd.randint(0, 30),
            approval_status=rnd.choices([ApprovalStatus.approved, ApprovalStatus.pending], [10, 1])[0],
            is_available=rnd.random() < 0.9, rating_count=count, rating_sum=total,
            service_radius_km=rnd.choice([1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 100])))
    session.commit()


def test_sql_search_matches_the_python_oracle_on_random_data(session: Session) -> None:
    rnd = random.Random(1515)
    services = [make_service(session) for _ in range(3)] + [make_service(session, active=False)]
    _random_pros(session, rnd, services, 400)
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("ANALYZE"))  # type: ignore[call-overload]  # as autovacuum would: plans need statistics
    customer = actor_for(session, make_user(session, pincode="560034"))
    origins = ["", "560034", "Koramangala", "560066", "560001", "570001", "110073", *rnd.sample(BENGALURU, 4)]
    asks = [(o, s, q) for o in origins for s in (None, services[0].id, services[3].id) for q in ("", "kumar")]
    asks += [(o, None, q) for o in ("", "560034") for q in ("  Priya ", "élodie", "d'souza", "ಕುಮಾರ್", "_1", "%")]
    compared = 0
    for origin, service_id, q in asks:
        page = 1
        while True:
            args = dict(service_id=service_id, pincode=origin, q=q, page=page)
            new = search.search_professionals(session=session, actor=customer, **args)
            assert new == old_search_professionals(session=session, actor=customer, **args), args
            compared += len(new)
            if len(new) < search.PAGE_SIZE:
                break
            page += 1
    assert compared > 2_000  # the data set really exercised ranking and paging


def _pro_at(session: Session, service: Service, pincode: str, n: int, ratings: tuple[int, int] = (0, 0)) -> User:
    user = make_user(session, role=Role.professional, service=service, pincode=pincode,
                     full_name=f"Pro {n}", email=f"boundary{n}@example.com")
    if ratings != (0, 0):
        profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user.id)).one()
        profile.rating_count, profile.rating_sum = ratings
        session.add(profile)
        session.commit()
    return user


def test_radius_boundary_agrees_with_offered_to_and_search(session: Session) -> None:
    """Each pro's radius set to its distance rounded (half just inside, half just outside, some by
    metres): notices, search and the permission rule `offered_to` take the same pros, and SQL's
    kilometres are Python's to the last bit."""
    service = make_service(session)
    pins = BENGALURU[:40]
    pros = [_pro_at(session, service, pin, i) for i, pin in enumerate(pins)]
    customer = make_user(session, pincode="560034")
    searcher = actor_for(session, customer)
    profiles = {p.user_id: p for p in session.exec(select(ProfessionalProfile))}
    actors = {p.id: Actor(id=p.id, role=Role.professional, full_name=p.full_name,  # type: ignore[arg-type]
                          approval=ApprovalStatus.approved) for p in pros}
    closest = 1.0
    for where in pins[:12]:
        req = make_request(session, customer=customer, service=service, pincode=where)
        for pro in pros:
            d = haversine_km(centroid(pro.pincode), centroid(where))  # type: ignore[arg-type]
            profiles[pro.id].service_radius_km = min(max(round(d), 1), 100)  # type: ignore[index]
            closest = min(closest, abs(d - round(d)) if round(d) >= 1 else 1.0)
            session.add(profiles[pro.id])  # type: ignore[index]
        session.commit()
        allowed = {p.id for p in pros
                   if offered_to(actors[p.id], req, profiles[p.id], p.pincode)}  # type: ignore[index]
        notified = notifications.nearby_professionals(session, req, cap=100)
        assert {user_id for user_id, _ in notified} == allowed, where
        assert 0 < len(allowed) < len(pros)
        for user_id, km in notified:
            pro_pin = next(p.pincode for p in pros if p.id == user_id)
            assert km == haversine_km(centroid(pro_pin), centroid(where))  # type: ignore[arg-type]
        found = {c.user_id for page in (1, 2, 3)
                 for c in search.search_professionals(session=session, actor=searcher, pincode=where, page=page)}
        assert found == allowed, where
    assert closest < 0.05  # some pros sat within 50 m of their radius


def test_notices_skip_excluded_and_cap_nearest_first(session: Session) -> None:
    service = make_service(session)
    near = [_pro_at(session, service, pin, i) for i, pin in enumerate(["560034", "560095", "560029", "560030"])]
    customer = make_user(session, pincode="560034")
    req = make_request(session, customer=customer, service=service, pincode="560034")
    everyone = notifications.nearby_professionals(session, req)
    kms = [km for _, km in everyone]
    assert kms == sorted(kms) and {u for u, _ in everyone} == {p.id for p in near}
    assert notifications.nearby_professionals(session, req, exclude={near[0].id}, cap=2) == everyone[1:3]


def test_only_a_place_name_reads_the_searchers_own_pincode(session: Session) -> None:
    """The actor's pincode only breaks ties between towns of one name: a pincode search skips it."""
    customer = actor_for(session, make_user(session, pincode="600001"))
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _many) -> None:  # noqa: ANN001
        statements.append(statement)

    engine = session.get_bind()
    session.expire_all()  # so that reading the user would show as a statement
    event.listen(engine, "before_cursor_execute", record)
    try:
        search.search_professionals(session=session, actor=customer, pincode="560 034")
        assert not [s for s in statements if s.startswith("SELECT users.id, users.email")]
        search.search_professionals(session=session, actor=customer, pincode="Adyar")
        assert [s for s in statements if s.startswith("SELECT users.id, users.email")]
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_shrunk_rating_index_is_searchs_expression() -> None:
    """The index freezes PRIOR_MEAN and PRIOR_WEIGHT; change them and this fails: add a migration
    that recreates ix_professional_profiles_shrunk_rating (else search still works, slower)."""
    assert "(" + search.SHRUNK_RATING_SQL.replace("professional_profiles.", "") + ")" == SHRUNK_RATING_INDEX
    migration = next((ROOT / "migrations" / "versions").glob("*_20261202c001_*.py")).read_text()
    assert f'SHRUNK_RATING = "{SHRUNK_RATING_INDEX}"' in migration


def test_plans_use_the_rating_index_and_the_location_index(migrated_template: Path, tmp_path: Path) -> None:
    """EXPLAIN QUERY PLAN (SQLite, no ANALYZE, as a fresh install): a dense search seeks the
    shrunk-rating index for its floor; one whose best pros are out of reach seeks the box."""
    path = tmp_path / "plans.db"
    shutil.copy(migrated_template, path)
    engine = engine_for(f"sqlite:///{path}")
    statements: list[tuple[str, tuple]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        if "candidates" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    with Session(engine) as s:
        service = make_service(s)
        for n in range(60):  # Koramangala: plenty of good pros, so the floor forms there
            _pro_at(s, service, "560034", n, ratings=(n, 4 * n + n % 5))
        for n in range(60, 63):
            _pro_at(s, service, "570001", n)  # Mysuru: a few, the best of all are out of their reach
        customer = actor_for(s, make_user(s))

        def plan(pincode: str) -> str:
            statements.clear()
            search.search_professionals(session=s, actor=customer, pincode=pincode)
            statement, parameters = statements[-1]
            return " | ".join(row[3] for row in s.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters))

        assert "USING INDEX ix_professional_profiles_shrunk_rating (<expr>>?)" in plan("560034")
        assert "USING INDEX ix_users_pro_location (role=? AND status=? AND lat>? AND lat<?)" in plan("570001")
    event.remove(engine, "before_cursor_execute", record)
    engine.dispose()
