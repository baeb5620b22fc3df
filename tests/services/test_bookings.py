"""Booking rules a customer and a professional meet: input checks, timing rules, money and ratings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from hsa.models import (
    ApprovalStatus,
    Payment,
    ProfessionalProfile,
    RequestStatus,
    Review,
    Role,
    ServiceRequest,
    utcnow,
)
from hsa.services import bookings, jobs
from hsa.services.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from hsa.services.money.pricing import bill
from hsa.services.scheduling import IST
from tests.factories import actor_for, bookable_service, fresh, make_request, make_service, make_user, slot


def _day(days: int = 1) -> str:
    return (slot(days).astimezone(IST)).date().isoformat()


def _form(sid: int, **over: object) -> dict:
    return {"service_id": sid, "day": _day(), "time": "10:00", "address": "12, 4th Cross, Koramangala",
            "pincode": "560034", "remarks": "Kitchen tap leaking"} | over


def _requests(session: Session) -> int:
    return session.exec(select(func.count()).select_from(ServiceRequest)).one()


def test_customer_books_at_the_base_price(session: Session) -> None:
    service = bookable_service(session, price_paise=49_900)
    customer = actor_for(session, make_user(session))
    view = bookings.create_request(session=session, actor=customer, data=_form(service.id))
    row = session.get(ServiceRequest, view.id)
    assert row is not None and (row.price_paise, row.platform_fee_paise, row.gst_bps) == (49_900, 4_900, 1_800)
    assert view.status == "requested" and view.price == "₹499" and view.total_paise == bill(row).total_paise
    assert view.locality and "Koramangala" in view.locality
    assert view.actions == ["edit", "cancel"]
    assert [v.id for v in bookings.list_customer_requests(session=session, actor=customer)] == [view.id]


BAD = [
    ({"day": (utcnow().astimezone(IST) - timedelta(days=1)).date().isoformat()}, "day", "in the future"),
    ({"day": _day(62)}, "day", "60 days"),
    ({"time": "07:00"}, "time", "between 08:00 and 20:00"),
    ({"time": "19:30"}, "time", "between 08:00 and 20:00"),  # a 60-minute job would end at 20:30
    ({"day": "31-12-2026"}, "day", "Choose a date."),
    ({"time": "ten"}, "time", "Choose a time."),
    ({"pincode": "999999"}, "pincode", "valid 6-digit Indian pincode"),
    ({"service_id": 9999}, "service_id", "Choose a service"),
    ({"remarks": "x" * 501}, "remarks", "too long"),
    ({"address": ""}, "address", "full address"),
    ({"preferred_professional_id": 9999}, "preferred_professional_id", "not available"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD, ids=[f for _, f, _ in BAD])
def test_bad_booking_input_writes_nothing(session: Session, change: dict, field: str, message: str) -> None:
    service = make_service(session)
    customer = actor_for(session, make_user(session))
    with pytest.raises(ValidationFailed) as exc:
        bookings.create_request(session=session, actor=customer, data=_form(service.id, **change))
    assert message in exc.value.fields[field]
    assert _requests(session) == 0


def test_only_customers_book_and_only_bookable_pros_can_be_preferred(session: Session) -> None:
    service, other = make_service(session), make_service(session)
    pro = make_user(session, role=Role.professional, service=service)
    pending = make_user(session, role=Role.professional, service=service, approval=ApprovalStatus.pending)
    wrong_service = make_user(session, role=Role.professional, service=other)
    with pytest.raises(Forbidden):
        bookings.create_request(session=session, actor=actor_for(session, pro), data=_form(service.id))
    customer = actor_for(session, make_user(session))
    for candidate in (pending, wrong_service):
        with pytest.raises(ValidationFailed):
            bookings.create_request(session=session, actor=customer,
                                    data=_form(service.id, preferred_professional_id=candidate.id))
    view = bookings.create_request(session=session, actor=customer,
                                   data=_form(service.id, preferred_professional_id=pro.id))
    assert view.preferred_professional_name == pro.full_name
    assert _requests(session) == 1


def test_someone_elses_request_cannot_be_edited_cancelled_or_even_seen(session: Session) -> None:
    service = make_service(session)
    owner, intruder = make_user(session), make_user(session)
    req = make_request(session, customer=owner, service=service)
    actor = actor_for(session, intruder)
    for action, data in (("edit", {"day": _day(2), "time": "11:00"}), ("cancel", {"reason": "mine now"})):
        with pytest.raises(NotFound):
            bookings.transition(session=session, actor=actor, request_id=req.id, action=action, data=data)
    with pytest.raises(NotFound):
        bookings.get_request(session=session, actor=actor, request_id=req.id)
    session.expire_all()
    assert session.get(ServiceRequest, req.id).status is RequestStatus.requested  # type: ignore[union-attr]


def test_edit_moves_the_slot_and_validates_it(session: Session) -> None:
    service = bookable_service(session)
    owner = make_user(session)
    req = make_request(session, customer=owner, service=service)
    actor = actor_for(session, owner)
    with pytest.raises(ValidationFailed):
        bookings.edit_request(session=session, actor=actor, request_id=req.id,
                              data={"day": _day(2), "time": "21:00", "remarks": ""})
    view = bookings.edit_request(session=session, actor=actor, request_id=req.id,
                                 data={"day": _day(2), "time": "15:30", "remarks": "Bring a ladder"})
    assert view.when.endswith("15:30") and view.remarks == "Bring a ladder"


def test_cancel_needs_a_reason_and_a_late_cancellation_costs_the_services_fee(session: Session) -> None:
    service = make_service(session)
    owner = make_user(session)
    pro = make_user(session, role=Role.professional, service=service)
    soon = utcnow() + timedelta(minutes=90)
    req = make_request(session, customer=owner, service=service, status=RequestStatus.assigned,
                       professional=pro, scheduled_at=soon)
    later = make_request(session, customer=owner, service=service, status=RequestStatus.assigned,
                         professional=pro, scheduled_at=utcnow() + timedelta(days=1))
    actor = actor_for(session, owner)
    with pytest.raises(ValidationFailed) as exc:
        bookings.transition(session=session, actor=actor, request_id=later.id, action="cancel", data={"reason": ""})
    assert exc.value.fields["reason"] == "Please give a short reason."
    view = bookings.get_request(session=session, actor=actor, request_id=req.id)
    assert "cancel" in view.actions and view.cancel_terms.startswith("A cancellation fee of ₹99 (incl. GST)")
    free = bookings.get_request(session=session, actor=actor, request_id=later.id)
    assert free.cancel_terms == "Free: it is more than 3 hours before the slot."
    late = bookings.transition(session=session, actor=actor, request_id=req.id, action="cancel",
                               data={"reason": "Plans changed"})
    assert late.status == "cancelled" and fresh(session, req).cancel_fee_paise == 9_900
    assert late.balance == "₹99" and late.can_pay  # owed: nothing was paid in advance
    admin = actor_for(session, make_user(session, role=Role.admin))
    by_support = bookings.transition(session=session, actor=admin, request_id=later.id, action="cancel",
                                     data={"reason": "Customer called support"})
    assert by_support.status == "cancelled" and by_support.cancelled_by == "admin"
    assert fresh(session, later).cancel_fee_paise == 0


def test_decline_returns_an_addressed_request_to_the_pool(session: Session) -> None:
    service = make_service(session)
    owner = make_user(session)
    ravi = make_user(session, role=Role.professional, service=service, pincode="560034")
    sunil = make_user(session, role=Role.professional, service=service, pincode="560095")
    req = make_request(session, customer=owner, service=service, preferred=ravi)
    ravi_actor, sunil_actor = actor_for(session, ravi), actor_for(session, sunil)
    assert [v.id for v in jobs.board(session=session, actor=ravi_actor).addressed] == [req.id]
    assert jobs.board(session=session, actor=sunil_actor).open_nearby == []  # reserved for Ravi
    bookings.transition(session=session, actor=ravi_actor, request_id=req.id, action="decline",
                        data={"reason": "On leave that day"})
    assert jobs.board(session=session, actor=ravi_actor).addressed == []
    assert jobs.board(session=session, actor=ravi_actor).open_nearby == []  # he declined it
    nearby = jobs.board(session=session, actor=sunil_actor).open_nearby
    assert [v.id for v in nearby] == [req.id] and nearby[0].distance_km is not None
    assert nearby[0].address == ""  # the full address is shown only after accepting
    owner_view = bookings.get_request(session=session, actor=actor_for(session, owner), request_id=req.id)
    assert owner_view.decline_reason == "On leave that day" and owner_view.preferred_professional_name == ""


def test_full_job_money_and_rating_flow(session: Session) -> None:
    service = make_service(session, price_paise=29_900)
    owner = make_user(session)
    pro = make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=owner, service=service)
    c, p = actor_for(session, owner), actor_for(session, pro)
    near = req.scheduled_at - timedelta(minutes=10)
    bookings.transition(session=session, actor=p, request_id=req.id, action="accept")
    with pytest.raises(InvalidTransition, match="at most 2 hours before"):
        bookings.transition(session=session, actor=p, request_id=req.id, action="start",
                            now=req.scheduled_at - timedelta(hours=3))
    session.refresh(req)
    bookings.transition(session=session, actor=p, request_id=req.id, action="start", now=near,
                        data={"code": req.start_code})
    with pytest.raises(ValidationFailed) as exc:
        bookings.transition(session=session, actor=p, request_id=req.id, action="propose_extra",
                            data={"amount_rupees": 150})
    assert "reason" in exc.value.fields
    asked = bookings.transition(session=session, actor=p, request_id=req.id, action="propose_extra",
                                data={"amount_rupees": 150, "reason": "Replaced the washer"})
    assert asked.total == "₹352.82" and asked.pending_extra == "₹150"  # 299 + 18 % GST: the extra waits
    bookings.transition(session=session, actor=c, request_id=req.id, action="approve_extra")
    done = bookings.transition(session=session, actor=p, request_id=req.id, action="complete")
    assert done.total == "₹529.82" and done.extra_charge_reason == "Replaced the washer"
    with pytest.raises(InvalidTransition, match="Pay for the job"):
        bookings.transition(session=session, actor=c, request_id=req.id, action="close", data={"rating": 5})
    with pytest.raises(Forbidden):  # the professional confirms cash, not the customer
        bookings.transition(session=session, actor=c, request_id=req.id, action="collect_cash")
    paid = bookings.transition(session=session, actor=p, request_id=req.id, action="collect_cash")
    assert paid.paid and paid.balance == ""
    assert bookings.get_request(session=session, actor=c, request_id=req.id).actions == ["close"]
    with pytest.raises(InvalidTransition, match="already paid"):
        bookings.transition(session=session, actor=p, request_id=req.id, action="collect_cash")
    for bad in ({"rating": 0}, {"rating": 6}, {"rating": 5, "comment": "x" * 1001}):
        with pytest.raises(ValidationFailed):
            bookings.transition(session=session, actor=c, request_id=req.id, action="close", data=bad)
    assert session.exec(select(func.count()).select_from(Review)).one() == 0
    closed = bookings.transition(session=session, actor=c, request_id=req.id, action="close",
                                 data={"rating": 4, "comment": "Quick and tidy"})
    assert closed.status == "closed" and closed.rating == 4
    payment = session.exec(select(Payment)).one()
    assert payment.amount_paise == 52_982 and payment.method.value == "cash"
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    assert (profile.rating_count, profile.rating_sum) == (1, 4)
    b = jobs.board(session=session, actor=p)
    assert b.rating_avg == 4.0 and b.rating_count == 1 and b.earnings == "₹359.20" and b.jobs_done == 1  # 80 % of 449
    assert b.reviews[0].comment == "Quick and tidy"


def test_unavailable_pro_cannot_accept_and_is_told_why(session: Session) -> None:
    service = make_service(session)
    pro = make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=make_user(session), service=service)
    actor = actor_for(session, pro)
    jobs.set_availability(session=session, actor=actor, available=False)
    with pytest.raises(Forbidden, match="availability"):
        bookings.transition(session=session, actor=actor, request_id=req.id, action="accept")
    with pytest.raises(ValidationFailed):
        jobs.set_availability(session=session, actor=actor, available=True, radius_km=500)
    jobs.set_availability(session=session, actor=actor, available=True, radius_km=5)
    assert bookings.transition(session=session, actor=actor, request_id=req.id, action="accept").status == "assigned"


# ---------------------------------------------------------------- what a professional may know exists


def _taken_by_someone_else(session: Session, case: str):  # noqa: ANN202 - (actor, request id)
    """A job another professional took, and a professional `me` who stands in relation `case` to it."""
    plumbing = make_service(session)
    winner = make_user(session, role=Role.professional, service=plumbing, pincode="560034")
    addressee = winner if case == "addressed to someone else" else None
    far = case in ("outside my radius", "addressed to me, I declined")  # Mumbai; the job is in Bengaluru
    me = make_user(session, role=Role.professional, pincode="400001" if far else "560095",
                   service=make_service(session) if case == "another service" else plumbing)
    req = make_request(session, customer=make_user(session), service=plumbing, pincode="560034",
                       preferred=me if case == "addressed to me, I declined" else addressee)
    if case == "addressed to me, I declined":
        bookings.transition(session=session, actor=actor_for(session, me), request_id=req.id, action="decline",
                            data={"reason": "On leave that day"})
    bookings.transition(session=session, actor=actor_for(session, winner), request_id=req.id, action="accept")
    return actor_for(session, me), req.id


@pytest.mark.parametrize("case", ["another service", "outside my radius", "addressed to someone else"])
def test_a_taken_job_never_offered_to_me_looks_exactly_like_a_missing_one(session: Session, case: str) -> None:
    """409 'already taken' would confirm the job exists; a job I was never shown answers as an unknown id."""
    me, request_id = _taken_by_someone_else(session, case)
    with pytest.raises(NotFound) as missing:
        bookings.transition(session=session, actor=me, request_id=request_id + 10_000, action="accept")
    with pytest.raises(NotFound) as hidden:
        bookings.transition(session=session, actor=me, request_id=request_id, action="accept")
    assert hidden.value.message == missing.value.message == "That request does not exist."
    with pytest.raises(NotFound):
        bookings.get_request(session=session, actor=me, request_id=request_id)


@pytest.mark.parametrize("case", ["offered to me nearby", "addressed to me, I declined"])
def test_a_job_i_was_offered_says_it_was_taken(session: Session, case: str) -> None:
    me, request_id = _taken_by_someone_else(session, case)
    with pytest.raises(Conflict, match="already been taken"):
        bookings.transition(session=session, actor=me, request_id=request_id, action="accept")


def test_an_open_job_outside_my_radius_cannot_be_seen_or_taken_by_its_id(session: Session) -> None:
    """The board shows only jobs within the radius; guessing an id must not get round that."""
    plumbing = make_service(session)
    far = make_user(session, role=Role.professional, service=plumbing, pincode="400001")  # Mumbai
    req = make_request(session, customer=make_user(session), service=plumbing, pincode="560034")  # Bengaluru
    actor = actor_for(session, far)
    for call in (lambda: bookings.get_request(session=session, actor=actor, request_id=req.id),
                 lambda: bookings.transition(session=session, actor=actor, request_id=req.id, action="accept")):
        with pytest.raises(NotFound, match="That request does not exist."):
            call()
    session.expire_all()
    assert session.get(ServiceRequest, req.id).status is RequestStatus.requested
    near = actor_for(session, make_user(session, role=Role.professional, service=plumbing, pincode="560095"))
    assert bookings.get_request(session=session, actor=near, request_id=req.id).status == "requested"
    assert bookings.transition(session=session, actor=near, request_id=req.id, action="accept").status == "assigned"


def test_my_requests_show_every_open_booking_and_the_newest_finished_ones(session: Session) -> None:
    """Open bookings are never paged away; history shows PAST_PAGE at a time, newest first, with
    a flag for "Show older"; a huge limit from the browser is capped, a tiny one still shows one."""
    service = make_service(session)
    owner = make_user(session)
    other = make_user(session)
    pro = make_user(session, role=Role.professional)
    later = make_request(session, customer=owner, service=service, scheduled_at=slot(5))
    sooner = make_request(session, customer=owner, service=service, scheduled_at=slot(2))
    past = [make_request(session, customer=owner, service=service,
                         status=RequestStatus.closed if i % 2 else RequestStatus.cancelled, professional=pro)
            for i in range(bookings.PAST_PAGE + 3)]
    make_request(session, customer=other, service=service, status=RequestStatus.closed, professional=pro)
    actor = actor_for(session, owner)
    views, older = bookings.customer_requests_page(session=session, actor=actor)
    newest_first = [r.id for r in reversed(past)]
    assert [v.id for v in views] == [sooner.id, later.id, *newest_first[: bookings.PAST_PAGE]]
    assert older is True
    views, older = bookings.customer_requests_page(session=session, actor=actor, past_limit=10**9)
    assert [v.id for v in views][2:] == newest_first and older is False
    views, older = bookings.customer_requests_page(session=session, actor=actor, past_limit=-5)
    assert [v.id for v in views] == [sooner.id, later.id, newest_first[0]] and older is True
    assert len(bookings.list_customer_requests(session=session, actor=actor)) == len(past) + 2
    with pytest.raises(Forbidden):
        bookings.customer_requests_page(session=session, actor=actor_for(session, pro))
