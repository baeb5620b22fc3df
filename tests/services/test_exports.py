"""Admin CSV exports: what each file holds (and never holds), that rows are read in chunks with
progress after each, private file modes, and who may download a finished file."""

from __future__ import annotations

import csv
import fcntl
import io
import os
import stat
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from hsa.api.app import build_outer
from hsa.models import Payment, Payout, PayoutBatch, ProfessionalProfile, RequestStatus, Role, User, UserStatus, utcnow
from hsa.services import exports
from hsa.services.csv_cells import spreadsheet_safe
from hsa.services.errors import Conflict, Forbidden, NotAuthenticated, NotFound, ValidationFailed
from hsa.services.export_kinds import KINDS
from hsa.services.money.pricing import bill
from tests.factories import actor_for, make_request, make_service, make_user

S = RequestStatus


def _rows(export_id: str) -> list[list[str]]:
    text = (exports.exports_dir() / f"{export_id}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def _export(session: Session, admin, kind: str, chunk_size: int = exports.CHUNK) -> list[list[str]]:  # noqa: ANN001
    job = exports.start_export(session=session, actor=admin, kind=kind)
    done = exports.run_export(session=session, actor=admin, export_id=job.id, chunk_size=chunk_size)
    assert done.state == exports.DONE and done.percent == 100
    return _rows(job.id)


@pytest.fixture
def admin(session: Session):  # noqa: ANN201
    return actor_for(session, make_user(session, role=Role.admin, full_name="Asha Admin"))


def test_requests_export_has_its_header_and_one_row_per_request(session: Session, admin) -> None:  # noqa: ANN001
    service = make_service(session, name="=HYPERLINK(\"x\")", price_paise=29_900)
    customer = make_user(session, full_name="Cara Customer")
    pro = make_user(session, role=Role.professional, service=service, full_name="Pia Pro")
    done = make_request(session, customer=customer, service=service, status=S.completed, professional=pro,
                        paid=True, pincode="400050")
    waiting = make_request(session, customer=customer, service=service)
    rows = _export(session, admin, "requests")
    assert tuple(rows[0]) == KINDS["requests"].header
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_id) == {str(done.id), str(waiting.id)}
    row = by_id[str(done.id)]
    assert row["status"] == "completed" and row["city"] == "Mumbai" and row["pincode"] == "400050"
    assert row["customer_name"] == "Cara Customer" and row["professional_name"] == "Pia Pro"
    assert row["price_inr"] == "299.00" and row["service"] == "'=HYPERLINK(\"x\")"  # a formula defused
    assert row["created_at"].endswith("+05:30")
    assert by_id[str(waiting.id)]["professional_id"] == ""


def test_no_secrets_and_contact_details_only_for_professionals(session: Session, admin) -> None:  # noqa: ANN001
    service = make_service(session)
    customer = make_user(session, email="cara@example.com")
    pro = make_user(session, role=Role.professional, service=service, email="pia@example.com")
    req = make_request(session, customer=customer, service=service, status=S.assigned, professional=pro)
    req.start_code = "4821"
    session.add(req)
    session.commit()
    secrets = {customer.password_hash, pro.password_hash, "4821", req.address, customer.address}
    for kind in ("requests", "payments", "payouts", "professionals"):
        text = "\n".join(",".join(r) for r in _export(session, admin, kind))
        assert not any(s and s in text for s in secrets), kind
        assert not any(w in text.splitlines()[0] for w in ("password", "token", "session", "address", "doc_"))
        assert ("pia@example.com" in text) is (kind == "professionals")
        assert "cara@example.com" not in text and customer.phone not in text


def test_payments_payouts_and_professionals_rows(session: Session, admin) -> None:  # noqa: ANN001
    service = make_service(session, name="Plumbing", price_paise=29_900)
    customer = make_user(session)
    pro = make_user(session, role=Role.professional, service=service, full_name="Pia Pro", pincode="560034")
    req = make_request(session, customer=customer, service=service, status=S.completed, professional=pro, paid=True)
    payment = session.exec(select(Payment).where(Payment.request_id == req.id)).one()
    payment.refunded_paise = 1_000
    batch = PayoutBatch(period_end=utcnow(), total_paise=12_345, count=1)
    session.add_all([payment, batch])
    session.flush()
    payout = Payout(batch_id=batch.id, professional_id=pro.id, amount_paise=12_345, txn="payout-abc")
    session.add(payout)
    session.commit()
    pay = dict(zip(*_export(session, admin, "payments")[:2], strict=True))
    total = bill(req).total_paise
    assert pay["request_id"] == str(req.id) and pay["customer_id"] == str(customer.id)
    assert pay["amount_inr"] == f"{total // 100}.{total % 100:02d}" and pay["refunded_inr"] == "10.00"
    assert pay["net_inr"] == f"{(total - 1_000) // 100}.{(total - 1_000) % 100:02d}" and pay["status"] == "paid"
    out = dict(zip(*_export(session, admin, "payouts")[:2], strict=True))
    assert out["amount_inr"] == "123.45" and out["reference"] == f"HS-PAYOUT-{batch.id}-{payout.id}"
    assert out["professional_name"] == "Pia Pro"
    rows = _export(session, admin, "professionals")
    assert len(rows) == 2  # the customer and the admin are not professionals
    one = dict(zip(*rows, strict=True))
    assert one["email"] == pro.email and one["phone"] == pro.phone and one["city"] == "Bengaluru"
    assert one["service"] == "Plumbing" and one["approval"] == "approved" and one["own_price_inr"] == ""


class _Spy:
    """A query result that remembers how many rows each `.all()` fetched."""

    def __init__(self, result: object, fetched: list[int]) -> None:
        self.result, self.fetched = result, fetched

    def all(self) -> list:
        rows = self.result.all()  # type: ignore[attr-defined]
        self.fetched.append(len(rows))
        return rows

    def __getattr__(self, name: str) -> object:
        return getattr(self.result, name)


def test_rows_are_read_in_chunks_with_progress_after_each(session: Session, admin,  # noqa: ANN001
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    service = make_service(session)
    customer = make_user(session)
    made = [make_request(session, customer=customer, service=service).id for _ in range(10)]
    job = exports.start_export(session=session, actor=admin, kind="requests")
    assert (job.state, job.done, job.total, job.percent) == (exports.RUNNING, 0, 10, 0)
    fetched: list[int] = []
    real = session.exec
    monkeypatch.setattr(session, "exec", lambda *a, **kw: _Spy(real(*a, **kw), fetched))
    first = exports.export_chunk(session=session, actor=admin, export_id=job.id, chunk_size=3)
    assert (first.done, first.total, first.percent, first.state) == (3, 10, 30, exports.RUNNING)
    assert exports.export_status(session=session, actor=admin, export_id=job.id).done == 3  # any worker sees it
    seen: list[tuple[int, int, str]] = []
    done = exports.run_export(session=session, actor=admin, export_id=job.id, chunk_size=3,
                              on_chunk=lambda s: seen.append((s.done, s.percent, s.state)))
    assert seen == [(6, 60, "running"), (9, 90, "running"), (10, 100, "done")]
    assert fetched == [3, 3, 3, 1]  # four reads of at most 3 rows, never all 10 at once
    assert done.state == exports.DONE and [int(r[0]) for r in _rows(job.id)[1:]] == made


def test_a_million_rows_never_sit_in_memory(session: Session, admin) -> None:  # noqa: ANN001
    """The writer holds one chunk: each read asks for `chunk_size` rows and the file grows per chunk."""
    service = make_service(session)
    customer = make_user(session)
    for _ in range(25):
        make_request(session, customer=customer, service=service)
    job = exports.start_export(session=session, actor=admin, kind="requests")
    part = exports.exports_dir() / f"{job.id}.csv.part"
    sizes = []
    exports.run_export(session=session, actor=admin, export_id=job.id, chunk_size=4,
                       on_chunk=lambda s: sizes.append(part.stat().st_size if part.exists() else -1))
    assert len(sizes) == 7 and sizes[:-1] == sorted(sizes[:-1]) and sizes[-1] == -1  # grew, then renamed


def test_files_are_private(session: Session, admin) -> None:  # noqa: ANN001
    make_request(session, customer=make_user(session), service=make_service(session))
    job = exports.start_export(session=session, actor=admin, kind="requests")
    folder = exports.exports_dir()
    for path in (folder / f"{job.id}.json", folder / f"{job.id}.csv.part"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    exports.run_export(session=session, actor=admin, export_id=job.id)
    assert stat.S_IMODE((folder / f"{job.id}.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert str(folder).startswith(os.environ["HSA_DATA_DIR"])


def test_a_month_of_requests_and_a_chunk_another_worker_is_writing(session: Session, admin) -> None:  # noqa: ANN001
    service, customer = make_service(session), make_user(session)
    old, new = (make_request(session, customer=customer, service=service) for _ in range(2))
    old.created_at = utcnow() - timedelta(days=40)
    session.add(old)
    session.commit()
    job = exports.start_export(session=session, actor=admin, kind="requests",
                               created_from=utcnow() - timedelta(days=1), created_before=utcnow() + timedelta(days=1))
    assert job.total == 1
    with (exports.exports_dir() / f"{job.id}.csv.part").open("rb") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # another worker is mid-chunk: this call writes nothing
        assert exports.export_chunk(session=session, actor=admin, export_id=job.id).done == 0
    exports.run_export(session=session, actor=admin, export_id=job.id)
    assert [r[0] for r in _rows(job.id)[1:]] == [str(new.id)]
    with pytest.raises(ValidationFailed):
        exports.start_export(session=session, actor=admin, kind="professionals", created_from=utcnow())


def test_an_interrupted_export_says_so_and_old_files_are_pruned(session: Session, admin) -> None:  # noqa: ANN001
    job = exports.start_export(session=session, actor=admin, kind="payments")
    later = utcnow() + exports.STALL_AFTER + timedelta(seconds=1)
    assert exports._status(exports._read(exports._paths(job.id)[0]), later).state == exports.STOPPED
    assert [e.id for e in exports.recent_exports(session=session, actor=admin)] == [job.id]
    assert exports.prune(now=utcnow()) == 0
    assert exports.prune(now=utcnow() + exports.KEEP + timedelta(minutes=1)) == 1
    assert list(exports.exports_dir().iterdir()) == []


@pytest.mark.parametrize("who", ["anonymous", "customer", "professional"])
def test_only_admins_export(session: Session, admin, who: str) -> None:  # noqa: ANN001
    job = exports.start_export(session=session, actor=admin, kind="requests")
    actor = None if who == "anonymous" else actor_for(session, make_user(session, role=Role(who)))
    expected = NotAuthenticated if actor is None else Forbidden
    for call, kwargs in ((exports.start_export, {"kind": "requests"}), (exports.export_chunk, {"export_id": job.id}),
                         (exports.export_status, {"export_id": job.id}), (exports.recent_exports, {}),
                         (exports.download_link, {"export_id": job.id})):
        with pytest.raises(expected):
            call(session=session, actor=actor, **kwargs)


def test_bad_kinds_and_ids(session: Session, admin) -> None:  # noqa: ANN001
    with pytest.raises(ValidationFailed):
        exports.start_export(session=session, actor=admin, kind="users")
    for bad in ("../secret", "0123456789abcdef", ""):
        with pytest.raises(NotFound):
            exports.export_status(session=session, actor=admin, export_id=bad)


def _client() -> TestClient:
    return TestClient(build_outer(), base_url="http://testserver", client=("127.0.0.1", 50000))


def test_the_download_link_is_signed_short_lived_and_for_admins_only(session: Session, admin) -> None:  # noqa: ANN001
    make_request(session, customer=make_user(session), service=make_service(session))
    job = exports.start_export(session=session, actor=admin, kind="requests")
    with pytest.raises(Conflict):
        exports.download_link(session=session, actor=admin, export_id=job.id)
    exports.run_export(session=session, actor=admin, export_id=job.id)
    link = exports.download_link(session=session, actor=admin, export_id=job.id)
    assert [e.url for e in exports.recent_exports(session=session, actor=admin)][0].startswith(link.split("&")[0])
    session.commit()
    with _client() as client:
        ok = client.get(link)
        assert ok.status_code == 200, ok.text
        assert ok.headers["cache-control"] == "private, no-store" and "attachment" in ok.headers["content-disposition"]
        assert ok.text.replace("\r\n", "\n") == Path(exports.exports_dir() / f"{job.id}.csv").read_text().replace(
            "\r\n", "\n")
        other = actor_for(session, make_user(session, role=Role.admin))
        session.commit()
        assert client.get(link.replace(f"admin={admin.id}", f"admin={other.id}")).status_code == 403  # not theirs
        assert client.get(link[:-4] + "0000").status_code == 403  # tampered
        assert client.get(link.replace(job.id, "f" * 16)).status_code == 403  # signed for another export
        expired = exports.download_link(session=session, actor=admin, export_id=job.id,
                                        now=time.time() - exports.LINK_SECONDS - 1)
        assert client.get(expired).status_code == 403
        user = session.get(User, admin.id)
        user.status = UserStatus.blocked  # an admin who is blocked loses links minted before
        session.add(user)
        session.commit()
        assert client.get(link).status_code == 403


def test_a_professional_row_shows_their_own_price(session: Session, admin) -> None:  # noqa: ANN001
    pro = make_user(session, role=Role.professional, service=make_service(session))
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.price_paise = 34_900
    session.add(profile)
    session.commit()
    assert dict(zip(*_export(session, admin, "professionals"), strict=True))["own_price_inr"] == "349.00"
    assert spreadsheet_safe("+91 98450") == "'+91 98450" and spreadsheet_safe(None) == ""
