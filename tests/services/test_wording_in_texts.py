"""Texts built from real data read naturally: no '0.0 km', no 'VI Bk S.O' (issue #12, item 15)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from hsa.models import Notification, ProfessionalProfile, Role
from hsa.services import bookings, jobs
from hsa.services.scheduling import IST
from hsa.state.rows import request_row
from tests.factories import actor_for, make_service, make_user, slot


def _available_pro(session: Session, service, pincode: str):  # noqa: ANN001, ANN202
    pro = make_user(session, role=Role.professional, full_name="Ravi Kumar", service=service, pincode=pincode)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.is_available, profile.service_radius_km = True, 15
    session.add(profile)
    session.commit()
    return pro


def _book(session: Session, service, pincode: str):  # noqa: ANN001, ANN202
    customer = make_user(session, pincode=pincode)
    return bookings.create_request(session=session, actor=actor_for(session, customer), data={
        "service_id": service.id, "day": slot(2).astimezone(IST).date().isoformat(), "time": "10:00",
        "address": "12, 4th Cross, Koramangala", "pincode": pincode})


def test_new_job_notice_next_door_says_under_1_km_and_a_readable_place(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    pro = _available_pro(session, plumbing, "560095")
    _book(session, plumbing, "560095")
    session.expire_all()
    body = session.exec(select(Notification.body).where(Notification.user_id == pro.id)
                        .order_by(col(Notification.id))).one()
    assert "in Koramangala 6th Block, Bengaluru Urban, under 1 km from you." in body
    assert " km from you" in body and "0.0 km" not in body and "Bk" not in body


def test_open_job_row_distance_and_locality(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    pro = _available_pro(session, plumbing, "560034")
    _book(session, plumbing, "560095")
    board = jobs.board(session=session, actor=actor_for(session, pro))
    rows = [request_row(v) for v in board.open_nearby]
    assert [(r.locality, r.distance) for r in rows] == [("Koramangala 6th Block, Bengaluru Urban", "1.6 km away")]
    same = _book(session, plumbing, "560034")
    board = jobs.board(session=session, actor=actor_for(session, pro))
    row = next(request_row(v) for v in board.open_nearby if v.id == same.id)
    assert (row.locality, row.distance) == ("Koramangala, Bengaluru Urban", "under 1 km away")
