"""Bookings and their lifecycle actions, all through services.bookings.transition."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, status

from hsa.api.deps import ActorDep, Id, IdempotencyKey, call
from hsa.api.problems import responses
from hsa.api.schemas import ActionIn, AvailabilityIn, BookingEditIn, BookingIn, BookingOut, BookingPage, ReviewIn
from hsa.services import bookings, jobs

router = APIRouter(tags=["bookings"])


class ActionName(StrEnum):
    cancel = "cancel"
    accept = "accept"
    decline = "decline"
    start = "start"
    complete = "complete"
    pay = "pay"
    close = "close"


@router.post("/bookings", response_model=BookingOut, status_code=status.HTTP_201_CREATED,
             responses=responses(401, 403, 422))
def create_booking(body: BookingIn, actor: ActorDep, idempotency_key: IdempotencyKey = None) -> BookingOut:
    """Customers book a slot (IST, 08:00-20:00, up to 60 days ahead) at the service's base price.
    Send an `Idempotency-Key` to retry safely: the same key returns the first booking."""
    return BookingOut.of(call(bookings.create_request, actor=actor, data=body.model_dump(),
                              idempotency_key=idempotency_key))


@router.get("/bookings", response_model=BookingPage, responses=responses(401, 422))
def list_bookings(actor: ActorDep,
                  status_: Annotated[str, Query(alias="status", max_length=20)] = "",
                  page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> BookingPage:
    """Your bookings (customer), your jobs (professional) or all (admin), newest first, 20 a page."""
    views, total = call(bookings.list_for_actor, readonly=True, actor=actor, status=status_, page=page)
    return BookingPage(items=[BookingOut.of(v) for v in views], total=total, page=page)


@router.get("/bookings/{booking_id}", response_model=BookingOut, responses=responses(401, 404, 422))
def get_booking(booking_id: Id, actor: ActorDep) -> BookingOut:
    return BookingOut.of(call(bookings.get_request, readonly=True, actor=actor, request_id=booking_id))


@router.patch("/bookings/{booking_id}", response_model=BookingOut, responses=responses(401, 403, 404, 409, 422))
def edit_booking(booking_id: Id, body: BookingEditIn, actor: ActorDep) -> BookingOut:
    """Move the slot or change remarks while nobody has accepted the booking."""
    return BookingOut.of(call(bookings.edit_request, actor=actor, request_id=booking_id,
                                               data=body.model_dump()))


@router.post("/bookings/{booking_id}/review", response_model=BookingOut,
             responses=responses(401, 403, 404, 409, 422))
def review_booking(booking_id: Id, body: ReviewIn, actor: ActorDep,
                   idempotency_key: IdempotencyKey = None) -> BookingOut:
    """Rate a paid, completed booking 1-5 (this closes it)."""
    return BookingOut.of(call(bookings.transition, actor=actor, request_id=booking_id, action="close",
                              data=body.model_dump(), idempotency_key=idempotency_key))


@router.post("/bookings/{booking_id}/{action}", response_model=BookingOut,
             responses=responses(401, 403, 404, 409, 422))
def act_on_booking(booking_id: Id, action: ActionName, actor: ActorDep,
                   body: ActionIn | None = None, idempotency_key: IdempotencyKey = None) -> BookingOut:
    """Lifecycle actions; 409 when the booking was already taken or the action is not possible now."""
    data = body.model_dump(exclude_none=True) if body else {}
    return BookingOut.of(call(bookings.transition, actor=actor, request_id=booking_id,
                              action=action.value, data=data, idempotency_key=idempotency_key))


@router.get("/jobs/open", response_model=list[BookingOut], tags=["professionals"], responses=responses(401, 403))
def open_jobs(actor: ActorDep) -> list[BookingOut]:
    """Requests addressed to you, then open ones within your radius (nearest first)."""
    board = call(jobs.board, readonly=True, actor=actor)
    return [BookingOut.of(v) for v in board.addressed + board.open_nearby]


@router.put("/me/availability", status_code=status.HTTP_204_NO_CONTENT, tags=["professionals"],
            responses=responses(401, 403, 422))
def set_availability(body: AvailabilityIn, actor: ActorDep) -> None:
    call(jobs.set_availability, actor=actor, available=body.available, radius_km=body.radius_km)
