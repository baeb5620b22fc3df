"""Download my data: every table's rows for the person, nobody else's, behind links that expire."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlmodel import Session, SQLModel, select

from hsa.models import (
    AuditLog,
    ChatMessage,
    Dispute,
    DisputeReason,
    ExtraCharge,
    Invoice,
    JobLocation,
    Notification,
    NotificationKind,
    Payment,
    Payout,
    PayoutBatch,
    QualityStanding,
    Refund,
    ReminderSent,
    Report,
    ReportReason,
    RequestStatus,
    Review,
    Role,
    Strike,
    User,
    utcnow,
)
from hsa.services import erasure, my_data, throttle
from hsa.services.errors import Conflict, Forbidden, NotAuthenticated, NotFound
from hsa.services.my_data_sections import COVERED, SECTIONS
from tests.factories import actor_for, make_request, make_service, make_user


def _life(session: Session, customer: User, pro: User, tag: str) -> None:
    """A row in every table a person appears in, each carrying `tag`, for one customer and one pro."""
    service = make_service(session, name=f"Service {tag}")
    req = make_request(session, customer=customer, service=service, status=RequestStatus.completed,
                       professional=pro, paid=True)
    live = make_request(session, customer=customer, service=service, status=RequestStatus.assigned, professional=pro)
    now = utcnow()
    payment_id = session.exec(select(Payment.id).where(Payment.request_id == req.id)).first()
    session.add_all([
        ExtraCharge(request_id=req.id, amount_paise=5_000, reason=f"extra {tag}", proposed_by_id=pro.id),
        Refund(payment_id=payment_id, request_id=req.id, amount_paise=100, reason=f"refund {tag}",
               idempotency_key=f"key-{tag}"),
        Invoice(number=f"HS/{tag}", fy="2026-27", seq=ord(tag[0]), request_id=req.id, kind="job",
                taxable_paise=1, gst_paise=0, total_paise=1),
        Review(request_id=req.id, customer_id=customer.id, professional_id=pro.id, rating=4, comment=f"review {tag}"),
        ChatMessage(request_id=req.id, sender_id=customer.id, body=f"chat {tag}"),
        ChatMessage(request_id=req.id, sender_id=pro.id, body=f"reply {tag}"),
        Dispute(request_id=req.id, customer_id=customer.id, professional_id=pro.id, reason=DisputeReason.damage,
                details=f"dispute {tag}"),
        Report(request_id=req.id, reporter_id=customer.id, reported_id=pro.id, reason=ReportReason.abuse,
               details=f"report {tag}"),
        Strike(professional_id=pro.id, request_id=req.id, reason=f"strike {tag}"),
        QualityStanding(professional_id=pro.id, reason=f"quality {tag}"),
        JobLocation(request_id=live.id, professional_id=pro.id, customer_id=customer.id, lat=12.9, lon=77.6),
        Notification(user_id=customer.id, kind=NotificationKind.booking, title=f"note {tag}"),
        Notification(user_id=pro.id, kind=NotificationKind.booking, title=f"pro note {tag}"),
        ReminderSent(kind="customer_hour", key=f"reminder-{tag}", user_id=customer.id, request_id=req.id),
        AuditLog(actor_id=pro.id, action="request.on_my_way", target_type="request", target_id=live.id),
    ])
    batch = PayoutBatch(period_end=now)
    session.add(batch)
    session.flush()
    session.add(Payout(batch_id=batch.id, professional_id=pro.id, amount_paise=900, txn=f"payout-{tag}"))
    session.commit()


def _archive(session: Session, actor) -> tuple[dict, str, my_data.ArchiveStatus]:  # noqa: ANN001
    """Ask, step to the end, then read both files through their signed links."""
    status = my_data.start_archive(session=session, actor=actor)
    steps = 0
    while status.state == my_data.RUNNING:
        status = my_data.archive_step(session=session, actor=actor, archive_id=status.id)
        steps += 1
    assert status.state == my_data.DONE and steps == len(SECTIONS) and status.percent == 100
    files = {}
    for fmt, url in (("json", status.json_url), ("html", status.html_url)):
        q = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        path, name, _ = my_data.open_signed(session=session, archive_id=status.id, user_id=int(q["user"]), fmt=fmt,
                                            expires=int(q["exp"]), signature=q["sig"])
        assert name.startswith("homeserve-my-data-") and name.endswith(f".{fmt}")
        files[fmt] = path.read_text()
    return json.loads(files["json"]), files["html"], status


@pytest.fixture
def two_worlds(session: Session) -> dict:
    throttle.reset()
    asha = make_user(session, full_name="Asha Rao", email="asha@example.com")
    bina = make_user(session, full_name="Bina Shah", email="bina@example.com")
    ravi = make_user(session, role=Role.professional, full_name="Ravi Kumar", email="ravi@example.com")
    sunil = make_user(session, role=Role.professional, full_name="Sunil Das", email="sunil@example.com")
    _life(session, asha, ravi, "ALPHA")
    _life(session, bina, sunil, "BRAVO")
    return {"asha": asha, "bina": bina, "ravi": ravi, "sunil": sunil}


def test_a_customers_archive_holds_every_kind_of_their_row_and_nobody_elses(session: Session, two_worlds: dict) -> None:
    asha = two_worlds["asha"]
    data, page, _ = _archive(session, actor_for(session, asha))
    sections = data["sections"]
    assert list(sections) == [s.key for s in SECTIONS]
    for key in ("account", "bookings", "extra_charges", "payments", "refunds", "invoices", "account_entries",
                "reviews_given", "chat_messages", "disputes", "reports", "notifications", "reminders", "sessions",
                "consents", "activity"):
        assert sections[key], f"{key} is empty"
    assert sections["account"][0]["email"] == "asha@example.com"
    assert {m["text"] for m in sections["chat_messages"]} == {"chat ALPHA", "reply ALPHA"}
    assert {m["from"] for m in sections["chat_messages"]} == {"you", "Ravi"}
    assert len(sections["bookings"]) == 2 and sections["bookings"][0]["other_party"] == "Ravi"
    assert sections["reports"][0]["details"] == "report ALPHA"
    text = json.dumps(data)
    for theirs in ("BRAVO", "Bina", "bina@example.com", "Sunil", "ravi@example.com", "Kumar",
                   "password", "token", "start_code"):
        assert theirs not in text, theirs
    assert "Asha Rao" in page and "review ALPHA" in page and "BRAVO" not in page and "<script" not in page


def test_a_professionals_archive_has_their_side_only(session: Session, two_worlds: dict) -> None:
    data, _, _ = _archive(session, actor_for(session, two_worlds["ravi"]))
    sections = data["sections"]
    for key in ("professional_profile", "bookings", "reviews_received", "payouts", "strikes", "quality",
                "live_location", "chat_messages", "disputes", "notifications", "consents"):
        assert sections[key], f"{key} is empty"
    assert sections["payments"] == [] and sections["reports"] == []  # the customer paid; the customer reported
    assert sections["consents"][-1]["what"].startswith("Shared live location")
    text = json.dumps(data)
    for theirs in ("BRAVO", "Sunil", "asha@example.com", "Rao", "report ALPHA"):
        assert theirs not in text, theirs
    assert [n["title"] for n in sections["notifications"]] == ["pro note ALPHA"]  # not the customer's


def test_every_table_that_points_at_a_person_is_decided() -> None:
    """Any table pointing at a person, or at a booking (which belongs to its two parties)."""
    tables = {t.name for t in SQLModel.metadata.sorted_tables
              if any(fk.column.table.name in ("users", "service_requests") for fk in t.foreign_keys)
              or t.name == "users"}
    assert tables == set(COVERED), tables ^ set(COVERED)


def test_asking_twice_is_one_archive_then_throttled_and_links_expire(session: Session, two_worlds: dict,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_ARCHIVE_LIMIT", "2/day")
    asha = actor_for(session, two_worlds["asha"])
    first = my_data.start_archive(session=session, actor=asha)
    assert my_data.start_archive(session=session, actor=asha).id == first.id  # a double click: the same one
    assert _archive(session, asha)[2].id == first.id  # finishing the one being made
    assert _archive(session, asha)[2].id != first.id  # a fresh copy: the second of the day
    with pytest.raises(Conflict, match="Try again in"):
        my_data.start_archive(session=session, actor=asha)
    latest = my_data.latest_archive(session=session, actor=asha)
    assert latest is not None and latest.state == my_data.DONE
    q = {k: v[0] for k, v in parse_qs(urlparse(latest.json_url).query).items()}
    assert int(q["exp"]) - latest.created_at.timestamp() == pytest.approx(24 * 3600, abs=2)
    args = {"session": session, "archive_id": latest.id, "user_id": asha.id, "fmt": "json", "expires": int(q["exp"])}
    with pytest.raises(Forbidden, match="expired"):
        my_data.open_signed(**args, signature=q["sig"], now=int(q["exp"]) + 1)
    with pytest.raises(Forbidden):  # a link for Asha's archive does not open with another person's id
        my_data.open_signed(**args | {"user_id": two_worlds["bina"].id}, signature=q["sig"])
    bina = actor_for(session, two_worlds["bina"])
    with pytest.raises(NotFound):  # Bina cannot step (or find) Asha's archive by its id
        my_data.archive_step(session=session, actor=bina, archive_id=latest.id)
    with pytest.raises(NotFound):
        my_data.archive_step(session=session, actor=bina, archive_id="../1/" + latest.id)
    with pytest.raises(NotAuthenticated):
        my_data.start_archive(session=session, actor=None)
    assert my_data.prune(now=utcnow() + timedelta(hours=25)) == 2
    assert my_data.latest_archive(session=session, actor=asha) is None


def test_a_closed_tab_is_finished_by_the_reminder_pass_and_deleting_the_account_deletes_it(
        session: Session, two_worlds: dict) -> None:
    asha = actor_for(session, two_worlds["asha"])
    started = my_data.start_archive(session=session, actor=asha)
    my_data.archive_step(session=session, actor=asha, archive_id=started.id)
    assert my_data.finish_abandoned(session=session, now=utcnow()) == 0  # the page is still driving it
    assert my_data.finish_abandoned(session=session, now=utcnow() + timedelta(minutes=1)) == 1
    done = my_data.latest_archive(session=session, actor=asha)
    assert done is not None and done.state == my_data.DONE
    q = {k: v[0] for k, v in parse_qs(urlparse(done.html_url).query).items()}
    erasure.anonymise(session, session.get(User, asha.id), now=utcnow())
    session.commit()
    with pytest.raises((Forbidden, NotFound)):
        my_data.open_signed(session=session, archive_id=done.id, user_id=asha.id, fmt="html",
                            expires=int(q["exp"]), signature=q["sig"])
