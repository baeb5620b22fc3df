"""A service's name and description in Hindi and Kannada (issue #19), as the admin fills them.

Real, migrated SQLite database per test (tests/conftest.py): saved in `Service.translations`,
shown back in the edit form, cleared back to English, and a too-long one refused beside its own
field with nothing saved.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from hsa import i18n
from hsa.i18n.text import say
from hsa.models import Role, Service
from hsa.services import admin, catalog
from hsa.services.actors import Actor
from hsa.services.errors import ValidationFailed
from hsa.state.admin.catalog import service_row
from tests.factories import actor_for, make_user

BASE = {"name": "Sofa Cleaning", "description": "Shampoo and vacuum", "base_price_rupees": 799,
        "duration_minutes": 120}
HINDI = {"name_hi": "  सोफ़ा सफ़ाई  ", "description_hi": "शैम्पू और वैक्यूम"}
KANNADA = {"name_kn": "ಸೋಫಾ ಸ್ವಚ್ಛತೆ", "description_kn": "ಶಾಂಪೂ ಮತ್ತು ವ್ಯಾಕ್ಯೂಮ್"}


@pytest.fixture
def boss(session: Session) -> Actor:
    return actor_for(session, make_user(session, role=Role.admin, full_name="Boss Admin"))


@pytest.fixture(autouse=True)
def _english() -> None:
    i18n.use("en")


def _stored(session: Session, service_id: int) -> dict:
    session.expire_all()
    service = session.get(Service, service_id)
    assert service is not None
    return service.translations


def _view(session: Session, boss: Actor, service_id: int):  # noqa: ANN202
    return next(s for s in admin.list_services(session=session, actor=boss) if s.id == service_id)


def test_translations_are_saved_trimmed_and_said_in_each_language(session: Session, boss: Actor) -> None:
    sid = admin.save_service(session=session, actor=boss, data=BASE | HINDI | KANNADA)
    assert _stored(session, sid) == {"hi": {"name": "सोफ़ा सफ़ाई", "description": "शैम्पू और वैक्यूम"},
                                     "kn": {"name": "ಸೋಫಾ ಸ್ವಚ್ಛತೆ", "description": "ಶಾಂಪೂ ಮತ್ತು ವ್ಯಾಕ್ಯೂಮ್"}}
    [active] = catalog.list_active_services(session=session)
    assert active.name == "Sofa Cleaning" and active.description == "Shampoo and vacuum"  # English stays the value
    assert (say(active.name, "hi"), say(active.name, "kn"), say(active.name, "en")) == (
        "सोफ़ा सफ़ाई", "ಸೋಫಾ ಸ್ವಚ್ಛತೆ", "Sofa Cleaning")
    assert say(active.description, "kn") == "ಶಾಂಪೂ ಮತ್ತು ವ್ಯಾಕ್ಯೂಮ್"


def test_editing_shows_the_saved_values_and_changes_only_what_was_sent(session: Session, boss: Actor) -> None:
    sid = admin.save_service(session=session, actor=boss, data=BASE | HINDI)
    row = service_row(_view(session, boss, sid))
    assert (row.name, row.name_hi, row.description_hi, row.name_kn, row.description_kn) == (
        "Sofa Cleaning", "सोफ़ा सफ़ाई", "शैम्पू और वैक्यूम", "", "")
    admin.save_service(session=session, actor=boss, service_id=sid,
                       data=BASE | {"name_hi": "सोफ़ा की सफ़ाई", "name_kn": "ಸೋಫಾ ಸ್ವಚ್ಛತೆ"})
    assert _stored(session, sid) == {"hi": {"name": "सोफ़ा की सफ़ाई", "description": "शैम्पू और वैक्यूम"},
                                     "kn": {"name": "ಸೋಫಾ ಸ್ವಚ್ಛತೆ"}}
    # an edit that sends no translations at all (the API's older clients) keeps them
    admin.save_service(session=session, actor=boss, service_id=sid, data=BASE | {"base_price_rupees": 899})
    assert _stored(session, sid)["hi"]["name"] == "सोफ़ा की सफ़ाई"
    row = service_row(_view(session, boss, sid))
    assert (row.name_hi, row.name_kn, row.price) == ("सोफ़ा की सफ़ाई", "ಸೋಫಾ ಸ್ವಚ್ಛತೆ", "₹899")


def test_clearing_a_translation_falls_back_to_english(session: Session, boss: Actor) -> None:
    sid = admin.save_service(session=session, actor=boss, data=BASE | HINDI | KANNADA)
    admin.save_service(session=session, actor=boss, service_id=sid,
                       data=BASE | {"name_hi": "   ", "description_hi": "", "name_kn": "", "description_kn": ""}
                       | {"description_kn": KANNADA["description_kn"]})
    assert _stored(session, sid) == {"kn": {"description": "ಶಾಂಪೂ ಮತ್ತು ವ್ಯಾಕ್ಯೂಮ್"}}
    view = _view(session, boss, sid)
    assert say(view.name, "hi") == say(view.name, "kn") == "Sofa Cleaning"
    assert say(view.description, "hi") == "Shampoo and vacuum"
    row = service_row(view)
    assert (row.name_hi, row.description_hi, row.name_kn) == ("", "", "")
    admin.save_service(session=session, actor=boss, service_id=sid, data=BASE | {"description_kn": ""})
    assert _stored(session, sid) == {}


@pytest.mark.parametrize(("field", "most", "words"), [
    ("name_hi", 80, "name in Hindi"), ("description_hi", 500, "description in Hindi"),
    ("name_kn", 80, "name in Kannada"), ("description_kn", 500, "description in Kannada")])
def test_a_too_long_translation_is_refused_beside_its_field_and_nothing_changes(
        session: Session, boss: Actor, field: str, most: int, words: str) -> None:
    sid = admin.save_service(session=session, actor=boss, data=BASE | HINDI | KANNADA)
    admin.save_service(session=session, actor=boss, service_id=sid,
                       data=BASE | {field: " " + "क" * most + " "})  # exactly the most, once trimmed: fine
    before = _stored(session, sid)
    assert before[field[-2:]][field[:-3]] == "क" * most
    with pytest.raises(ValidationFailed) as exc:
        admin.save_service(session=session, actor=boss, service_id=sid,
                           data=BASE | {"base_price_rupees": 999, field: "क" * (most + 1)})
    assert exc.value.fields == {field: f"The {words} is too long (at most {most} characters)."}
    i18n.use("hi")
    assert exc.value.fields[field] != f"The {words} is too long (at most {most} characters)."
    assert str(most) in exc.value.fields[field]
    i18n.use("en")
    assert _view(session, boss, sid).base_price_paise == 79_900 and _stored(session, sid) == before


def test_a_too_long_translation_is_named_with_the_other_bad_fields(session: Session, boss: Actor) -> None:
    with pytest.raises(ValidationFailed) as exc:
        admin.save_service(session=session, actor=boss, data={"name": "X", "base_price_rupees": 1,
                                                              "duration_minutes": 60, "name_kn": "ಕ" * 81})
    assert set(exc.value.fields) == {"name", "name_kn"}
    assert admin.list_services(session=session, actor=boss) == []


def test_the_admin_form_saves_them_and_the_edit_form_shows_them(session: Session) -> None:
    """Through the page's handler: the form's fields reach the service, errors come back per field."""
    import hsa.hsa  # noqa: F401 - registers every state class
    from hsa.state.admin.catalog import AdminServicesState
    from tests.factories import token_for
    from tests.state.test_handlers import _sub, _tree, run

    admin_user = make_user(session, role=Role.admin)
    state = _sub(_tree(token_for(session, admin_user)), AdminServicesState)
    form = {"service_id": "0", "name": "Sofa Cleaning", "description": "Shampoo", "base_price_rupees": "799",
            "duration_minutes": "120", "extra_cap_factor": "3", "name_hi": "सोफ़ा सफ़ाई", "description_hi": "",
            "name_kn": "ಸೋಫಾ ಸ್ವಚ್ಛತೆ", "description_kn": "", "min_price_pct": "80", "max_price_pct": "150",
            "commission_pct": "20", "cancel_fee_rupees": "99", "free_cancel_hours": "3"}
    run(AdminServicesState.save.fn(state, form), session)
    assert state.notice == "Service created." and not state.errors
    [row] = state.services
    assert (row.name, row.label, row.name_hi, row.name_kn, row.description_hi) == (
        "Sofa Cleaning", "Sofa Cleaning", "सोफ़ा सफ़ाई", "ಸೋಫಾ ಸ್ವಚ್ಛತೆ", "")
    run(AdminServicesState.save.fn(state, form | {"service_id": str(row.id), "name_kn": "ಕ" * 81}), session)
    assert state.errors == {"name_kn": "The name in Kannada is too long (at most 80 characters)."}
    assert _stored(session, row.id) == {"hi": {"name": "सोफ़ा सफ़ाई"}, "kn": {"name": "ಸೋಫಾ ಸ್ವಚ್ಛತೆ"}}
