"""The start code (issue #14): the professional types the customer's 4 digits to start the job.

Wrong codes are refused but counted (a kept failure: the try and its audit row are committed
while the move is rolled back); 5 wrong tries lock the code until the customer renews it; input
that cannot be a code is refused without counting; only the customer who booked sees the code.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from hsa.db import session_scope
from hsa.models import AuditLog, Notification, RequestStatus, Role, Service, ServiceRequest, User
from hsa.services import bookings
from hsa.services.actors import Actor
from hsa.services.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from hsa.services.process import start_code
from hsa.services.scheduling import local_label
from tests.factories import actor_for, fresh, make_request, make_service, make_user, notes_of, slot

S = RequestStatus
CODE = "4821"
LOCKED = "Too many wrong codes. Ask the customer to get a new code on their booking."


class Job:
    """One accepted job, 30 minutes before its slot (inside the start window)."""

    def __init__(self, session: Session, *, completion_code: bool = False) -> None:
        self.session = session
        self.service = make_service(session, name="Plumbing")
        self.service.completion_code = completion_code
        session.add(self.service)
        session.commit()
        self.customer_user = make_user(session, full_name="Asha Rao")
        self.pro_user = make_user(session, role=Role.professional, service=self.service, full_name="Ravi Kumar")
        self.req = make_request(session, customer=self.customer_user, service=self.service, status=S.assigned,
                                professional=self.pro_user)
        self.req.start_code = CODE  # what accepting gave the customer's card
        session.add(self.req)
        session.commit()
        self.c, self.p = actor_for(session, self.customer_user), actor_for(session, self.pro_user)
        self.now = self.req.scheduled_at - timedelta(minutes=30)

    def act(self, actor: Actor, action: str, data: dict | None = None) -> bookings.RequestView:
        return bookings.transition(session=self.session, actor=actor, request_id=self.req.id, action=action,
                                   data=data, now=self.now)

    def start(self, code: object) -> bookings.RequestView:
        return self.act(self.p, "start", {"code": code})

    def wrong(self, code: str = "0000") -> ValidationFailed:
        """A wrong code as the engine's caller sees it: refused, then the session is rolled back."""
        with pytest.raises(ValidationFailed) as caught:
            self.start(code)
        self.session.rollback()
        return caught.value

    def row(self) -> ServiceRequest:
        return fresh(self.session, self.req.id)

    def audit(self, action: str) -> list[AuditLog]:
        return list(self.session.exec(select(AuditLog).where(AuditLog.action == action,
                                                             AuditLog.target_id == self.req.id)
                                      .order_by(col(AuditLog.id))))

    def notes(self, user: User) -> list[Notification]:
        return notes_of(self.session, user)


@pytest.fixture
def job(session: Session) -> Job:
    return Job(session)


def test_the_right_code_starts_the_job(job: Job) -> None:
    view = job.start(CODE)
    assert view.status == "in_progress" and "start" not in view.actions
    row = job.row()
    assert row.status is S.in_progress and row.started_at is not None and row.start_code_tries == 0
    assert len(job.audit("request.start")) == 1 and job.audit("request.code_wrong") == []
    assert [n.title for n in job.notes(job.customer_user)] == ["Work started"]
    # The code has done its job: the customer's card no longer shows it (this service asks only at the start).
    assert bookings.get_request(session=job.session, actor=job.c, request_id=job.req.id, now=job.now).start_code == ""


def test_spaces_a_phone_keyboard_adds_are_ignored(job: Job) -> None:
    assert job.start(" 48 21 ").status == "in_progress"


def test_a_wrong_code_is_refused_beside_the_field_but_counted_and_audited(job: Job) -> None:
    before = job.row().model_dump()
    error = job.wrong("1234")
    assert error.fields == {"code": "That code is not right. 4 tries left."}
    row = job.row()
    assert row.model_dump() == before | {"start_code_tries": 1}  # only the count moved
    assert row.status is S.assigned and row.started_at is None
    [kept] = job.audit("request.code_wrong")
    assert kept.actor_id == job.p.id and json.loads(kept.details) == {"stage": "start", "tries": 1}
    assert job.audit("request.start") == [] and job.notes(job.customer_user) == []
    view = bookings.get_request(session=job.session, actor=job.p, request_id=job.req.id, now=job.now)
    assert "start" in view.actions and not view.code_locked  # 4 tries left: Start stays


def test_five_wrong_codes_lock_it_even_against_the_right_one(job: Job) -> None:
    messages = [job.wrong(f"000{i}").fields["code"] for i in range(5)]
    assert messages == [
        "That code is not right. 4 tries left.", "That code is not right. 3 tries left.",
        "That code is not right. 2 tries left.", "That code is not right. 1 try left.",
        "That code is not right, and that was the last try. Ask the customer to get a new code."]
    assert [json.loads(a.details)["tries"] for a in job.audit("request.code_wrong")] == [1, 2, 3, 4, 5]
    pro_view = bookings.get_request(session=job.session, actor=job.p, request_id=job.req.id, now=job.now)
    assert "start" not in pro_view.actions and pro_view.code_locked
    with pytest.raises(InvalidTransition, match=LOCKED):
        job.start(CODE)
    job.session.rollback()
    assert job.row().status is S.assigned and job.row().start_code_tries == 5  # a refusal, not a sixth try
    assert len(job.audit("request.code_wrong")) == 5


def test_the_customer_renews_a_locked_code_and_the_new_one_starts(job: Job) -> None:
    owner_view = bookings.get_request(session=job.session, actor=job.c, request_id=job.req.id, now=job.now)
    assert owner_view.start_code == CODE and "renew_code" not in owner_view.actions  # only when locked
    with pytest.raises(InvalidTransition, match="still works"):
        job.act(job.c, "renew_code")
    job.session.rollback()
    for _ in range(5):
        job.wrong()
    locked_view = bookings.get_request(session=job.session, actor=job.c, request_id=job.req.id, now=job.now)
    assert locked_view.code_locked and "renew_code" in locked_view.actions
    with pytest.raises(Forbidden):
        job.act(job.p, "renew_code")  # the professional cannot unlock it
    job.session.rollback()

    view = job.act(job.c, "renew_code")
    fresh = job.row()
    assert fresh.start_code != CODE and len(fresh.start_code) == 4 and fresh.start_code.isdigit()
    assert fresh.start_code_tries == 0 and view.start_code == fresh.start_code and not view.code_locked
    assert "renew_code" not in view.actions
    [note] = job.notes(job.pro_user)
    assert (note.title, note.body) == ("New start code",
                                       "Asha has a new code for the Plumbing job. Ask them for it when you need it.")
    assert "start" in bookings.get_request(session=job.session, actor=job.p, request_id=job.req.id, now=job.now).actions
    assert job.wrong(CODE).fields["code"].endswith("4 tries left.")  # the old code stopped working
    assert job.start(fresh.start_code).status == "in_progress"


@pytest.mark.parametrize("typed", ["", None, "12", "12345", "12a4", "abcd", "١٢٣٤", "１２３４", "12.4", "-123"])
def test_input_that_cannot_be_a_code_is_refused_without_counting_a_try(job: Job, typed: object) -> None:
    with pytest.raises(ValidationFailed) as caught:
        job.start(typed)
    job.session.rollback()
    assert caught.value.fields == {"code": "Enter the 4-digit code shown on the customer's booking."}
    assert job.row().start_code_tries == 0 and job.row().status is S.assigned
    assert job.audit("request.code_wrong") == []


def test_without_a_code_on_the_booking_nothing_starts_it(job: Job) -> None:
    """A row that never got a code (data from before codes) cannot be started by typing anything."""
    job.req.start_code = ""
    job.session.add(job.req)
    job.session.commit()
    assert job.wrong("0000").fields["code"].endswith("4 tries left.")
    assert job.row().status is S.assigned


def test_only_the_customer_who_booked_sees_the_code(job: Job) -> None:
    """Not the professional (they must hear it at the door), not admins (see start_code.py)."""
    admin = actor_for(job.session, make_user(job.session, role=Role.admin))
    seen = {name: bookings.get_request(session=job.session, actor=a, request_id=job.req.id, now=job.now).start_code
            for name, a in (("customer", job.c), ("pro", job.p), ("admin", admin))}
    assert seen == {"customer": CODE, "pro": "", "admin": ""}
    assert [v.start_code for v in bookings.list_for_actor(session=job.session, actor=admin)[0]] == [""]
    assert [v.start_code for v in bookings.list_for_actor(session=job.session, actor=job.p)[0]] == [""]
    stranger = actor_for(job.session, make_user(job.session))
    with pytest.raises(NotFound):
        bookings.get_request(session=job.session, actor=stranger, request_id=job.req.id, now=job.now)


def test_a_new_acceptance_makes_a_fresh_random_code(session: Session) -> None:
    service = make_service(session)
    customer, pro = make_user(session), make_user(session, role=Role.professional, service=service)
    codes = []
    for _ in range(3):
        req = make_request(session, customer=customer, service=service, preferred=pro,
                           scheduled_at=slot(days=len(codes) + 1))  # no clash
        bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id, action="accept")
        session.expire_all()
        row = session.get(ServiceRequest, req.id)
        assert row is not None and row.start_code_tries == 0
        codes.append(row.start_code)
    assert all(len(c) == 4 and c.isdigit() for c in codes)


# ------------------------------------------------------------------ completion code


def test_a_service_that_asks_at_completion_gives_a_fresh_code_and_needs_it(session: Session) -> None:
    job = Job(session, completion_code=True)
    job.start(CODE)
    row = job.row()
    end_code = row.start_code
    assert end_code != CODE and row.start_code_tries == 0  # the professional has heard the first one
    owner = bookings.get_request(session=session, actor=job.c, request_id=job.req.id)
    assert owner.start_code == end_code and owner.completion_code
    pro = bookings.get_request(session=session, actor=job.p, request_id=job.req.id)
    assert pro.start_code == "" and pro.completion_code and "complete" in pro.actions

    with pytest.raises(ValidationFailed) as missing:
        job.act(job.p, "complete")
    session.rollback()
    assert missing.value.fields == {"code": "Enter the 4-digit code shown on the customer's booking."}
    with pytest.raises(ValidationFailed) as wrong:
        job.act(job.p, "complete", {"code": CODE})  # the start code no longer works
    session.rollback()
    assert wrong.value.fields["code"].endswith("4 tries left.")
    assert json.loads(job.audit("request.code_wrong")[0].details) == {"stage": "complete", "tries": 1}
    assert job.row().status is S.in_progress and job.row().completed_at is None

    done = job.act(job.p, "complete", {"code": end_code})
    assert done.status == "completed" and job.row().completed_at is not None
    assert bookings.get_request(session=session, actor=job.c, request_id=job.req.id).start_code == ""


def test_a_locked_completion_code_is_renewed_while_the_job_runs(session: Session) -> None:
    job = Job(session, completion_code=True)
    job.start(CODE)
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            job.act(job.p, "complete", {"code": "0000"})
        session.rollback()
    end_code = job.row().start_code
    with pytest.raises(InvalidTransition, match=LOCKED):
        job.act(job.p, "complete", {"code": end_code})
    session.rollback()
    assert job.row().start_code_tries == 5 and job.row().status is S.in_progress
    view = job.act(job.c, "renew_code")
    assert view.status == "in_progress" and view.start_code not in ("", end_code)
    assert job.act(job.p, "complete", {"code": view.start_code}).status == "completed"


def test_a_service_that_does_not_ask_completes_without_a_code(job: Job) -> None:
    job.start(CODE)
    assert job.act(job.p, "complete").status == "completed"


# ------------------------------------------------------------------ the throttle under concurrency


def test_parallel_guesses_get_exactly_the_allowed_tries(session: Session) -> None:
    """Twelve guesses at once: the row lock is held until each try is counted, so exactly five are
    judged (and counted, and audited) and the other seven meet the lock."""
    job = Job(session)
    session.commit()
    n = 12
    barrier, outcomes, lock = threading.Barrier(n), [], threading.Lock()

    def guess(i: int) -> None:
        barrier.wait()
        try:
            with session_scope() as s:
                bookings.transition(session=s, actor=job.p, request_id=job.req.id, action="start",
                                    data={"code": f"{i:04d}" if f"{i:04d}" != CODE else "9999"}, now=job.now)
            result = "started"
        except ValidationFailed:
            result = "wrong"
        except InvalidTransition as exc:
            result = "locked" if exc.message == LOCKED else exc.message
        except Exception as exc:  # noqa: BLE001 - any other error is a failure we want to see
            result = f"error: {exc!r}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["locked"] * 7 + ["wrong"] * 5, outcomes
    assert job.row().start_code_tries == start_code.tries_allowed() == 5
    assert len(job.audit("request.code_wrong")) == 5


def test_the_try_limit_is_a_setting(job: Job, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_START_CODE_TRIES", "2")
    assert job.wrong().fields["code"].endswith("1 try left.")
    assert "last try" in job.wrong().fields["code"]
    assert bookings.get_request(session=job.session, actor=job.p, request_id=job.req.id, now=job.now).code_locked


def test_services_table_has_the_completion_flag_off_by_default(session: Session) -> None:
    service = make_service(session)
    session.expire_all()
    assert session.get(Service, service.id).completion_code is False  # type: ignore[union-attr]


def test_start_is_offered_only_in_its_window_and_the_card_says_from_when(job: Job) -> None:
    """Nobody is asked for a code they cannot use yet: before the window the card names its opening."""
    early = job.req.scheduled_at - timedelta(hours=3)
    before = bookings.get_request(session=job.session, actor=job.p, request_id=job.req.id, now=early)
    assert "start" not in before.actions
    assert before.start_opens == local_label(job.req.scheduled_at - timedelta(hours=2))
    assert bookings.get_request(session=job.session, actor=job.c, request_id=job.req.id, now=early).start_opens == ""
    with pytest.raises(InvalidTransition, match="at most 2 hours before"):
        bookings.transition(session=job.session, actor=job.p, request_id=job.req.id, action="start",
                            data={"code": CODE}, now=early)
    job.session.rollback()
    within = bookings.get_request(session=job.session, actor=job.p, request_id=job.req.id, now=job.now)
    assert "start" in within.actions and within.start_opens == ""
