"""Labels services build for people (issue #19) are said in the reader's language, English unchanged.

Quality notices, report and flag notices, a chat's title and its "New message" notice, device names,
profile areas, recommendation reasons, forecast notes and masked numbers: each is a message (`msg`)
or a `Localized` whose English value is the exact text it always was.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from sqlmodel import Session, select

from hsa.i18n.catalog import messages
from hsa.i18n.text import say
from hsa.models import ProfessionalProfile, Report, RequestStatus, Review, Role, Service, User, utcnow
from hsa.services import account_sessions, chat, pro_profiles, quality, reports, review_flags, sessions
from hsa.services.contact_mask import PHONE_HIDDEN, said
from hsa.services.intelligence import demand_job, recommend
from hsa.services.intelligence import recommend_model as rm
from hsa.services.local_words import when_said
from hsa.settings import Settings
from tests.factories import actor_for, make_request, make_service, make_user, notes_of
from tests.factories import speaks as _speaks

S = Settings.model_construct()  # the documented defaults: min 5 jobs, warn 4.5, suspend 4.0
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0 Mobile Safari/537.36")


def _plumbing(session: Session) -> Service:
    service = make_service(session, name="Plumbing", translations={"hi": {"name": "प्लंबिंग"}, "kn": {"name": "ಪ್ಲಂಬಿಂಗ್"}})
    return service



def _rate(session: Session, pro: User, customer: User, service: Service, *ratings: int) -> None:
    for r in ratings:
        req = make_request(session, customer=customer, service=service, status=RequestStatus.closed, professional=pro)
        session.add(Review(request_id=req.id, customer_id=customer.id, professional_id=pro.id, rating=r,
                           created_at=utcnow()))
    session.commit()


def test_the_rules_reasons_keep_their_english_and_say_themselves() -> None:
    warned = quality.judge([5, 5, 4, 4, 4], 0, S)
    assert warned.reason == ("Your average 4.40★ over your last 5 rated jobs is below 4.5★. "
                             "Below 4★ new jobs stop until we review.")
    assert say(warned.reason, "hi") == messages("hi")["svc_admin.quality_average_warned"].format(
        count=5, average="4.40", limit="4.5", suspend="4")
    struck = quality.judge([5] * 20, 4, S)
    assert struck.reason == "You have 4 strikes in 90 days (late cancellations, no-shows, disputes)."
    assert say(struck.reason, "kn") == "ನಿಮಗೆ 90 ದಿನಗಳಲ್ಲಿ 4 ಸ್ಟ್ರೈಕ್‌ಗಳು ಇವೆ (ತಡವಾದ ರದ್ದತಿಗಳು, ಬಾರದಿರುವುದು, ವಿವಾದಗಳು)."
    assert quality.judge([5] * 20, 2, S).reason == "You have 2 strikes in 90 days. At 4 new jobs stop until we review."


def test_a_quality_warning_reaches_a_hindi_professional_in_hindi(session: Session) -> None:
    plumbing = _plumbing(session)
    pro = _speaks(session, make_user(session, role=Role.professional, service=plumbing, full_name="Ravi Kumar"), "hi")
    _rate(session, pro, make_user(session), plumbing, 5, 5, 4, 4, 4)
    assert quality.assess_professional(session, pro.id).value == "warned"
    session.commit()
    [note] = notes_of(session, pro)
    assert note.title == messages("hi")["svc_admin.quality_warning_title"] != "Quality warning"
    assert note.body.startswith("आपके पिछले 5 रेटिंग वाले कामों की औसत रेटिंग 4.40★ है")
    # the stored (English) reason is read back as a message: the page says it in Hindi too
    view = quality.my_standing(session=session, actor=actor_for(session, pro))
    assert view.reason.startswith("Your average 4.40★") and say(view.reason, "hi") == note.body


def test_a_suspension_tells_a_kannada_admin_in_kannada_with_the_name_as_written(session: Session) -> None:
    plumbing = _plumbing(session)
    admin = _speaks(session, make_user(session, role=Role.admin), "kn")
    pro = make_user(session, role=Role.professional, service=plumbing, full_name="Ravi Kumar")  # English
    _rate(session, pro, make_user(session), plumbing, 4, 4, 4, 4, 3)
    assert quality.assess_professional(session, pro.id).value == "suspended"
    session.commit()
    [told] = notes_of(session, admin)
    assert told.title == messages("kn")["svc_admin.quality_review_title"]
    assert told.body.startswith("Ravi Kumar: ನಿಮ್ಮ ಕೊನೆಯ 5 ರೇಟಿಂಗ್")
    [paused] = notes_of(session, pro)
    assert paused.title == "New jobs paused"
    assert paused.body == ("Your average 3.80★ over your last 5 rated jobs is below 4★. "
                           + messages("en")["svc_admin.suspended"])


def test_reports_and_flags_tell_admins_in_their_language(session: Session) -> None:
    plumbing = _plumbing(session)
    admin = _speaks(session, make_user(session, role=Role.admin), "hi")
    customer, pro = make_user(session), make_user(session, role=Role.professional, service=plumbing)
    req = make_request(session, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro)
    reports.file(session=session, actor=actor_for(session, customer), request_id=req.id, reason="fraud")
    [note] = notes_of(session, admin)
    assert note.title == "नई रिपोर्ट" and note.body == f"धोखाधड़ी या ठगी: बुकिंग #{req.id}।"
    assert reports.REASONS[reports.ReportReason.fraud] == "Fraud or a scam"  # the mapping keeps its English
    assert review_flags.REASONS[review_flags.FlagReason.abusive] == "Abusive or offensive"
    view = reports.queue(session=session, actor=actor_for(session, admin))[0]
    filed = session.exec(select(Report.created_at)).one()
    assert say(view.reason, "kn") == "ವಂಚನೆ ಅಥವಾ ಮೋಸ" and say(view.when, "hi") == when_said(filed).versions["hi"]


def test_a_device_is_said_in_kannada_and_stays_english_when_stored(session: Session) -> None:
    me = make_user(session)
    token = sessions.issue_session(session=session, user_id=me.id, device=ANDROID)
    sessions.issue_session(session=session, user_id=me.id, device="")
    session.commit()
    views = account_sessions.list_own(session=session, actor=sessions.resolve_actor(session=session, token=token),
                                      current_token=token)
    assert [v.device for v in views] == ["Chrome on Android", "Unknown device"]
    assert say(views[0].device, "kn") == "Android ನಲ್ಲಿ Chrome"
    assert say(views[1].device, "hi") == "अनजान डिवाइस"
    assert say(views[0].signed_in, "hi") != views[0].signed_in  # the time in Hindi words too
    assert sessions.device_said("Firefox") == "Firefox"  # a bare name stays as stored


def test_a_chat_is_titled_with_the_hindi_service_name_and_its_notice_is_found_in_any_language(
        session: Session) -> None:
    plumbing = _plumbing(session)
    customer = _speaks(session, make_user(session, full_name="Asha Rao"), "hi")
    pro = make_user(session, role=Role.professional, service=plumbing, full_name="Ravi Kumar")
    req = make_request(session, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro)
    view = chat.thread(session=session, actor=actor_for(session, customer), request_id=req.id)
    when = when_said(req.scheduled_at)
    assert view.title == f"Plumbing · {when}"  # English, as before
    assert say(view.title, "hi") == f"प्लंबिंग · {when.versions['hi']}"
    p = actor_for(session, pro)
    chat.send(session=session, actor=p, request_id=req.id, body="Call me on 98765 43210")
    chat.send(session=session, actor=p, request_id=req.id, body="On my way")  # still one unread notice
    [note] = notes_of(session, customer)
    assert note.title == "नया मैसेज" and note.body == "Ravi ने बुकिंग के बारे में मैसेज भेजा।"
    masked = chat.thread(session=session, actor=actor_for(session, customer), request_id=req.id).messages[0]
    assert masked.body == f"Call me on {PHONE_HIDDEN}" and say(masked.body, "hi") == "Call me on [नंबर छिपाया गया]"
    assert chat.mark_read(session=session, actor=actor_for(session, customer), request_id=req.id) == 2
    [note] = notes_of(session, customer)
    assert note.read_at is not None  # reading the thread read the Hindi notice
    assert said("no numbers here") == "no numbers here"


def test_a_profile_area_and_review_names_in_the_readers_language(session: Session) -> None:
    plumbing = _plumbing(session)
    pro = make_user(session, role=Role.professional, service=plumbing, full_name="Ravi Kumar")
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.service_radius_km = 12
    session.add(profile)
    session.commit()
    p = pro_profiles.public_profile(session=session, actor=None, user_id=pro.id)
    assert p.area.endswith(" · up to 12 km away") and p.service_name == "Plumbing"
    assert say(p.area, "hi").endswith(" · 12 कि.मी. दूर तक") and say(p.service_name, "kn") == "ಪ್ಲಂಬಿಂಗ್"


def test_forecast_notes_and_recommendation_reasons_are_messages() -> None:
    choice = demand_job.choose(np.array([3.0] * 5), [], ())
    assert choice.note == "Too little history (5 days): the daily average."
    assert say(choice.note, "hi") == "इतिहास बहुत कम है (5 दिन): रोज़ का औसत।"
    card = SimpleNamespace(full_name="Ravi Kumar")
    again = recommend._reason(rm.Pick(1, rm.Reason.book_again, 1.0, rating=5), card, {}, "560034")  # type: ignore[arg-type]
    assert again == "You rated Ravi 5★" and say(again, "kn") == "ನೀವು Ravi ಅವರಿಗೆ 5★ ನೀಡಿದ್ದೀರಿ"
    local = recommend._reason(rm.Pick(1, rm.Reason.local, 1.0), card, {}, "560034")  # type: ignore[arg-type]
    assert local == "Popular with customers in 560034" and say(local, "hi") == "560034 के ग्राहकों में लोकप्रिय"
