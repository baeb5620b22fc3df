"""Price handlers called as a crafted websocket event would: the handler re-resolves the actor and
the service decides (issue #16). Nothing about a price is ever taken from the browser."""

from __future__ import annotations

from sqlmodel import Session, select

from hsa.models import ProfessionalProfile, Role, Service
from hsa.state.admin.catalog import AdminServicesState
from hsa.state.auth import SessionState
from hsa.state.customer import BookState
from hsa.state.profile import ProfileState
from tests.factories import make_service, make_user, token_for
from tests.state.test_handlers import _sub, _tree, run


def _price(session: Session, user_id: int) -> int | None:
    session.expire_all()
    return session.exec(select(ProfessionalProfile.price_paise).where(ProfessionalProfile.user_id == user_id)).one()


def test_a_customer_cannot_save_a_professional_price(session: Session) -> None:
    service = make_service(session, price_paise=49_900)
    pro = make_user(session, role=Role.professional, service=service)
    state = _sub(_tree(token_for(session, make_user(session))), ProfileState)
    run(ProfileState.save_price.fn(state, {"price_rupees": "549", "user_id": str(pro.id)}), session)
    assert state.price_errors == {"price_rupees": "You are not allowed to do that."} and state.price_saved == ""
    assert _price(session, pro.id) is None  # type: ignore[arg-type]


def test_a_professional_saves_only_their_own_price(session: Session) -> None:
    service = make_service(session, price_paise=49_900)
    me = make_user(session, role=Role.professional, service=service)
    other = make_user(session, role=Role.professional, service=service)
    state = _sub(_tree(token_for(session, me)), ProfileState)
    run(ProfileState.save_price.fn(state, {"price_rupees": "549", "user_id": str(other.id)}), session)
    assert state.price_saved == "Price saved. Customers now see ₹549." and state.price_value == "549"
    assert (_price(session, me.id), _price(session, other.id)) == (54_900, None)  # type: ignore[arg-type]
    run(ProfileState.save_price.fn(state, {"price_rupees": "2000"}), session)
    assert "between ₹400 and ₹748" in state.price_errors["price_rupees"] and state.price_saved == ""
    assert _price(session, me.id) == 54_900  # type: ignore[arg-type]


def test_re_pricing_the_booking_form_needs_a_live_session(session: Session) -> None:
    service = make_service(session, price_paise=49_900)
    root = _tree("forged-or-stale-token")
    state = _sub(root, BookState)
    result = run(BookState.pick_service.fn(state, str(service.id)), session)
    assert "/login" in str(result) and state.bill == [] and _sub(root, SessionState).auth_token == ""
    signed_in = _sub(_tree(token_for(session, make_user(session))), BookState)
    run(BookState.pick_service.fn(signed_in, str(service.id)), session)
    assert [(line.label, line.amount) for line in signed_in.bill][-1] == ("Total", "₹646.64")
    assert signed_in.policy.startswith("Cancelling is free before a professional accepts")


def test_a_professional_cannot_change_a_band_through_the_admin_handler(session: Session) -> None:
    service = make_service(session, price_paise=49_900)
    pro = make_user(session, role=Role.professional, service=service)
    state = _sub(_tree(token_for(session, pro)), AdminServicesState)
    run(AdminServicesState.save.fn(state, {"service_id": str(service.id), "name": service.name,
                                           "base_price_rupees": "499", "duration_minutes": "60",
                                           "max_price_pct": "500", "commission_pct": "0"}), session)
    assert state.error
    session.expire_all()
    fresh = session.get(Service, service.id)
    assert fresh is not None and (fresh.max_price_pct, fresh.commission_bps) == (150, 2000)
