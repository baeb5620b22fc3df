"""Search ranking: shrunk rating first, distance next; only bookable professionals appear."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hsa.models import ApprovalStatus, ProfessionalProfile, Role, User, UserStatus
from hsa.services import search
from hsa.services.errors import ValidationFailed
from tests.factories import actor_for, make_service, make_user


def _pro(session: Session, service, name: str, pincode: str, ratings: tuple[int, int] = (0, 0),  # noqa: ANN001
         **kwargs: object) -> User:
    user = make_user(session, role=Role.professional, service=service, full_name=name, pincode=pincode, **kwargs)
    profile = session.exec(
        select(ProfessionalProfile).where(ProfessionalProfile.user_id == user.id)).one()
    profile.rating_count, profile.rating_sum = ratings
    profile.service_radius_km = 50
    session.add(profile)
    session.commit()
    return user


def _names(cards: list[search.ProfessionalCard]) -> list[str]:
    return [c.full_name for c in cards]


def test_one_perfect_review_does_not_beat_two_hundred_great_ones(session: Session) -> None:
    plumbing = make_service(session)
    _pro(session, plumbing, "One Review", "560034", (1, 5))
    _pro(session, plumbing, "Two Hundred", "560034", (200, 960))  # 4.8 average
    customer = actor_for(session, make_user(session))
    cards = search.search_professionals(session=session, actor=customer, service_id=plumbing.id, pincode="560034")
    assert _names(cards) == ["Two Hundred", "One Review"]
    assert cards[0].rating_avg == 4.8 and cards[1].rating_avg == 5.0


def test_known_fixture_orders_by_rating_then_distance(session: Session) -> None:
    plumbing, painting = make_service(session), make_service(session)
    # Customer in Koramangala (560034). Distances from pincode centroids:
    _pro(session, plumbing, "Near Good", "560034", (50, 225))      # 4.5 avg, ~0 km
    _pro(session, plumbing, "Far Good", "560066", (50, 225))       # 4.5 avg, Whitefield ~13 km
    _pro(session, plumbing, "Near Great", "560095", (100, 490))    # 4.9 avg, ~2 km
    _pro(session, plumbing, "New Nearby", "560034")                 # no reviews: prior 4.0
    _pro(session, plumbing, "Pending", "560034", (100, 500), approval=ApprovalStatus.pending)
    _pro(session, plumbing, "Blocked", "560034", (100, 500), status=UserStatus.blocked)
    _pro(session, plumbing, "Mumbai", "400001", (100, 500))        # outside every radius
    _pro(session, painting, "Painter", "560034", (100, 500))
    off = _pro(session, plumbing, "Off Duty", "560034", (100, 500))
    profile = session.exec(select(ProfessionalProfile)
                           .where(ProfessionalProfile.user_id == off.id)).one()
    profile.is_available = False
    session.add(profile)
    session.commit()
    customer = actor_for(session, make_user(session))
    cards = search.search_professionals(session=session, actor=customer, service_id=plumbing.id, pincode="560034")
    assert _names(cards) == ["Near Great", "Near Good", "Far Good", "New Nearby"]
    far = cards[2]
    assert far.distance_km is not None and 10 < far.distance_km < 20
    assert [c.score for c in cards] == sorted((c.score for c in cards), reverse=True)


def test_name_filter_and_no_pincode(session: Session) -> None:
    plumbing = make_service(session)
    _pro(session, plumbing, "Ravi Kumar", "560034", (10, 45))
    _pro(session, plumbing, "Sunil Gowda", "400001", (10, 50))
    customer = actor_for(session, make_user(session))
    assert _names(search.search_professionals(session=session, actor=customer, q="ravi")) == ["Ravi Kumar"]
    everyone = search.search_professionals(session=session, actor=customer, service_id=plumbing.id)
    assert _names(everyone) == ["Sunil Gowda", "Ravi Kumar"] and everyone[0].distance_km is None


def test_invalid_pincode_is_a_field_error(session: Session) -> None:
    customer = actor_for(session, make_user(session))
    with pytest.raises(ValidationFailed) as exc:
        search.search_professionals(session=session, actor=customer, pincode="000000")
    assert "pincode" in exc.value.fields


def test_bayes_formula() -> None:
    assert search.bayes_rating(0, 0) == search.PRIOR_MEAN
    assert search.bayes_rating(5, 1) < search.bayes_rating(960, 200)


def test_locality_name_searches_around_its_pincode(session: Session) -> None:
    plumbing = make_service(session)
    _pro(session, plumbing, "Koramangala Plumber", "560034", (10, 45))
    _pro(session, plumbing, "Chennai Plumber", "600020", (10, 45))
    customer = actor_for(session, make_user(session, pincode="600001"))  # lives in Chennai
    cards = search.search_professionals(session=session, actor=customer, pincode="Koramangala")
    assert _names(cards) == ["Koramangala Plumber"] and cards[0].distance_km is not None
    # "Adyar" is a town in Maharashtra too: the customer's own city decides
    assert _names(search.search_professionals(session=session, actor=customer, pincode="adyar")) == [
        "Chennai Plumber"]
    with pytest.raises(ValidationFailed) as exc:
        search.search_professionals(session=session, actor=customer, pincode="Atlantis%")
    assert "locality" in exc.value.fields["pincode"]
