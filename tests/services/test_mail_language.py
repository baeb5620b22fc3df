"""Every e-mail and SMS is written in its RECIPIENT's saved language (issue #19), English for
whoever never chose: the confirmation link and the SMS code, the password reset, the "someone
tried to sign up" notice, the tax invoice mail, a timer's booking email and the monthly report."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from hsa import i18n
from hsa.models import Invoice, RequestStatus, Role, ServiceRequest, User, utcnow
from hsa.services import accounts, bookings, monthly_report, recovery, reminders, verification
from hsa.services.local_words import when_said
from hsa.services.money import invoice_mail
from hsa.services.scheduling import IST, local_label
from hsa.services.views import rupees
from tests.factories import Recorder, actor_for, make_request, make_service, make_user
from tests.factories import speaks as _speaks

H = timedelta(hours=1)
SLOT = datetime(2030, 3, 12, 5, 30, tzinfo=UTC)  # 11:00 IST, far ahead of the real clock


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path))
    return tmp_path


def _mails(folder: Path, to: str) -> list[tuple[str, str]]:
    """(subject, plain body) of the outbox mails to `to`, oldest first."""
    out = []
    for path in sorted((folder / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(("plain",))
        if message["To"] == to and body is not None:
            out.append((str(message["Subject"]), body.get_content()))
    return out


def _sms(folder: Path) -> str:
    return sorted((folder / "sms-outbox").glob("*.txt"))[-1].read_text(encoding="utf-8")


# ------------------------------------------------------------------ verification


def test_a_hindi_users_confirmation_email_and_sms_code_are_in_hindi(session: Session, data: Path) -> None:
    user = _speaks(session, make_user(session, full_name="Asha Rao", email="asha@example.com", verified=False), "hi")
    verification.mail_link(session, user)
    session.commit()
    [(subject, body)] = _mails(data, "asha@example.com")
    assert subject == "HomeServe के लिए अपना ईमेल कन्फ़र्म करें"
    assert body.startswith("नमस्ते Asha Rao,\n\nअपना ईमेल पता कन्फ़र्म करने")
    assert re.search(r"/verify-email\?token=\S+", body) and "24 घंटे" in body
    verification.send_code(session=session, actor=actor_for(session, user))
    text = _sms(data)
    code = re.search(r"\b(\d{6})\b", text).group(1)  # type: ignore[union-attr]
    assert f"{code} आपका HomeServe कोड है।" in text and "10 मिनट" in text
    assert "expires" not in text


def test_an_english_users_confirmation_email_and_sms_are_unchanged(session: Session, data: Path) -> None:
    user = make_user(session, full_name="Ravi Kumar", email="ravi@example.com", verified=False)  # never chose
    verification.mail_link(session, user)
    session.commit()
    [(subject, body)] = _mails(data, "ravi@example.com")
    url = re.search(r"http\S+/verify-email\?token=\S+", body).group(0)  # type: ignore[union-attr]
    assert subject == "Confirm your email for HomeServe"
    assert body == (f"Hello Ravi Kumar,\n\nOpen this link to confirm your email address and sign in:\n{url}\n\n"
                    "The link works once, for 24 hours. If you did not sign up for HomeServe, ignore this message: "
                    "without the link no account is opened in your name.\n")
    verification.send_code(session=session, actor=actor_for(session, user))
    code = re.search(r"\b(\d{6})\b", _sms(data)).group(1)  # type: ignore[union-attr]
    assert f"{code} is your HomeServe code. It expires in 10 minutes. Never share it, not even with us." \
        in _sms(data)


# ------------------------------------------------------------------ recovery and sign-up


def test_a_kannada_users_reset_email_is_in_kannada(session: Session, data: Path) -> None:
    _speaks(session, make_user(session, full_name="Bala N", email="bala@example.com"), "kn")
    recovery.request_reset(session=session, email="bala@example.com")
    [(subject, body)] = _mails(data, "bala@example.com")
    assert subject == "ನಿಮ್ಮ HomeServe ಪಾಸ್‌ವರ್ಡ್ ಮರುಹೊಂದಿಸಿ"
    assert body.startswith("ನಮಸ್ಕಾರ Bala N,\n\n") and "30 ನಿಮಿಷಗಳವರೆಗೆ" in body
    assert re.search(r"/reset-password\?token=\S+", body) and "Choose a new one" not in body


def test_an_english_users_reset_email_is_unchanged(session: Session, data: Path) -> None:
    make_user(session, full_name="Asha Rao", email="asha@example.com")
    recovery.request_reset(session=session, email="asha@example.com")
    [(subject, body)] = _mails(data, "asha@example.com")
    url = re.search(r"http\S+/reset-password\?token=\S+", body).group(0)  # type: ignore[union-attr]
    assert subject == "Reset your HomeServe password"
    assert body == ("Hello Asha Rao,\n\nSomeone (we hope you) asked to reset the password of your HomeServe "
                    f"account. Choose a new one here:\n{url}\n\nThe link works once, for 30 minutes. Using it signs "
                    "you out everywhere else. If you did not ask, ignore this message: your password stays as it "
                    "is.\n")


def test_the_someone_tried_to_sign_up_mail_is_in_the_owners_language(session: Session, data: Path) -> None:
    _speaks(session, make_user(session, email="nisha@example.com"), "hi")
    make_user(session, email="ravi@example.com")
    for address in ("nisha@example.com", "ravi@example.com"):
        accounts.register_customer(session=session, actor=None, data={
            "full_name": "Someone Else", "email": address, "phone": "98111 22233", "password": "Mango-Kite-Rain-7",
            "address": "14, Park Street", "pincode": "560034"})
    [(subject, body)] = _mails(data, "nisha@example.com")
    assert subject == "किसी ने आपके ईमेल से साइन अप करने की कोशिश की" and "/login पर लॉग इन करें।" in body
    [(subject, body)] = _mails(data, "ravi@example.com")
    assert subject == "Someone tried to sign up with your email"
    assert body.startswith("Someone (perhaps you) tried to create a HomeServe account with this email address.\n\n"
                           "You already have an account: log in at ")
    assert body.endswith("/login.\nIf it was not you, you can ignore this message; nothing was changed.\n")


# ------------------------------------------------------------------ invoice


def _invoice(session: Session, language: str = "") -> tuple[Invoice, ServiceRequest]:
    service = make_service(session, name="Plumbing", price_paise=49_900,
                           translations={"hi": {"name": "प्लंबिंग"}, "kn": {"name": "ಪ್ಲಂಬಿಂಗ್"}})
    customer = make_user(session, full_name="Asha Rao", email="asha@example.com")
    if language:
        _speaks(session, customer, language)
    pro = make_user(session, role=Role.professional, service=service, full_name="Ravi Kumar")
    req = make_request(session, customer=customer, service=service, status=RequestStatus.completed, professional=pro)
    bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id, action="collect_cash")
    session.expire_all()
    [inv] = session.exec(select(Invoice).where(Invoice.request_id == req.id).order_by(col(Invoice.id))).all()
    return inv, req


def test_the_invoice_mail_is_in_the_customers_language(session: Session) -> None:
    inv, req = _invoice(session, "hi")
    message = invoice_mail.invoice_email(session, inv)
    assert message is not None
    assert message.subject == f"आपका HomeServe टैक्स इनवॉइस {inv.number}"
    assert message.body.startswith("नमस्ते Asha,\n\n")
    assert f"{when_said(req.scheduled_at).versions['hi']} की आपकी प्लंबिंग बुकिंग" in message.body
    assert message.attachments[0].content_type == "application/pdf"  # the PDF stays as it is


def test_an_english_customers_invoice_mail_is_unchanged(session: Session) -> None:
    inv, req = _invoice(session)
    message = invoice_mail.invoice_email(session, inv)
    assert message is not None
    assert message.subject == f"Your HomeServe tax invoice {inv.number}"
    assert message.body == (f"Hi Asha,\n\nThank you for your payment of {rupees(inv.total_paise)} for your "
                            f"Plumbing booking on {local_label(req.scheduled_at)}.\nYour tax invoice {inv.number} "
                            "is attached (PDF). You can also download it from your booking.\n\nHomeServe\n")


# ------------------------------------------------------------------ a timer's email and the monthly report


def test_the_review_prompt_email_is_in_the_customers_language_also_when_retried(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    ravi = make_user(session, role=Role.professional, full_name="Ravi Kumar", service=plumbing)
    asha = _speaks(session, make_user(session, full_name="Asha Rao", email="asha@example.com"), "kn")
    req = make_request(session, customer=asha, service=plumbing, status=RequestStatus.completed, professional=ravi,
                       scheduled_at=SLOT)
    req.completed_at = SLOT + H
    session.add(req)
    session.commit()
    reminders.send_due_reminders(session=session, now=SLOT + 3 * H, mailer=Recorder(fail=True))
    box = Recorder()
    reminders.send_due_reminders(session=session, now=SLOT + 3 * H + timedelta(minutes=5), mailer=box)
    [message] = box.sent
    assert message.to == "asha@example.com" and "Ravi" in message.subject and "How did" not in message.subject
    assert message.body.startswith("ನಮಸ್ಕಾರ Asha,\n\n")
    assert f"ನಿಮ್ಮ ಬುಕಿಂಗ್ ತೆರೆಯಿರಿ: http://localhost:3000/requests?request={req.id}\n\nHomeServe\n" in message.body


def test_each_admin_reads_the_monthly_report_in_their_language(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    make_request(session, customer=make_user(session), service=plumbing)
    _speaks(session, make_user(session, role=Role.admin, full_name="Anita Admin", email="anita@example.com"), "hi")
    make_user(session, role=Role.admin, full_name="Bala Boss", email="bala@example.com")
    today = utcnow().astimezone(IST).date()
    first = datetime.combine((today.replace(day=28) + timedelta(days=4)).replace(day=1), time(0, 5), tzinfo=IST)
    box = Recorder()
    assert monthly_report.send_monthly_report(session=session, now=first, mailer=box)
    mails = {m.to: m for m in box.sent}
    hindi, english = mails["anita@example.com"], mails["bala@example.com"]
    assert hindi.subject.startswith("HomeServe मासिक रिपोर्ट: ") and english.subject == \
        f"HomeServe monthly report: {today:%B %Y}"
    assert hindi.body.startswith("नमस्ते Anita,\n\n") and "की गई बुकिंग: 1 (1 इंतज़ार में" in hindi.body
    assert "1. Plumbing: 1 बुकिंग, ₹0 आमदनी" in hindi.body and "(भारतीय समय)" in hindi.body
    assert english.body.startswith(f"Hi Bala,\n\nHomeServe in {today:%B %Y} (India time):\n\n"
                                   "Bookings made: 1 (1 waiting, 0 accepted, 0 in progress, 0 completed, 0 closed, "
                                   "0 cancelled)\n")
    assert "1. Plumbing: 1 booking, ₹0 revenue" in english.body and "rows): attached, and under Exports" in english.body


def _signup(address: str) -> dict:
    return {"full_name": "Meena Sharma", "email": address, "phone": f"98{abs(hash(address)) % 10**8:08d}",
            "password": "Mango-Kite-Rain-7", "address": "14, Park Street", "pincode": "560034"}


def test_signing_up_on_a_hindi_page_keeps_hindi_for_the_link_and_after(session: Session, data: Path) -> None:
    """The page's language at sign-up becomes the account's: the confirmation link comes in Hindi."""
    i18n.use("hi")
    try:
        accounts.register_customer(session=session, actor=None, data=_signup("hindi.signup@example.com"))
    finally:
        i18n.use(i18n.DEFAULT)
    user = session.exec(select(User).where(User.email == "hindi.signup@example.com")).one()
    assert user.language == "hi"
    [(subject, _)] = _mails(data, "hindi.signup@example.com")
    assert subject != "Confirm your email for HomeServe" and re.search("[\u0900-\u097F]", subject)
    accounts.register_customer(session=session, actor=None, data=_signup("english.signup@example.com"))
    assert session.exec(select(User).where(User.email == "english.signup@example.com")).one().language == ""
