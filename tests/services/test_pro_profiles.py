"""Public professional profiles, favourites and "Book again" (issue #19)."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from sqlmodel import select

from hsa.models import ApprovalStatus, Favourite, ProfessionalProfile, RequestStatus, Review, Role, UserStatus, utcnow
from hsa.services import bookings, favourites, pro_profiles
from hsa.services.errors import Forbidden, NotFound, ValidationFailed
from tests.factories import actor_for, make_request, make_service, make_user
from tests.files import HTML, pdf, png


def _reviewed(session, pro, service, ratings: list[int]) -> None:  # noqa: ANN001
    for i, stars in enumerate(ratings):
        customer = make_user(session, full_name=f"Asha Rao{i}" if i else "Asha Rao")
        req = make_request(session, customer=customer, service=service, status=RequestStatus.closed, professional=pro)
        session.add(Review(request_id=req.id, customer_id=customer.id, professional_id=pro.id, rating=stars,
                           comment=f"review {i}"))
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.rating_count, profile.rating_sum = len(ratings), sum(ratings)
    session.commit()


def test_the_profile_shows_ratings_reviews_and_jobs_and_nothing_private(session) -> None:  # noqa: ANN001
    service = make_service(session, name="Plumbing Profile")
    pro = make_user(session, role=Role.professional, service=service, full_name="Ravi Kumar", pincode="560034")
    _reviewed(session, pro, service, [5, 5, 4, 5, 1, 3, 5])
    make_request(session, customer=make_user(session), service=service, status=RequestStatus.cancelled,
                 professional=pro)
    hidden = session.exec(select(Review).where(Review.rating == 1)).one()
    hidden.hidden_at = utcnow()  # a moderator hid it: it counts nowhere, shows nowhere
    session.commit()

    view = pro_profiles.public_profile(session=session, actor=None, user_id=pro.id)  # a guest
    assert view.full_name == "Ravi Kumar" and view.service_name == "Plumbing Profile"
    assert dict(view.distribution) == {5: 4, 4: 1, 3: 1, 2: 0, 1: 0}
    assert view.jobs_completed == 7  # closed jobs; the cancelled one is not work done
    assert len(view.reviews) == 5 and view.more_reviews
    assert view.reviews[0].by.startswith("Asha R") and view.reviews[0].by.endswith(".")
    assert "Koramangala" in view.area and "up to 15 km" in view.area
    more = pro_profiles.public_profile(session=session, actor=None, user_id=pro.id, reviews=10)
    assert len(more.reviews) == 6 and not more.more_reviews
    text = repr(asdict(view))
    for private in (pro.email, pro.phone, pro.address, "560034"):
        assert private not in text


@pytest.mark.parametrize("who", ["pending", "blocked", "customer"])
def test_only_approved_active_professionals_have_a_profile(session, who: str) -> None:  # noqa: ANN001
    user = {"pending": lambda: make_user(session, role=Role.professional, approval=ApprovalStatus.pending),
            "blocked": lambda: make_user(session, role=Role.professional, status=UserStatus.blocked),
            "customer": lambda: make_user(session)}[who]()
    with pytest.raises(NotFound):
        pro_profiles.public_profile(session=session, actor=None, user_id=user.id)
    with pytest.raises(NotFound):
        favourites.save(session=session, actor=actor_for(session, make_user(session)), professional_id=user.id)


def test_favourites_save_once_list_and_forget(session) -> None:  # noqa: ANN001
    service = make_service(session)
    pro = make_user(session, role=Role.professional, service=service, full_name="Farah Khan")
    customer = actor_for(session, make_user(session))
    assert favourites.save(session=session, actor=customer, professional_id=pro.id)
    assert favourites.save(session=session, actor=customer, professional_id=pro.id)  # a double click
    assert len(session.exec(select(Favourite)).all()) == 1
    assert pro_profiles.public_profile(session=session, actor=customer, user_id=pro.id).favourite
    [saved] = favourites.list_favourites(session=session, actor=customer)
    assert (saved.full_name, saved.service_id, saved.bookable) == ("Farah Khan", service.id, True)
    assert not favourites.remove(session=session, actor=customer, professional_id=pro.id)
    assert favourites.list_favourites(session=session, actor=customer) == []
    with pytest.raises(Forbidden):
        favourites.save(session=session, actor=actor_for(session, pro), professional_id=pro.id)


def test_photo_is_checked_by_content_and_served_only_for_a_public_profile(session) -> None:  # noqa: ANN001
    pro = make_user(session, role=Role.professional)
    actor = actor_for(session, pro)
    for bad in (HTML, pdf(), b"", png() + b"\0" * (pro_profiles.PHOTO_MAX_BYTES + 1)):
        with pytest.raises(ValidationFailed) as caught:
            pro_profiles.upload_photo(session=session, actor=actor, data=bad)
        assert "photo" in caught.value.fields
    with pytest.raises(NotFound):
        pro_profiles.photo_bytes(session=session, user_id=pro.id)
    url = pro_profiles.upload_photo(session=session, actor=actor, data=png(4, 4))
    assert url.startswith(f"/api/v1/pros/{pro.id}/photo?v=")
    data, mime, _ = pro_profiles.photo_bytes(session=session, user_id=pro.id)
    assert data == png(4, 4) and mime == "image/png"
    assert pro_profiles.public_profile(session=session, actor=None, user_id=pro.id).photo_url == url
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.approval_status = ApprovalStatus.rejected
    session.commit()
    with pytest.raises(NotFound):
        pro_profiles.photo_bytes(session=session, user_id=pro.id)


def test_languages_keep_known_codes_in_order(session) -> None:  # noqa: ANN001
    pro = make_user(session, role=Role.professional)
    names = pro_profiles.set_languages(session=session, actor=actor_for(session, pro), codes=["kn", "xx", "en"])
    assert names == ("English", "ಕನ್ನಡ (Kannada)")
    assert pro_profiles.public_profile(session=session, actor=None, user_id=pro.id).languages == names


def test_a_finished_job_offers_book_again_to_its_customer_only(session) -> None:  # noqa: ANN001
    service = make_service(session)
    pro = make_user(session, role=Role.professional, service=service)
    owner = make_user(session)
    done = make_request(session, customer=owner, service=service, status=RequestStatus.closed, professional=pro)
    live = make_request(session, customer=owner, service=service, status=RequestStatus.assigned, professional=pro)
    views = {v.id: v for v in bookings.list_customer_requests(session=session, actor=actor_for(session, owner))}
    assert views[done.id].rebook and views[done.id].professional_ref == pro.id
    assert not views[live.id].rebook
    admin = actor_for(session, make_user(session, role=Role.admin))
    assert not bookings.get_request(session=session, actor=admin, request_id=done.id).rebook
