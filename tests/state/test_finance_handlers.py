"""The Finance page's handlers as a crafted websocket event would call them: an admin gets the
figures and a finished export with its link; the export loop refuses anyone else and writes nothing."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session

from hsa.models import RequestStatus, Role
from hsa.services import exports
from hsa.services.views import rupees
from hsa.state.admin import AdminFinanceState
from hsa.state.admin.finance import export_as
from tests.factories import make_request, make_service, make_user, token_for
from tests.state.test_handlers import _sub, _tree, run


def _export(session: Session, token: str) -> tuple:
    shown: list[int] = []

    async def show(status: exports.ExportStatus) -> None:
        shown.append(status.done)
    session.commit()
    with ThreadPoolExecutor(1) as pool:
        return (*pool.submit(asyncio.run, export_as(token, "requests", show)).result(), shown)


def test_an_admin_sees_the_figures_and_gets_a_finished_export(session: Session) -> None:
    service = make_service(session, name="Plumbing", price_paise=29_900)
    pro = make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=make_user(session), service=service, status=RequestStatus.completed,
                       professional=pro, paid=True)
    admin = make_user(session, role=Role.admin)
    token = token_for(session, admin)
    state = _sub(_tree(token), AdminFinanceState)
    spec = run(AdminFinanceState.load.fn(state), session)
    assert state.loaded and state.error == "" and spec is not None  # then payouts due, in the background
    assert [r.label for r in state.service_rows] == ["Plumbing"] and state.kpis["due"] == "…"
    assert state.kpis["revenue"] == state.service_rows[0].revenue != rupees(0)
    run(AdminFinanceState.show_range.fn(state, {"date_from": "2026-02-30", "date_to": ""}), session)
    assert "date_from" in state.errors and state.service_rows  # the old figures stay, the field says why
    status, err, found, shown = _export(session, token)
    assert err is None and status.state == exports.DONE and status.done == 1 and status.url.startswith(
        f"/api/v1/admin/exports/{status.id}.csv?admin={admin.id}&")
    assert shown == [0] and [e.id for e in found] == [status.id]
    assert str(req.id) in (exports.exports_dir() / f"{status.id}.csv").read_text()


@pytest.mark.parametrize("role", [Role.customer, Role.professional])
def test_the_export_loop_refuses_everyone_else(session: Session, role: Role) -> None:
    intruder = make_user(session, role=role)
    status, err, found, shown = _export(session, token_for(session, intruder))
    assert err is not None and status is None and found is None and shown == []
    assert not list(exports.exports_dir().glob("*"))
    status, err, _, _ = _export(session, "forged-token")
    assert err is not None and status is None
