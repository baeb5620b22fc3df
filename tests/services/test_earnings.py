"""The professional's earnings and "jobs done" count money received, not work finished.

A completed job is not earned until the customer pays for it; a closed job is always paid
(closing requires a payment). Earnings are the professional's share: their price and approved
extras less HomeServe's commission (20 % by default), never the platform fee or GST.
"""

from __future__ import annotations

from sqlmodel import Session

from hsa.models import RequestStatus, Role
from hsa.services import bookings, jobs
from tests.factories import actor_for, make_request, make_service, make_user

S = RequestStatus


def test_only_paid_jobs_count_in_earnings_and_jobs_done(session: Session) -> None:
    service = make_service(session, price_paise=29_900)
    pro = make_user(session, role=Role.professional, service=service)
    customer = make_user(session)
    unpaid = make_request(session, customer=customer, service=service, status=S.completed, professional=pro)
    make_request(session, customer=customer, service=service, status=S.completed, professional=pro, paid=True)
    make_request(session, customer=customer, service=service, status=S.closed, professional=pro, paid=True)
    for status in (S.assigned, S.in_progress, S.cancelled):
        make_request(session, customer=customer, service=service, status=status, professional=pro)
    p = actor_for(session, pro)
    board = jobs.board(session=session, actor=p)
    assert (board.earnings, board.jobs_done) == ("₹478.40", 2)  # 2 x 80 % of 299
    assert unpaid.id in {v.id for v in board.history}  # still listed, marked unpaid
    bookings.transition(session=session, actor=p, request_id=unpaid.id, action="collect_cash")
    board = jobs.board(session=session, actor=p)
    assert (board.earnings, board.jobs_done) == ("₹717.60", 3)


def test_earnings_are_the_professionals_share_including_extras(session: Session) -> None:
    service = make_service(session, price_paise=29_900)
    pro = make_user(session, role=Role.professional, service=service)
    customer = make_user(session)
    req = make_request(session, customer=customer, service=service, status=S.in_progress, professional=pro)
    p, c = actor_for(session, pro), actor_for(session, customer)
    bookings.transition(session=session, actor=p, request_id=req.id, action="propose_extra",
                        data={"amount_rupees": 150, "reason": "New washer"})
    bookings.transition(session=session, actor=c, request_id=req.id, action="approve_extra")
    bookings.transition(session=session, actor=p, request_id=req.id, action="complete")
    assert (jobs.board(session=session, actor=p).earnings, jobs.board(session=session, actor=p).jobs_done) == ("₹0", 0)
    bookings.transition(session=session, actor=p, request_id=req.id, action="collect_cash")
    board = jobs.board(session=session, actor=p)
    assert (board.earnings, board.jobs_done) == ("₹359.20", 1)
