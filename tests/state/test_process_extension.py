"""A new action declared in a test-only process reaches the service, the page's buttons, the API
and the notifications, with no other module edited: the declaration really is the one place."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import reflex as rx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from hsa.api import problems
from hsa.api.routes.bookings import action_router
from hsa.components.actions import action_buttons, action_forms
from hsa.models import AuditLog, Notification, NotificationKind, RequestStatus, Role, ServiceRequest
from hsa.services import bookings
from hsa.services.errors import Forbidden
from hsa.services.process.declaration import PROCESS
from hsa.services.process.diagram import mermaid
from hsa.services.process.model import FormField, Notice, Party, To, Transition, Ui
from hsa.state.actions import done_notice, specs_for
from hsa.state.customer import RequestsState
from hsa.state.rows import RequestRow
from tests.factories import actor_for, make_request, make_service, make_user, token_for


def _note(move) -> None:  # noqa: ANN001 - an effect: Move -> None
    move.req.remarks = f"Gate code: {move.data['gate']}"
    move.words["gate"] = move.data["gate"]


LEAVE_GATE_CODE = Transition(
    "leave_gate_code", (RequestStatus.assigned,), None, {Role.customer: Party.owner},
    Ui("Leave a gate code", "given a gate code", "Gate code saved.", submit="Save gate code",
       fields=(FormField("gate", "Gate code", max_length=10),)),
    effects=(_note,), api="gate-code",
    notices=(Notice(To.professional, NotificationKind.booking, "Gate code for {service}",
                    "{customer} left the gate code {gate} for {when}."),))
TEST_PROCESS = PROCESS.extended(LEAVE_GATE_CODE)


@pytest.fixture
def booking(session: Session) -> tuple[ServiceRequest, object, object]:
    service = make_service(session)
    owner = make_user(session)
    pro = make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=owner, service=service, status=RequestStatus.assigned, professional=pro)
    return req, owner, pro


def test_the_service_applies_it_and_tells_the_other_party(session: Session, booking) -> None:  # noqa: ANN001
    req, owner, pro = booking
    view = bookings.get_request(session=session, actor=actor_for(session, owner), request_id=req.id,
                                process=TEST_PROCESS)
    assert "leave_gate_code" in view.actions
    assert "leave_gate_code" not in bookings.get_request(session=session, actor=actor_for(session, pro),
                                                         request_id=req.id, process=TEST_PROCESS).actions
    bookings.transition(session=session, actor=actor_for(session, owner), request_id=req.id,
                        action="leave_gate_code", data={"gate": "4411"}, process=TEST_PROCESS)
    session.expire_all()
    assert session.get(ServiceRequest, req.id).remarks == "Gate code: 4411"  # type: ignore[union-attr]
    note = session.exec(select(Notification).where(Notification.user_id == pro.id)).one()
    assert note.title.startswith("Gate code for ") and "left the gate code 4411 for" in note.body
    assert session.exec(select(AuditLog).where(AuditLog.action == "request.leave_gate_code")).one()
    with pytest.raises(Forbidden):
        bookings.transition(session=session, actor=actor_for(session, pro), request_id=req.id,
                            action="leave_gate_code", data={"gate": "1"}, process=TEST_PROCESS)
    # ...and the real process knows nothing of it
    assert "leave_gate_code" not in bookings.get_request(session=session, actor=actor_for(session, owner),
                                                         request_id=req.id).actions


def test_the_card_renders_its_button_and_form() -> None:
    row = rx.Var(_js_expr="row", _var_type=RequestRow).guess_type()
    specs = specs_for(Role.customer, TEST_PROCESS)
    rendered = str(action_buttons(row, specs, RequestsState, prefix="request").render()) + str(
        action_forms(row, specs, RequestsState, prefix="request").render())
    assert "Leave a gate code" in rendered and "btn-leave_gate_code-" in rendered
    assert "leave_gate_code-gate-" in rendered and "Save gate code" in rendered
    assert "request-leave_gate_code" in rendered  # the form's data-form name
    assert "Leave a gate code" not in str(action_buttons(row, specs_for(Role.customer), RequestsState,
                                                         prefix="request").render())
    assert done_notice("leave_gate_code", TEST_PROCESS) == "Gate code saved."
    assert "leave_gate_code" in mermaid(TEST_PROCESS)


@pytest.fixture
def test_api() -> Iterator[TestClient]:
    api = FastAPI()
    problems.install(api)
    api.include_router(action_router(TEST_PROCESS))
    with TestClient(api, client=("127.0.0.1", 50000)) as client:
        yield client


def test_the_api_exposes_it(session: Session, booking, test_api: TestClient) -> None:  # noqa: ANN001
    req, owner, pro = booking
    headers = {"Authorization": f"Bearer {token_for(session, owner)}"}
    session.commit()
    assert "gate-code" in str(test_api.get("/openapi.json").json())
    answer = test_api.post(f"/bookings/{req.id}/gate-code", json={"gate": "7788"}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["remarks"] == "Gate code: 7788"
    refused = test_api.post(f"/bookings/{req.id}/gate-code", json={"gate": "1"},
                            headers={"Authorization": f"Bearer {token_for(session, pro)}"})
    assert refused.status_code == 403
