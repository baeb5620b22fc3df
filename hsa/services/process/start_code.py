"""The start code: the customer's card shows 4 digits, the professional types them to start.

It proves the professional is at the customer's door (Urban Company's handshake). The code is
made when a professional accepts (`effects.accept`) and shown only to the customer who owns the
booking (`request_views`): not to the professional, who must hear it at the door, and not to
admins either: support never needs it to help (they can cancel a booking), and a code an admin
could read would be a code someone could phone support to get. Services that ask for the code at
completion give the customer a fresh one when the job starts (`check_at_start`).

Wrong codes count. Every path that checks a secret is throttled, and this one's throttle is the
per-code try count: each wrong try is kept even though the move is refused (`KeptFailure`) and
audited as `request.code_wrong`; after `HSA_START_CODE_TRIES` (5) wrong tries the code is locked
(the `CODE_OPEN` guard hides Start and refuses even the right code) until the customer asks for a
new one (`renew_code`, which resets the count). 5 guesses in 10,000 per code. The engine holds
the request's row lock from the check until the try is counted, so parallel guesses queue and
each sees the one before it: concurrency cannot buy extra tries. Input that is not 4 digits is
refused beside the field without counting: it cannot be the code, so it reveals nothing.
"""

from __future__ import annotations

import hmac
import re

from sqlalchemy import update
from sqlmodel import Session, col

from hsa.i18n.text import msg
from hsa.models import ServiceRequest
from hsa.services import audit, changes
from hsa.services.errors import InvalidTransition, ValidationFailed
from hsa.services.process.context import KeptFailure, Move, keeps_record
from hsa.services.process.effects import new_code, service_of
from hsa.services.process.guards import CODE_OPEN, refusal
from hsa.settings import get_settings

FIELD = "code"
SHAPE = msg("svc_booking.code_shape")
_DIGITS = re.compile(r"[0-9]{4}")  # ASCII only: "١٢٣٤".isdigit() is True, and compare_digest refuses non-ASCII


def tries_allowed() -> int:
    return get_settings().start_code_tries


def locked(req: ServiceRequest) -> bool:
    return req.start_code_tries >= tries_allowed()


def typed_code(data: dict) -> str:
    """What the professional typed, without the spaces a phone keyboard or a paste may add."""
    return "".join(str(data.get(FIELD) or "").split())


def _check(m: Move, *, stage: str) -> None:
    typed = typed_code(m.data)
    if not _DIGITS.fullmatch(typed):
        raise ValidationFailed({FIELD: SHAPE})
    if m.req.start_code and hmac.compare_digest(typed, m.req.start_code):
        m.req.start_code_tries = 0  # proven: the next check (at completion) gets its full count
        return
    req = m.req
    request_id, actor_id, tries = req.id, m.actor.id, req.start_code_tries + 1
    people = (changes.user(req.customer_id), changes.user(req.professional_id))
    left = tries_allowed() - tries

    def record(session: Session) -> None:
        # Atomic increment (right even without the engine's row lock); "fetch" keeps the caller's
        # copy of the row current, for a view built in the same session after the refusal.
        session.exec(update(ServiceRequest).where(col(ServiceRequest.id) == request_id)  # type: ignore[call-overload]
                     .values(start_code_tries=ServiceRequest.start_code_tries + 1)
                     .execution_options(synchronize_session="fetch"))
        audit.record(session=session, actor_id=actor_id, action="request.code_wrong", target_type="request",
                     target_id=request_id, stage=stage, tries=tries)
        if left <= 0:
            changes.touch(session, *people)  # both cards change: the customer's offers a new code

    message = (msg("svc_booking.code_wrong_one") if left == 1 else msg("svc_booking.code_wrong_left", count=left)
               if left > 0 else msg("svc_booking.code_wrong_last"))
    raise KeptFailure(ValidationFailed({FIELD: message}, message), record)


@keeps_record
def check_at_start(m: Move) -> None:
    """The right code starts the job. A service that also asks at completion gets a fresh code
    now: the professional has heard this one, so only a new one proves the customer agrees."""
    _check(m, stage="start")
    renew(m)  # always: an admin may turn on "code at completion" while the job runs


@keeps_record
def check_at_completion(m: Move) -> None:
    """Only for services that ask for the code when the job is done too (their `CODE_OPEN`:
    the complete button stays, so a locked code is refused here, and `renew_code` unlocks it)."""
    if not service_of(m.session, m.req).completion_code:
        return
    if locked(m.req):
        raise InvalidTransition(refusal(CODE_OPEN))
    _check(m, stage="complete")


def renew(m: Move) -> None:
    """A fresh code: the count starts again and the old code stops working."""
    old = m.req.start_code
    while (code := new_code()) == old:
        pass  # a "new" code equal to the old one would look like nothing happened
    m.req.start_code, m.req.start_code_tries = code, 0
