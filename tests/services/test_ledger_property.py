"""The books always balance: random sequences of bookings, payments (online and cash), extras,
cancellations with fees and refunds, releases and payouts, then every account is checked against
what the bookings say. Hypothesis picks the sequences (about 1,000 operations in all); the gateway
is the real test gateway over HTTP, so payments and refunds take the production path."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from hsa.models import (
    Account,
    LedgerEntry,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    RequestStatus,
    Role,
    ServiceRequest,
    utcnow,
)
from hsa.services import bookings
from hsa.services.errors import DomainError
from hsa.services.money import checkout, journal, postings
from hsa.services.money.pricing import bill, inclusive_tax, share
from hsa.testgateway import RunningGateway
from tests.factories import actor_for, make_request, make_service, make_user
from tests.payment_fixtures import Customer

OPS = st.lists(st.tuples(st.sampled_from(["book", "accept", "start", "extra", "complete", "cash", "pay", "fail",
                                          "cancel_early", "cancel_late", "release", "payout"]),
                         st.integers(min_value=0, max_value=7)),
               min_size=25, max_size=35)  # x 40 examples: at least 1,000 operations


class World:
    """Two customers, two professionals of one service, and the bookings made so far."""

    def __init__(self, session: Session, browser: Customer) -> None:
        self.session, self.browser = session, browser
        self.service = make_service(session, price_paise=39_900)
        self.customers = [make_user(session) for _ in range(2)]
        self.pros = [make_user(session, role=Role.professional, service=self.service) for _ in range(2)]
        self.requests: list[int] = []

    def req(self, n: int) -> ServiceRequest | None:
        if not self.requests:
            return None
        self.session.commit()
        return self.session.get(ServiceRequest, self.requests[n % len(self.requests)], populate_existing=True)

    def act(self, who: object, req: ServiceRequest, action: str, data: dict | None = None, **kw: object) -> None:
        bookings.transition(session=self.session, actor=actor_for(self.session, who), request_id=req.id,
                            action=action, data=data or {}, **kw)

    def do(self, op: str, n: int) -> None:  # noqa: C901 - one branch per operation
        s = self.session
        if op == "book":
            hours = 2 if n % 2 else 30  # near slots make late cancellations possible
            req = make_request(s, customer=self.customers[n % 2], service=self.service,
                               scheduled_at=utcnow() + timedelta(hours=hours), platform_fee_paise=4_900)
            self.requests.append(req.id)
            return
        req = self.req(n)
        if req is None:
            return
        owner = self.customers[0] if req.customer_id == self.customers[0].id else self.customers[1]
        pro = next((p for p in self.pros if p.id == req.professional_id), self.pros[n % 2])
        if op == "accept":
            self.act(pro, req, "accept")
        elif op == "start":
            self.act(pro, req, "start", {"code": req.start_code}, now=req.scheduled_at)
        elif op == "extra":
            self.act(pro, req, "propose_extra", {"amount_rupees": 50 + n * 25, "reason": "More work"})
            self.act(owner, req, "approve_extra" if n % 3 else "reject_extra")
        elif op == "complete":
            self.act(pro, req, "complete")
        elif op == "cash":
            self.act(pro, req, "collect_cash")
        elif op in ("pay", "fail"):
            form = checkout.start_checkout(session=s, actor=actor_for(s, owner), request_id=req.id, now=utcnow())
            s.commit()
            self.browser.pay(form, outcome="success" if op == "pay" else "failure")
        elif op == "cancel_early":
            self.act(owner, req, "cancel", {"reason": "Changed plans"})
        elif op == "cancel_late":
            self.act(owner, req, "cancel", {"reason": "Changed plans"}, now=req.scheduled_at - timedelta(minutes=30))
        elif op == "release":
            self.act(pro, req, "release", {"reason": "Van broke down"})
        elif op == "payout":
            owed = -journal.balance(s, Account.professional_payable, user_id=pro.id)
            if owed > 0:
                postings.payout(s, pro.id, owed, now=utcnow())
                s.commit()


def check_books(s: Session) -> None:
    """Every account against what the bookings, payments and refunds say."""
    s.commit()
    assert journal.unbalanced_transactions(s) == []
    assert sum(journal.balances(s).values()) == 0
    rows = s.exec(select(ServiceRequest)).all()
    pays = s.exec(select(Payment)).all()
    net = defaultdict(int)
    for p in pays:
        if p.status in (PaymentStatus.paid, PaymentStatus.refunded):
            net[p.request_id] += p.amount_paise - p.refunded_paise
    for f in s.exec(select(Refund).where(Refund.concession)):  # support's goodwill lowers the bill
        net[f.request_id] += f.amount_paise
    gst = 0
    for r in rows:
        if r.status in (RequestStatus.completed, RequestStatus.closed):
            charged, gst = bill(r).total_paise, gst + bill(r).gst_paise
        elif r.status is RequestStatus.cancelled:
            charged, gst = r.cancel_fee_paise, gst + inclusive_tax(r.cancel_fee_paise, r.gst_bps)
        else:
            charged = 0
        assert journal.balance(s, Account.customer_receivable, request_id=r.id) == charged - net[r.id], r
    assert journal.balance(s, Account.gst_payable) == -gst
    captured = sum(p.amount_paise for p in pays if p.provider == "razorpay"
                   and p.status in (PaymentStatus.paid, PaymentStatus.refunded))
    refunds = s.exec(select(Refund)).all()
    returned = sum(f.amount_paise for f in refunds if f.status is RefundStatus.processed)
    assert journal.balance(s, Account.gateway_clearing) == captured - returned
    assert journal.balance(s, Account.refunds) == -sum(f.amount_paise for f in refunds
                                                      if f.status is RefundStatus.pending)
    earned: dict[int, int] = defaultdict(int)
    for r in rows:
        if r.professional_id and r.status in (RequestStatus.completed, RequestStatus.closed):
            earned[r.professional_id] += bill(r).professional_paise
        elif r.professional_id and r.status is RequestStatus.cancelled and r.cancel_fee_paise:
            fee = r.cancel_fee_paise - inclusive_tax(r.cancel_fee_paise, r.gst_bps)
            earned[r.professional_id] += fee - share(fee, r.commission_bps)
    cash: dict[int, int] = defaultdict(int)
    for p in pays:
        if p.provider == "cash":
            cash[next(r.professional_id for r in rows if r.id == p.request_id)] += p.amount_paise  # type: ignore[index]
    paid_out: dict[int, int] = defaultdict(int)
    for e in s.exec(select(LedgerEntry).where(LedgerEntry.kind == "payout",
                                              LedgerEntry.account == Account.professional_payable)):
        paid_out[e.user_id] += e.amount_paise  # type: ignore[index]
    for pro in {*earned, *cash, *paid_out}:
        assert journal.balance(s, Account.professional_payable, user_id=pro) == \
            -earned[pro] + cash[pro] + paid_out[pro]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_every_account_balances_after_random_operations(session: Session, customer_browser: Customer,
                                                        gateway: RunningGateway, ops: list) -> None:
    world = World(session, customer_browser)
    for i, (op, n) in enumerate(ops):
        try:
            world.do(op, n)
        except DomainError:
            session.rollback()  # refused: the books must not have moved either
        if i % 5 == 4:
            check_books(session)
    session.commit()
    assert gateway.wait_idle(5)
    check_books(session)
