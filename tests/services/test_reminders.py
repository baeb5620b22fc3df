"""Reminders with an injected clock: the right people, at the right minute, exactly once; and mail."""

from __future__ import annotations

import base64
import socket
import threading
from datetime import date, datetime, time, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from hsa.models import Notification, ReminderSent, RequestStatus, Role, User
from hsa.services import mail, reminders
from hsa.services.mail import Email, OutboxMailer, SmtpMailer
from hsa.services.scheduling import IST
from tests.factories import Recorder, make_request, make_service, make_user

DAY = (datetime.now(IST) + timedelta(days=2)).date()


def ist(hhmm: str, day: date = DAY) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=IST)


@pytest.fixture
def world(session: Session) -> dict:
    plumbing = make_service(session, name="Plumbing")
    pro = make_user(session, role=Role.professional, full_name="Ravi Kumar", email="ravi@example.com", service=plumbing)
    asha = make_user(session, full_name="Asha Rao", email="asha@example.com")
    meera = make_user(session, full_name="Meera Iyer", email="meera@example.com")
    jobs = {
        "ten": make_request(session, customer=asha, service=plumbing, status=RequestStatus.assigned, professional=pro,
                            scheduled_at=ist("10:00")),
        "three": make_request(session, customer=meera, service=plumbing, status=RequestStatus.assigned,
                              professional=pro, scheduled_at=ist("15:00")),
        "tomorrow": make_request(session, customer=asha, service=plumbing, status=RequestStatus.assigned,
                                 professional=pro, scheduled_at=ist("10:00", DAY + timedelta(days=1))),
        "cancelled": make_request(session, customer=meera, service=plumbing, status=RequestStatus.cancelled,
                                  professional=pro, scheduled_at=ist("12:00")),
        "open": make_request(session, customer=meera, service=plumbing, scheduled_at=ist("11:00")),
    }
    return {"pro": pro, "asha": asha, "meera": meera, "service": plumbing, **jobs}


def _run(session: Session, now: datetime, mailer: object | None = None) -> int:
    return reminders.send_due_reminders(session=session, now=now, mailer=mailer or Recorder())  # type: ignore[arg-type]


def _reminders_for(session: Session, user: User) -> list[Notification]:
    session.expire_all()
    return list(session.exec(select(Notification).order_by(col(Notification.id))
                             .where(Notification.user_id == user.id, Notification.kind == "reminder")))


def test_professional_digest_from_seven_ist_once_a_day(session: Session, world: dict) -> None:
    box = Recorder()
    assert _run(session, ist("06:59"), box) == 0 and box.sent == []
    assert _run(session, ist("07:00"), box) == 1
    [email] = box.sent
    assert email.to == "ravi@example.com"
    assert email.subject == f"Your jobs today, {DAY:%a} {DAY.day} {DAY:%b}: 2"
    assert "10:00 Plumbing" in email.body and "15:00 Plumbing" in email.body
    assert "12:00" not in email.body and "11:00" not in email.body  # cancelled and unassigned jobs left out
    [note] = _reminders_for(session, world["pro"])
    assert note.title == "Today: 2 jobs" and note.body.startswith("10:00 Plumbing in ")
    assert _run(session, ist("07:00"), box) == 0 and _run(session, ist("07:45"), box) == 0
    assert len(box.sent) == 1 and len(_reminders_for(session, world["pro"])) == 1
    # the next day brings the next digest
    assert _run(session, ist("07:00", DAY + timedelta(days=1)), box) == 1
    assert box.sent[-1].subject.endswith(": 1")


def test_customer_reminded_sixty_minutes_before_not_sixty_one_and_not_twice(session: Session, world: dict) -> None:
    _run(session, ist("07:00"))  # the professional's digest is out of the way
    box = Recorder()
    assert _run(session, ist("08:59"), box) == 0
    assert _run(session, ist("09:00"), box) == 1
    [email] = box.sent
    assert (email.to, email.subject) == ("asha@example.com", "Reminder: your Plumbing booking at 10:00 today")
    assert "Ravi will come to: 1 Test Street, Koramangala (560034)" in email.body
    [note] = _reminders_for(session, world["asha"])
    assert (note.title, note.request_id) == ("Plumbing at 10:00 today", world["ten"].id)
    assert "in about 60 min" in note.body
    for again in ("09:00", "09:20", "09:59"):
        assert _run(session, ist(again), box) == 0
    assert len(box.sent) == 1 and len(_reminders_for(session, world["asha"])) == 1


def test_cancelled_and_unassigned_jobs_are_not_reminded(session: Session, world: dict) -> None:
    box = Recorder()
    for hhmm in ("07:00", "10:05", "11:00", "11:30", "12:00"):
        _run(session, ist(hhmm), box)
    assert "meera@example.com" not in {e.to for e in box.sent}  # 11:00 unassigned, 12:00 cancelled
    assert _reminders_for(session, world["meera"]) == []


def test_a_job_cancelled_before_its_hour_is_not_reminded(session: Session, world: dict) -> None:
    from hsa.services import bookings
    from tests.factories import actor_for

    bookings.transition(session=session, actor=actor_for(session, world["asha"]), request_id=world["ten"].id,
                        action="cancel", data={"reason": "Plans changed"}, now=ist("07:30"))
    box = Recorder()
    assert _run(session, ist("09:00"), box) == 1  # only the professional's digest (15:00 job)
    assert [e.to for e in box.sent] == ["ravi@example.com"] and "10:00" not in box.sent[0].body


def test_concurrent_claims_never_double_send(session: Session, world: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second worker that missed the first one's claim in its pre-check still loses on the unique key."""
    assert _run(session, ist("09:00")) == 2
    monkeypatch.setattr(reminders, "_claimed_keys", lambda *_args: set())
    box = Recorder()
    assert _run(session, ist("09:00"), box) == 0 and box.sent == []
    count = select(func.count()).select_from(Notification).where(Notification.kind == "reminder")
    assert session.exec(count).one() == 2


def test_failed_email_is_retried_later_without_a_second_notification(session: Session, world: dict) -> None:
    assert _run(session, ist("09:00"), Recorder(fail=True)) == 2  # claimed and notified, email failed
    session.expire_all()
    mailed = select(ReminderSent).where(col(ReminderSent.kind).in_(("pro_daily", "customer_1h")))
    assert all(r.emailed_at is None for r in session.exec(mailed))
    box = Recorder()
    assert _run(session, ist("09:02"), box) == 0 and box.sent == []  # too soon to retry
    assert _run(session, ist("09:05"), box) == 0
    assert sorted(e.to for e in box.sent) == ["asha@example.com", "ravi@example.com"]
    assert _run(session, ist("09:15"), box) == 0 and len(box.sent) == 2  # delivered: no more retries
    session.expire_all()
    assert all(r.emailed_at == ist("09:05") and r.attempts == 2 for r in session.exec(mailed))
    assert len(_reminders_for(session, world["asha"])) == 1 and len(_reminders_for(session, world["pro"])) == 1


def test_now_must_be_timezone_aware(session: Session) -> None:
    with pytest.raises(ValueError, match="aware"):
        _run(session, datetime(2026, 12, 1, 9, 0))


def test_run_once_writes_the_outbox_and_prunes_once_a_day(session: Session, world: dict, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HSA_SMTP_HOST", raising=False)
    old = tmp_path / "outbox" / "old.eml"
    old.parent.mkdir()
    old.write_text("x")
    import os

    stamp = (ist("09:00") - timedelta(days=31)).timestamp()
    os.utime(old, (stamp, stamp))
    session.commit()  # release SQLite's write lock: run_reminders_once opens its own session
    assert reminders.run_reminders_once(ist("09:00")) == 2
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert not old.exists() and len(files) == 2
    parsed = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted((m["To"], m["Subject"]) for m in parsed) == [
        ("asha@example.com", "Reminder: your Plumbing booking at 10:00 today"),
        ("ravi@example.com", f"Your jobs today, {DAY:%a} {DAY.day} {DAY:%b}: 2")]
    assert all(m["From"] == "HomeServe <no-reply@localhost>" and m["Message-ID"] for m in parsed)
    assert all(oct(f.stat().st_mode & 0o777) == "0o600" for f in files)
    assert reminders.prune_expired(session=session, now=ist("10:00")) is False  # already pruned today


def test_prune_drops_old_notifications_and_ledger(session: Session, world: dict) -> None:
    _run(session, ist("09:00"))
    later = ist("09:00") + timedelta(days=91)
    assert reminders.prune_expired(session=session, now=later) is True
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Notification)).one() == 0
    assert set(session.exec(select(ReminderSent.kind))) == {"maintenance"}


# ------------------------------------------------------------------ mailers


def test_outbox_mailer_writes_one_file_per_message(tmp_path: Path) -> None:
    box = OutboxMailer(tmp_path / "out", sender="HomeServe <no-reply@homeserve.example>")
    box.send(Email(to="a@example.com", subject="Hello\nBcc: evil@example.com", body="Body ₹499"))
    box.send(Email(to="b@example.com", subject="Second", body="Two"))
    files = sorted((tmp_path / "out").glob("*.eml"))
    assert len(files) == 2
    first = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert first["Subject"] == "Hello Bcc: evil@example.com" and first["Bcc"] is None  # no header injection
    assert first.get_content().strip() == "Body ₹499"


def test_mailer_from_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HSA_SMTP_HOST", raising=False)
    chosen = mail.mailer_from_settings()
    assert isinstance(chosen, OutboxMailer) and chosen.directory == tmp_path / "outbox"
    monkeypatch.setenv("HSA_SMTP_HOST", "smtp.example.com")
    monkeypatch.setenv("HSA_SMTP_PORT", "2525")
    monkeypatch.setenv("HSA_SMTP_USERNAME", "app")
    monkeypatch.setenv("HSA_SMTP_PASSWORD", "secret")
    monkeypatch.setenv("HSA_SMTP_STARTTLS", "false")
    monkeypatch.setenv("HSA_MAIL_FROM", "Bookings <bookings@homeserve.example>")
    smtp = mail.mailer_from_settings()
    assert isinstance(smtp, SmtpMailer)
    assert (smtp.host, smtp.port, smtp.username, smtp.password, smtp.starttls, smtp.sender) == (
        "smtp.example.com", 2525, "app", "secret", False, "Bookings <bookings@homeserve.example>")


@pytest.mark.parametrize(("name", "value"), [("HSA_SMTP_PORT", "99999"), ("HSA_SMTP_PORT", "abc"),
                                             ("HSA_SMTP_STARTTLS", "maybe"),
                                             ("HSA_MAP_TILE_URL", "ftp://tiles/{z}/{x}/{y}.png"),
                                             ("HSA_MAP_TILE_URL", "https://tiles.example/{z}.png")])
def test_mail_and_map_settings_are_validated(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    from hsa.settings import get_settings

    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        get_settings()


class FakeSmtp:
    """Just enough SMTP (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) on a thread, to see what arrives."""

    def __init__(self, *, advertise_starttls: bool = False) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.advertise_starttls = advertise_starttls
        self.commands: list[str] = []
        self.data = b""
        self.auth = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn, conn.makefile("rb") as rfile:
            def reply(line: str) -> None:
                conn.sendall(line.encode() + b"\r\n")

            reply("220 fake ESMTP")
            while raw := rfile.readline():
                line = raw.decode().rstrip("\r\n")
                verb = line.split(" ")[0].upper()
                line = verb + line[len(verb):]
                self.commands.append(verb)
                if verb == "EHLO":
                    reply("250-fake")
                    if self.advertise_starttls:
                        reply("250-STARTTLS")
                    reply("250 AUTH PLAIN")
                elif verb == "AUTH":
                    self.auth = base64.b64decode(line.split(" ")[2])
                    reply("235 ok")
                elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                    self.commands[-1] = line
                    reply("250 ok")
                elif verb == "DATA":
                    reply("354 go on")
                    while (chunk := rfile.readline()) != b".\r\n":
                        self.data += chunk
                    reply("250 queued")
                elif verb == "QUIT":
                    reply("221 bye")
                    return
                else:
                    reply("502 not implemented")

    def close(self) -> None:
        self.thread.join(timeout=5)
        self.sock.close()


def test_smtp_mailer_delivers_to_a_local_server() -> None:
    server = FakeSmtp()
    try:
        SmtpMailer("127.0.0.1", server.port, "app", "s3cret", False, "HomeServe <no-reply@homeserve.example>",
                   timeout=5).send(Email(to="asha@example.com", subject="Reminder", body="See you at 10:00"))
    finally:
        server.close()
    assert server.auth == b"\0app\0s3cret"
    assert "MAIL FROM:<no-reply@homeserve.example>" in server.commands[server.commands.index("AUTH") + 1]
    assert any(c.startswith("RCPT TO:<asha@example.com>") for c in server.commands)
    sent = message_from_bytes(server.data, policy=policy.default)
    assert (sent["To"], sent["Subject"]) == ("asha@example.com", "Reminder")
    assert sent.get_content().strip() == "See you at 10:00"


def test_smtp_mailer_refuses_to_send_without_starttls_when_asked_for_it() -> None:
    import smtplib

    server = FakeSmtp(advertise_starttls=False)
    try:
        with pytest.raises(smtplib.SMTPNotSupportedError):
            SmtpMailer("127.0.0.1", server.port, "app", "s3cret", True, "a@b.example", timeout=5).send(
                Email(to="x@example.com", subject="s", body="b"))
    finally:
        server.close()
    assert "AUTH" not in server.commands and server.data == b""  # no password or mail in clear text


def test_services_never_send_real_mail_in_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HSA_SMTP_HOST", raising=False)
    assert isinstance(mail.mailer_from_settings(), OutboxMailer)


def test_reminder_service_row(session: Session, world: dict) -> None:
    """The ledger names who and what was reminded (for support questions like "did I get it?")."""
    _run(session, ist("09:00"))
    rows = {(r.kind, r.user_id, r.request_id) for r in session.exec(select(ReminderSent))}
    assert rows == {("pro_daily", world["pro"].id, None), ("customer_1h", world["asha"].id, world["ten"].id),
                    # the same pass expired the 11:00 request nobody accepted (tests/services/test_timers.py)
                    ("timer:expire_unaccepted", world["meera"].id, world["open"].id)}
