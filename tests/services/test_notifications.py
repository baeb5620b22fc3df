"""Notifications: each trigger reaches the right people (never the one who acted), fan-out is
bounded, and a user can only read and mark their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, func, select

from hsa.models import (
    ApprovalStatus,
    Notification,
    ProfessionalProfile,
    RequestStatus,
    Role,
    Service,
    ServiceRequest,
    User,
    UserStatus,
)
from hsa.services import admin, bookings, changes, notifications, tracking
from hsa.services.errors import InvalidTransition, NotAuthenticated, NotFound
from hsa.services.scheduling import IST, local_label
from tests.factories import actor_for, make_request, make_service, make_user, slot


def _notes(session: Session, user: User | None = None) -> list[Notification]:
    session.expire_all()
    query = select(Notification).order_by(col(Notification.id))
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return list(session.exec(query))


def _total(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Notification)).one()


def _booking(service: Service, **over: object) -> dict:
    return {"service_id": service.id, "day": slot(2).astimezone(IST).date().isoformat(), "time": "10:00",
            "address": "12, 4th Cross, Koramangala", "pincode": "560034"} | over


def _pro(session: Session, service: Service, *, name: str = "Ravi Kumar", pincode: str = "560034",
         approval: ApprovalStatus = ApprovalStatus.approved, available: bool = True, radius: int = 15,
         status: UserStatus = UserStatus.active) -> User:
    pro = make_user(session, role=Role.professional, full_name=name, service=service, pincode=pincode,
                    approval=approval, status=status)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.is_available, profile.service_radius_km = available, radius
    session.add(profile)
    session.commit()
    return pro


# ------------------------------------------------------------------ lifecycle triggers


def test_accept_tells_the_customer_only(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    customer = make_user(session, full_name="Asha Rao")
    pro = _pro(session, plumbing)
    req = make_request(session, customer=customer, service=plumbing)
    before = _total(session)
    bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id, action="accept")
    assert _total(session) == before + 1
    [note] = _notes(session, customer)
    assert (note.kind, note.title, note.request_id) == ("booking", "Booking accepted", req.id)
    assert note.body == (f"Ravi accepted your Plumbing job for {local_label(req.scheduled_at)}. "
                         "Your start code is on the booking.")
    assert _notes(session, pro) == []


def _journey(session: Session) -> tuple[ServiceRequest, User, User, dict]:
    plumbing = make_service(session, name="Plumbing")
    customer, pro = make_user(session, full_name="Asha Rao"), _pro(session, plumbing)
    req = make_request(session, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro)
    req.start_code = "2468"  # what accepting would have given the customer's card
    session.add(req)
    session.commit()
    actors = {"customer": actor_for(session, customer), "pro": actor_for(session, pro)}
    return req, customer, pro, actors


def test_start_complete_pay_and_review_reach_the_other_side(session: Session) -> None:
    req, customer, pro, a = _journey(session)
    at = req.scheduled_at
    steps = [("pro", "start", {"code": "2468"}, at), ("pro", "complete", {}, at),
             ("pro", "collect_cash", {}, at), ("customer", "close", {"rating": 5, "comment": "Tidy"}, at)]
    for who, action, data, now in steps:
        bookings.transition(session=session, actor=a[who], request_id=req.id, action=action, data=data, now=now)
    to_customer = [(n.kind, n.title) for n in _notes(session, customer)]
    assert to_customer == [("booking", "Work started"), ("booking", "Job completed"),
                           ("payment", "Cash payment recorded")]
    assert "Total ₹352.82" in _notes(session, customer)[1].body  # 299 + 18 % GST
    to_pro = _notes(session, pro)
    assert [(n.kind, n.title) for n in to_pro] == [("review", "You received a 5★ review")]  # cash: they took it
    assert "₹352.82 in cash" in _notes(session, customer)[2].body and "Tidy" in to_pro[0].body


def test_customer_cancel_tells_the_pro_and_admin_cancel_tells_both(session: Session) -> None:
    req, customer, pro, a = _journey(session)
    bookings.transition(session=session, actor=a["customer"], request_id=req.id, action="cancel",
                        data={"reason": "Fixed it myself"}, now=req.scheduled_at - timedelta(hours=3))
    assert [(n.title, n.body.endswith("Reason: Fixed it myself")) for n in _notes(session, pro)] == [
        ("Job cancelled", True)]
    assert _notes(session, customer) == []

    req2 = make_request(session, customer=customer, service=session.get(Service, req.service_id),  # type: ignore[arg-type]
                        status=RequestStatus.assigned, professional=pro)
    boss = actor_for(session, make_user(session, role=Role.admin))
    bookings.transition(session=session, actor=boss, request_id=req2.id, action="cancel",
                        data={"reason": "Duplicate booking"})
    assert [n.title for n in _notes(session, customer)] == ["Booking cancelled"]
    assert [n.title for n in _notes(session, pro)] == ["Job cancelled", "Job cancelled"]
    assert "HomeServe support" in _notes(session, customer)[0].body


def test_a_refused_change_notifies_nobody(session: Session) -> None:
    req, _customer, _pro_user, a = _journey(session)
    before = _total(session)
    with pytest.raises(InvalidTransition):  # the job has not started: nothing to complete
        bookings.transition(session=session, actor=a["pro"], request_id=req.id, action="complete",
                            now=req.scheduled_at - timedelta(hours=1))
    session.rollback()
    assert _total(session) == before


def test_on_my_way_tells_the_customer(session: Session) -> None:
    req, customer, pro, a = _journey(session)
    tracking.start_trip(session=session, actor=a["pro"], request_id=req.id,
                        now=req.scheduled_at - timedelta(minutes=20))
    assert [(n.kind, n.title) for n in _notes(session, customer)] == [("on_the_way", "Ravi is on the way")]
    assert _notes(session, pro) == []


# ------------------------------------------------------------------ new jobs and fan-out


def test_addressed_request_notifies_only_the_addressee(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    chosen, _other = _pro(session, plumbing, name="Ravi Kumar"), _pro(session, plumbing, name="Sunil Rao")
    customer = make_user(session, full_name="Asha Rao")
    view = bookings.create_request(session=session, actor=actor_for(session, customer),
                                   data=_booking(plumbing, preferred_professional_id=chosen.id))
    notes = _notes(session)
    assert [(n.user_id, n.kind, n.title, n.request_id) for n in notes] == [
        (chosen.id, "new_job", "New request for you", view.id)]
    assert notes[0].body.startswith("Asha asked you for Plumbing on ")


def test_moving_an_addressed_request_tells_the_addressee(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    chosen, customer = _pro(session, plumbing), make_user(session, full_name="Asha Rao")
    req = make_request(session, customer=customer, service=plumbing, preferred=chosen)
    day = slot(3).astimezone(IST).date().isoformat()
    view = bookings.transition(session=session, actor=actor_for(session, customer), request_id=req.id, action="edit",
                               data={"day": day, "time": "11:00"})
    assert [(n.title, n.body) for n in _notes(session, chosen)] == [
        ("Request moved", f"Asha moved the Plumbing request to {view.when}.")]
    assert _notes(session, customer) == []


def test_decline_tells_the_customer_and_opens_the_job_to_others_nearby(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    chosen, other = _pro(session, plumbing, name="Ravi Kumar"), _pro(session, plumbing, name="Sunil Rao")
    customer = make_user(session, full_name="Asha Rao")
    req = make_request(session, customer=customer, service=plumbing, preferred=chosen)
    bookings.transition(session=session, actor=actor_for(session, chosen), request_id=req.id, action="decline",
                        data={"reason": "Away that day"})
    assert [n.title for n in _notes(session, customer)] == ["Looking for another professional"]
    assert [(n.kind, n.request_id) for n in _notes(session, other)] == [("new_job", req.id)]
    assert _notes(session, chosen) == []


def test_open_request_reaches_only_eligible_professionals_in_range(session: Session) -> None:
    plumbing, painting = make_service(session, name="Plumbing"), make_service(session, name="Painting")
    near = _pro(session, plumbing, pincode="560095")                          # 1.6 km away, radius 15
    wide = _pro(session, plumbing, pincode="560001", radius=10)               # 7.2 km away, radius 10
    excluded = [
        _pro(session, plumbing, pincode="560001", radius=5),                  # 7.2 km, radius only 5
        _pro(session, plumbing, pincode="400005", radius=100),                # Mumbai
        _pro(session, painting),                                              # another service
        _pro(session, plumbing, approval=ApprovalStatus.pending),             # not approved
        _pro(session, plumbing, approval=ApprovalStatus.rejected),
        _pro(session, plumbing, available=False),                             # off duty
        _pro(session, plumbing, status=UserStatus.blocked),                   # blocked
    ]
    customer = make_user(session)
    view = bookings.create_request(session=session, actor=actor_for(session, customer), data=_booking(plumbing))
    notes = _notes(session)
    assert sorted(n.user_id for n in notes) == sorted([near.id, wide.id])
    assert all(n.kind == "new_job" and n.request_id == view.id and n.title == "New Plumbing job nearby"
               for n in notes)
    assert "1.6 km from you" in next(n.body for n in notes if n.user_id == near.id)
    assert not {p.id for p in excluded} & {n.user_id for n in notes}
    assert _notes(session, customer) == []


def test_fan_out_is_capped_to_the_nearest(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    close = [_pro(session, plumbing, pincode="560095") for _ in range(notifications.NEARBY_CAP)]
    farther = [_pro(session, plumbing, pincode="560068") for _ in range(3)]   # 3.3 km: in range, but farther
    bookings.create_request(session=session, actor=actor_for(session, make_user(session)), data=_booking(plumbing))
    reached = {n.user_id for n in _notes(session)}
    assert reached == {p.id for p in close}
    assert not reached & {p.id for p in farther}


# ------------------------------------------------------------------ admin triggers


def test_approval_outcome_reaches_the_professional(session: Session) -> None:
    plumbing = make_service(session)
    boss = actor_for(session, make_user(session, role=Role.admin))
    yes = _pro(session, plumbing, approval=ApprovalStatus.pending)
    no = _pro(session, plumbing, approval=ApprovalStatus.pending)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == yes.id)).one()
    profile.doc_stored_name = "0" * 32 + ".pdf"
    session.add(profile)
    session.commit()
    admin.decide_application(session=session, actor=boss, user_id=yes.id, approve=True)
    admin.decide_application(session=session, actor=boss, user_id=no.id, approve=False, reason="Blurry ID scan")
    assert [(n.kind, n.title) for n in _notes(session, yes)] == [("approval", "You're approved!")]
    assert [(n.title, n.body) for n in _notes(session, no)] == [
        ("Your application was not approved", "Reason: Blurry ID scan")]


def test_blocking_a_professional_tells_their_customers_and_reopens_the_jobs(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    pro, other = _pro(session, plumbing), _pro(session, plumbing, name="Sunil Rao")
    c1, c2 = make_user(session), make_user(session)
    accepted = make_request(session, customer=c1, service=plumbing, status=RequestStatus.assigned, professional=pro)
    addressed = make_request(session, customer=c2, service=plumbing, preferred=pro)
    admin.block_user(session=session, actor=actor_for(session, make_user(session, role=Role.admin)), user_id=pro.id,
                     reason="Fraud report")
    title = "Finding you another professional"
    assert [(n.title, n.request_id) for n in _notes(session, c1)] == [(title, accepted.id)]
    assert [(n.title, n.request_id) for n in _notes(session, c2)] == [(title, addressed.id)]
    assert sorted(n.request_id for n in _notes(session, other)) == sorted([accepted.id, addressed.id])  # type: ignore[type-var]
    assert _notes(session, pro) == []


def test_deleting_an_account_deletes_its_notifications(session: Session) -> None:
    req, customer, pro, a = _journey(session)
    tracking.start_trip(session=session, actor=a["pro"], request_id=req.id, now=req.scheduled_at - timedelta(minutes=5))
    assert _notes(session, customer)
    admin.delete_user(session=session, actor=actor_for(session, make_user(session, role=Role.admin)),
                      user_id=customer.id, reason="Asked to be forgotten")
    assert _notes(session, customer) == []


# ------------------------------------------------------------------ reading and marking


def _seed(session: Session, user: User, n: int) -> list[int]:
    ids = []
    for i in range(n):
        note = notifications.notify(session, user_id=user.id, kind=notifications.K.booking, title=f"Note {i}")
        session.flush()
        assert note is not None and note.id is not None
        ids.append(note.id)
    session.commit()
    return ids


def test_list_unread_and_mark(session: Session) -> None:
    me, them = make_user(session), make_user(session)
    mine, theirs = _seed(session, me, 25), _seed(session, them, 2)
    a, b = actor_for(session, me), actor_for(session, them)
    page = notifications.list_for_user(session=session, actor=a)
    assert [v.id for v in page.items] == list(reversed(mine))[:20] and page.unread_count == 25
    assert page.items[0].title == "Note 24" and not page.items[0].read and page.items[0].when
    assert len(notifications.list_for_user(session=session, actor=a, limit=5).items) == 5

    notifications.mark_read(session=session, actor=a, notification_id=mine[0])
    notifications.mark_read(session=session, actor=a, notification_id=mine[0])  # idempotent
    assert notifications.unread_count(session=session, actor=a) == 24

    with pytest.raises(NotFound):
        notifications.mark_read(session=session, actor=a, notification_id=theirs[0])
    with pytest.raises(NotFound):
        notifications.mark_read(session=session, actor=a, notification_id=999_999)
    session.rollback()
    assert notifications.unread_count(session=session, actor=b) == 2
    assert session.get(Notification, theirs[0]).read_at is None  # type: ignore[union-attr]

    assert notifications.mark_all_read(session=session, actor=a) == 24
    assert notifications.unread_count(session=session, actor=a) == 0
    assert notifications.unread_count(session=session, actor=b) == 2
    assert notifications.list_for_user(session=session, actor=a).items[0].read


def test_anonymous_cannot_read_or_mark(session: Session) -> None:
    for call in (lambda: notifications.list_for_user(session=session, actor=None),
                 lambda: notifications.unread_count(session=session, actor=None),
                 lambda: notifications.mark_read(session=session, actor=None, notification_id=1),
                 lambda: notifications.mark_all_read(session=session, actor=None)):
        with pytest.raises(NotAuthenticated):
            call()


def test_notifications_refresh_their_users_pages(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    me = make_user(session)
    monkeypatch.setattr(changes, "_publishers", list(changes._publishers))  # this test's subscriber ends with it
    seen: list[frozenset[str]] = []
    changes.subscribe(seen.append)
    _seed(session, me, 1)
    notifications.mark_all_read(session=session, actor=actor_for(session, me))
    assert seen[0] == frozenset({f"note:{me.id}"})  # the bell only: a new message reloads no page
    assert any(f"note:{me.id}" in topics for topics in seen[1:])  # marking read updates the bell too


def test_long_user_text_is_clipped_to_the_columns(session: Session) -> None:
    me = make_user(session)
    note = notifications.notify(session, user_id=me.id, kind=notifications.K.review, title="t" * 300,
                                body="word " * 300)
    session.commit()
    assert note is not None and len(note.title) == 120 and len(note.body) == 500 and note.body.endswith("…")
