"""The process's timers with an injected clock: each fires at its minute, exactly once, for the
right rows only — also with two passes racing, and against a person acting at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from hsa.db import session_scope
from hsa.models import (
    AuditLog,
    Notification,
    NotificationKind,
    Payment,
    PaymentMethod,
    ReminderSent,
    RequestStatus,
    Review,
    Role,
    ServiceRequest,
    UserStatus,
    utcnow,
)
from hsa.services import bookings, jobs, reminders
from hsa.services.errors import DomainError
from hsa.services.money.pricing import amount_due
from hsa.services.process import timer_effects, timers
from hsa.services.process.declaration import PROCESS
from hsa.services.process.model import Notice, Process, Timer, To, Transition, Ui
from hsa.services.scheduling import local_label
from hsa.settings import get_settings
from tests.factories import Recorder, actor_for, make_request, make_service, make_user
from tests.factories import fresh as _fresh
from tests.factories import notes_of as _notes

SLOT = datetime(2030, 3, 12, 5, 30, tzinfo=UTC)  # 11:00 IST, far enough ahead that the real clock never fires it
H = timedelta(hours=1)
M = timedelta(minutes=1)


def _run(session: Session, now: datetime, mailer: Recorder | None = None, process: Process = PROCESS) -> Recorder:
    box = mailer or Recorder()
    reminders.send_due_reminders(session=session, now=now, mailer=box, process=process)
    return box


def _ledger(session: Session, kind: str) -> list[ReminderSent]:
    return list(session.exec(select(ReminderSent).where(ReminderSent.kind == kind)))


@pytest.fixture
def world(session: Session) -> dict:
    plumbing = make_service(session, name="Plumbing")
    pros = {name: make_user(session, role=Role.professional, full_name=name, pincode=pin, service=plumbing)
            for name, pin in (("Ravi Kumar", "560034"), ("Sunil Gowda", "560102"), ("Kiran Das", "560038"),
                              ("Farah Khan", "560011"))}
    far = make_user(session, role=Role.professional, full_name="Delhi Plumber", pincode="110001", service=plumbing)
    electrician = make_user(session, role=Role.professional, full_name="Suresh Reddy", pincode="560034")
    asha = make_user(session, full_name="Asha Rao", email="asha@example.com", pincode="560034")
    admin = make_user(session, role=Role.admin, full_name="Anita Admin", email="anita@example.com")
    return {"service": plumbing, "pros": pros, "ravi": pros["Ravi Kumar"], "sunil": pros["Sunil Gowda"],
            "far": far, "electrician": electrician, "asha": asha, "admin": admin}


# ------------------------------------------------------------------ expiry


def test_an_unaccepted_request_expires_two_hours_before_its_slot_suggesting_three_nearby(
        session: Session, world: dict) -> None:
    req = make_request(session, customer=world["asha"], service=world["service"], scheduled_at=SLOT)
    _run(session, SLOT - 2 * H - M)
    assert _fresh(session, req).status is RequestStatus.requested and _notes(session, world["asha"]) == []

    _run(session, SLOT - 2 * H)
    row = _fresh(session, req)
    assert row.status is RequestStatus.cancelled and row.cancelled_at == SLOT - 2 * H
    assert (row.cancel_reason, row.cancelled_by_id) == (timer_effects.EXPIRED, None)
    [note] = _notes(session, world["asha"])
    assert (note.title, note.request_id, note.kind) == ("No professional accepted in time", req.id, "booking")
    # nearest first, at most three; not the one 1,700 km away, nor an electrician
    assert note.body == ("Nobody accepted your Plumbing booking for Tue 12 Mar, 11:00, so it was cancelled. "
                         "Ravi Kumar, Sunil Gowda and Farah Khan work nearby and are available: "
                         "book one of them directly, or pick another time.")
    [audit] = session.exec(select(AuditLog).where(AuditLog.action == "request.expire")).all()
    assert (audit.actor_id, audit.target_id) == (None, req.id)
    [claimed] = _ledger(session, "timer:expire_unaccepted")
    assert (claimed.key, claimed.user_id, claimed.request_id) == (f"{req.id}@2030-03-12T05:30:00+00:00",
                                                                  world["asha"].id, req.id)

    # the customer's card: cancelled by HomeServe, with the reason; the professionals' boards: gone
    [view] = bookings.list_customer_requests(session=session, actor=actor_for(session, world["asha"]))
    assert (view.status, view.cancelled_by, view.cancel_reason) == ("cancelled", "HomeServe", timer_effects.EXPIRED)
    assert view.actions == []
    board = jobs.board(session=session, actor=actor_for(session, world["ravi"]), now=SLOT - 2 * H)
    assert req.id not in {v.id for v in board.open_nearby + board.addressed}

    for later in (SLOT - 2 * H, SLOT - H, SLOT + 3 * H):  # once only
        _run(session, later)
    assert len(_notes(session, world["asha"])) == 1 and len(_ledger(session, "timer:expire_unaccepted")) == 1


def test_expiry_wording_for_one_or_no_professional_and_the_addressee_is_not_suggested(
        session: Session, world: dict) -> None:
    assert timer_effects.suggestion([]) == "Please book again for another time."
    assert timer_effects.suggestion(["Ravi Kumar"]) == ("Ravi Kumar works nearby and is available: "
                                                        "book them directly, or pick another time.")
    addressed = make_request(session, customer=world["asha"], service=world["service"], scheduled_at=SLOT,
                             preferred=world["ravi"])
    _run(session, SLOT - 2 * H)
    assert _fresh(session, addressed).status is RequestStatus.cancelled
    [note] = _notes(session, world["asha"])
    assert "Ravi" not in note.body and note.body.endswith(
        "Sunil Gowda, Farah Khan and Kiran Das work nearby and are available: "
        "book one of them directly, or pick another time.")


def test_an_accepted_request_does_not_expire(session: Session, world: dict) -> None:
    req = make_request(session, customer=world["asha"], service=world["service"], scheduled_at=SLOT)
    bookings.transition(session=session, actor=actor_for(session, world["ravi"]), request_id=req.id,
                        action="accept", now=SLOT - 3 * H)
    _run(session, SLOT - 2 * H)
    assert _fresh(session, req).status is RequestStatus.assigned
    assert _ledger(session, "timer:expire_unaccepted") == []


def test_a_row_that_changed_status_after_it_was_found_due_is_left_alone(session: Session, world: dict) -> None:
    """The pass re-reads the row under its lock: an accept between the query and the firing wins."""
    req = make_request(session, customer=world["asha"], service=world["service"], scheduled_at=SLOT)
    [timer] = [t for t in PROCESS.timers if t.name == "expire_unaccepted"]
    expire = PROCESS.get("expire")
    now = SLOT - 2 * H
    assert timers._candidates(session, timer, expire, now, get_settings()) == [req.id]  # noqa: SLF001
    session.commit()
    bookings.transition(session=session, actor=actor_for(session, world["ravi"]), request_id=req.id,
                        action="accept", now=now)
    assert timers._fire(session, timer, expire, req.id, now, get_settings()) is None  # noqa: SLF001
    session.rollback()
    assert _fresh(session, req).status is RequestStatus.assigned and _ledger(session, "timer:expire_unaccepted") == []


# ------------------------------------------------------------------ not started


def test_a_job_not_started_two_hours_after_its_slot_is_flagged_to_every_active_admin_once(
        session: Session, world: dict) -> None:
    other = make_user(session, role=Role.admin, full_name="Bhavna Admin")
    make_user(session, role=Role.admin, full_name="Blocked Admin", status=UserStatus.blocked)
    late = make_request(session, customer=world["asha"], service=world["service"], status=RequestStatus.assigned,
                        professional=world["ravi"], scheduled_at=SLOT)
    started = make_request(session, customer=world["asha"], service=world["service"],
                           status=RequestStatus.in_progress, professional=world["sunil"], scheduled_at=SLOT)
    _run(session, SLOT + 2 * H - M)
    assert _notes(session, world["admin"]) == []
    _run(session, SLOT + 2 * H)
    for admin in (world["admin"], other):
        [note] = _notes(session, admin)
        assert (note.title, note.request_id) == ("Job not started", late.id)
        assert note.body == ("The Plumbing job for Tue 12 Mar, 11:00 (Asha with Ravi) has not started "
                             "2 hours after its slot. Check in with them.")
    assert _notes(session, world["asha"]) == [] and _notes(session, world["ravi"]) == []
    assert _fresh(session, late).status is RequestStatus.assigned  # a flag, not a move
    [claimed] = _ledger(session, "timer:flag_not_started")
    assert (claimed.request_id, claimed.user_id) == (late.id, None)
    [audit] = session.exec(select(AuditLog).where(AuditLog.action == "request.flag_not_started")).all()
    assert (audit.actor_id, audit.target_id) == (None, late.id)
    for later in (SLOT + 3 * H, SLOT + 24 * H):
        _run(session, later)
    assert len(_notes(session, world["admin"])) == 1
    assert started.id not in {r.request_id for r in _ledger(session, "timer:flag_not_started")}


def test_a_flag_says_how_late_and_stale_ones_are_not_sent(session: Session, world: dict) -> None:
    """A pass after an outage says how late the job really is; after a week the flag is stale (the
    ledger that keeps it once-only is pruned after 30 days)."""
    req = make_request(session, customer=world["asha"], service=world["service"], status=RequestStatus.assigned,
                       professional=world["ravi"], scheduled_at=SLOT)
    old = make_request(session, customer=world["asha"], service=world["service"], status=RequestStatus.assigned,
                       professional=world["sunil"], scheduled_at=SLOT - timedelta(days=8))
    _run(session, SLOT + 3 * H + 20 * M)
    [note] = _notes(session, world["admin"])
    assert note.request_id == req.id and "has not started 3 hours 20 min after its slot" in note.body
    assert old.id not in {r.request_id for r in _ledger(session, "timer:flag_not_started")}


# ------------------------------------------------------------------ review prompt and auto-close


def _completed(session: Session, world: dict, at: datetime, paid: bool = False) -> ServiceRequest:
    req = make_request(session, customer=world["asha"], service=world["service"], status=RequestStatus.completed,
                       professional=world["ravi"], scheduled_at=SLOT, paid=paid)
    req.completed_at = at
    session.add(req)
    session.commit()
    return req


def test_one_review_prompt_in_app_and_by_email_two_hours_after_completion(session: Session, world: dict) -> None:
    done_at = SLOT + H
    req = _completed(session, world, done_at)
    assert _run(session, done_at + 2 * H - M).sent == []
    box = _run(session, done_at + 2 * H)
    [note] = _notes(session, world["asha"])
    assert (note.title, note.kind, note.request_id) == ("How did Ravi do?", "reminder", req.id)
    assert note.body == "Rate your Plumbing job on Tue 12 Mar, 11:00: it helps your neighbours choose."
    [email] = box.sent
    assert (email.to, email.subject) == ("asha@example.com", "How did Ravi do?")
    assert email.body == ("Hi Asha,\n\nHow did Ravi do? Rate your Plumbing job on Tue 12 Mar, 11:00: it helps "
                          "your neighbours choose.\n\n"
                          f"Open your booking: http://localhost:3000/requests?request={req.id}\n\nHomeServe\n")
    [claimed] = _ledger(session, "timer:review_prompt")
    assert claimed.emailed_at == done_at + 2 * H and claimed.user_id == world["asha"].id
    assert _run(session, done_at + 5 * H).sent == [] and len(_notes(session, world["asha"])) == 1
    assert _fresh(session, req).status is RequestStatus.completed


def test_no_prompt_for_a_reviewed_job(session: Session, world: dict) -> None:
    req = _completed(session, world, SLOT + H)
    session.add(Review(request_id=req.id, customer_id=world["asha"].id, professional_id=world["ravi"].id, rating=4))
    session.commit()
    assert _run(session, SLOT + 4 * H).sent == []
    assert _notes(session, world["asha"]) == [] and _ledger(session, "timer:review_prompt") == []


def test_a_failed_prompt_email_is_retried_without_a_second_notification(session: Session, world: dict) -> None:
    done_at = SLOT + H
    _completed(session, world, done_at)
    _run(session, done_at + 2 * H, Recorder(fail=True))
    assert len(_notes(session, world["asha"])) == 1
    box = _run(session, done_at + 2 * H + 5 * M)
    [email] = box.sent
    assert email.subject == "How did Ravi do?"
    assert _run(session, done_at + 2 * H + 15 * M).sent == []
    session.expire_all()
    [claimed] = _ledger(session, "timer:review_prompt")
    assert (claimed.attempts, claimed.emailed_at) == (2, done_at + 2 * H + 5 * M)
    assert len(_notes(session, world["asha"])) == 1


def test_the_prompt_goes_through_the_outbox(session: Session, world: dict, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HSA_SMTP_HOST", raising=False)
    now = utcnow()  # near the real clock: the same pass prunes outbox files older than 30 days
    req = _completed(session, world, now - 2 * H)
    req.scheduled_at = now - 4 * H
    session.add(req)
    session.commit()  # release SQLite's write lock: run_reminders_once opens its own session
    reminders.run_reminders_once(now)
    mails = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in (tmp_path / "outbox").glob("*.eml")]
    [sent] = [m for m in mails if m["To"] == "asha@example.com"]  # (early in a month admins get its report too)
    assert (sent["To"], sent["Subject"]) == ("asha@example.com", "How did Ravi do?")
    body = sent.get_content()
    assert f"Rate your Plumbing job on {local_label(now - 4 * H)}: it helps your neighbours choose." in body
    assert f"http://localhost:3000/requests?request={req.id}" in body


def test_a_paid_job_closes_itself_after_the_review_window_an_unpaid_one_waits(
        session: Session, world: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    done_at = SLOT + H
    paid = _completed(session, world, done_at, paid=True)
    unpaid = _completed(session, world, done_at)
    _run(session, done_at + timedelta(days=7) - M)
    assert {_fresh(session, r).status for r in (paid, unpaid)} == {RequestStatus.completed}
    _run(session, done_at + timedelta(days=7))
    closed = _fresh(session, paid)
    assert (closed.status, closed.closed_at) == (RequestStatus.closed, done_at + timedelta(days=7))
    assert _fresh(session, unpaid).status is RequestStatus.completed
    # nothing was claimed for the unpaid job: it is checked again on every pass, and closes once paid
    assert {r.request_id for r in _ledger(session, "timer:auto_close")} == {paid.id}
    bookings.transition(session=session, actor=actor_for(session, world["ravi"]), request_id=unpaid.id,
                        action="collect_cash", now=done_at + timedelta(days=8))
    _run(session, done_at + timedelta(days=8, minutes=1))  # paid late: the customer gets a whole window to rate
    assert _fresh(session, unpaid).status is RequestStatus.completed
    _run(session, done_at + timedelta(days=15))
    assert _fresh(session, unpaid).status is RequestStatus.closed
    audits = session.exec(select(AuditLog).where(AuditLog.action == "request.auto_close")).all()
    assert sorted(a.target_id for a in audits) == sorted([paid.id, unpaid.id])
    assert {a.actor_id for a in audits} == {None}
    # the review window is a setting
    monkeypatch.setenv("HSA_REVIEW_WINDOW_DAYS", "3")
    soon = _completed(session, world, done_at, paid=True)
    _run(session, done_at + timedelta(days=9))  # well past 3 days: closes on this pass
    assert _fresh(session, soon).status is RequestStatus.closed


def test_a_customer_who_closed_it_themselves_is_not_closed_again(session: Session, world: dict) -> None:
    done_at = SLOT + H
    req = _completed(session, world, done_at, paid=True)
    bookings.transition(session=session, actor=actor_for(session, world["asha"]), request_id=req.id,
                        action="close", data={"rating": "5", "comment": ""}, now=done_at + H)
    _run(session, done_at + timedelta(days=8))
    assert _ledger(session, "timer:auto_close") == [] and _ledger(session, "timer:review_prompt") == []
    assert session.exec(select(func.count()).select_from(AuditLog)
                        .where(AuditLog.action == "request.auto_close")).one() == 0


# ------------------------------------------------------------------ exactly once, concurrently


def _race(n: int, work: Callable[[int], object]) -> list[object]:
    barrier = threading.Barrier(n)
    out: list[object] = [None] * n

    def go(i: int) -> None:
        barrier.wait()
        try:
            out[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the assertion shows it
            out[i] = exc

    threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def test_two_passes_at_once_fire_every_timer_exactly_once(session: Session, world: dict) -> None:
    now = SLOT + 3 * H
    expiring = [make_request(session, customer=world["asha"], service=world["service"],
                             scheduled_at=SLOT + 4 * H) for _ in range(3)]
    late = [make_request(session, customer=world["asha"], service=world["service"], status=RequestStatus.assigned,
                         professional=world["ravi"], scheduled_at=SLOT + timedelta(minutes=i)) for i in range(3)]
    prompts = [_completed(session, world, SLOT) for _ in range(3)]
    closing = [_completed(session, world, now - timedelta(days=8), paid=True) for _ in range(3)]
    session.commit()
    boxes = [Recorder(), Recorder()]

    def one_pass(i: int) -> int:
        with session_scope() as s:
            return reminders.send_due_reminders(session=s, now=now, mailer=boxes[i])

    results = _race(2, one_pass)
    assert all(isinstance(r, int) for r in results), results
    session.expire_all()
    for rows, status in ((expiring, RequestStatus.cancelled), (late, RequestStatus.assigned),
                         (prompts, RequestStatus.completed), (closing, RequestStatus.closed)):
        assert {_fresh(session, r).status for r in rows} == {status}
    kinds = dict(session.exec(select(ReminderSent.kind, func.count()).group_by(col(ReminderSent.kind))).all())
    assert kinds == {"timer:expire_unaccepted": 3, "timer:flag_not_started": 3, "timer:review_prompt": 3,
                     "timer:auto_close": 3}
    expiry_notes = session.exec(select(func.count()).select_from(Notification).where(
        Notification.title == "No professional accepted in time")).one()
    flags = session.exec(select(func.count()).select_from(Notification).where(
        Notification.title == "Job not started")).one()
    prompt_notes = session.exec(select(func.count()).select_from(Notification).where(
        Notification.title == "How did Ravi do?")).one()
    # a flag to each admin; no prompt for the jobs completed 8 days ago (a stale prompt is not sent)
    assert (expiry_notes, flags, prompt_notes) == (3, 3, 3)
    assert sorted(e.to for e in boxes[0].sent + boxes[1].sent) == ["asha@example.com"] * 3  # each mailed once
    for action in ("request.expire", "request.auto_close", "request.flag_not_started", "request.review_prompt"):
        assert session.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == action)).one() == 3


def test_a_professional_accepting_while_the_clock_expires_one_of_them_wins(session: Session, world: dict) -> None:
    pro = actor_for(session, world["ravi"])
    outcomes = []
    for day in range(4):
        slot = SLOT + timedelta(days=day)
        now = slot - 2 * H
        req = make_request(session, customer=world["asha"], service=world["service"], scheduled_at=slot)
        session.commit()

        def act(i: int, request_id: int = req.id, now: datetime = now) -> str:  # type: ignore[assignment]
            with session_scope() as s:
                if i == 0:
                    bookings.transition(session=s, actor=pro, request_id=request_id, action="accept", now=now)
                    return "accepted"
                fired = timers.run_due_timers(session=s, now=now)
                return f"fired {sum(f.request_id == request_id for f in fired)}"

        results = _race(2, act)
        row = _fresh(session, req)
        if row.status is RequestStatus.assigned:
            assert results == ["accepted", "fired 0"], results
            assert req.id not in {r.request_id for r in _ledger(session, "timer:expire_unaccepted")}
        else:
            assert row.status is RequestStatus.cancelled and isinstance(results[0], DomainError), results
            assert results[1] == "fired 1"
        outcomes.append(row.status)
        bookings_notes = [n for n in _notes(session, world["asha"]) if n.request_id == req.id]
        assert len(bookings_notes) == 1  # "accepted" or "expired", never both
    assert set(outcomes) <= {RequestStatus.assigned, RequestStatus.cancelled}


# ------------------------------------------------------------------ a test-only timer, the CLI, the clock


def test_a_timer_in_a_test_only_process_fires_its_own_transition(session: Session, world: dict) -> None:
    def nudge(move) -> None:  # noqa: ANN001 - a Move
        move.words["hours"] = "3"

    nudge_t = Transition("nudge", (RequestStatus.requested,), None, {}, Ui("Nudge", "nudged", "", shown=False),
                         effects=(nudge,), api=None,
                         notices=(Notice(To.customer, NotificationKind.booking, "Still looking",
                                         "We are still looking for a {service} professional ({hours} h)."),))
    process = Process(transitions=PROCESS.transitions + (nudge_t,),
                      timers=(Timer("nudge_early", RequestStatus.requested, "created_at", lambda s: 3 * H,
                                    transition="nudge"),))
    req = make_request(session, customer=world["asha"], service=world["service"], scheduled_at=SLOT)
    created = _fresh(session, req).created_at
    _run(session, created + 3 * H - M, process=process)
    assert _notes(session, world["asha"]) == []
    _run(session, SLOT - 2 * H, process=process)  # the declaration's own expiry is not in this process
    [note] = _notes(session, world["asha"])
    assert (note.title, note.body) == ("Still looking", "We are still looking for a Plumbing professional (3 h).")
    assert _fresh(session, req).status is RequestStatus.requested
    assert [r.kind for r in session.exec(select(ReminderSent))] == ["timer:nudge_early"]
    [audit] = session.exec(select(AuditLog).where(AuditLog.action == "request.nudge")).all()
    assert audit.actor_id is None


def test_party_less_transitions_cannot_be_taken_by_people(session: Session, world: dict) -> None:
    req = make_request(session, customer=world["asha"], service=world["service"], scheduled_at=SLOT)
    for user in (world["asha"], world["admin"], world["ravi"]):
        with pytest.raises(DomainError, match="does not exist"):
            bookings.transition(session=session, actor=actor_for(session, user), request_id=req.id,
                                action="expire")
    assert _fresh(session, req).status is RequestStatus.requested


def test_cli_reminders_runs_the_timers_at_an_injected_time(session: Session, world: dict,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from hsa.cli import main

    req = make_request(session, customer=world["asha"], service=world["service"], scheduled_at=SLOT)
    session.commit()
    assert main(["reminders", "--now", "2030-03-12T09:00"]) == 0  # IST: two hours before 11:00
    assert "reminders sent" in capsys.readouterr().out
    assert _fresh(session, req).status is RequestStatus.cancelled


def test_now_must_be_timezone_aware(session: Session) -> None:
    with pytest.raises(ValueError, match="aware"):
        timers.run_due_timers(session=session, now=datetime(2030, 3, 12, 9, 0))  # noqa: DTZ001


def test_a_job_paid_late_gets_the_whole_review_window_before_it_closes(session: Session) -> None:
    """The window counts from the later of completion and payment: paying on day 9 still leaves 7 days to rate."""
    service = make_service(session)
    customer, pro = make_user(session), make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=customer, service=service, status=RequestStatus.completed, professional=pro)
    completed = utcnow() - timedelta(days=9)
    req.completed_at = completed
    session.add(req)
    session.add(Payment(request_id=req.id, amount_paise=amount_due(req), method=PaymentMethod.upi,
                        created_at=utcnow() - timedelta(days=2), paid_at=utcnow() - timedelta(days=1)))
    session.commit()
    timers.run_due_timers(session=session, now=utcnow())
    session.expire_all()
    assert session.get(ServiceRequest, req.id).status is RequestStatus.completed  # type: ignore[union-attr]
    timers.run_due_timers(session=session, now=utcnow() + timedelta(days=6, hours=1))
    session.expire_all()
    assert session.get(ServiceRequest, req.id).status is RequestStatus.closed  # type: ignore[union-attr]


def test_requests_whose_slot_is_long_gone_expire_without_a_notice(session: Session) -> None:
    """The first pass after an upgrade finds months-old open requests: closed quietly, nobody pinged."""
    service = make_service(session)
    customer = make_user(session)
    old = make_request(session, customer=customer, service=service, scheduled_at=utcnow() - timedelta(days=40))
    timers.run_due_timers(session=session, now=utcnow())
    session.expire_all()
    row = session.get(ServiceRequest, old.id)
    assert row is not None and row.status is RequestStatus.cancelled and row.cancel_reason == timer_effects.EXPIRED
    assert session.exec(select(Notification).where(Notification.user_id == customer.id)).all() == []
