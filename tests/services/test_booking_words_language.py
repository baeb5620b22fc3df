"""The words the booking process and the request views build are said in the reader's language (#19).

A notice's template is translated by its English text; the words the effects put into it (a
reason, a fee, a new time, a suggestion) are messages too, so a Hindi customer does not read
" Reason: …" inside a Hindi sentence. English stays word for word what it was.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from hsa.i18n.catalog import messages
from hsa.i18n.text import say
from hsa.models import Payment, RequestStatus, Role, utcnow
from hsa.services import bookings, tracking
from hsa.services.local_words import when_said
from hsa.services.process import timer_effects
from hsa.services.process.disputes_declared import OUTCOMES
from hsa.services.scheduling import IST, local_label
from tests.factories import actor_for, make_request, make_service, make_user, notes_of
from tests.factories import speaks as _speaks


def test_an_admin_cancel_reaches_a_hindi_customer_with_the_reason_in_hindi(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    customer = _speaks(session, make_user(session, full_name="Asha Rao"), "hi")
    admin = make_user(session, role=Role.admin, full_name="Support Desk")
    req = make_request(session, customer=customer, service=plumbing)
    bookings.transition(session=session, actor=actor_for(session, admin), request_id=req.id, action="cancel",
                        data={"reason": "Duplicate booking"})
    [note] = notes_of(session, customer)
    hindi_when = when_said(req.scheduled_at).versions["hi"]
    assert note.title == "बुकिंग रद्द हुई"
    assert note.body == (f"{hindi_when} की आपकी Plumbing बुकिंग HomeServe सपोर्ट ने रद्द कर दी। "
                         "कारण: Duplicate booking")
    assert "Reason" not in note.body


def test_the_same_cancel_in_english_is_word_for_word_as_before(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    customer = make_user(session, full_name="Asha Rao")
    admin = make_user(session, role=Role.admin, full_name="Support Desk")
    req = make_request(session, customer=customer, service=plumbing)
    bookings.transition(session=session, actor=actor_for(session, admin), request_id=req.id, action="cancel",
                        data={"reason": "Duplicate booking"})
    [note] = notes_of(session, customer)
    assert note.body == (f"Your Plumbing booking for {local_label(req.scheduled_at)} was cancelled by "
                         "HomeServe support. Reason: Duplicate booking")


def test_a_late_cancel_tells_a_kannada_professional_the_reason_and_the_fee_in_kannada(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    customer = make_user(session, full_name="Asha Rao")
    pro = _speaks(session, make_user(session, role=Role.professional, full_name="Manju Gowda", service=plumbing),
                  "kn")
    req = make_request(session, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro,
                       scheduled_at=utcnow() + timedelta(hours=2))  # inside the free-cancel window: a fee
    bookings.transition(session=session, actor=actor_for(session, customer), request_id=req.id, action="cancel",
                        data={"reason": "Guests arrived"})
    [note] = notes_of(session, pro)
    kn = messages("kn")
    assert note.body.endswith(kn["svc_notices.why_reason"].format(reason="Guests arrived")
                              + kn["svc_notices.why_fee"].format(fee="₹99"))
    assert "Reason" not in note.body and "applies" not in note.body


def test_a_proposed_time_reaches_a_kannada_professional_with_both_times_in_kannada(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing", minutes=60)
    customer = make_user(session, full_name="Asha Rao")
    pro = _speaks(session, make_user(session, role=Role.professional, full_name="Manju Gowda", service=plumbing),
                  "kn")
    day = (datetime.now(IST) + timedelta(days=2)).date()
    old = datetime.combine(day, time(10, 0), tzinfo=IST)
    req = make_request(session, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro,
                       scheduled_at=old)
    new = datetime.combine(day, time(15, 0), tzinfo=IST)
    bookings.transition(session=session, actor=actor_for(session, customer), request_id=req.id,
                        action="propose_time", data={"day": day.isoformat(), "time": "15:00"})
    [note] = notes_of(session, pro)
    old_kn, new_kn = when_said(old).versions["kn"], when_said(new).versions["kn"]
    assert old_kn != local_label(old) and new_kn != local_label(new)
    assert note.body == messages("kn")["svc_notices.propose_time_body"].format(
        actor="Asha", service="Plumbing", when=old_kn, new_time=new_kn)


def test_a_request_views_tracking_label_refund_and_earnings_are_said_in_hindi(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing", translations={"hi": {"name": "प्लंबिंग"}})
    customer = make_user(session, full_name="Asha Rao")
    pro = make_user(session, role=Role.professional, full_name="Ravi Kumar", service=plumbing)
    req = make_request(session, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro,
                       scheduled_at=utcnow() + timedelta(hours=1), paid=True)
    payment = session.exec(select(Payment).where(Payment.request_id == req.id)).one()
    payment.refunded_paise = 10_000
    session.add(payment)
    session.commit()

    trip = tracking.start_trip(session=session, actor=actor_for(session, pro), request_id=req.id)
    assert trip.label == "Waiting for location"
    assert say(trip.label, "hi") == messages("hi")["svc_booking.track_waiting"]

    mine = bookings.get_request(session=session, actor=actor_for(session, customer), request_id=req.id)
    assert mine.refund_note == "₹100 refunded"
    assert say(mine.refund_note, "hi") == "₹100 रिफ़ंड हुए"
    assert mine.service_name == "Plumbing" and say(mine.service_name, "hi") == "प्लंबिंग"
    theirs = bookings.get_request(session=session, actor=actor_for(session, pro), request_id=req.id)
    assert theirs.earns.startswith("You earn ₹") and theirs.earns.endswith("% commission)")
    assert say(theirs.earns, "hi").startswith("आपकी कमाई ₹")


def test_suggestions_and_outcomes_are_messages_with_the_old_english() -> None:
    three = timer_effects.suggestion(["Sunil Gowda", "Farah Khan", "Kiran Das"])
    assert three == ("Sunil Gowda, Farah Khan and Kiran Das work nearby and are available: "
                     "book one of them directly, or pick another time.")
    assert say(three, "hi").startswith("Sunil Gowda, Farah Khan और Kiran Das पास में")
    assert say(timer_effects.suggestion([]), "kn") == messages("kn")["svc_notices.suggest_none"]
    assert say(timer_effects.EXPIRED, "hi") == messages("hi")["svc_booking.expired_reason"]
    assert [str(v) for v in OUTCOMES.values()] == [
        "no action", "a refund", "a strike for the professional", "a refund and a strike for the professional"]
    assert all(say(v, "kn") != str(v) for v in OUTCOMES.values())
