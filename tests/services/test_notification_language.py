"""Notifications are said in the recipient's saved language (issue #19), whoever caused them.

A booking accepted by an English-speaking professional reaches a Hindi-speaking customer in
Hindi, with the service's Hindi name the admin filled and the time in Hindi words; professionals
told of a job nearby each read it in their own language; a person who never chose gets English.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from hsa import i18n
from hsa.i18n.catalog import english_index, messages
from hsa.models import Notification, ProfessionalProfile, RequestStatus, Role, Service, User
from hsa.services import bookings, disputes, notifications, reminders
from hsa.services.local_words import when_said
from hsa.services.process.declaration import PROCESS
from hsa.services.process.disputes_declared import PROCESS as DISPUTE_MOVES
from hsa.services.scheduling import IST, local_label
from tests.factories import Recorder, actor_for, make_request, make_service, make_user, notes_of, slot
from tests.factories import speaks as _speaks


def _pro(session: Session, service: Service, name: str, language: str = "") -> User:
    pro = make_user(session, role=Role.professional, full_name=name, service=service, pincode="560034")
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.is_available, profile.service_radius_km = True, 15
    session.add(profile)
    session.commit()
    return _speaks(session, pro, language) if language else pro



def test_every_declared_notice_has_its_texts_in_the_catalog() -> None:
    """A new notice in the booking process without Hindi and Kannada fails here, not in a bell."""
    templates = {text for t in PROCESS.transitions for n in t.notices for text in (n.title, n.body) if text}
    templates |= {text for t in PROCESS.timers for n in t.notices for text in (n.title, n.body) if text}
    templates |= {text for move in DISPUTE_MOVES for text in (move.title, move.body)}
    index = english_index()
    missing = sorted(text for text in templates if text not in index)
    assert not missing, missing
    for text in templates:
        assert messages("hi")[index[text]] != text and messages("kn")[index[text]] != text


def test_accept_reaches_a_hindi_customer_in_hindi_with_the_hindi_service_name(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing", translations={"hi": {"name": "प्लंबिंग"}, "kn": {"name": "ಪ್ಲಂಬಿಂಗ್"}})
    customer = _speaks(session, make_user(session, full_name="Asha Rao"), "hi")
    pro = _pro(session, plumbing, "Ravi Kumar")  # never chose: English
    req = make_request(session, customer=customer, service=plumbing)
    bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id, action="accept")
    [note] = notes_of(session, customer)
    hindi_when = when_said(req.scheduled_at).versions["hi"]
    assert note.title == "बुकिंग स्वीकार हुई"
    assert note.body == f"Ravi ने {hindi_when} का आपका प्लंबिंग काम स्वीकार कर लिया। आपका स्टार्ट कोड बुकिंग पर है।"
    assert hindi_when != local_label(req.scheduled_at)  # the time is in Hindi words too


def test_the_same_notice_in_english_for_whoever_never_chose(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing", translations={"hi": {"name": "प्लंबिंग"}})
    customer = make_user(session, full_name="Asha Rao")
    pro = _pro(session, plumbing, "Ravi Kumar", "hi")  # the actor's language does not matter
    req = make_request(session, customer=customer, service=plumbing)
    bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id, action="accept")
    [note] = notes_of(session, customer)
    assert note.title == "Booking accepted"
    assert note.body.startswith(f"Ravi accepted your Plumbing job for {local_label(req.scheduled_at)}.")


def test_a_job_nearby_is_offered_to_each_professional_in_their_language(session: Session) -> None:
    cleaning = make_service(session, name="Cleaning", translations={"kn": {"name": "ಸ್ವಚ್ಛತೆ"}})
    kannada = _pro(session, cleaning, "Manju Gowda", "kn")
    hindi, english = _pro(session, cleaning, "Arjun Singh", "hi"), _pro(session, cleaning, "Tom Dsouza")
    customer = make_user(session, full_name="Asha Rao")
    req = make_request(session, customer=customer, service=cleaning, scheduled_at=slot(2))
    told = notifications.notify_nearby(session, req=req, now=slot(0) - timedelta(days=1))
    session.commit()
    assert told == 3
    [kn], [hi], [en] = notes_of(session, kannada), notes_of(session, hindi), notes_of(session, english)
    assert kn.title == "ಹತ್ತಿರದಲ್ಲಿ ಹೊಸ ಸ್ವಚ್ಛತೆ ಕೆಲಸ"
    assert hi.title == "पास में नया Cleaning काम"  # no Hindi name filled: the English one
    assert en.title == "New Cleaning job nearby"
    assert "ನಿಮ್ಮಿಂದ" in kn.body and "1 ಕಿ.ಮೀ.ಗಿಂತ ಕಡಿಮೆ" in kn.body  # same pincode: under 1 km, in Kannada
    assert en.body.startswith(local_label(req.scheduled_at)) and "under 1 km from you" in en.body


def test_reminders_and_their_emails_are_in_each_readers_language(session: Session) -> None:
    """The customer's one-hour reminder in Kannada, the professional's digest in Hindi — one run."""
    day = (datetime.now(IST) + timedelta(days=2)).date()
    plumbing = make_service(session, name="Plumbing", translations={"kn": {"name": "ಪ್ಲಂಬಿಂಗ್"}, "hi": {"name": "प्लंबिंग"}})
    pro = _pro(session, plumbing, "Ravi Kumar", "hi")
    customer = _speaks(session, make_user(session, full_name="Asha Rao", email="asha@example.com"), "kn")
    make_request(session, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro,
                 scheduled_at=datetime.combine(day, time(10, 0), tzinfo=IST))
    box = Recorder()
    reminders.send_due_reminders(session=session, now=datetime.combine(day, time(9, 15), tzinfo=IST), mailer=box)
    [to_customer] = [n for n in notes_of(session, customer) if n.kind == "reminder"]
    [digest] = [n for n in notes_of(session, pro) if n.kind == "reminder"]
    assert to_customer.title == "ಇಂದು 10:00 ಕ್ಕೆ ಪ್ಲಂಬಿಂಗ್"
    assert "ನಿಮಿಷದಲ್ಲಿ" in to_customer.body
    assert digest.title == "आज: 1 काम" and digest.body.startswith("10:00 ") and "प्लंबिंग" in digest.body
    mails = {m.to: m for m in box.sent}
    assert mails["asha@example.com"].subject == "ನೆನಪಿನೋಲೆ: ಇಂದು 10:00 ಕ್ಕೆ ನಿಮ್ಮ ಪ್ಲಂಬಿಂಗ್ ಬುಕಿಂಗ್"
    assert mails["asha@example.com"].body.startswith("ನಮಸ್ಕಾರ Asha,")
    assert mails[pro.email].subject.startswith("आज के आपके काम, ")


def test_the_inbox_says_a_stored_notification_in_the_language_its_reader_reads_now(session: Session) -> None:
    """Sent in English (no language chosen then), read later with the app in Kannada: the inbox is
    Kannada, service name and time included; the row keeps what was sent."""
    plumbing = make_service(session, name="Plumbing", translations={"kn": {"name": "ಪ್ಲಂಬಿಂಗ್"}})
    customer = make_user(session, full_name="Asha Rao")
    pro = _pro(session, plumbing, "Ravi Kumar")
    req = make_request(session, customer=customer, service=plumbing)
    bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id, action="accept")
    [row] = notes_of(session, customer)
    assert row.title == "Booking accepted"  # as sent
    i18n.use("kn")
    try:
        [shown] = notifications.list_for_user(session=session, actor=actor_for(session, customer)).items
    finally:
        i18n.use(i18n.DEFAULT)
    assert shown.title == messages("kn")["svc_notices.accept_title"]
    assert shown.body.startswith(f"Ravi ಅವರು {when_said(req.scheduled_at).versions['kn']} ರ ನಿಮ್ಮ ಪ್ಲಂಬಿಂಗ್")
    [again] = notifications.list_for_user(session=session, actor=actor_for(session, customer)).items
    assert again.title == "Booking accepted"  # and English for an English reader


def test_a_dispute_reaches_a_hindi_professional_in_hindi_reason_included(session: Session) -> None:
    service = make_service(session, name="Plumbing")
    customer = make_user(session, full_name="Asha Rao")
    pro = _speaks(session, make_user(session, role=Role.professional, service=service, full_name="Ravi Kumar"), "hi")
    req = make_request(session, customer=customer, service=service, status=RequestStatus.completed, professional=pro)
    make_user(session, role=Role.admin, full_name="Admin Anand")  # never chose: English
    disputes.open_dispute(session=session, actor=actor_for(session, customer), request_id=req.id,
                          data={"reason": "poor_quality", "details": "The tap leaks again the next morning"})
    [note] = notes_of(session, pro)
    assert note.title == messages("hi")["svc_notices.dispute_open_title"]
    assert messages("hi")["admin_trust.reason_poor_quality"] in note.body and note.body.startswith("Asha ने ")
    english = [n for n in session.exec(select(Notification).where(Notification.user_id != pro.id))]
    assert english and all("poor quality, or the problem came back" in n.body for n in english)  # the admins
