"""Prices before commitment (issue #16): rounding, the band, own prices, what a booking fixes, who may set what.

Money is integer paise; every percentage is rounded half up once per booking (hsa.services.money.pricing).
"""

from __future__ import annotations

import random

import pytest
from sqlmodel import Session, func, select

from hsa.models import AuditLog, ProfessionalProfile, Role, Service, ServiceRequest, User
from hsa.services import admin, bookings, catalog, demo_data, prices, search
from hsa.services.errors import Forbidden, NotAuthenticated, ValidationFailed
from hsa.services.money import pricing
from hsa.services.money.pricing import Breakdown, band, check_price, share
from hsa.services.scheduling import IST
from tests.factories import actor_for, make_service, make_user, slot

BASE = 49_900  # ₹499: the default band 80–150 % is ₹400 (399.20 rounded up) to ₹748 (748.50 rounded down)


def _booking(sid: int, **over: object) -> dict:
    return {"service_id": sid, "day": slot(2).astimezone(IST).date().isoformat(), "time": "10:00",
            "address": "12, 4th Cross, Koramangala", "pincode": "560034"} | over


def _pro(session: Session, service: Service, *, price_rupees: int | None = None, name: str = "Ravi Kumar") -> User:
    pro = make_user(session, role=Role.professional, service=service, full_name=name)
    if price_rupees is not None:
        prices.set_own_price(session=session, actor=actor_for(session, pro), price_rupees=price_rupees)
    return pro


def _profile(session: Session, user: User) -> ProfessionalProfile:
    session.expire_all()
    return session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user.id)).one()


# ---------------------------------------------------------------- rounding and the bill


@pytest.mark.parametrize(("amount", "bps", "expected"), [
    (25, 1800, 5),          # 4.5 paise -> 5: half up, not to even
    (24, 1800, 4),          # 4.32 -> 4
    (2_775, 1800, 500),     # 499.5 -> 500
    (2_774, 1800, 499),     # 499.32 -> 499
    (34_900, 2000, 6_980),  # exact
    (1, 5000, 1),           # 0.5 -> 1
    (0, 1800, 0),
])
def test_shares_round_half_up_to_the_paisa(amount: int, bps: int, expected: int) -> None:
    assert share(amount, bps) == expected


def test_gst_is_on_work_extras_and_the_platform_fee_taken_once() -> None:
    bill = Breakdown(base_paise=29_900, work_paise=34_975, extras_paise=15_000, platform_fee_paise=4_900)
    assert bill.taxable_paise == 54_875
    assert bill.gst_paise == 9_878          # 18 % of 548.75 = 98.775 -> 98.78 (half up, once)
    assert bill.total_paise == 64_753
    assert bill.lines("Ravi") == [
        ("Base price", "₹299"), ("Ravi's price (₹349.75)", "+₹50.75"), ("Approved extras", "₹150"),
        ("Platform fee", "₹49"), ("GST 18% (SAC 9987)", "₹98.78"), ("Total", "₹647.53")]


# ---------------------------------------------------------------- the band


@pytest.mark.parametrize(("rupees", "ok"), [(399, False), (400, True), (748, True), (749, False), (0, False)])
def test_band_edges_are_whole_rupees_inside_the_percentages(session: Session, rupees: int, ok: bool) -> None:
    service = make_service(session, price_paise=BASE)
    assert band(service) == (40_000, 74_800) and pricing.band_label(service) == "₹400–₹748"
    if ok:
        assert check_price(service, rupees) == rupees * 100
    else:
        with pytest.raises(ValidationFailed) as exc:
            check_price(service, rupees)
        assert exc.value.fields == {"price_rupees": "Set a price between ₹400 and ₹748 (80–150% of the base ₹499)."}


def test_a_price_outside_the_band_is_refused_beside_the_field_and_nothing_is_saved(session: Session) -> None:
    service = make_service(session, price_paise=BASE)
    pro = _pro(session, service, price_rupees=549)
    me = actor_for(session, pro)
    audits = session.exec(select(func.count()).select_from(AuditLog)).one()
    for bad, message in ((9_999, "between ₹400 and ₹748"), ("abc", prices.NOT_A_PRICE), ("5.5", prices.NOT_A_PRICE),
                         (-500, prices.NOT_A_PRICE)):
        with pytest.raises(ValidationFailed) as exc:
            prices.set_own_price(session=session, actor=me, price_rupees=bad)
        assert message in exc.value.fields["price_rupees"]
    assert _profile(session, pro).price_paise == 54_900
    assert session.exec(select(func.count()).select_from(AuditLog)).one() == audits


def test_blank_goes_back_to_the_base_price(session: Session) -> None:
    service = make_service(session, price_paise=BASE)
    pro = _pro(session, service, price_rupees=549)
    view = prices.set_own_price(session=session, actor=actor_for(session, pro), price_rupees="  ")
    assert (view.own_paise, view.price_paise, view.field_value) == (None, BASE, "")
    assert _profile(session, pro).price_paise is None


def test_a_narrowed_band_clamps_old_prices_everywhere_and_widening_brings_them_back(session: Session) -> None:
    service = make_service(session, price_paise=BASE)
    pro = _pro(session, service, price_rupees=700)
    boss = actor_for(session, make_user(session, role=Role.admin))
    form = {"name": service.name, "base_price_rupees": 499, "duration_minutes": 60}
    admin.save_service(session=session, actor=boss, service_id=service.id, data=form | {"max_price_pct": 120})
    customer = actor_for(session, make_user(session))
    mine = prices.own_price(session=session, actor=actor_for(session, pro))
    assert (mine.own_paise, mine.price_paise, mine.field_value, mine.band_label) == (70_000, 59_800, "598",
                                                                                     "₹400–₹598")
    [card] = search.search_professionals(session=session, actor=customer, service_id=service.id)
    assert (card.price_paise, card.base_price_paise) == (59_800, BASE)
    assert prices.booking_quote(session=session, actor=customer, service_id=service.id,
                                professional_id=pro.id).work_paise == 59_800
    rid = bookings.book(session=session, actor=customer, data=_booking(service.id, preferred_professional_id=pro.id))
    assert session.get(ServiceRequest, rid).price_paise == 59_800  # type: ignore[union-attr]
    admin.save_service(session=session, actor=boss, service_id=service.id, data=form | {"max_price_pct": 150})
    assert prices.own_price(session=session, actor=actor_for(session, pro)).price_paise == 70_000


# ---------------------------------------------------------------- what a booking fixes


def test_a_preferred_booking_is_at_their_own_price_an_open_one_at_the_base(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_PLATFORM_FEE_PAISE", "2500")
    service = make_service(session, price_paise=BASE)
    service.commission_bps = 1250
    session.add(service)
    session.commit()
    pro = _pro(session, service, price_rupees=549)
    customer = actor_for(session, make_user(session))
    preferred = bookings.book(session=session, actor=customer,
                              data=_booking(service.id, preferred_professional_id=pro.id))
    open_ = bookings.book(session=session, actor=customer, data=_booking(service.id))
    fixed = {rid: session.get(ServiceRequest, rid) for rid in (preferred, open_)}
    assert [(r.price_paise, r.platform_fee_paise, r.gst_bps, r.commission_bps) for r in fixed.values()] == [
        (54_900, 2_500, 1_800, 1_250), (BASE, 2_500, 1_800, 1_250)]
    quote = prices.booking_quote(session=session, actor=customer, service_id=service.id, professional_id=pro.id)
    assert quote.total_paise == pricing.bill(fixed[preferred], base_paise=BASE).total_paise == 67_732


def test_the_form_cannot_send_a_price(session: Session) -> None:
    service = make_service(session, price_paise=BASE)
    customer = actor_for(session, make_user(session))
    with pytest.raises(ValidationFailed) as exc:
        bookings.book(session=session, actor=customer, data=_booking(service.id, price_paise=100))
    assert "price_paise" in exc.value.fields
    assert session.exec(select(func.count()).select_from(ServiceRequest)).one() == 0


def test_a_declined_preferred_booking_reopens_at_the_price_agreed(session: Session) -> None:
    service = make_service(session, price_paise=BASE)
    pro = _pro(session, service, price_rupees=549)
    customer = actor_for(session, make_user(session))
    rid = bookings.book(session=session, actor=customer, data=_booking(service.id, preferred_professional_id=pro.id))
    bookings.transition(session=session, actor=actor_for(session, pro), request_id=rid, action="decline",
                        data={"reason": "On leave that day"})
    session.expire_all()
    row = session.get(ServiceRequest, rid)
    assert row is not None and row.preferred_professional_id is None and row.price_paise == 54_900


def test_a_later_price_change_does_not_touch_a_booking_made(session: Session) -> None:
    service = make_service(session, price_paise=BASE)
    pro = _pro(session, service, price_rupees=549)
    customer = actor_for(session, make_user(session))
    rid = bookings.book(session=session, actor=customer, data=_booking(service.id, preferred_professional_id=pro.id))
    prices.set_own_price(session=session, actor=actor_for(session, pro), price_rupees=700)
    session.expire_all()
    assert session.get(ServiceRequest, rid).price_paise == 54_900  # type: ignore[union-attr]


# ---------------------------------------------------------------- what the customer sees before booking


def test_the_quote_lists_base_their_price_fee_gst_total_and_the_policy(session: Session) -> None:
    service = make_service(session, price_paise=BASE)
    pro = _pro(session, service, price_rupees=549)
    other = make_service(session, price_paise=29_900)
    customer = actor_for(session, make_user(session))
    quote = prices.booking_quote(session=session, actor=customer, service_id=service.id, professional_id=pro.id)
    assert quote.lines == (("Base price", "₹499"), ("Ravi's price (₹549)", "+₹50"), ("Platform fee", "₹49"),
                           ("GST 18% (SAC 9987)", "₹107.64"), ("Total", "₹705.64"))
    assert quote.policy == "Cancelling is free before a professional accepts, and after that up to 3 hours " \
                           "before the slot; later it costs ₹99 (incl. GST)."
    # another service (the customer changed the select): the base price, no professional's line
    moved = prices.booking_quote(session=session, actor=customer, service_id=other.id, professional_id=pro.id)
    assert [label for label, _ in moved.lines] == ["Base price", "Platform fee", "GST 18% (SAC 9987)", "Total"]
    assert moved.total_paise == 29_900 + 4_900 + 6_264
    with pytest.raises(ValidationFailed) as exc:
        prices.booking_quote(session=session, actor=customer, service_id=9_999)
    assert "service_id" in exc.value.fields
    with pytest.raises(NotAuthenticated):
        prices.booking_quote(session=session, actor=None, service_id=service.id)


@pytest.mark.parametrize(("fee", "hours", "sentence"), [
    (9_900, 1, "Cancelling is free before a professional accepts, and after that up to 1 hour before the slot; "
               "later it costs ₹99 (incl. GST)."),
    (14_950, 0, "Cancelling is free before a professional accepts, and after that until the slot starts; "
                "later it costs ₹149.50 (incl. GST)."),
    (0, 3, "Free cancellation at any time."),
])
def test_the_policy_sentence_follows_the_service(session: Session, fee: int, hours: int, sentence: str) -> None:
    service = make_service(session)
    service.cancel_fee_paise, service.free_cancel_hours = fee, hours
    assert pricing.cancel_policy(service) == sentence


def test_search_prices_in_sql_equal_price_of_for_every_band(session: Session) -> None:
    """The card's SQL price is `pricing.price_of`: random bases, bands and own prices, old ones outside the band."""
    rnd = random.Random(16)
    customer = actor_for(session, make_user(session))
    expected: dict[int, int] = {}
    for _ in range(12):
        service = make_service(session, price_paise=rnd.choice([0, 1, 9_999, 29_900, 49_950, 10_000_000_00]))
        service.min_price_pct, service.max_price_pct = rnd.randint(1, 100), rnd.randint(100, 500)
        session.add(service)
        session.commit()
        for _ in range(3):
            pro = make_user(session, role=Role.professional, service=service)
            profile = _profile(session, pro)
            profile.price_paise = rnd.choice([None, 0, rnd.randint(0, 3 * service.base_price_paise + 100) // 100 * 100])
            session.add(profile)
            session.commit()
            expected[pro.id] = pricing.price_of(service, profile)  # type: ignore[index]
    cards = [c for sid in {p.service_id for p in session.exec(select(ProfessionalProfile))}
             for c in search.search_professionals(session=session, actor=customer, service_id=sid)]
    assert {c.user_id: c.price_paise for c in cards} == expected
    one = search.bookable_professional(session=session, actor=customer, user_id=next(iter(expected)))
    assert one is not None and one.price_paise == expected[one.user_id]


# ---------------------------------------------------------------- who may set what


def test_only_the_professional_sets_their_own_price(session: Session) -> None:
    service = make_service(session, price_paise=BASE)
    pro = _pro(session, service)
    for who in (make_user(session), make_user(session, role=Role.admin)):
        with pytest.raises(Forbidden):
            prices.set_own_price(session=session, actor=actor_for(session, who), price_rupees=549)
        with pytest.raises(Forbidden):
            prices.own_price(session=session, actor=actor_for(session, who))
    with pytest.raises(NotAuthenticated):
        prices.set_own_price(session=session, actor=None, price_rupees=549)
    assert _profile(session, pro).price_paise is None


def test_a_professional_cannot_edit_the_catalog(session: Session) -> None:
    service = make_service(session, price_paise=BASE)
    pro = actor_for(session, _pro(session, service))
    with pytest.raises(Forbidden):
        admin.save_service(session=session, actor=pro, service_id=service.id,
                           data={"name": service.name, "base_price_rupees": 499, "duration_minutes": 60,
                                 "max_price_pct": 500, "commission_pct": 0})
    session.expire_all()
    fresh = session.get(Service, service.id)
    assert fresh is not None and (fresh.max_price_pct, fresh.commission_bps) == (150, 2000)


BAD_POLICY = [
    ("min_price_pct", "0", "1–100%"), ("min_price_pct", "101", "1–100%"), ("max_price_pct", "99", "100–500%"),
    ("max_price_pct", "501", "100–500%"), ("commission_pct", "50.5", "0 to 50%"), ("commission_pct", "-1", "0 to 50%"),
    ("commission_pct", "12.345", "2 decimal places"), ("commission_pct", "lots", "Enter a number"),
    ("cancel_fee_rupees", "-1", "₹0 to ₹1,00,000"), ("free_cancel_hours", "73", "0 to 72 hours"),
    ("free_cancel_hours", "", "whole number"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_POLICY, ids=[f"{f}={v}" for f, v, _ in BAD_POLICY])
def test_the_admin_band_and_fees_are_validated_beside_each_field(session: Session, field: str, value: str,
                                                                 message: str) -> None:
    service = make_service(session, price_paise=BASE)
    boss = actor_for(session, make_user(session, role=Role.admin))
    with pytest.raises(ValidationFailed) as exc:
        admin.save_service(session=session, actor=boss, service_id=service.id,
                           data={"name": service.name, "base_price_rupees": "499", "duration_minutes": "60",
                                 field: value})
    assert message in exc.value.fields[field]
    session.expire_all()
    assert catalog.to_view(session.get(Service, service.id)) == catalog.to_view(service)  # type: ignore[arg-type]


def test_the_admin_sets_the_band_and_fees_and_leaving_them_out_keeps_them(session: Session) -> None:
    service = make_service(session, price_paise=BASE)
    boss = actor_for(session, make_user(session, role=Role.admin))
    form = {"name": service.name, "base_price_rupees": "499", "duration_minutes": "60"}
    admin.save_service(session=session, actor=boss, service_id=service.id, data=form | {
        "min_price_pct": "90", "max_price_pct": "200", "commission_pct": "12.5", "cancel_fee_rupees": "149",
        "free_cancel_hours": "24"})
    admin.save_service(session=session, actor=boss, service_id=service.id, data=form | {"description": "Edited"})
    [view] = [s for s in admin.list_services(session=session, actor=boss) if s.id == service.id]
    assert (view.min_price_pct, view.max_price_pct, view.commission_bps, view.cancel_fee_paise,
            view.free_cancel_hours, view.description) == (90, 200, 1_250, 14_900, 24, "Edited")
    new = admin.save_service(session=session, actor=boss, data={"name": "Fresh Service", "base_price_rupees": "100",
                                                                "duration_minutes": "30"})
    fresh = session.get(Service, new)
    assert fresh is not None and (fresh.min_price_pct, fresh.max_price_pct, fresh.commission_bps,
                                  fresh.cancel_fee_paise, fresh.free_cancel_hours) == (80, 150, 2000, 9900, 3)


def test_demo_prices_lie_inside_their_bands() -> None:
    catalog_rupees = {name: rupees for name, _, rupees, _ in demo_data.SERVICES}
    priced = [u for u in demo_data.USERS if u.price_rupees is not None]
    assert priced, "the demo should show at least one professional's own price"
    for user in priced:
        assert user.service is not None and user.price_rupees is not None
        service = Service(name=user.service, base_price_paise=catalog_rupees[user.service] * 100, duration_minutes=60,
                          min_price_pct=80, max_price_pct=150)
        assert check_price(service, user.price_rupees) == user.price_rupees * 100
