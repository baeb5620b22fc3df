"""Handler level: who may read a professional's live position, and which fixes are stored.

Handlers are called directly, as a crafted websocket event would call them, with the session
token of each kind of caller. The services refuse; these tests prove the handlers pass the
refusal on and leak nothing into state (which the browser would receive).
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from hsa.models import JobLocation, Notification, RequestStatus, Role, ServiceRequest, User, utcnow
from hsa.services import tracking
from hsa.services.pincodes import centroid
from hsa.state.admin import AdminRequestsState
from hsa.state.customer import RequestsState
from hsa.state.notifications import NotificationState
from hsa.state.professional import ProHomeState
from tests.factories import actor_for, make_request, make_service, make_user, token_for
from tests.state.test_handlers import _sub, _tree, run

DEST = centroid("560034")
assert DEST is not None


def _north(km: float) -> tuple[float, float]:
    return DEST[0] + km / 111.195, DEST[1]


@pytest.fixture
def trip(session: Session) -> tuple[ServiceRequest, User, User]:
    """An assigned job, 1 hour ahead, whose professional tapped "On my way" at 1.2 km."""
    plumbing = make_service(session, name="Plumbing")
    customer = make_user(session, full_name="Asha Rao")
    pro = make_user(session, role=Role.professional, full_name="Ravi Kumar", service=plumbing)
    req = make_request(session, customer=customer, service=plumbing, status=RequestStatus.assigned,
                       professional=pro, scheduled_at=utcnow() + timedelta(hours=1))
    p = actor_for(session, pro)
    tracking.start_trip(session=session, actor=p, request_id=req.id)
    lat, lon = _north(1.2)
    tracking.record_position(session=session, actor=p, request_id=req.id, lat=lat, lon=lon, accuracy_m=10,
                             recorded_at=utcnow() - timedelta(seconds=10))
    return req, customer, pro


def _open(session: Session, token: str, request_id: int) -> RequestsState:
    state = _sub(_tree(token), RequestsState)
    run(RequestsState.open_tracking.fn(state, request_id), session)
    return state


def test_the_customer_sees_distance_and_eta(session: Session, trip: tuple[ServiceRequest, User, User]) -> None:
    req, customer, _ = trip
    state = _open(session, token_for(session, customer), req.id)
    assert state.tracking and state.track.request_id == req.id
    assert state.track.distance == "1.2 km" and state.track.label == "On the way"
    road_km = 1.2 * 1.3
    assert state.track.eta == f"About {math.ceil(road_km / 25 * 60)} min"
    assert state.track.professional == pytest.approx([*_north(1.2)], abs=1e-6)


@pytest.mark.parametrize("caller", ["other customer", "other professional", "anonymous", "forged token"])
def test_nobody_else_can_read_the_position(session: Session, trip: tuple[ServiceRequest, User, User],
                                           caller: str) -> None:
    req, _, _ = trip
    token = {
        "other customer": lambda: token_for(session, make_user(session)),
        "other professional": lambda: token_for(session, make_user(session, role=Role.professional)),
        "anonymous": lambda: "",
        "forged token": lambda: "x" * 43,
    }[caller]()
    state = _open(session, token, req.id)
    assert not state.tracking
    assert state.track.request_id == 0 and state.track.professional == [0.0, 0.0] and state.track.distance == ""
    assert state.error  # told it does not exist / to log in; nothing else


def test_an_admin_sees_it_in_the_request_detail(session: Session, trip: tuple[ServiceRequest, User, User]) -> None:
    req, customer, _ = trip
    state = _sub(_tree(token_for(session, make_user(session, role=Role.admin))), AdminRequestsState)
    run(AdminRequestsState.open_request.fn(state, req.id), session)
    assert state.live_position.startswith("Ravi Kumar: On the way · 1.2 km, about 4 min away")
    nosy = _sub(_tree(token_for(session, customer)), AdminRequestsState)  # even the job's own customer
    run(AdminRequestsState.open_request.fn(nosy, req.id), session)
    assert nosy.live_position == "" and nosy.detail == []


def test_other_customers_requests_page_shows_no_tracking(session: Session,
                                                          trip: tuple[ServiceRequest, User, User]) -> None:
    other = make_user(session)
    state = _sub(_tree(token_for(session, other)), RequestsState)
    run(RequestsState.load.fn(state), session)
    assert state.requests == [] and not state.tracking and state.track.request_id == 0


def test_after_completion_nobody_sees_it(session: Session, trip: tuple[ServiceRequest, User, User]) -> None:
    req, customer, pro = trip
    from hsa.services import bookings

    req.start_code = "1357"  # the code the customer's card shows since the accept
    session.add(req)
    session.commit()
    bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id, action="start",
                        data={"code": "1357"})
    bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id, action="complete")
    assert session.get(JobLocation, req.id) is None  # deleted, not coarsened (docs/privacy.md)
    state = _open(session, token_for(session, customer), req.id)
    assert not state.tracking and state.track.request_id == 0


def _fix(session: Session, token: str, request_id: int, fix: object) -> ProHomeState:
    state = _sub(_tree(token), ProHomeState)
    state.trip_id = request_id
    run(ProHomeState.got_position.fn(state, fix), session)
    return state


def _stored(session: Session, request_id: int) -> tuple[float | None, float | None]:
    session.expire_all()
    loc = session.get(JobLocation, request_id)
    return (loc.lat, loc.lon) if loc else (None, None)


NOW_MS = lambda: time.time() * 1000  # noqa: E731 - browser timestamps are epoch milliseconds


@pytest.mark.parametrize("fix", [
    {"lat": float("nan"), "lon": 77.6, "accuracy": 10},
    {"lat": 12.93, "lon": float("inf"), "accuracy": 10},
    {"lat": 95.0, "lon": 77.6, "accuracy": 10},
    {"lat": 12.93, "lon": 200.0, "accuracy": 10},
    {"lat": 0, "lon": 0, "accuracy": 10},
    {"lat": 51.5, "lon": -0.12, "accuracy": 10},            # London: outside India
    {"lat": "12.9", "lon": "DROP TABLE", "accuracy": 10},
    {"lat": 28.61, "lon": 77.21, "accuracy": 10},           # Delhi, 10 s after Bengaluru: teleport
    {"lat": 12.93, "lon": 77.6, "accuracy": -5},
    "not a fix",
    {"error": "User denied Geolocation"},
])
def test_bad_positions_are_refused_and_stored_nowhere(session: Session, trip: tuple[ServiceRequest, User, User],
                                                       fix: object) -> None:
    req, _, pro = trip
    before = _stored(session, req.id)
    if isinstance(fix, dict) and "error" not in fix:
        fix = {**fix, "ts": NOW_MS()}
    state = _fix(session, token_for(session, pro), req.id, fix)
    assert _stored(session, req.id) == before
    assert state.share_error


def test_a_future_timestamp_is_refused(session: Session, trip: tuple[ServiceRequest, User, User]) -> None:
    req, _, pro = trip
    before = _stored(session, req.id)
    lat, lon = _north(1.1)
    state = _fix(session, token_for(session, pro), req.id,
                 {"lat": lat, "lon": lon, "accuracy": 10, "ts": NOW_MS() + 3_600_000})
    assert _stored(session, req.id) == before and "future" in state.share_error


@pytest.mark.parametrize("sender", ["other professional", "customer", "anonymous"])
def test_a_fix_from_anyone_but_the_assigned_professional_is_refused(
        session: Session, trip: tuple[ServiceRequest, User, User], sender: str) -> None:
    req, customer, _ = trip
    before = _stored(session, req.id)
    token = {"other professional": lambda: token_for(session, make_user(session, role=Role.professional)),
             "customer": lambda: token_for(session, customer), "anonymous": lambda: ""}[sender]()
    lat, lon = _north(1.1)
    state = _fix(session, token, req.id, {"lat": lat, "lon": lon, "accuracy": 10, "ts": NOW_MS()})
    assert _stored(session, req.id) == before
    assert state.trip_id == 0  # the sharing loop stops for a job that is not theirs


def test_a_good_fix_is_stored(session: Session, trip: tuple[ServiceRequest, User, User]) -> None:
    req, _, pro = trip
    lat, lon = _north(1.1)
    state = _fix(session, token_for(session, pro), req.id, {"lat": lat, "lon": lon, "accuracy": 10, "ts": NOW_MS()})
    assert _stored(session, req.id) == pytest.approx((lat, lon))
    assert state.share_error == "" and "On the way" in state.share_status


def test_notifications_are_private_to_their_owner(session: Session, trip: tuple[ServiceRequest, User, User]) -> None:
    req, customer, _ = trip
    mine = list(session.exec(select(Notification).where(Notification.user_id == customer.id)))  # "on the way"
    assert mine, "starting the trip notifies the customer"
    intruder = _sub(_tree(token_for(session, make_user(session))), NotificationState)
    run(NotificationState.load.fn(intruder), session)
    assert intruder.items == [] and intruder.unread == 0
    run(NotificationState.mark_read.fn(intruder, mine[0].id), session)
    session.expire_all()
    assert session.get(Notification, mine[0].id).read_at is None  # type: ignore[union-attr]
    owner = _sub(_tree(token_for(session, customer)), NotificationState)
    run(NotificationState.load.fn(owner), session)
    assert owner.unread == len(mine) and any("way" in n.title.lower() or "way" in n.body.lower()
                                             for n in owner.items)
    run(NotificationState.mark_all_read.fn(owner), session)
    assert owner.unread == 0
