"""Bookings and their lifecycle actions, all through services.bookings.transition."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, status

from hsa.api.deps import ActorDep, Id, IdempotencyKey, call
from hsa.api.problems import responses
from hsa.api.schemas import AvailabilityIn, BookingEditIn, BookingIn, BookingOut, BookingPage, ReviewIn, action_body
from hsa.services import bookings, jobs
from hsa.services.process.declaration import PROCESS
from hsa.services.process.model import Process

router = APIRouter(tags=["bookings"])


def action_router(process: Process = PROCESS) -> APIRouter:
    """`POST /bookings/{id}/{action}` for every action the process exposes: its enum and body
    come from the declaration, so a new action is in the API (and its docs) with no edit here."""
    names = process.api_names()
    action_name = StrEnum("ActionName", {n.replace("-", "_"): n for n in names})  # type: ignore[misc]
    body_model = action_body(process)
    actions = APIRouter(tags=["bookings"])

    def act_on_booking(booking_id: Id, action: action_name, actor: ActorDep,  # type: ignore[valid-type]
                       body: body_model | None = None,  # type: ignore[valid-type]
                       idempotency_key: IdempotencyKey = None) -> BookingOut:
        """Lifecycle actions (see docs/booking-process.md); 409 when the booking was already taken
        or the action is not possible now."""
        t = process.by_api(action.value)
        assert t is not None
        data = body.model_dump(exclude_none=True) if body else {}
        return BookingOut.of(call(bookings.transition, actor=actor, request_id=booking_id, action=t.name,
                                  data=data, idempotency_key=idempotency_key, process=process))

    # Real objects, not the strings `from __future__ import annotations` leaves: the enum and the
    # body are local to this call, where FastAPI's name lookup could not find them.
    act_on_booking.__annotations__.update(booking_id=Id, action=action_name, actor=ActorDep,
                                          body=body_model | None, idempotency_key=IdempotencyKey,
                                          **{"return": BookingOut})
    actions.add_api_route("/bookings/{booking_id}/{action}", act_on_booking, methods=["POST"],
                          response_model=BookingOut, responses=responses(401, 403, 404, 409, 422))
    return actions


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


@router.get("/jobs/open", response_model=list[BookingOut], tags=["professionals"], responses=responses(401, 403))
def open_jobs(actor: ActorDep) -> list[BookingOut]:
    """Requests addressed to you, then open ones within your radius (nearest first)."""
    board = call(jobs.board, readonly=True, actor=actor)
    return [BookingOut.of(v) for v in board.addressed + board.open_nearby]


@router.put("/me/availability", status_code=status.HTTP_204_NO_CONTENT, tags=["professionals"],
            responses=responses(401, 403, 422))
def set_availability(body: AvailabilityIn, actor: ActorDep) -> None:
    call(jobs.set_availability, actor=actor, available=body.available, radius_km=body.radius_km)


router.include_router(action_router())  # last: its {action} path must not shadow /review
