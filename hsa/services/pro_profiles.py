"""A professional's public profile (issue #19): what a customer reads before booking someone.

Public means exactly this and nothing more: name, photo, service, years, bio, rating with its
distribution, the latest reviews (reviewers by first name and initial), jobs completed, languages
spoken and the area served (a locality and a radius — never their address, pincode, phone or
email). Only approved professionals with an active account have one; anyone else is "not found",
like an unknown id. Photos are content-checked like the verification documents (PNG or JPEG,
2 MB) and stored privately; `photo_bytes` serves only an approved professional's current photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import (
    FINISHED,
    ApprovalStatus,
    Favourite,
    ProfessionalProfile,
    Review,
    Role,
    Service,
    ServiceRequest,
    User,
    UserStatus,
)
from hsa.services import audit, private_files, search, throttle
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.local_words import when_said
from hsa.services.permissions import require_role
from hsa.services.pincodes import locality
from hsa.services.service_names import name_of
from hsa.services.views import rupees

LANGUAGES: dict[str, str] = {  # code -> how the language names itself, then in English
    "en": "English", "hi": "हिन्दी (Hindi)", "kn": "ಕನ್ನಡ (Kannada)", "ta": "தமிழ் (Tamil)",
    "te": "తెలుగు (Telugu)", "ml": "മലയാളം (Malayalam)", "mr": "मराठी (Marathi)", "bn": "বাংলা (Bengali)",
    "gu": "ગુજરાતી (Gujarati)", "ur": "اردو (Urdu)",
}
REVIEWS_PAGE, REVIEWS_MAX = 5, 100
PHOTO_ALLOWED = {"image/png": "png", "image/jpeg": "jpg"}
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_LIMIT = "10/hour;30/day"
PHOTO_URL = "/api/v1/pros/{user_id}/photo?v={version}"


@dataclass(frozen=True)
class PublicReview:
    rating: int
    comment: str
    by: str      # "Asha R."
    when: str


@dataclass(frozen=True)
class PublicProfile:
    user_id: int
    full_name: str
    service_id: int
    service_name: str
    experience_years: int
    bio: str
    photo_url: str                              # '' without a photo
    rating: str                                 # "4.6" ('' before the first review)
    rating_count: int
    distribution: tuple[tuple[int, int], ...]   # (5, n), (4, n) … (1, n)
    jobs_completed: int
    languages: tuple[str, ...]
    area: str                                   # "Koramangala, Bengaluru Urban · up to 15 km away"
    price: str                                  # '' when not taking bookings now
    bookable: bool
    reviews: tuple[PublicReview, ...]
    more_reviews: bool
    favourite: bool                             # the viewing customer saved them


def _reviewer(name: str | None, status: UserStatus | None) -> str:
    if not name or status is UserStatus.deleted:
        return msg("svc_booking.profile_a_customer")
    parts = name.split()
    return parts[0] + (f" {parts[-1][0]}." if len(parts) > 1 else "")


def _profile_row(session: Session, user_id: int) -> tuple[User, ProfessionalProfile, Service]:
    row = session.exec(
        select(User, ProfessionalProfile, Service)
        .join(ProfessionalProfile, col(ProfessionalProfile.user_id) == User.id)
        .join(Service, col(Service.id) == ProfessionalProfile.service_id)
        .where(User.id == user_id, User.role == Role.professional, User.status == UserStatus.active,
               ProfessionalProfile.approval_status == ApprovalStatus.approved)).first()
    if row is None:
        raise NotFound("professional")
    return row


def photo_url(user_id: int, stored_name: str | None) -> str:
    """The public photo's URL ('' without one); the stored name's start busts caches on a new photo."""
    return PHOTO_URL.format(user_id=user_id, version=stored_name[:8]) if stored_name else ""


def language_names(codes: str) -> tuple[str, ...]:
    return tuple(LANGUAGES[c] for c in codes.split(",") if c in LANGUAGES)


def public_profile(*, session: Session, actor: Actor | None, user_id: int,
                   reviews: int = REVIEWS_PAGE) -> PublicProfile:
    """The profile anyone may read (guests too); NotFound for anyone not approved and active."""
    user, profile, service = _profile_row(session, user_id)
    shown = max(1, min(int(reviews), REVIEWS_MAX))
    visible = (Review.professional_id == user_id, col(Review.hidden_at).is_(None))
    counts = dict(session.exec(select(Review.rating, func.count()).where(*visible).group_by(Review.rating)).all())
    rows = session.exec(select(Review, User.full_name, User.status).join(User, col(User.id) == Review.customer_id)
                        .where(*visible).order_by(col(Review.created_at).desc(), col(Review.id).desc())
                        .limit(shown + 1)).all()
    done = session.exec(select(func.count()).select_from(ServiceRequest).where(
        ServiceRequest.professional_id == user_id, col(ServiceRequest.status).in_(FINISHED))).one()
    card = search.card_of(session, user_id)
    favourite = actor is not None and actor.role is Role.customer and session.exec(
        select(Favourite.id).where(Favourite.customer_id == actor.id, Favourite.professional_id == user_id)
    ).first() is not None
    place = locality(user.pincode)
    return PublicProfile(
        user_id=user_id, full_name=user.full_name, service_id=service.id or 0, service_name=name_of(service),
        experience_years=profile.experience_years, bio=profile.bio,
        photo_url=photo_url(user_id, profile.photo_stored_name),
        rating=f"{profile.rating_sum / profile.rating_count:.1f}" if profile.rating_count else "",
        rating_count=profile.rating_count, distribution=tuple((n, int(counts.get(n, 0))) for n in (5, 4, 3, 2, 1)),
        jobs_completed=int(done), languages=language_names(profile.languages),
        area=msg("svc_booking.profile_area", place=place, km=profile.service_radius_km) if place
        else msg("svc_booking.profile_radius", km=profile.service_radius_km),
        price=rupees(card.price_paise) if card else "", bookable=card is not None,
        reviews=tuple(PublicReview(r.rating, r.comment, _reviewer(name, status), when_said(r.created_at))
                      for r, name, status in rows[:shown]),
        more_reviews=len(rows) > shown, favourite=favourite)


# ---------------------------------------------------------------- the professional's own part


def set_languages(*, session: Session, actor: Actor | None, codes: list[str]) -> tuple[str, ...]:
    """The languages a professional speaks (known codes only, in the list's order)."""
    actor = require_role(actor, Role.professional)
    chosen = [c for c in LANGUAGES if c in set(codes)]
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == actor.id)).one()
    profile.languages = ",".join(chosen)
    session.add(profile)
    session.commit()
    return language_names(profile.languages)


def own_public_part(*, session: Session, actor: Actor | None) -> tuple[tuple[str, ...], str]:
    """The professional's language codes and photo URL, as their public profile shows them."""
    actor = require_role(actor, Role.professional)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == actor.id)).one()
    codes = tuple(c for c in profile.languages.split(",") if c in LANGUAGES)
    return codes, photo_url(actor.id, profile.photo_stored_name)


def photos_dir() -> Path:
    return private_files.folder("photos")


def upload_photo(*, session: Session, actor: Actor | None, data: bytes) -> str:
    """A professional's profile photo (replacing the old one); returns its URL."""
    actor = require_role(actor, Role.professional)
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationFailed({"photo": msg("svc_booking.photo_too_big")})
    mime = private_files.sniff(data, allowed=PHOTO_ALLOWED, field="photo", kinds=msg("svc_booking.kinds_profile_photo"))
    if (wait := throttle.take(PHOTO_LIMIT, "profile-photo", str(actor.id))) > 0:
        raise ValidationFailed({"photo": msg("svc_booking.too_many_photos", wait=throttle.in_words(wait))})
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == actor.id)).one()
    stored, old = private_files.store(photos_dir(), data, PHOTO_ALLOWED[mime]), profile.photo_stored_name
    profile.photo_stored_name, profile.photo_content_type = stored, mime
    session.add(profile)
    audit.record(session=session, actor_id=actor.id, action="profile.photo", target_type="user", target_id=actor.id,
                 size=len(data), type=mime)
    private_files.commit_swap(session, photos_dir(), stored, old)
    return photo_url(actor.id, stored)


def photo_bytes(*, session: Session, user_id: int) -> tuple[bytes, str, str]:
    """An approved, active professional's current photo (the public endpoint); NotFound otherwise."""
    _, profile, _ = _profile_row(session, user_id)
    if not profile.photo_stored_name or not profile.photo_content_type:
        raise NotFound("photo")
    data = (photos_dir() / profile.photo_stored_name).read_bytes()
    return data, profile.photo_content_type, f"photo.{PHOTO_ALLOWED[profile.photo_content_type]}"


def delete_photo_file(profile: ProfessionalProfile) -> None:
    """Account deletion: the photo goes with the person."""
    private_files.remove(photos_dir(), profile.photo_stored_name)
    profile.photo_stored_name = profile.photo_content_type = None


__all__ = ["LANGUAGES", "PublicProfile", "PublicReview", "delete_photo_file", "language_names", "photo_bytes",
           "own_public_part", "public_profile", "set_languages", "upload_photo"]
