"""Admin fraud control, catalog and search, plus the dashboard's figures against independent counts."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from hsa.models import (
    AuditLog,
    Payment,
    PaymentMethod,
    ProfessionalProfile,
    RequestStatus,
    Review,
    Role,
    ServiceRequest,
    User,
    UserStatus,
)
from hsa.services import admin, catalog, search, sessions, signin, stats
from hsa.services.errors import AuthFailed, Forbidden, InvalidTransition, NotAuthenticated, ValidationFailed
from hsa.services.money import postings
from hsa.services.scheduling import IST
from tests.factories import PASSWORD, actor_for, make_request, make_service, make_user, token_for


@pytest.fixture
def boss(session: Session):  # noqa: ANN201
    return actor_for(session, make_user(session, role=Role.admin, full_name="Boss Admin"))


def test_block_ends_sessions_hides_the_pro_and_returns_jobs(session: Session, boss) -> None:  # noqa: ANN001
    service = make_service(session)
    pro = make_user(session, role=Role.professional, service=service, full_name="Fraud Pro")
    customer = make_user(session)
    token = token_for(session, pro)
    job = make_request(session, customer=customer, service=service, status=RequestStatus.assigned, professional=pro)
    addressed = make_request(session, customer=customer, service=service, preferred=pro)
    cust_actor = actor_for(session, customer)
    assert [c.full_name for c in search.search_professionals(session=session, actor=cust_actor)] == ["Fraud Pro"]
    with pytest.raises(ValidationFailed):
        admin.block_user(session=session, actor=boss, user_id=pro.id, reason="")
    assert admin.block_user(session=session, actor=boss, user_id=pro.id, reason="Fake licence") == 1
    assert sessions.resolve_actor(session=session, token=token) is None
    with pytest.raises(AuthFailed, match="blocked"):
        signin.login(session=session, email=pro.email, password=PASSWORD)
    assert search.search_professionals(session=session, actor=cust_actor) == []
    session.expire_all()
    for req in (session.get(ServiceRequest, job.id), session.get(ServiceRequest, addressed.id)):
        assert req is not None and req.status is RequestStatus.requested
        assert req.professional_id is None and req.preferred_professional_id is None
        assert req.decline_reason == admin.RETURNED_TO_POOL  # what the customer is told on their card
    entry = session.exec(select(AuditLog).where(AuditLog.action == "user.block")).one()
    assert entry.actor_id == boss.id and entry.target_id == pro.id and "Fake licence" in entry.details
    with pytest.raises(InvalidTransition):
        admin.block_user(session=session, actor=boss, user_id=pro.id, reason="again")
    admin.unblock_user(session=session, actor=boss, user_id=pro.id, reason="Licence verified")
    assert signin.login(session=session, email=pro.email, password=PASSWORD).user_id == pro.id


def test_delete_anonymises_but_keeps_history_and_reviews(session: Session, boss) -> None:  # noqa: ANN001
    service = make_service(session)
    pro = make_user(session, role=Role.professional, service=service)
    customer = make_user(session, full_name="Spam Customer", email="spam@example.com")
    req = make_request(session, customer=customer, service=service, status=RequestStatus.closed,
                       professional=pro, paid=True)
    session.add(Review(request_id=req.id, customer_id=customer.id, professional_id=pro.id, rating=5,
                       comment="Great"))
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.rating_count, profile.rating_sum = 1, 5
    session.add(profile)
    session.commit()
    admin.delete_user(session=session, actor=boss, user_id=customer.id, reason="Fake bookings")
    session.expire_all()
    gone = session.get(User, customer.id)
    assert gone is not None and gone.status is UserStatus.deleted
    assert gone.full_name == f"Deleted user #{customer.id}" and "spam" not in gone.email
    assert gone.phone == "" and gone.address == ""
    with pytest.raises(AuthFailed, match="Incorrect email or password"):
        signin.login(session=session, email="spam@example.com", password=PASSWORD)
    assert session.get(ServiceRequest, req.id) is not None
    assert session.exec(select(Payment).where(Payment.request_id == req.id)).one()
    assert session.exec(select(Review).where(Review.request_id == req.id)).one().rating == 5
    cards = search.search_professionals(session=session, actor=boss)
    assert cards[0].rating_count == 1 and cards[0].rating_avg == 5.0  # their review still counts


def test_admins_cannot_be_blocked_or_deleted_from_the_console(session: Session, boss) -> None:  # noqa: ANN001
    other_admin = make_user(session, role=Role.admin)
    for fn in (admin.block_user, admin.delete_user):
        for target in (other_admin.id, boss.id):
            with pytest.raises(Forbidden):
                fn(session=session, actor=boss, user_id=target, reason="because")


@pytest.mark.parametrize("who", ["anonymous", "customer", "professional"])
def test_every_admin_use_case_refuses_non_admins(session: Session, who: str) -> None:
    service = make_service(session)
    target = make_user(session)
    actor = None if who == "anonymous" else actor_for(session, make_user(
        session, role=Role.customer if who == "customer" else Role.professional))
    calls = [
        lambda: admin.list_applications(session=session, actor=actor),
        lambda: admin.decide_application(session=session, actor=actor, user_id=target.id, approve=True),
        lambda: admin.search_users(session=session, actor=actor),
        lambda: admin.block_user(session=session, actor=actor, user_id=target.id, reason="xxx"),
        lambda: admin.unblock_user(session=session, actor=actor, user_id=target.id),
        lambda: admin.delete_user(session=session, actor=actor, user_id=target.id, reason="xxx"),
        lambda: admin.list_services(session=session, actor=actor),
        lambda: admin.save_service(session=session, actor=actor, data={}),
        lambda: admin.set_service_active(session=session, actor=actor, service_id=service.id, active=False),
        lambda: admin.search_requests(session=session, actor=actor),
        lambda: admin.audit_log(session=session, actor=actor),
        lambda: admin.request_timeline(session=session, actor=actor, request_id=1),
        lambda: stats.dashboard(session=session, actor=actor),
    ]
    for call in calls:
        with pytest.raises(NotAuthenticated if actor is None else Forbidden):
            call()
    session.expire_all()
    assert session.get(User, target.id).status is UserStatus.active  # type: ignore[union-attr]


def test_catalog_crud_and_deactivation(session: Session, boss) -> None:  # noqa: ANN001
    sid = admin.save_service(session=session, actor=boss, data={
        "name": "Sofa Cleaning", "description": "Shampoo and vacuum", "base_price_rupees": 799,
        "duration_minutes": 120})
    with pytest.raises(ValidationFailed) as exc:
        admin.save_service(session=session, actor=boss, data={"name": "sofa cleaning", "base_price_rupees": 1,
                                                              "duration_minutes": 60})
    assert "already exists" in exc.value.fields["name"]
    with pytest.raises(ValidationFailed) as exc:
        admin.save_service(session=session, actor=boss, data={"name": "X", "base_price_rupees": -5,
                                                              "duration_minutes": 5})
    assert set(exc.value.fields) == {"name", "base_price_rupees", "duration_minutes"}
    admin.save_service(session=session, actor=boss, service_id=sid, data={
        "name": "Sofa Cleaning", "description": "", "base_price_rupees": 899, "duration_minutes": 90})
    assert [(s.name, s.base_price_paise) for s in catalog.list_active_services(session=session)] == [
        ("Sofa Cleaning", 89_900)]
    admin.set_service_active(session=session, actor=boss, service_id=sid, active=False)
    assert catalog.list_active_services(session=session) == []
    assert [s.is_active for s in admin.list_services(session=session, actor=boss)] == [False]


def test_user_and_request_search(session: Session, boss) -> None:  # noqa: ANN001
    service, other = make_service(session), make_service(session)
    asha = make_user(session, full_name="Asha Rao", email="asha.search@example.com", pincode="560034")
    make_user(session, full_name="Rahul Mehta", pincode="400001", status=UserStatus.blocked)
    for _ in range(25):
        make_user(session, full_name="Filler Person", pincode="110001")
    assert [u.full_name for u in admin.search_users(session=session, actor=boss, q="asha").rows] == ["Asha Rao"]
    assert [u.full_name for u in admin.search_users(session=session, actor=boss, status="blocked").rows] == [
        "Rahul Mehta"]
    page2 = admin.search_users(session=session, actor=boss, pincode="110001", page=2)
    assert page2.total == 25 and page2.pages == 2 and len(page2.rows) == 5
    r1 = make_request(session, customer=asha, service=service)
    make_request(session, customer=asha, service=other, status=RequestStatus.cancelled)
    found = admin.search_requests(session=session, actor=boss, status="requested", customer="asha.search")
    assert [v.id for v in found.rows] == [r1.id]
    assert admin.search_requests(session=session, actor=boss, service_id=other.id).total == 1
    slot_day = r1.scheduled_at.astimezone(IST).date()
    assert admin.search_requests(session=session, actor=boss, date_from="2000-01-01", date_to="2000-01-02").total == 0
    assert admin.search_requests(session=session, actor=boss, date_from=slot_day.isoformat(),
                                 date_to=slot_day.isoformat()).total == 2
    assert admin.search_requests(session=session, actor=boss,
                                 date_to=(slot_day - timedelta(days=1)).isoformat()).total == 0
    with pytest.raises(ValidationFailed):
        admin.search_requests(session=session, actor=boss, date_from="next tuesday")


def test_dashboard_figures_match_independent_counts(session: Session, boss) -> None:  # noqa: ANN001
    plumbing, cleaning = make_service(session, name="Plumbing"), make_service(session, name="Cleaning")
    customers = [make_user(session, pincode=p) for p in ("560034", "560034", "400001")]
    pro = make_user(session, role=Role.professional, service=plumbing)
    from hsa.models import ApprovalStatus

    make_user(session, role=Role.professional, service=plumbing, approval=ApprovalStatus.pending)
    plan = [(RequestStatus.requested, plumbing, "560034"), (RequestStatus.requested, cleaning, "400001"),
            (RequestStatus.assigned, plumbing, "560034"), (RequestStatus.completed, plumbing, "560034"),
            (RequestStatus.closed, cleaning, "110001"), (RequestStatus.closed, plumbing, "560034"),
            (RequestStatus.cancelled, plumbing, "400001")]
    reqs = [make_request(session, customer=customers[i % 3], service=svc, status=st, professional=pro, pincode=pin)
            for i, (st, svc, pin) in enumerate(plan)]
    for req, rating in zip([r for r in reqs if r.status is RequestStatus.closed], (4, 5), strict=True):
        session.add(Review(request_id=req.id, customer_id=req.customer_id, professional_id=pro.id, rating=rating))
        session.add(Payment(request_id=req.id, amount_paise=req.price_paise, method=PaymentMethod.cash))
        postings.cash_payment(session, req, req.price_paise, now=req.created_at)  # revenue is read from the journal
    session.commit()

    d = stats.dashboard(session=session, actor=boss)
    rows = session.exec(select(ServiceRequest)).all()
    expected_status = Counter(r.status.value for r in rows)
    assert d.by_status == {s.value: expected_status.get(s.value, 0) for s in RequestStatus}
    assert all(type(v) is int for v in d.by_status.values())
    assert d.customers == 3 and d.professionals_approved == 1 and d.professionals_pending == 1
    assert d.requests_today == len(rows)
    assert d.completion_rate == round(3 / 4, 3)  # completed + 2 closed out of those plus 1 cancelled
    assert d.average_rating == 4.5 and d.rating_distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    assert d.revenue_month_paise == 2 * plumbing.base_price_paise
    assert d.bookings_per_day[-1][1] == len(rows) and sum(c for _, c in d.bookings_per_day) == len(rows)
    assert d.top_services == [("Plumbing", 5), ("Cleaning", 2)]
    assert d.top_pincodes[0] == ("560034", 4)


def test_dashboard_before_any_data_says_no_ratings(session: Session, boss) -> None:  # noqa: ANN001
    d = stats.dashboard(session=session, actor=boss)
    assert d.average_rating is None and d.completion_rate is None and d.ratings_count == 0
    assert sum(d.by_status.values()) == 0 and len(d.bookings_per_day) == stats.TREND_DAYS
