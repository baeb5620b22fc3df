"""Flagged reviews: only the reviewed professional flags, once; an admin hides (it stops counting in
the rating and in quality) or keeps it, with a note the professional reads."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hsa.models import AuditLog, Notification, ProfessionalProfile, QualityLevel, RequestStatus, Review, Role
from hsa.services import quality, review_flags
from hsa.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tests.factories import actor_for, make_request, make_service, make_user


def _reviewed(session: Session, ratings: list[int]) -> tuple[dict, list[Review]]:
    service = make_service(session)
    customer = make_user(session, full_name="Asha Rao")
    pro = make_user(session, role=Role.professional, service=service, full_name="Ravi Kumar")
    other_pro = make_user(session, role=Role.professional, service=service)
    admin = make_user(session, role=Role.admin)
    reviews = []
    for rating in ratings:
        req = make_request(session, customer=customer, service=service, status=RequestStatus.completed,
                           professional=pro)
        review = Review(request_id=req.id, customer_id=customer.id, professional_id=pro.id, rating=rating,
                        comment=f"{rating} stars")
        session.add(review)
        reviews.append(review)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.rating_count, profile.rating_sum = len(ratings), sum(ratings)
    session.add(profile)
    session.commit()
    people = {"c": actor_for(session, customer), "p": actor_for(session, pro), "other": actor_for(session, other_pro),
              "admin": actor_for(session, admin), "pro": pro, "profile": profile}
    return people, reviews


def test_a_hidden_review_stops_counting_in_the_rating_and_in_quality(session: Session) -> None:
    people, reviews = _reviewed(session, [5, 5, 5, 5, 1])  # the 1★ pulls the average to 4.2: a warning
    pro_id = people["pro"].id
    assert quality.assess_professional(session, pro_id) is QualityLevel.warned
    session.commit()
    bad = reviews[-1]
    assert review_flags.flag(session=session, actor=people["p"], review_id=bad.id, reason="wrong_job",
                             note="  This was   my colleague's job ") == "waiting"
    assert review_flags.flag(session=session, actor=people["p"], review_id=bad.id, reason="abusive") == "waiting"
    session.refresh(bad)
    assert (bad.flag_reason, bad.flag_note) == ("wrong_job", "This was my colleague's job")  # repeat: unchanged
    [queued] = review_flags.queue(session=session, actor=people["admin"])
    assert (queued.customer, queued.professional, queued.reason) == ("Asha Rao", "Ravi Kumar",
                                                                    "About a different job or person")
    assert session.exec(select(Notification).where(Notification.user_id == people["admin"].id,
                                                   Notification.title == "Review flagged")).first()
    review_flags.decide(session=session, actor=people["admin"], review_id=bad.id, decision="hide",
                        note="Booking records show another professional")
    session.refresh(people["profile"])
    assert (people["profile"].rating_count, people["profile"].rating_sum) == (4, 20)
    assert quality.my_standing(session=session, actor=people["p"]).level == "ok"  # without the hidden 1★
    assert review_flags.queue(session=session, actor=people["admin"]) == []
    told = session.exec(select(Notification).where(Notification.user_id == pro_id,
                                                   Notification.title == "Flagged review hidden")).one()
    assert told.body == "Booking records show another professional"
    assert session.exec(select(AuditLog).where(AuditLog.action == "review.hidden")).one().target_id == bad.id
    with pytest.raises(Conflict):  # decided once
        review_flags.decide(session=session, actor=people["admin"], review_id=bad.id, decision="keep",
                            note="Changed my mind")


def test_keep_leaves_the_rating_and_who_may_do_what(session: Session) -> None:
    people, reviews = _reviewed(session, [2, 4])
    review = reviews[0]
    with pytest.raises(NotFound):  # another professional's review
        review_flags.flag(session=session, actor=people["other"], review_id=review.id, reason="abusive")
    with pytest.raises(Forbidden):  # customers do not flag
        review_flags.flag(session=session, actor=people["c"], review_id=review.id, reason="abusive")
    with pytest.raises(ValidationFailed):
        review_flags.flag(session=session, actor=people["p"], review_id=review.id, reason="too-low")
    with pytest.raises(NotFound):  # nothing to decide before a flag
        review_flags.decide(session=session, actor=people["admin"], review_id=review.id, decision="keep",
                            note="Fair enough")
    review_flags.flag(session=session, actor=people["p"], review_id=review.id, reason="abusive")
    with pytest.raises(Forbidden):
        review_flags.queue(session=session, actor=people["p"])
    with pytest.raises(ValidationFailed):
        review_flags.decide(session=session, actor=people["admin"], review_id=review.id, decision="keep", note="ok")
    review_flags.decide(session=session, actor=people["admin"], review_id=review.id, decision="keep",
                        note="It is about your work")
    session.refresh(people["profile"])
    session.refresh(review)
    assert (people["profile"].rating_count, people["profile"].rating_sum) == (2, 6)
    assert review_flags.flag_state(review) == "kept" and review.hidden_at is None
