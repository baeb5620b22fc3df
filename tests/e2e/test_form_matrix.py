"""Every form of every page, used the way a person uses it, with several cards and lists on the page.

For each form (found from the pages by its `data-form` name, so a new form fails
`test_every_rendered_form_has_a_case` until it gets a case here):
- one field typed wrong (a value the browser accepts but the rules refuse): the message appears
  beside *that* field (its `aria-describedby` target) and the database is unchanged;
- then valid input: the outcome shows on the page and the database holds it.
The world has several requests per list (the professional's job is both "requested from you"
and beside an open job, the customer has four cards with inline forms), which is what broke
Decline and Change time before.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from sqlmodel import Session, select

from hsa.models import (
    AccountToken,
    ApprovalStatus,
    AuthSession,
    AvailabilityOverride,
    ChatMessage,
    Dispute,
    DisputeReason,
    DisputeStatus,
    PhoneCode,
    ProfessionalProfile,
    QualityLevel,
    QualityStanding,
    Report,
    ReportReason,
    RequestStatus,
    Review,
    Role,
    Service,
    ServiceRequest,
    TokenPurpose,
    User,
    UserStatus,
    utcnow,
)
from hsa.services import account_links, sessions
from hsa.services.scheduling import IST
from tests.e2e.conftest import Server
from tests.e2e.form_walk import rendered_forms
from tests.e2e.money import pay_online
from tests.factories import PASSWORD, actor_for, make_request, make_user, slot
from tests.factories import make_service as _make_service

_n = itertools.count(1)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    req: dict[str, int] = field(default_factory=dict)
    service_id: int = 0
    other_service_id: int = 0
    start_code: str = ""  # the code the customer's card shows for the "start" job
    reset_token: str = ""  # a mailed reset link's token for "resetter"
    report_id: int = 0  # an open report on the "chat" booking, for the admin's queue
    review_id: dict[str, int] = field(default_factory=dict)  # "flag": the pro flags it; "moderate": flagged
    data_dir: Path = Path()  # the server's data folder (its SMS outbox)


def _build(s: Session, server: Server) -> World:
    w = World()
    plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
    w.service_id = plumbing.id
    w.other_service_id = _make_service(s, name="Matrix Gardening").id
    mk = lambda key, **kw: w.users.__setitem__(key, make_user(s, email=f"matrix-{key}@example.com",  # noqa: E731
                                                              full_name=f"Matrix {key.title()}", **kw))
    for key in ("customer", "blockee", "unblockee", "deletee", "passworder", "resetter", "leaver"):
        mk(key)
    mk("unmailed", verified=False)  # signed up, neither proven
    for key in ("phoner", "coder"):  # email proven, number not
        mk(key, verified=False)
        w.users[key].email_verified_at = utcnow()
        s.add(w.users[key])
    mk("pro", role=Role.professional, service=plumbing)
    mk("pending", role=Role.professional, service=plumbing, approval=ApprovalStatus.pending)
    for key in ("suspendee", "appellant"):  # paused by quality control; the second has appealed
        mk(key, role=Role.professional, service=plumbing)
    mk("admin", role=Role.admin)
    unblockee = w.users["unblockee"]
    unblockee.status = UserStatus.blocked
    s.add(unblockee)
    profile = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == w.users["pro"].id)).one()
    profile.is_available = True
    s.add(profile)
    s.commit()
    c, p = w.users["customer"], w.users["pro"]
    svc = plumbing
    for key, kw in {
        "edit": {}, "cancel": {},
        "pay": {"status": RequestStatus.completed, "professional": p},
        "cash": {"status": RequestStatus.completed, "professional": p, "scheduled_at": slot(2, 12)},
        "refund": {"status": RequestStatus.completed, "professional": p, "scheduled_at": slot(2, 15)},
        "release": {"status": RequestStatus.assigned, "professional": p, "scheduled_at": slot(11, 9)},
        "close": {"status": RequestStatus.completed, "professional": p, "paid": True},
        "addressed": {"preferred": p}, "open": {},
        "chat": {"status": RequestStatus.assigned, "professional": p, "scheduled_at": slot(17, 10)},
        **{key: {"status": RequestStatus.completed, "professional": p, "scheduled_at": slot(1, hour)}
           for key, hour in (("dispute", 9), ("answer_dispute", 11), ("decide_dispute", 13), ("flag", 15),
                             ("moderate", 17))},
        "start": {"status": RequestStatus.assigned, "professional": p, "scheduled_at": slot(3, 9)},
        "renew": {"status": RequestStatus.assigned, "professional": p, "scheduled_at": slot(16, 10)},
        "onmyway": {"status": RequestStatus.assigned, "professional": p, "scheduled_at": slot(4, 9)},
        "complete": {"status": RequestStatus.in_progress, "professional": p, "scheduled_at": slot(5, 9)},
        "extra": {"status": RequestStatus.in_progress, "professional": p, "scheduled_at": slot(6, 9)},
        "approve_extra": {"status": RequestStatus.in_progress, "professional": p, "scheduled_at": slot(7, 9)},
        "reject_extra": {"status": RequestStatus.in_progress, "professional": p, "scheduled_at": slot(8, 9)},
        "withdraw_extra": {"status": RequestStatus.in_progress, "professional": p, "scheduled_at": slot(10, 9)},
        "propose_c": {"status": RequestStatus.assigned, "professional": p, "scheduled_at": slot(8, 10)},
        "propose_p": {"status": RequestStatus.assigned, "professional": p, "scheduled_at": slot(9, 10)},
        **{f"{side}_{answer}_time": {"status": RequestStatus.assigned, "professional": p,
                                     "scheduled_at": slot(days, 10)}
           for days, (side, answer) in enumerate(itertools.product(("c", "p"), ("accept", "decline")), 12)},
    }.items():
        w.req[key] = make_request(s, customer=c, service=svc, **kw).id
    customer = actor_for(s, c)
    s.commit()  # the server's callback writes: this session must not hold SQLite's lock meanwhile
    pay_online(server, customer, w.req["refund"])  # through the gateway, as the customer would
    _propose_extras(s, w)
    _propose_times(s, w)
    _start_codes(s, w)
    report = Report(request_id=w.req["chat"], reporter_id=p.id, reported_id=c.id, reason=ReportReason.other,
                    details="Matrix: rude on the phone")
    s.add(report)
    s.commit()
    w.report_id = report.id
    for key in ("flag", "moderate"):
        review = Review(request_id=w.req[key], customer_id=c.id, professional_id=p.id, rating=1,
                        comment=f"Matrix: a {key} review", flag_reason="wrong_job" if key == "moderate" else "",
                        flagged_at=utcnow() if key == "moderate" else None)
        s.add(review)
        s.commit()
        w.review_id[key] = review.id
    for key, status in (("answer_dispute", DisputeStatus.open), ("decide_dispute", DisputeStatus.answered)):
        s.add(Dispute(request_id=w.req[key], customer_id=c.id, professional_id=p.id, reason=DisputeReason.other,
                      details="Matrix: not happy with it", status=status,
                      answer="Matrix: done as asked" if status is DisputeStatus.answered else ""))
    s.commit()
    for key, appeal in (("suspendee", ""), ("appellant", "Matrix: the low ratings were for another job")):
        s.add(QualityStanding(professional_id=w.users[key].id, level=QualityLevel.suspended, reason="Matrix: low",
                              suspended_at=utcnow(), appeal=appeal, appealed_at=utcnow() if appeal else None))
    s.commit()
    w.reset_token = account_links.issue(s, _get(s, User, w.users["resetter"].id), TokenPurpose.reset_password)
    s.commit()
    w.data_dir = server.log.parent
    return w


def _standing(s: Session, w: World, key: str) -> QualityStanding:
    row = s.exec(select(QualityStanding).where(QualityStanding.professional_id == w.users[key].id)).one()
    s.refresh(row)
    return row


def _dispute_status(s: Session, w: World, key: str) -> str:
    d = s.exec(select(Dispute).where(Dispute.request_id == w.req[key])).one()
    s.refresh(d)
    return d.status.value


def _sms_code(w: World, who: str) -> str:
    """The newest code the server texted to `who` (its SMS outbox, as the person reads their phone)."""
    phone = w.users[who].phone
    texts = sorted(p for p in (w.data_dir / "sms-outbox").glob("*.txt") if f"To: {phone}" in p.read_text())
    return re.search(r"\b(\d{6})\b", texts[-1].read_text()).group(1)  # type: ignore[union-attr]


def _start_codes(s: Session, w: World) -> None:
    """Accepted jobs carry the code accepting gave them; the "renew" one had five wrong tries."""
    from hsa.services.process.effects import new_code
    w.start_code = new_code()
    for key, code, tries in (("start", w.start_code, 0), ("renew", "1111", 5)):
        row = s.get(ServiceRequest, w.req[key])
        row.start_code, row.start_code_tries = code, tries
        s.add(row)
    s.commit()


def _propose_times(s: Session, w: World) -> None:
    """The other side asked for an hour later: `c_*` cards wait on the customer, `p_*` on the professional."""
    for key in ("c_accept_time", "c_decline_time", "p_accept_time", "p_decline_time"):
        row = s.get(ServiceRequest, w.req[key])
        row.reschedule_to = row.scheduled_at + timedelta(hours=1)
        row.reschedule_by_id = w.users["pro" if key[0] == "c" else "customer"].id
        s.add(row)
    s.commit()


def _propose_extras(s: Session, w: World) -> None:
    """The professional asked for more on two jobs: the customer's cards show Approve / Reject."""
    from hsa.models import ExtraCharge
    for key in ("approve_extra", "reject_extra", "withdraw_extra"):
        s.add(ExtraCharge(request_id=w.req[key], amount_paise=20_000, reason="Matrix extra pipe",
                          proposed_by_id=w.users["pro"].id))
    s.commit()


def _extras(key: str) -> Callable[[Session, World], list[str]]:
    """The statuses of a request's extra charges, oldest first."""
    def probe(s: Session, w: World) -> list[str]:
        from hsa.models import ExtraCharge
        return [e.status.value for e in s.exec(select(ExtraCharge).where(
            ExtraCharge.request_id == w.req[key]).order_by(ExtraCharge.id))]  # type: ignore[arg-type]
    return probe


def _get(s: Session, model: type, id_: int) -> Any:
    row = s.get(model, id_)
    s.refresh(row)
    return row


def _status(key: str) -> Callable[[Session, World], str]:
    return lambda s, w: _get(s, ServiceRequest, w.req[key]).status.value


def _proposed(key: str) -> Callable[[Session, World], Any]:
    return lambda s, w: _get(s, ServiceRequest, w.req[key]).reschedule_to


def _when(key: str) -> Callable[[Session, World], Any]:
    """The slot and any proposal: accepting moves the one, declining clears the other."""
    return lambda s, w: (lambda r: (r.scheduled_at, r.reschedule_to))(_get(s, ServiceRequest, w.req[key]))


def _user_status(key: str) -> Callable[[Session, World], str]:
    return lambda s, w: _get(s, User, w.users[key].id).status.value


def _reveal(button: Callable[[World], str]) -> Callable[[Page, World], None]:
    return lambda page, w: page.locator(f"#{button(w)}").click()


def _find_user(key: str, button: str) -> Callable[[Page, World], None]:
    """An admin finds the user by email first (the list is paged), then opens the action."""
    def reveal(page: Page, w: World) -> None:
        search = page.locator('form[data-form="user-search"]')
        search.get_by_label("Name, email or phone").fill(w.users[key].email)
        search.get_by_role("button", name="Search users").click()
        page.locator(f"#{button}-{w.users[key].id}").click()
    return reveal


def _day(days: int) -> str:
    return (slot(days).astimezone(IST)).date().isoformat()


@dataclass(frozen=True)
class Case:
    form: str
    who: str | None                     # a World user key, or None for a guest
    route: str
    probe: Callable[[Session, World], Any]  # unchanged by the bad submit, changed by the good one (None: a search)
    valid: Callable[[World], dict[str, str]] = lambda w: {}
    invalid: tuple[str, str] | None = None  # (field name, a value the browser sends but the rules refuse)
    reveal: Callable[[Page, World], None] | None = None
    nth: Callable[[World], str] | None = None  # the form's id when several of its kind are on the page
    expect_after: str = "#notice"        # what the person sees after the good submit
    message_at: str | None = None         # form-level message instead of a field message


CASES = [
    Case("login", None, "/login", lambda s, w: s.exec(select(AuthSession).where(
        AuthSession.user_id == w.users["customer"].id)).all().__len__(),
        valid=lambda w: {"email": w.users["customer"].email, "password": PASSWORD},
        invalid=("password", "wrong-password-1"), message_at="#form-error", expect_after="#welcome"),
    Case("register", None, "/register", lambda s, w: s.exec(select(User).where(
        User.email == "matrix-new@example.com")).first() is not None,
        valid=lambda w: {"full_name": "Matrix New", "email": "matrix-new@example.com", "phone": "98450 12345",
                         "password": "Sturdy-Pass-42", "address": "4, 2nd Main, Koramangala",
                         "pincode": "560034"},
        invalid=("pincode", "999999"), expect_after="#signup-sent"),
    Case("register-pro", None, "/register/professional", lambda s, w: s.exec(select(User).where(
        User.email == "matrix-newpro@example.com")).first() is not None,
        valid=lambda w: {"full_name": "Matrix Newpro", "email": "matrix-newpro@example.com",
                         "phone": "98450 12346", "password": "Sturdy-Pass-42", "address": "4, 2nd Main, Koramangala",
                         "pincode": "560034", "service_id": "Plumbing", "experience_years": "4"},
        invalid=("experience_years", "90"), expect_after="#signup-sent"),
    Case("forgot-password", None, "/forgot-password", lambda s, w: len(s.exec(select(AccountToken.id).where(
        AccountToken.user_id == w.users["customer"].id)).all()), valid=lambda w: {"email": w.users["customer"].email}),
    Case("reset-password", None, "/reset-password", lambda s, w: _get(s, User, w.users["resetter"].id).password_hash,
         reveal=lambda page, w: page.goto(f"/reset-password?token={w.reset_token}"),
         valid=lambda w: {"new_password": "Fresh-Sturdy-77", "confirm_password": "Fresh-Sturdy-77"},
         invalid=("confirm_password", "Other-Sturdy-00"), expect_after="#welcome"),
    Case("chat-send", "customer", "/requests", lambda s, w: len(s.exec(select(ChatMessage.id).where(
        ChatMessage.request_id == w.req["chat"])).all()),
         reveal=lambda page, w: page.goto(f"/chat?request={w.req['chat']}"),
         valid=lambda w: {"body": "Matrix hello, see you at 10"}, invalid=("body", "   "),
         expect_after=".chat-message.mine"),
    Case("chat-report", "customer", "/requests", lambda s, w: len(s.exec(select(Report.id).where(
        Report.request_id == w.req["chat"])).all()),
         reveal=lambda page, w: (page.goto(f"/chat?request={w.req['chat']}"),
                                 page.locator("#report-person").click()),
         valid=lambda w: {"reason": "Something else", "details": "Matrix report"}),
    Case("report-close", "admin", "/admin/reports", lambda s, w: _get(s, Report, w.report_id).status.value,
         nth=lambda w: f"form-close-{w.report_id}", valid=lambda w: {"outcome": "Matrix: talked to both sides"},
         invalid=("outcome", "ok")),
    Case("request-dispute", "customer", "/requests", lambda s, w: len(s.exec(select(Dispute.id).where(
        Dispute.request_id == w.req["dispute"])).all()),
         reveal=lambda page, w: page.locator(f"#btn-dispute-{w.req['dispute']}").click(),
         nth=lambda w: f"form-dispute-{w.req['dispute']}",
         valid=lambda w: {"reason": "Poor quality", "details": "Matrix: the leak came back"},
         invalid=("details", "short")),
    Case("job-dispute-answer", "pro", "/professional", lambda s, w: _dispute_status(s, w, "answer_dispute"),
         nth=lambda w: f"form-answer-{w.req['answer_dispute']}", valid=lambda w: {"answer": "Matrix: my side of it"},
         invalid=("answer", "no")),
    Case("dispute-decide", "admin", "/admin/disputes", lambda s, w: _dispute_status(s, w, "decide_dispute"),
         nth=lambda w: f"form-decide-{w.req['decide_dispute']}",
         valid=lambda w: {"outcome": "No action", "note": "Matrix: no fault found"}, invalid=("note", "ok")),
    Case("review-flag", "pro", "/professional", lambda s, w: _get(s, Review, w.review_id["flag"]).flagged_at,
         reveal=lambda page, w: page.locator(f"#flag-open-{w.review_id['flag']}").click(),
         nth=lambda w: f"form-flag-{w.review_id['flag']}",
         valid=lambda w: {"reason": "Abusive or offensive", "note": "Matrix: not my customer"}),
    Case("review-moderate", "admin", "/admin/reviews",
         lambda s, w: _get(s, Review, w.review_id["moderate"]).moderated_at,
         nth=lambda w: f"form-moderate-{w.review_id['moderate']}",
         valid=lambda w: {"decision": "Keep it", "note": "Matrix: a fair review"}, invalid=("note", "ok")),
    Case("quality-appeal", "suspendee", "/professional", lambda s, w: _standing(s, w, "suspendee").appeal,
         valid=lambda w: {"appeal": "Matrix: it was a wrong job, please check it"}, invalid=("appeal", "short"),
         expect_after="#appeal-notice"),
    Case("quality-decide", "admin", "/admin/quality", lambda s, w: _standing(s, w, "appellant").decision,
         nth=lambda w: f"form-quality-{w.users['appellant'].id}",
         valid=lambda w: {"decision": "Keep", "reason": "Matrix: keep it for now"}, invalid=("reason", "ok")),
    Case("delete-account", "leaver", "/profile", _user_status("leaver"), valid=lambda w: {"password": PASSWORD},
         invalid=("password", "wrong-password-1"), expect_after="#flash"),
    Case("verify-email-again", "unmailed", "/verify", lambda s, w: len(s.exec(select(AccountToken.id).where(
        AccountToken.user_id == w.users["unmailed"].id)).all())),
    Case("verify-send-code", "phoner", "/verify", lambda s, w: len(s.exec(select(PhoneCode.id).where(
        PhoneCode.user_id == w.users["phoner"].id)).all()), expect_after="#code-form"),
    Case("verify-code", "coder", "/verify", lambda s, w: _get(s, User, w.users["coder"].id).phone_verified_at,
         reveal=lambda page, w: page.get_by_role("button", name="Text me a code").click(),
         valid=lambda w: {"code": _sms_code(w, "coder")}, invalid=("code", "12345a"), expect_after="#verified-all"),
    Case("search", "customer", "/customer", lambda s, w: None,
         valid=lambda w: {"pincode": "560034", "service_id": "Plumbing"}, invalid=("pincode", "12"),
         expect_after="#results"),
    Case("describe", "customer", "/customer", lambda s, w: None,  # a question: nothing is stored
         valid=lambda w: {"describe": "kitchen tap is leaking"}, invalid=("describe", "!!"),
         expect_after="#suggested-service"),
    Case("book", "customer", "/book", lambda s, w: len(s.exec(select(ServiceRequest.id).where(
        ServiceRequest.customer_id == w.users["customer"].id)).all()),
        valid=lambda w: {"service_id": "Plumbing", "day": _day(6), "time": "10:00", "remarks": "Matrix booking"},
        invalid=("pincode", "12"), expect_after="#my-requests"),
    Case("request-edit", "customer", "/requests", lambda s, w: _get(s, ServiceRequest, w.req["edit"]).scheduled_at,
         valid=lambda w: {"day": _day(7), "time": "11:00"}, invalid=("time", "21:00"),
         reveal=_reveal(lambda w: f"btn-edit-{w.req['edit']}"), nth=lambda w: f"form-edit-{w.req['edit']}"),
    Case("request-cancel", "customer", "/requests", _status("cancel"),
         valid=lambda w: {"reason": "Plans changed"}, invalid=("reason", "no"),
         reveal=_reveal(lambda w: f"btn-cancel-{w.req['cancel']}"), nth=lambda w: f"form-cancel-{w.req['cancel']}"),
    # "Pay online" opens an order and takes the customer to the gateway's page (TEST MODE here)
    Case("pay-online", "customer", "/requests", lambda s, w: _orders(s, w.req["pay"]),
         nth=lambda w: f"request-{w.req['pay']}", expect_after="text=TEST MODE"),
    Case("job-collect_cash", "pro", "/professional", lambda s, w: _paid(s, w.req["cash"]),
         nth=lambda w: f"job-{w.req['cash']}"),
    Case("request-close", "customer", "/requests", _status("close"),
         valid=lambda w: {"rating": "★★★★ Good", "comment": "Neat work"},
         reveal=_reveal(lambda w: f"btn-close-{w.req['close']}"), nth=lambda w: f"form-close-{w.req['close']}"),
    Case("radius", "pro", "/professional", lambda s, w: s.exec(select(ProfessionalProfile.service_radius_km).where(
        ProfessionalProfile.user_id == w.users["pro"].id)).one(), valid=lambda w: {"radius_km": "25"},
        invalid=("radius_km", "500")),
    Case("job-decline", "pro", "/professional", lambda s, w: _get(s, ServiceRequest, w.req["addressed"]).decline_reason,
         valid=lambda w: {"reason": "Fully booked this week"}, invalid=("reason", "no"),
         reveal=_reveal(lambda w: f"btn-decline-{w.req['addressed']}"),
         nth=lambda w: f"form-decline-{w.req['addressed']}"),
    Case("job-release", "pro", "/professional", lambda s, w: _get(s, ServiceRequest, w.req["release"]).professional_id,
         valid=lambda w: {"reason": "My van broke down"}, invalid=("reason", "no"),
         reveal=_reveal(lambda w: f"btn-release-{w.req['release']}"),
         nth=lambda w: f"form-release-{w.req['release']}"),
    Case("job-accept", "pro", "/professional", _status("open"),
         nth=lambda w: f"job-{w.req['open']}"),
    Case("job-start", "pro", "/professional", _status("start"), valid=lambda w: {"code": w.start_code},
         invalid=("code", "12ab"), reveal=_reveal(lambda w: f"btn-start-{w.req['start']}"),
         nth=lambda w: f"form-start-{w.req['start']}"),
    Case("request-renew_code", "customer", "/requests", lambda s, w: _get(s, ServiceRequest, w.req["renew"]).start_code,
         nth=lambda w: f"request-{w.req['renew']}"),
    Case("job-onmyway", "pro", "/professional", lambda s, w: _trip(s, w.req["onmyway"]),
         nth=lambda w: f"job-{w.req['onmyway']}"),
    Case("request-propose_time", "customer", "/requests", _proposed("propose_c"),
         valid=lambda w: {"day": _day(10), "time": "11:00"}, invalid=("time", "21:00"),
         reveal=_reveal(lambda w: f"btn-propose_time-{w.req['propose_c']}"),
         nth=lambda w: f"form-propose_time-{w.req['propose_c']}"),
    Case("job-propose_time", "pro", "/professional", _proposed("propose_p"),
         valid=lambda w: {"day": _day(11), "time": "12:00"}, invalid=("time", "07:30"),
         reveal=_reveal(lambda w: f"btn-propose_time-{w.req['propose_p']}"),
         nth=lambda w: f"form-propose_time-{w.req['propose_p']}"),
    *(Case(f"{'request' if side == 'c' else 'job'}-{answer}_time", "customer" if side == "c" else "pro",
           "/requests" if side == "c" else "/professional", _when(f"{side}_{answer}_time"),
           nth=lambda w, k=f"{side}_{answer}_time", card="request" if side == "c" else "job": f"{card}-{w.req[k]}")
      for side in ("c", "p") for answer in ("accept", "decline")),
    Case("job-complete", "pro", "/professional", _status("complete"),
         reveal=_reveal(lambda w: f"btn-complete-{w.req['complete']}"),
         nth=lambda w: f"form-complete-{w.req['complete']}"),
    Case("job-propose_extra", "pro", "/professional", _extras("extra"),
         valid=lambda w: {"amount_rupees": "150", "reason": "Replaced the corroded washer"},
         invalid=("amount_rupees", "0"), reveal=_reveal(lambda w: f"btn-propose_extra-{w.req['extra']}"),
         nth=lambda w: f"form-propose_extra-{w.req['extra']}"),
    Case("request-approve_extra", "customer", "/requests", _extras("approve_extra"),
         nth=lambda w: f"request-{w.req['approve_extra']}"),
    Case("request-reject_extra", "customer", "/requests", _extras("reject_extra"),
         nth=lambda w: f"request-{w.req['reject_extra']}"),
    Case("job-withdraw_extra", "pro", "/professional", _extras("withdraw_extra"),
         nth=lambda w: f"job-{w.req['withdraw_extra']}"),
    Case("reject", "admin", "/admin/professionals", lambda s, w: s.exec(select(
        ProfessionalProfile.approval_status).where(ProfessionalProfile.user_id == w.users["pending"].id)).one(),
        valid=lambda w: {"reason": "The ID document is unreadable"}, invalid=("reason", "x"),
        reveal=_reveal(lambda w: f"reject-{w.users['pending'].id}"),
        nth=lambda w: f"applicant-{w.users['pending'].id}"),
    Case("user-search", "admin", "/admin/users", lambda s, w: None, valid=lambda w: {"q": "matrix-blockee"},
         invalid=("pincode", "12"), expect_after="#user-list >> text=Matrix Blockee"),
    Case("user-block", "admin", "/admin/users", _user_status("blockee"), valid=lambda w: {"reason": "Fraud reports"},
         invalid=("reason", "x"), reveal=_find_user("blockee", "block"),
         nth=lambda w: f"user-{w.users['blockee'].id}"),
    Case("user-unblock", "admin", "/admin/users", _user_status("unblockee"),
         valid=lambda w: {"reason": "Appeal upheld"}, reveal=_find_user("unblockee", "unblock"),
         nth=lambda w: f"user-{w.users['unblockee'].id}"),
    Case("user-delete", "admin", "/admin/users", _user_status("deletee"),
         valid=lambda w: {"reason": "Asked to be forgotten", "confirm": "DELETE"}, invalid=("confirm", "nope"),
         reveal=_find_user("deletee", "delete"), nth=lambda w: f"user-{w.users['deletee'].id}"),
    Case("service-new", "admin", "/admin/services", lambda s, w: s.exec(select(Service.id).where(
        Service.name == "Matrix Pest Control")).first() is not None,
        valid=lambda w: {"name": "Matrix Pest Control", "description": "Termites and cockroaches",
                         "base_price_rupees": "899", "duration_minutes": "90"},
        invalid=("base_price_rupees", "2000000")),
    Case("service-edit", "admin", "/admin/services", lambda s, w: (
        _get(s, Service, w.other_service_id).description, _get(s, Service, w.other_service_id).extra_cap_factor),
         valid=lambda w: {"description": "Lawns, hedges and pots", "extra_cap_factor": "5×"},
         invalid=("duration_minutes", "0"),
         reveal=lambda page, w: page.locator(f"#service-{w.other_service_id}").get_by_role(
             "button", name="Edit").click(),
         nth=lambda w: f"service-{w.other_service_id}"),
    Case("request-search", "admin", "/admin/requests", lambda s, w: None,
         valid=lambda w: {"status": "Waiting", "date_to": _day(30)}, invalid=("date_from", _day(40)),
         expect_after="#request-list >> text=Plumbing"),
    Case("admin-refund", "admin", "/admin/requests", lambda s, w: _refunded(s, w.req["refund"]),
         valid=lambda w: {"amount_rupees": "50", "reason": "Arrived an hour late"}, invalid=("amount_rupees", "99999"),
         reveal=lambda page, w: page.goto(f"/admin/requests?request={w.req['refund']}")),
    # the first step only reviews (nothing written): the confirmation it shows is the outcome
    Case("payout-run", "admin", "/admin/payouts", lambda s, w: None, valid=lambda w: {"period_end": _day(-1)},
         invalid=("period_end", _day(1)), expect_after="#payout-preview"),
    # a report, not a change: the figures for the range typed are the outcome
    Case("finance-range", "admin", "/admin/finance", lambda s, w: None,
         valid=lambda w: {"date_from": _day(-10), "date_to": _day(-1)}, invalid=("date_from", _day(5)),
         expect_after="#finance-kpis"),
    Case("audit-search", "admin", "/admin/audit", lambda s, w: None, valid=lambda w: {"action": "request"},
         invalid=("target_id", "abc"), expect_after="#audit-list >> text=request"),
    Case("profile", "customer", "/profile", lambda s, w: _get(s, User, w.users["customer"].id).full_name,
         valid=lambda w: {"full_name": "Matrix Customer Renamed"}, invalid=("phone", "12345")),
    Case("profile-price", "pro", "/profile", lambda s, w: s.exec(select(ProfessionalProfile.price_paise).where(
        ProfessionalProfile.user_id == w.users["pro"].id)).one(), valid=lambda w: {"price_rupees": "349"},
        invalid=("price_rupees", "9999"), expect_after="#price-notice"),
    Case("password", "passworder", "/password", lambda s, w: _get(s, User, w.users["passworder"].id).password_hash,
         valid=lambda w: {"current_password": PASSWORD, "new_password": "Another-Sturdy-9",
                          "confirm_password": "Another-Sturdy-9"},
         invalid=("current_password", "not-my-password")),
    Case("languages", "pro", "/profile", lambda s, w: s.exec(select(ProfessionalProfile.languages).where(
        ProfessionalProfile.user_id == w.users["pro"].id)).one(), valid=lambda w: {"lang_hi": "on"},
        expect_after="#public-notice"),
    Case("working-hours", "pro", "/professional/hours", lambda s, w: s.exec(select(
        ProfessionalProfile.weekly_hours).where(ProfessionalProfile.user_id == w.users["pro"].id)).one(),
        valid=lambda w: {"mon": "09:00-18:00"}, invalid=("mon", "25:00-26:00"), expect_after="#hours-notice"),
    Case("date-override", "pro", "/professional/hours", lambda s, w: len(s.exec(select(AvailabilityOverride.id).where(
        AvailabilityOverride.user_id == w.users["pro"].id)).all()),
        valid=lambda w: {"start": _day(9)}, invalid=("hours", "06:00-07:00"), expect_after="#override-notice"),
]


def _paid(s: Session, request_id: int) -> bool:
    from hsa.models import Payment, PaymentStatus
    return s.exec(select(Payment.id).where(Payment.request_id == request_id,
                                           Payment.status == PaymentStatus.paid)).first() is not None


def _refunded(s: Session, request_id: int) -> int:
    from hsa.models import Payment
    return sum(s.exec(select(Payment.refunded_paise).where(Payment.request_id == request_id)))


def _orders(s: Session, request_id: int) -> list[str | None]:
    from hsa.models import Payment
    return list(s.exec(select(Payment.order_id).where(Payment.request_id == request_id)))


def _trip(s: Session, request_id: int) -> bool:
    from hsa.models import JobLocation
    return s.exec(select(JobLocation.request_id).where(JobLocation.request_id == request_id)).first() is not None


@pytest.fixture(scope="module")
def world(server: Server) -> World:
    with server.session() as s:
        return _build(s, server)


@pytest.fixture(scope="module")
def contexts(browser: Browser, server: Server, world: World) -> Iterator[dict[str | None, BrowserContext]]:
    made: dict[str | None, BrowserContext] = {}
    yield made
    for ctx in made.values():
        ctx.close()


def _context(browser: Browser, server: Server, world: World, who: str | None,
             made: dict[str | None, BrowserContext]) -> BrowserContext:
    if who is not None and who in made:
        return made[who]
    ctx = browser.new_context(base_url=server.url, viewport={"width": 375, "height": 800})
    if who is not None:
        with server.session() as s:
            token = sessions.issue_session(session=s, user_id=world.users[who].id)
            s.commit()
        ctx.add_init_script(f"window.localStorage.setItem('hsa_session', {token!r});")
    if who is not None:  # guests get a fresh browser each time: logging in must not leak into the next case
        made[who] = ctx
    return ctx


def _pick(form: Locator, name: str, value: str) -> None:
    """A radio group drawn as chips (the slot picker): "Later days" until the day shows, then tap it."""
    radio = form.locator(f'input[name="{name}"][value="{value}"]')
    if name == "day":
        first = form.locator('input[name="day"]').first
        expect(first).to_be_attached()
        for _ in range(9):
            if radio.count():
                break
            shown = first.get_attribute("value") or ""
            form.get_by_role("button", name="Later days").click()
            expect(first).not_to_have_value(shown)
    form.locator("label.chip", has=form.page.locator(f'input[name="{name}"][value="{value}"]')).click()
    expect(radio).to_be_checked()


def fill(form: Locator, values: dict[str, str]) -> None:
    """Type into each named control as a person would (selects by their visible label, radio chips
    by tapping them), leaving each field as a person does (the pincode re-asks the free times)."""
    for name, value in values.items():
        control = form.locator(f'[name="{name}"]')
        if name in ("day", "time") and form.locator("#slot-picker").count():
            _pick(form, name, value)
        elif control.get_attribute("type") == "checkbox":  # ticked by tapping its label, "on" or not
            if (value == "on") != control.is_checked():
                form.locator("label", has=form.page.locator(f'[name="{name}"]')).click()
            expect(control).to_be_checked(checked=value == "on")
        elif control.evaluate("e => e.tagName") == "SELECT":  # the option whose text starts with `value`
            option = control.evaluate("(e, v) => [...e.options].find(o => o.text.startsWith(v))?.value", value)
            assert option is not None, f"no option {value!r} in {name}"
            control.select_option(value=option)
        else:
            control.fill(value)
            control.blur()


def _form(page: Page, case: Case, world: World) -> Locator:
    scope = page.locator(f"#{case.nth(world)}") if case.nth else page
    if case.nth and case.nth(world).startswith("form-"):
        return scope
    return scope.locator(f'form[data-form="{case.form}"]')


@pytest.mark.parametrize("case", CASES, ids=[c.form for c in CASES])
def test_form(browser: Browser, server: Server, world: World, contexts: dict, case: Case) -> None:
    ctx = _context(browser, server, world, case.who, contexts)
    page = ctx.new_page()
    try:
        page.goto(case.route)
        expect(page.locator("#nav-links")).to_be_visible()
        if case.reveal:
            case.reveal(page, world)
        form = _form(page, case, world)
        expect(form).to_be_visible()
        with server.session() as s:
            before = case.probe(s, world)
        if case.invalid:
            name, bad = case.invalid
            original = form.locator(f'[name="{name}"]').input_value()
            fill(form, case.valid(world) | {name: bad})
            form.locator('[type="submit"]').first.click()
            if case.message_at:
                expect(page.locator(case.message_at)).to_be_visible()
            else:
                described = form.locator(f'[name="{name}"]').get_attribute("aria-describedby")
                message = page.locator(f'[id="{described}"]')
                expect(message).to_be_visible()
                expect(message).not_to_be_empty()
                expect(form.locator(f'[name="{name}"]')).to_have_attribute("aria-invalid", "true")
            expect(form.locator('[type="submit"]').first).to_be_enabled()
            with server.session() as s:
                assert case.probe(s, world) == before, f"{case.form}: a refused submit changed the database"
            form = _form(page, case, world)
        fill(form, ({case.invalid[0]: original} if case.invalid else {}) | case.valid(world))
        form.locator('[type="submit"]').first.click()
        expect(page.locator(case.expect_after).first).to_be_visible()
        if before is not None:  # the page shows the outcome only after the service committed
            assert _probe(server, case, world) != before, f"{case.form}: the good submit wrote nothing"
        expect(page.locator("#form-error")).to_have_count(0)
    finally:
        page.close()
        if case.who is None:
            ctx.close()


def _probe(server: Server, case: Case, world: World) -> Any:
    with server.session() as s:
        return case.probe(s, world)


def test_every_rendered_form_has_a_case() -> None:
    """A new form on any page fails here until the matrix drives it."""
    assert rendered_forms() <= {c.form for c in CASES}, "forms without a browser case"
