"""Live tracking: who may share and see a position, which fixes are refused, ETA maths, privacy."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from hsa.models import AuditLog, JobLocation, Notification, RequestStatus, Role, Service, ServiceRequest, User
from hsa.services import admin, bookings, changes, tracking
from hsa.services.actors import Actor
from hsa.services.errors import Forbidden, InvalidTransition, NotAuthenticated, NotFound, ValidationFailed
from hsa.services.pincodes import centroid
from tests.factories import actor_for, make_request, make_service, make_user

DEST = centroid("560034")
assert DEST is not None


def _independent_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Spherical law of cosines: a different formula from the service's haversine."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    cos_angle = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(min(1.0, cos_angle))


def _north(km: float, of: tuple[float, float] = DEST) -> tuple[float, float]:
    """A point `km` due north (1 degree of latitude is ~111.2 km)."""
    return of[0] + km / 111.195, of[1]


@dataclass
class World:
    req: ServiceRequest
    service: Service
    customer: User
    pro: User
    c: Actor
    p: Actor
    other_customer: Actor
    other_pro: Actor
    admin: Actor
    t0: datetime  # 30 minutes before the slot: inside the "On my way" window


@pytest.fixture
def w(session: Session) -> World:
    plumbing = make_service(session, name="Plumbing")
    customer = make_user(session, full_name="Asha Rao")
    pro = make_user(session, role=Role.professional, full_name="Ravi Kumar", service=plumbing)
    other_pro = make_user(session, role=Role.professional, service=plumbing)
    req = make_request(session, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro)
    req.start_code = "1357"  # the code the customer's card shows since the accept
    session.add(req)
    session.commit()
    return World(req=req, service=plumbing, customer=customer, pro=pro, c=actor_for(session, customer),
                 p=actor_for(session, pro), other_customer=actor_for(session, make_user(session)),
                 other_pro=actor_for(session, other_pro),
                 admin=actor_for(session, make_user(session, role=Role.admin)),
                 t0=req.scheduled_at - timedelta(minutes=30))


def _row(session: Session, request_id: int) -> dict | None:
    session.expire_all()
    loc = session.get(JobLocation, request_id)
    return loc.model_dump() if loc else None


def _act(session: Session, w: World, action: str, *, minutes: int) -> None:
    bookings.transition(session=session, actor=w.p, request_id=w.req.id, action=action,
                        data={"code": w.req.start_code} if action == "start" else None,  # the customer tells it
                        now=w.t0 + timedelta(minutes=minutes))


def _post(session: Session, w: World, point: tuple[float, float], at: datetime, *, actor: Actor | None = None,
          accuracy: float | None = 20.0) -> tracking.TrackingView:
    return tracking.record_position(session=session, actor=actor or w.p, request_id=w.req.id, lat=point[0],
                                    lon=point[1], accuracy_m=accuracy, recorded_at=at, now=at)


# ------------------------------------------------------------------ "On my way"


def test_on_my_way_opens_the_trip_once_and_tells_the_customer(session: Session, w: World) -> None:
    view = tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    assert (view.label, view.pro_lat, view.distance_km, view.eta_minutes) == ("Waiting for location", None, None, None)
    assert view.professional_name == "Ravi Kumar" and view.en_route_at == w.t0
    again = tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0 + timedelta(minutes=1))
    assert again.en_route_at == w.t0  # idempotent: same trip
    assert session.exec(select(func.count()).select_from(AuditLog)
                        .where(AuditLog.action == "request.on_my_way")).one() == 1
    notes = list(session.exec(select(Notification).where(Notification.kind == "on_the_way")))
    assert [(n.user_id, n.title) for n in notes] == [(w.customer.id, "Ravi is on the way")]


@pytest.mark.parametrize("who", ["customer", "admin", "other_pro", "other_customer", "anonymous"])
def test_only_the_assigned_professional_can_set_off(session: Session, w: World, who: str) -> None:
    actor = {"customer": w.c, "admin": w.admin, "other_pro": w.other_pro, "other_customer": w.other_customer,
             "anonymous": None}[who]
    expected = {"customer": Forbidden, "admin": Forbidden, "anonymous": NotAuthenticated}.get(who, NotFound)
    with pytest.raises(expected):
        tracking.start_trip(session=session, actor=actor, request_id=w.req.id, now=w.t0)
    session.rollback()
    assert _row(session, w.req.id) is None


def test_no_trip_days_ahead_or_on_a_finished_job(session: Session, w: World) -> None:
    with pytest.raises(InvalidTransition, match="2 hours"):
        tracking.start_trip(session=session, actor=w.p, request_id=w.req.id,
                            now=w.req.scheduled_at - timedelta(hours=3))
    session.rollback()
    done = make_request(session, customer=w.customer, service=w.service, status=RequestStatus.completed,
                        professional=w.pro)
    with pytest.raises(InvalidTransition):
        tracking.start_trip(session=session, actor=w.p, request_id=done.id, now=w.t0)
    session.rollback()
    assert session.exec(select(func.count()).select_from(JobLocation)).one() == 0


# ------------------------------------------------------------------ refused fixes store nothing


GOOD = _north(3.0)  # the stored fix every case starts from
BAD: dict[str, tuple[dict, type[Exception], str]] = {  # change to a good fix 60 s later -> error, field
    "nan": ({"lat": float("nan")}, ValidationFailed, "lat"),
    "inf": ({"lon": float("inf")}, ValidationFailed, "lon"),
    "minus_inf": ({"lat": float("-inf")}, ValidationFailed, "lat"),
    "string": ({"lat": "12.93"}, ValidationFailed, "lat"),
    "bool": ({"lon": True}, ValidationFailed, "lon"),
    "none": ({"lat": None}, ValidationFailed, "lat"),
    "lat_out_of_range": ({"lat": 90.5}, ValidationFailed, "lat"),
    "lon_out_of_range": ({"lon": -180.5}, ValidationFailed, "lon"),
    "null_island": ({"lat": 0.0, "lon": 0.0}, ValidationFailed, "position"),
    "outside_india": ({"lat": 51.5074, "lon": -0.1278}, ValidationFailed, "position"),
    "just_outside_box": ({"lat": 37.6, "lon": 77.0}, ValidationFailed, "position"),
    "future": ({"recorded_at": "+31s"}, ValidationFailed, "recorded_at"),
    "older_than_stored": ({"recorded_at": "-1s"}, ValidationFailed, "recorded_at"),
    "naive_time": ({"recorded_at": "naive"}, ValidationFailed, "recorded_at"),
    "negative_accuracy": ({"accuracy_m": -1.0}, ValidationFailed, "accuracy_m"),
    "absurd_accuracy": ({"accuracy_m": 5001.0}, ValidationFailed, "accuracy_m"),
    "nan_accuracy": ({"accuracy_m": float("nan")}, ValidationFailed, "accuracy_m"),
    "teleport_to_mumbai": ({"lat": 19.076, "lon": 72.8777}, ValidationFailed, "position"),
    "4.5_km_in_a_minute": ({"lat": _north(3.0 + 4.5)[0]}, ValidationFailed, "position"),  # ~264 km/h
    "other_pro": ({"actor": "other_pro"}, NotFound, ""),
    "customer": ({"actor": "customer"}, Forbidden, ""),
    "admin": ({"actor": "admin"}, Forbidden, ""),
    "anonymous": ({"actor": "anonymous"}, NotAuthenticated, ""),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_fix_is_refused_and_nothing_changes(session: Session, w: World, case: str) -> None:
    tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    _post(session, w, GOOD, w.t0)
    before, audits = _row(session, w.req.id), session.exec(select(func.count()).select_from(AuditLog)).one()
    change, error, field = BAD[case]
    at = w.t0 + timedelta(seconds=60)
    recorded_at: object = at
    if change.get("recorded_at") == "+31s":
        recorded_at = at + timedelta(seconds=31)
    elif change.get("recorded_at") == "-1s":
        recorded_at = w.t0 - timedelta(seconds=1)
    elif change.get("recorded_at") == "naive":
        recorded_at = at.replace(tzinfo=None)
    actor = {"other_pro": w.other_pro, "customer": w.c, "admin": w.admin, "anonymous": None}.get(
        change.get("actor", ""), w.p)
    lat = change.get("lat", GOOD[0] + 0.001)
    lon = change.get("lon", GOOD[1])
    with pytest.raises(error) as exc:
        tracking.record_position(session=session, actor=actor, request_id=w.req.id, lat=lat, lon=lon,
                                 accuracy_m=change.get("accuracy_m", 20.0), recorded_at=recorded_at, now=at)
    if field:
        assert field in exc.value.fields  # type: ignore[attr-defined]
    session.rollback()
    assert _row(session, w.req.id) == before
    assert session.exec(select(func.count()).select_from(AuditLog)).one() == audits


def test_no_fix_without_a_trip_or_on_an_inactive_job(session: Session, w: World) -> None:
    with pytest.raises(InvalidTransition, match="On my way"):
        _post(session, w, _north(2), w.t0)
    session.rollback()
    assert _row(session, w.req.id) is None
    tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    _post(session, w, _north(2), w.t0)
    _act(session, w, "start", minutes=5)
    bookings.transition(session=session, actor=w.p, request_id=w.req.id, action="complete",
                        now=w.t0 + timedelta(minutes=50))
    with pytest.raises(InvalidTransition, match="no longer active"):
        _post(session, w, _north(0.1), w.t0 + timedelta(minutes=51))
    session.rollback()
    assert _row(session, w.req.id) is None


def test_fixes_within_three_seconds_are_accepted_but_not_written(session: Session, w: World) -> None:
    tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    first = _post(session, w, _north(3.0), w.t0)
    stored = _row(session, w.req.id)
    burst = _post(session, w, _north(2.99), w.t0 + timedelta(seconds=2.9))
    assert (burst.pro_lat, burst.recorded_at) == (first.pro_lat, w.t0)  # the current view comes back
    assert burst.updated_seconds_ago == 2 and _row(session, w.req.id) == stored  # nothing written
    later = _post(session, w, _north(2.99), w.t0 + timedelta(seconds=3))
    assert later.pro_lat == pytest.approx(_north(2.99)[0]) and later.recorded_at == w.t0 + timedelta(seconds=3)


def test_realistic_movement_and_gps_jitter_are_accepted(session: Session, w: World) -> None:
    tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    _post(session, w, _north(5.0), w.t0)
    _post(session, w, _north(4.0), w.t0 + timedelta(seconds=60))             # 60 km/h on a scooter
    _post(session, w, _north(4.07), w.t0 + timedelta(seconds=63), accuracy=40)  # 70 m jitter in 3 s
    view = _post(session, w, _north(3.0), w.t0 + timedelta(seconds=93))       # ~128 km/h: fast, but possible
    assert view.distance_km == pytest.approx(3.0, abs=0.01)


# ------------------------------------------------------------------ numbers


def test_distance_and_eta_match_an_independent_computation(session: Session, w: World,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    here = (12.9500, 77.6000)  # north-west of Koramangala
    view = _post(session, w, here, w.t0, accuracy=12.5)
    straight = _independent_km(here, DEST)
    assert 3.5 < straight < 4.0
    assert view.distance_km == pytest.approx(straight, abs=0.01)
    assert view.eta_minutes == math.ceil(straight * 1.3 / 25 * 60)
    assert (view.destination_lat, view.destination_lon) == DEST
    assert (view.pro_lat, view.pro_lon, view.accuracy_m) == (here[0], here[1], 12.5)
    assert (view.label, view.arriving, view.updated_seconds_ago, view.stale) == ("On the way", False, 0, False)

    monkeypatch.setenv("HSA_ETA_DETOUR_FACTOR", "1.5")
    monkeypatch.setenv("HSA_ETA_SPEED_KMH", "30")
    later = tracking.view_position(session=session, actor=w.c, request_id=w.req.id, now=w.t0 + timedelta(minutes=3))
    assert later is not None
    assert later.eta_minutes == math.ceil(straight * 1.5 / 30 * 60)
    assert (later.updated_seconds_ago, later.stale) == (180, True)


@pytest.mark.parametrize(("metres", "arriving"), [(250, True), (299, True), (310, False), (1000, False)])
def test_arriving_within_300_metres(session: Session, w: World, metres: int, arriving: bool) -> None:
    tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    view = _post(session, w, _north(metres / 1000), w.t0)
    assert view.arriving is arriving
    assert view.label == ("Arriving" if arriving else "On the way")
    assert view.distance_km == pytest.approx(_independent_km(_north(metres / 1000), DEST), abs=0.005)


def test_label_during_the_job(session: Session, w: World) -> None:
    tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    _post(session, w, _north(0.1), w.t0)
    _act(session, w, "start", minutes=1)
    view = tracking.view_position(session=session, actor=w.c, request_id=w.req.id, now=w.t0 + timedelta(minutes=2))
    assert view is not None and view.label == "Job in progress" and view.status == "in_progress"


@pytest.mark.parametrize("name", ["HSA_ETA_DETOUR_FACTOR", "HSA_ETA_SPEED_KMH"])
@pytest.mark.parametrize("value", ["fast", "0", "nan", "1000"])
def test_eta_settings_are_validated(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    from hsa.settings import get_settings

    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        get_settings()


# ------------------------------------------------------------------ who can read


def test_who_can_see_the_position(session: Session, w: World) -> None:
    tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    _post(session, w, _north(2.0), w.t0)
    for actor in (w.c, w.admin, w.p):  # the customer, an admin, and the professional themself
        view = tracking.view_position(session=session, actor=actor, request_id=w.req.id, now=w.t0)
        assert view is not None and view.pro_lat == pytest.approx(_north(2.0)[0])
    for actor in (w.other_customer, w.other_pro):
        with pytest.raises(NotFound):
            tracking.view_position(session=session, actor=actor, request_id=w.req.id, now=w.t0)
    with pytest.raises(NotAuthenticated):
        tracking.view_position(session=session, actor=None, request_id=w.req.id, now=w.t0)
    with pytest.raises(NotFound):
        tracking.view_position(session=session, actor=w.c, request_id=999_999, now=w.t0)


def test_nothing_to_see_before_setting_off(session: Session, w: World) -> None:
    assert tracking.view_position(session=session, actor=w.c, request_id=w.req.id, now=w.t0) is None


# ------------------------------------------------------------------ privacy: the row goes when the job ends


def _on_the_way(session: Session, w: World) -> None:
    tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    _post(session, w, _north(1.0), w.t0)
    assert _row(session, w.req.id) is not None


def test_position_deleted_on_completion_and_unreadable_after(session: Session, w: World) -> None:
    _on_the_way(session, w)
    _act(session, w, "start", minutes=1)
    assert _row(session, w.req.id) is not None  # in progress: still live
    bookings.transition(session=session, actor=w.p, request_id=w.req.id, action="complete",
                        now=w.t0 + timedelta(minutes=60))
    assert _row(session, w.req.id) is None
    for actor in (w.c, w.admin, w.p):
        assert tracking.view_position(session=session, actor=actor, request_id=w.req.id) is None


def test_position_deleted_when_an_admin_cancels(session: Session, w: World) -> None:
    _on_the_way(session, w)
    bookings.transition(session=session, actor=w.admin, request_id=w.req.id, action="cancel",
                        data={"reason": "Customer phoned support"}, now=w.t0 + timedelta(minutes=1))
    assert _row(session, w.req.id) is None


def test_position_deleted_when_the_customer_cancels(session: Session, w: World) -> None:
    # The customer may cancel only until 2 h before the slot, before "On my way" opens: plant a row.
    session.add(JobLocation(request_id=w.req.id, professional_id=w.pro.id, customer_id=w.customer.id,
                            en_route_at=w.t0, lat=13.0, lon=77.6, recorded_at=w.t0))
    session.commit()
    bookings.transition(session=session, actor=w.c, request_id=w.req.id, action="cancel",
                        data={"reason": "Plans changed"}, now=w.req.scheduled_at - timedelta(hours=3))
    assert _row(session, w.req.id) is None


@pytest.mark.parametrize("how", ["block", "delete"])
def test_position_deleted_when_an_admin_removes_the_professional(session: Session, w: World, how: str) -> None:
    _on_the_way(session, w)
    if how == "block":
        admin.block_user(session=session, actor=w.admin, user_id=w.pro.id, reason="Fraud report")
    else:
        admin.delete_user(session=session, actor=w.admin, user_id=w.pro.id, reason="Asked to leave")
    assert _row(session, w.req.id) is None
    session.expire_all()
    assert session.get(ServiceRequest, w.req.id).status is RequestStatus.requested  # type: ignore[union-attr]
    assert tracking.view_position(session=session, actor=w.c, request_id=w.req.id) is None


def test_block_also_deletes_the_position_of_a_job_in_progress(session: Session, w: World) -> None:
    _on_the_way(session, w)
    _act(session, w, "start", minutes=1)
    admin.block_user(session=session, actor=w.admin, user_id=w.pro.id, reason="Fraud report")
    assert _row(session, w.req.id) is None


def test_positions_reach_the_customer_and_the_tracking_page(session: Session, w: World,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changes, "_publishers", list(changes._publishers))  # this test's subscriber ends with it
    seen: list[frozenset[str]] = []
    changes.subscribe(seen.append)
    tracking.start_trip(session=session, actor=w.p, request_id=w.req.id, now=w.t0)
    seen.clear()
    _post(session, w, _north(1.0), w.t0)
    assert seen == [frozenset({f"track:{w.req.id}", f"user:{w.customer.id}"})]
