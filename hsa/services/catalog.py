"""The service catalog: read by everyone (before login too), edited by admins.

Besides name, price and duration, each service carries its money policy (issue #16): the band
of prices professionals may set (a percentage of the base), HomeServe's commission, and the
cancellation fee with its free window. `hsa.services.money.pricing` applies them.

Name and description may also be given in Hindi and Kannada (issue #19): `name_hi`,
`description_kn`… are kept in `Service.translations`; an empty one falls back to English
(`hsa.services.service_names`), and one left out of the data keeps what the service has.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa.i18n import DEFAULT, LANGUAGES
from hsa.i18n.text import msg
from hsa.models import Service
from hsa.services import audit, idempotency
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.permissions import require_admin
from hsa.services.schemas import _range, field_errors
from hsa.services.service_names import FIELDS, description_of, name_of
from hsa.services.views import ServiceView

NAME_MAX, DESCRIPTION_MAX = 80, 500
OTHER_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != DEFAULT)  # ("hi", "kn")
# The form's per-language fields: (field, language, its form name, the most characters it may have).
TRANSLATED = tuple((field, lang, f"{field}_{lang}", NAME_MAX if field == "name" else DESCRIPTION_MAX)
                   for lang in OTHER_LANGUAGES for field in FIELDS)

# The limits the admin form enforces (the table's CHECK constraints are the backstop).
MinPct = Annotated[int, AfterValidator(_range(1, 100, "The lowest price must be 1–100% of the base price."))]
MaxPct = Annotated[int, AfterValidator(_range(100, 500, "The highest price must be 100–500% of the base price."))]
CommissionPct = Annotated[Decimal, Field(decimal_places=2),
                          AfterValidator(_range(0, 50, "Commission must be from 0 to 50%."))]
FeeRupees = Annotated[int, AfterValidator(_range(0, 100_000, "Enter a fee from ₹0 to ₹1,00,000."))]
FreeHours = Annotated[int, AfterValidator(_range(0, 72, "Choose from 0 to 72 hours."))]


class ServiceForm(BaseModel):
    """A catalog entry as the admin form (and the API's body) sends it. The money fields may be
    left out: a new service then gets the defaults, an edited one keeps what it has."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    name: str = Field(min_length=3, max_length=NAME_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    base_price_rupees: int = Field(ge=0, le=1_000_000)
    duration_minutes: int = Field(ge=15, le=720)
    # extras a professional may propose on one job, up to this many times the base price
    extra_cap_factor: int = Field(default=3, ge=1, le=10)
    # the professional also types the customer's code to mark the job completed
    completion_code: bool = False
    min_price_pct: MinPct | None = None          # professionals' own prices: at least this % of the base
    max_price_pct: MaxPct | None = None          # ... and at most this %
    commission_pct: CommissionPct | None = None  # HomeServe's share of the work, in % (12.5 allowed)
    cancel_fee_rupees: FeeRupees | None = None   # a late cancellation's fee (incl. GST)
    free_cancel_hours: FreeHours | None = None   # free until this long before an accepted slot
    # the name and description in Hindi and Kannada: "" clears one (English shows), None keeps it
    name_hi: str | None = Field(default=None, max_length=NAME_MAX)
    description_hi: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    name_kn: str | None = Field(default=None, max_length=NAME_MAX)
    description_kn: str | None = Field(default=None, max_length=DESCRIPTION_MAX)


def to_view(service: Service) -> ServiceView:
    assert service.id is not None
    """The name and description are `Localized`: English as str, every translation in `.versions`."""
    return ServiceView(id=service.id, name=name_of(service), description=description_of(service),
                       base_price_paise=service.base_price_paise,
                       duration_minutes=service.duration_minutes, is_active=service.is_active,
                       extra_cap_factor=service.extra_cap_factor, completion_code=service.completion_code,
                       min_price_pct=service.min_price_pct, max_price_pct=service.max_price_pct,
                       commission_bps=service.commission_bps, cancel_fee_paise=service.cancel_fee_paise,
                       free_cancel_hours=service.free_cancel_hours)


def list_active_services(*, session: Session, actor: Actor | None = None) -> list[ServiceView]:
    """Public: the catalog is shown before login (landing page, registration form)."""
    rows = session.exec(select(Service).where(Service.is_active == True).order_by(Service.name))  # noqa: E712
    return [to_view(s) for s in rows]


def list_services(*, session: Session, actor: Actor | None) -> list[ServiceView]:
    """Every service, active first (admins only: inactive ones are hidden from everyone else)."""
    require_admin(actor)
    return [to_view(s) for s in session.exec(select(Service).order_by(col(Service.is_active).desc(), Service.name))]


def _apply_money(service: Service, form: ServiceForm) -> None:
    """Set the money fields the form sent (None: keep the service's, or the defaults when new)."""
    if form.min_price_pct is not None:
        service.min_price_pct = form.min_price_pct
    if form.max_price_pct is not None:
        service.max_price_pct = form.max_price_pct
    if form.commission_pct is not None:
        service.commission_bps = int(form.commission_pct * 100)
    if form.cancel_fee_rupees is not None:
        service.cancel_fee_paise = form.cancel_fee_rupees * 100
    if form.free_cancel_hours is not None:
        service.free_cancel_hours = form.free_cancel_hours


def _parse(data: dict) -> ServiceForm:
    """The form, or every field's message at once (a translation too long says which one)."""
    errors: dict[str, str] = {}
    form: ServiceForm | None = None
    try:
        form = ServiceForm.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
    for _, _, key, most in TRANSLATED:
        value = data.get(key)
        if isinstance(value, str) and len(value.strip()) > most:
            errors[key] = msg(f"admin_catalog.{key}_too_long", max=most)
    if errors or form is None:
        raise ValidationFailed(errors)
    return form


def _apply_translations(service: Service, form: ServiceForm) -> None:
    """Keep each translation the form sent (trimmed); an empty one is dropped, so English shows."""
    kept = {lang: dict(texts) for lang, texts in (service.translations or {}).items() if isinstance(texts, dict)}
    for field, lang, key, _ in TRANSLATED:
        value = getattr(form, key)
        if value is None:
            continue
        if value:
            kept.setdefault(lang, {})[field] = value
        else:
            kept.get(lang, {}).pop(field, None)
    service.translations = {lang: texts for lang, texts in kept.items() if texts}  # a new dict: saved as changed


def save_service(*, session: Session, actor: Actor | None, data: dict, service_id: int | None = None,
                 idempotency_key: str | None = None) -> int:
    """Create (service_id None) or edit a service; names are unique ignoring case. A repeat with
    the same idempotency key returns the first call's service id.

    Narrowing a band changes no stored price: `pricing.price_of` clamps a professional's old price
    into the new band wherever it is shown or booked, and widening it again brings theirs back."""
    actor = require_admin(actor)
    key, scope = idempotency.clean(idempotency_key), f"service.save:{service_id or 'new'}"
    if (done := idempotency.replay(session, actor, scope, key)) is not None:
        return int(done)
    form = _parse(data)
    clash = session.exec(select(Service.id).where(func.lower(Service.name) == form.name.lower(),
                                                  Service.id != (service_id or 0))).first()
    if clash is not None:
        raise ValidationFailed({"name": msg("admin_catalog.name_taken")})
    service = Service(name=form.name, base_price_paise=0, duration_minutes=60) if service_id is None \
        else session.get(Service, service_id)
    if service is None:
        raise NotFound("service")
    service.name, service.description = form.name, form.description
    service.base_price_paise, service.duration_minutes = form.base_price_rupees * 100, form.duration_minutes
    service.extra_cap_factor, service.completion_code = form.extra_cap_factor, form.completion_code
    _apply_money(service, form)
    _apply_translations(service, form)
    session.add(service)
    session.flush()
    audit.record(session=session, actor_id=actor.id, action="service.create" if service_id is None
                 else "service.update", target_type="service", target_id=service.id, name=form.name,
                 extra_cap_factor=form.extra_cap_factor, completion_code=form.completion_code,
                 price_band_pct=[service.min_price_pct, service.max_price_pct], commission_bps=service.commission_bps,
                 cancel_fee_paise=service.cancel_fee_paise, free_cancel_hours=service.free_cancel_hours,
                 translated=sorted(service.translations))
    idempotency.remember(session, actor, scope, key, service.id)
    replayed = idempotency.committed(session, actor, scope, key, session.commit, int)
    if replayed is not None:
        return replayed
    assert service.id is not None
    return service.id


def set_service_active(*, session: Session, actor: Actor | None, service_id: int, active: bool) -> None:
    """Deactivate instead of deleting: history keeps pointing at the service."""
    actor = require_admin(actor)
    service = session.get(Service, service_id)
    if service is None:
        raise NotFound("service")
    service.is_active = active
    session.add(service)
    audit.record(session=session, actor_id=actor.id, action="service.activate" if active else "service.deactivate",
                 target_type="service", target_id=service_id)
    session.commit()
