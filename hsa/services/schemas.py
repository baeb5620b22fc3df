"""Input schemas: every form and API body is parsed here, so rules are written once.

Messages are written for people; `field_errors` turns pydantic's errors into a
{field: message} map that the UI shows beside each input.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hsa.i18n.text import msg
from hsa.services.errors import ValidationFailed
from hsa.services.password_policy import weakness
from hsa.services.pincodes import is_valid_pincode, normalize_pincode

PASSWORD_MIN = 8
PASSWORD_MAX_BYTES = 72  # bcrypt ignores everything after 72 bytes; refuse instead of truncating


def _email(value: str) -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(msg("svc_account.bad_email")) from exc


def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value.strip(), "IN")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(msg("svc_account.bad_phone")) from exc
    if not phonenumbers.is_valid_number(number) or number.country_code != 91:
        raise ValueError(msg("svc_account.bad_phone"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _pincode(value: str) -> str:
    """'560 034' and '560-034' are how people write 560034: accept them, store the six digits."""
    value = normalize_pincode(value)
    if not is_valid_pincode(value):
        raise ValueError(msg("svc_account.bad_pincode"))
    return value


def _password(value: str) -> str:
    if len(value) < PASSWORD_MIN:
        raise ValueError(msg("svc_account.password_min", count=PASSWORD_MIN))
    if len(value.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise ValueError(msg("svc_account.password_max", count=PASSWORD_MAX_BYTES))
    if (problem := weakness(value)) is not None:
        raise ValueError(problem)
    return value


def _name(value: str) -> str:
    value = " ".join(value.split())
    if len(value) < 2:
        raise ValueError(msg("svc_account.full_name"))
    return value


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Phone = Annotated[str, Field(max_length=20), AfterValidator(_phone)]
Pincode = Annotated[str, Field(max_length=10), AfterValidator(_pincode)]
Password = Annotated[str, AfterValidator(_password)]
FullName = Annotated[str, Field(max_length=100), AfterValidator(_name)]
Address = Annotated[str, Field(min_length=5, max_length=300)]


FormT = TypeVar("FormT", bound=BaseModel)


class _Form(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class CustomerRegistration(_Form):
    full_name: FullName
    email: Email
    phone: Phone
    password: Password
    address: Address
    pincode: Pincode

    @model_validator(mode="after")
    def _not_own_details(self) -> CustomerRegistration:
        """A password built from the person's own name, email or number is easy to guess for them."""
        problem = weakness(self.password, (self.full_name, self.email, self.phone))
        if problem is not None:
            raise PydanticCustomError("weak_password", problem, {"field": "password", "text": problem})
        return self


class ProfessionalRegistration(CustomerRegistration):
    service_id: int = Field(gt=0, lt=2**31)
    experience_years: int = Field(ge=0, le=60)
    bio: str = Field(default="", max_length=500)


class ProfileUpdate(_Form):
    """Fields a user may change about themselves (email and role are not among them)."""

    full_name: FullName
    phone: Phone
    address: Address
    pincode: Pincode
    experience_years: int | None = Field(default=None, ge=0, le=60)
    bio: str | None = Field(default=None, max_length=500)


class PasswordChange(_Form):
    current_password: str = Field(max_length=200)
    new_password: Password


class PasswordReset(_Form):
    """The "choose a new password" form behind a mailed link (the token travels beside it)."""

    new_password: Password


# pydantic error type -> catalog key of the friendly message (placeholders from the error's ctx).
_FRIENDLY = {
    "string_too_short": "svc_account.too_short",
    "string_too_long": "svc_account.too_long",
    "missing": "svc_account.required",
    "int_parsing": "svc_account.whole_number",
    "greater_than": "svc_account.choose_value",
    "greater_than_equal": "svc_account.at_least",
    "less_than_equal": "svc_account.at_most",
    "extra_forbidden": "svc_account.unexpected_field",
    "string_pattern_mismatch": "svc_account.choose_option",
    "int_type": "svc_account.whole_number",
    "float_type": "svc_account.send_number",
    "float_parsing": "svc_account.send_number",
    "decimal_parsing": "svc_account.decimal_number",
    "decimal_type": "svc_account.decimal_number",
    "decimal_max_places": "svc_account.decimal_places",
    "finite_number": "svc_account.finite_number",
    "timezone_aware": "svc_account.timestamp_tz",
    "datetime_type": "svc_account.timestamp",
    "datetime_parsing": "svc_account.timestamp",
    "datetime_from_date_parsing": "svc_account.timestamp",
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Pydantic errors -> one friendly message per field (the first one wins)."""
    return messages(exc.errors())


def messages(errors: Iterable[Any], *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """The same friendly messages for a form in a page and a body in the API (`skip`: location
    prefixes such as "body" that are not field names)."""
    out: dict[str, str] = {}
    for err in errors:
        loc = [str(p) for p in err["loc"] if p not in skip]
        field = ".".join(loc) if loc else str((err.get("ctx") or {}).get("field", "form"))
        if field in out:
            continue
        ctx = err.get("ctx") or {}
        if err["type"] in ("value_error", "weak_password"):
            out[field] = _raised_text(ctx) or str(err["msg"]).removeprefix("Value error, ")
        else:
            key = _FRIENDLY.get(err["type"], "svc_account.not_valid")
            if err["type"] == "string_too_short" and field == "address":
                key = "svc_account.full_address"
            elif err["type"] == "string_too_short" and field == "reason":
                key = "svc_account.short_reason"
            elif field == "rating":
                key = "svc_account.choose_rating"
            out[field] = msg(key, **{k: v for k, v in ctx.items() if isinstance(k, str)})
    return out


def _raised_text(ctx: dict) -> str | None:
    """The message a validator raised, as raised (a catalog `Text` keeps its key this way; pydantic's
    own `msg` is a plain English copy)."""
    text = ctx.get("text")
    if isinstance(text, str):
        return text
    error = ctx.get("error")
    if isinstance(error, ValueError) and error.args and isinstance(error.args[0], str):
        return error.args[0]
    return None


def parse(schema: type[FormT], data: dict) -> FormT:
    """Validate `data` against `schema` or raise ValidationFailed with per-field messages."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(field_errors(exc)) from exc


class BookingForm(_Form):
    """A customer's booking; `day` and `time` are IST local values from the form."""

    service_id: int = Field(gt=0, lt=2**31)
    day: str = Field(max_length=10)
    time: str = Field(max_length=5)
    address: Address
    pincode: Pincode
    remarks: str = Field(default="", max_length=500)
    preferred_professional_id: int | None = Field(default=None, gt=0, lt=2**31)


class BookingEdit(_Form):
    day: str = Field(max_length=10)
    time: str = Field(max_length=5)
    remarks: str = Field(default="", max_length=500)


Reason = Annotated[str, Field(min_length=3, max_length=300)]


class CancelForm(_Form):
    reason: Reason


class DeclineForm(_Form):
    reason: Reason


class ExtraChargeForm(_Form):
    """Extra work found on the job (whole rupees) and why, for the customer to approve."""

    amount_rupees: int = Field(ge=1, le=100_000)
    reason: Reason


class RescheduleForm(_Form):
    """A new IST date and time for an accepted job."""

    day: str = Field(max_length=10)
    time: str = Field(max_length=5)


class PayForm(_Form):
    method: str = Field(pattern="^(cash|upi|card)$")


class ReviewForm(_Form):
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=1000)


def _range(low: float, high: float, message: str):  # noqa: ANN202 - returns a validator
    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(message)
        return value
    return check


# Strict: a string such as "12.9" is refused rather than coerced; NaN and infinities are refused too.
Finite = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Latitude = Annotated[Finite, AfterValidator(_range(-90, 90, msg("svc_booking.latitude")))]
Longitude = Annotated[Finite, AfterValidator(_range(-180, 180, msg("svc_booking.longitude")))]
Accuracy = Annotated[Finite, AfterValidator(_range(0, 5000, msg("svc_booking.accuracy")))]


class PositionForm(_Form):
    """One GPS fix from the professional's phone (WGS84 degrees, accuracy radius in metres)."""

    lat: Latitude
    lon: Longitude
    accuracy_m: Accuracy | None = None
    recorded_at: AwareDatetime | None = None
