"""GST tax invoices (issue #16): issued once a booking is paid and done, numbered per financial
year without gaps (also under concurrent payments and rollbacks), rendered as PDF, downloaded
by signed link, mailed once with the PDF attached."""

from __future__ import annotations

import email
import io
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session, col, select

from hsa.db import session_scope
from hsa.models import Invoice, Payment, PaymentMethod, RequestStatus, Role, ServiceRequest, utcnow
from hsa.services import bookings
from hsa.services.errors import NotAuthenticated, NotFound
from hsa.services.money import checkout, invoice_mail, invoice_pdf, invoices
from hsa.services.money.pricing import bill, inclusive_tax
from hsa.services.process import engine
from hsa.services.scheduling import IST
from hsa.settings import get_settings
from hsa.testgateway import RunningGateway
from tests.factories import Recorder, actor_for, fresh, make_request, make_service, make_user
from tests.payment_fixtures import Customer
from tests.polling import wait_until

S = RequestStatus
PRICE = 49_900
FEE = 4_900
TOTAL = 64_664  # (499 + 49) + 18 % GST


class Job:
    """A booking with its customer and professional (as users and actors)."""

    def __init__(self, session: Session, status: RequestStatus = S.completed, *, paid: bool = False,
                 scheduled_at: datetime | None = None, customer_name: str = "Asha Rao") -> None:
        self.session = session
        self.service = make_service(session, price_paise=PRICE)
        self.customer = make_user(session, full_name=customer_name)
        self.pro = make_user(session, role=Role.professional, service=self.service, full_name="Ravi Kumar")
        self.req = make_request(session, customer=self.customer, service=self.service, status=status,
                                professional=self.pro, paid=paid, platform_fee_paise=FEE, scheduled_at=scheduled_at)
        self.c, self.p = actor_for(session, self.customer), actor_for(session, self.pro)

    def act(self, actor, action: str, data: dict | None = None):  # noqa: ANN001, ANN201
        return bookings.transition(session=self.session, actor=actor, request_id=self.req.id, action=action,
                                   data=data)

    def invoices(self) -> list[Invoice]:
        self.session.expire_all()
        return list(self.session.exec(select(Invoice).where(Invoice.request_id == self.req.id)
                                      .order_by(col(Invoice.id))))


def _all_invoices(session: Session) -> list[Invoice]:
    session.expire_all()
    return list(session.exec(select(Invoice).order_by(col(Invoice.seq))))


def _outbox() -> list[email.message.Message]:
    folder = get_settings().data_dir / "outbox"
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))] if folder.is_dir() else []


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _fy_now() -> str:
    return invoices.financial_year(utcnow())


# ------------------------------------------------------------------ when an invoice is issued


def test_cash_for_a_completed_job_issues_one_job_invoice_and_mails_it_once(session: Session) -> None:
    job = Job(session)
    job.act(job.p, "collect_cash")
    [inv] = job.invoices()
    assert (inv.number, inv.kind, inv.seq) == (f"HS/{_fy_now()}/000001", "job", 1)
    b = bill(fresh(session, job.req))
    assert (inv.taxable_paise, inv.gst_paise, inv.total_paise) == (b.taxable_paise, b.gst_paise, TOTAL)
    [mail] = _outbox()
    assert mail["To"] == job.customer.email and inv.number in mail["Subject"]
    [attachment] = [p for p in mail.walk() if p.get_content_disposition() == "attachment"]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"HS-{_fy_now()}-000001.pdf"
    assert inv.number in _text(attachment.get_payload(decode=True))
    assert inv.emailed_at is not None
    assert invoice_mail.retry_unsent(session=session, now=utcnow() + timedelta(minutes=10), mailer=Recorder()) == 0
    inv_id = inv.id
    session.commit()  # (on SQLite the test's open transaction holds the write lock deliver needs)
    assert invoice_mail.deliver([inv_id]) == 0 and len(_outbox()) == 1  # exactly once


def test_a_prepaid_job_is_invoiced_when_it_is_completed_not_before(session: Session) -> None:
    job = Job(session, S.in_progress, paid=True)
    assert job.invoices() == []  # money in, work not done: no supply to invoice yet
    job.act(job.p, "complete")
    [inv] = job.invoices()
    assert inv.kind == "job" and inv.total_paise == TOTAL


def test_an_unpaid_completed_job_has_no_invoice(session: Session) -> None:
    job = Job(session, S.in_progress)
    job.act(job.p, "complete")
    assert job.invoices() == [] and _outbox() == []


def test_an_extra_paid_after_the_jobs_invoice_gets_its_own_and_the_invoices_add_up(session: Session) -> None:
    """Today's process closes the bill once it is paid (OPEN_BILL), so this is the rule for a
    bill that grows after its invoice (an extra approved later), set up by hand."""
    job = Job(session)
    job.act(job.p, "collect_cash")
    req = session.exec(select(ServiceRequest).where(ServiceRequest.id == job.req.id).with_for_update()).one()
    req.extra_charge_paise += 15_000  # what approving a ₹150 extra does
    session.add(req)
    assert invoices.issue_if_settled(session, req, now=utcnow()) is None  # approved, not paid yet
    session.add(Payment(request_id=req.id, amount_paise=17_700, method=PaymentMethod.cash, provider="cash"))
    extra = invoices.issue_if_settled(session, req, now=utcnow())
    session.commit()
    first, second = job.invoices()
    assert (first.kind, second.kind, second.seq, second.id) == ("job", "extra", 2, extra.id)
    assert (second.taxable_paise, second.gst_paise) == (15_000, 2_700)
    b = bill(fresh(session, job.req))
    assert first.total_paise + second.total_paise == b.total_paise and first.gst_paise + second.gst_paise == b.gst_paise
    assert "Extra work" in _text(invoices.render_pdf(session, second))
    assert len(_outbox()) == 2


def test_a_cancellation_fee_kept_from_a_prepayment_is_invoiced(session: Session) -> None:
    job = Job(session, S.assigned, paid=True, scheduled_at=utcnow() + timedelta(hours=1))  # inside the fee window
    job.act(job.c, "cancel", {"reason": "Plans changed"})
    [inv] = job.invoices()
    fee = fresh(session, job.req).cancel_fee_paise
    assert fee > 0 and inv.kind == "cancellation" and inv.total_paise == fee
    assert inv.gst_paise == inclusive_tax(fee) and inv.taxable_paise == fee - inv.gst_paise
    assert "Cancellation fee" in _text(invoices.render_pdf(session, inv))


def test_a_free_cancellation_has_no_invoice(session: Session) -> None:
    job = Job(session, S.requested, paid=True)
    job.act(job.c, "cancel", {"reason": "Plans changed"})
    assert job.invoices() == []


def test_a_gateway_payment_issues_one_invoice_and_one_email_whatever_the_webhooks_repeat(
        session: Session, customer_browser: Customer, gateway: RunningGateway) -> None:
    job = Job(session)
    form = checkout.start_checkout(session=session, actor=job.c, request_id=job.req.id, now=utcnow())
    session.commit()
    customer_browser.pay(form, method="upi", vpa="asha@okhdfc")
    session.commit()
    assert gateway.wait_idle(5), gateway.events()  # callback, payment.captured, order.paid: all handled

    def issued() -> bool:
        found = job.invoices()
        session.commit()  # the webhook route needs SQLite's write lock
        return len(found) == 1 and found[0].emailed_at is not None

    wait_until(issued, timeout=5, what="the invoice")
    [inv] = job.invoices()
    assert inv.kind == "job" and inv.total_paise == TOTAL
    [mail] = _outbox()
    assert inv.number in mail["Subject"]


# ------------------------------------------------------------------ numbering


def _settled_job_without_invoice(session: Session) -> ServiceRequest:
    """A completed booking paid in full (the factory's payment issues nothing)."""
    return Job(session, paid=True).req


def test_numbers_follow_the_indian_financial_year_in_ist(session: Session) -> None:
    last_march = datetime(2027, 3, 31, 23, 59, 59, tzinfo=IST)
    first_april = datetime(2027, 4, 1, 0, 0, tzinfo=IST)
    assert invoices.financial_year(last_march) == "2026-27"
    assert invoices.financial_year(first_april) == "2027-28"
    assert invoices.financial_year(datetime(2027, 3, 31, 18, 30, tzinfo=UTC)) == "2027-28"  # 00:00 IST on 1 April
    numbers = []
    for moment in (last_march, last_march, first_april, first_april):
        req = _settled_job_without_invoice(session)
        numbers.append(invoices.issue_if_settled(session, req, now=moment.astimezone(UTC)).number)
        session.commit()
    assert numbers == ["HS/2026-27/000001", "HS/2026-27/000002", "HS/2027-28/000001", "HS/2027-28/000002"]


def test_a_rolled_back_payment_gives_its_number_back(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = Job(session), Job(session)

    def failing_audit(**_: object) -> None:
        raise RuntimeError("the database went away after the invoice was numbered")

    with monkeypatch.context() as m:
        m.setattr(engine.audit, "record", failing_audit)
        with pytest.raises(RuntimeError):
            first.act(first.p, "collect_cash")
    session.rollback()
    assert first.invoices() == [] and session.exec(select(Payment)).all() == []
    second.act(second.p, "collect_cash")
    first.act(first.p, "collect_cash")
    assert [(i.seq, i.request_id) for i in _all_invoices(session)] == [(1, second.req.id), (2, first.req.id)]
    assert len(_outbox()) == 2  # the rolled-back invoice was never mailed


def test_concurrent_payments_on_different_bookings_get_unique_gap_free_numbers(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads settle 12 bookings at once; every third one fails after taking its number (and
    rolls back). The committed invoices are numbered 1..8, each once."""
    jobs = [Job(session) for _ in range(12)]
    doomed = {j.req.id for j in jobs[::3]}
    real_record = engine.audit.record

    def record(**kw: object) -> None:
        if kw.get("target_id") in doomed and kw.get("action") == "request.collect_cash":
            raise RuntimeError("rolled back after numbering")
        real_record(**kw)

    monkeypatch.setattr(engine.audit, "record", record)
    session.commit()
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def pay(job: Job) -> None:
        start.wait()
        try:
            with session_scope() as s:
                engine.apply(session=s, actor=job.p, request_id=job.req.id, action="collect_cash", now=utcnow())
        except RuntimeError:
            pass
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=pay, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    issued = _all_invoices(session)
    assert [i.seq for i in issued] == list(range(1, 9))
    assert len({i.number for i in issued}) == 8 and {i.request_id for i in issued} == {
        j.req.id for j in jobs} - doomed


# ------------------------------------------------------------------ the PDF


def test_the_pdf_states_number_parties_sac_gst_split_total_and_words(session: Session) -> None:
    job = Job(session)
    job.act(job.p, "collect_cash")
    [inv] = job.invoices()
    text = _text(invoices.render_pdf(session, inv))
    for expected in ("Tax invoice", inv.number, "HomeServe (platform)", "Service provider: Ravi Kumar", "Asha Rao",
                     "1 Test Street, Koramangala, 560034", "SAC 9987", job.service.name, "₹499.00", "Platform fee",
                     "₹49.00", "Taxable value", "₹548.00", "CGST 9%", "₹49.32", "SGST 9%", "Total GST 18%", "₹98.64",
                     "₹646.64", "Rupees Six Hundred Forty-Six and Sixty-Four Paise Only"):
        assert expected in text, expected


def test_the_supplier_block_comes_from_the_settings(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    job = Job(session)
    job.act(job.p, "collect_cash")
    [inv] = job.invoices()
    text = _text(invoices.render_pdf(session, inv))
    for expected in ("HomeServe Technologies Pvt Ltd", "placeholder", "GSTIN: not registered (demo)",
                     "Place of supply: Karnataka"):
        assert expected in text, expected
    monkeypatch.setenv("HSA_COMPANY_NAME", "Acme Home Services LLP")
    monkeypatch.setenv("HSA_GSTIN", "29ABCDE1234F1Z5")
    text = _text(invoices.render_pdf(session, inv))
    assert "Acme Home Services LLP" in text and "GSTIN: 29ABCDE1234F1Z5" in text


def test_without_a_unicode_font_the_pdf_says_rs(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    job = Job(session, customer_name="Āsha Rāo ₹")
    job.act(job.p, "collect_cash")
    [inv] = job.invoices()
    monkeypatch.setattr(invoice_pdf, "font_files", lambda: None)
    raw = invoices.render_pdf(session, inv, compress=False)
    assert b"/Helvetica" in raw and b"Rs. 646.64" in raw and inv.number.encode() in raw and b"SAC 9987" in raw


@pytest.mark.parametrize(("paise", "words"), [
    (0, "Rupees Zero Only"),
    (1, "Rupees Zero and One Paisa Only"),
    (2, "Rupees Zero and Two Paise Only"),
    (100, "Rupees One Only"),
    (64_664, "Rupees Six Hundred Forty-Six and Sixty-Four Paise Only"),
    (1_00_000_00, "Rupees One Lakh Only"),
    (12_50_075_05, "Rupees Twelve Lakh Fifty Thousand Seventy-Five and Five Paise Only"),
    (1_00_00_000_00, "Rupees One Crore Only"),
    (12_34_56_789_99, "Rupees Twelve Crore Thirty-Four Lakh Fifty-Six Thousand Seven Hundred Eighty-Nine "
                      "and Ninety-Nine Paise Only"),
    (1_000_00_00_000_00, "Rupees One Thousand Crore Only"),
], ids=lambda v: str(v) if isinstance(v, int) else None)
def test_amount_in_words_indian_style(paise: int, words: str) -> None:
    assert invoice_pdf.amount_in_words(paise) == words


# ------------------------------------------------------------------ links and downloads


def _api(session: Session) -> TestClient:
    from hsa.api.app import build_outer

    session.commit()  # the test's SQLite transaction would keep the route waiting
    return TestClient(build_outer(), base_url="http://testserver")


def test_only_the_parties_get_links_and_the_link_downloads_the_pdf(session: Session) -> None:
    job = Job(session)
    job.act(job.p, "collect_cash")
    [inv] = job.invoices()
    admin = actor_for(session, make_user(session, role=Role.admin))
    for viewer in (job.c, job.p, admin):
        [(number, url)] = invoices.invoice_links(session, viewer, job.req.id)
        assert number == inv.number and url.startswith(f"/api/v1/invoices/{inv.id}.pdf?exp=")
    for stranger in (make_user(session), make_user(session, role=Role.professional, service=job.service)):
        with pytest.raises(NotFound):
            invoices.invoice_links(session, actor_for(session, stranger), job.req.id)
    with pytest.raises(NotAuthenticated):
        invoices.invoice_links(session, None, job.req.id)
    view = bookings.get_request(session=session, actor=job.c, request_id=job.req.id)
    assert [n for n, _ in view.invoices] == [inv.number]  # the booking card's links

    [(_, url)] = invoices.invoice_links(session, job.c, job.req.id)
    r = _api(session).get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="HS-{_fy_now()}-000001.pdf"'
    assert r.headers["cache-control"] == "private, no-store"
    assert r.content.startswith(b"%PDF") and inv.number in _text(r.content)


def test_expired_tampered_and_borrowed_signatures_are_refused(session: Session) -> None:
    first, second = Job(session), Job(session)
    first.act(first.p, "collect_cash")
    second.act(second.p, "collect_cash")
    [a], [b] = first.invoices(), second.invoices()
    api = _api(session)
    [(_, stale)] = invoices.invoice_links(session, first.c, first.req.id, now=time.time() - 2 * invoices.LINK_SECONDS)
    [(_, good)] = invoices.invoice_links(session, first.c, first.req.id)
    query = good.split("?", 1)[1]
    sig = query.split("sig=")[1]
    tampered = good[:-1] + ("0" if sig[-1] != "0" else "1")
    for url in (stale, tampered, f"/api/v1/invoices/{b.id}.pdf?{query}"):  # another invoice with a's signature
        r = api.get(url)
        assert r.status_code == 403, url
    assert api.get(f"/api/v1/invoices/{a.id}.pdf").status_code == 422  # no signature at all
    assert api.get(good).status_code == 200


# ------------------------------------------------------------------ email retries


def test_a_failed_invoice_email_is_retried_by_the_reminder_pass_then_sent_once(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    down = Recorder(fail=True)
    monkeypatch.setattr(invoice_mail, "mailer_from_settings", lambda: down)
    job = Job(session)
    job.act(job.p, "collect_cash")
    [inv] = job.invoices()
    assert inv.emailed_at is None and down.sent == []
    up = Recorder()
    now = utcnow()
    assert invoice_mail.retry_unsent(session=session, now=now + timedelta(minutes=1), mailer=up) == 0  # too soon
    assert invoice_mail.retry_unsent(session=session, now=now + timedelta(minutes=6), mailer=up) == 1
    assert invoice_mail.retry_unsent(session=session, now=now + timedelta(minutes=20), mailer=up) == 0
    [sent] = up.sent
    assert sent.to == job.customer.email and sent.attachments[0].data.startswith(b"%PDF")
    assert job.invoices()[0].emailed_at is not None


def test_an_invoice_whose_delivery_never_ran_is_sent_by_the_next_pass(session: Session) -> None:
    req = _settled_job_without_invoice(session)
    invoices.issue_if_settled(session, req, now=utcnow())
    session.info.pop("hsa.invoices_to_mail")  # as if the process stopped right after the commit
    session.commit()
    assert _outbox() == []
    up = Recorder()
    assert invoice_mail.retry_unsent(session=session, now=utcnow(), mailer=up) == 1
    assert invoice_mail.retry_unsent(session=session, now=utcnow() + timedelta(hours=1), mailer=up) == 0
    assert len(up.sent) == 1


def test_a_savepoint_release_does_not_send_before_the_real_commit(session: Session) -> None:
    req = _settled_job_without_invoice(session)
    invoices.issue_if_settled(session, req, now=utcnow())
    with session.begin_nested():
        session.add(Payment(request_id=req.id, amount_paise=0, method=PaymentMethod.cash))
    assert _outbox() == []  # the outer transaction could still roll back
    session.commit()
    assert len(_outbox()) == 1
