"""Handler-level security: the browser can call any public handler with any arguments.

These tests call event handlers directly (as a crafted websocket event would) with a given
session token and check that the handler itself refuses, not just the page guard.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from reflex.state import State
from sqlmodel import Session

import hsa.hsa  # noqa: F401 - registers every state class
from hsa.models import Role, User
from hsa.state.admin import AdminHomeState
from hsa.state.auth import SessionState
from hsa.state.profile import PasswordState, ProfileState
from tests.factories import PASSWORD, make_user, token_for


def run(coro: Coroutine[Any, Any, Any] | AsyncIterator[Any], session: Session) -> Any:
    """Run a handler on its own loop in a thread (Playwright's sync API owns this one).

    Form submit handlers are async generators (they first send `busy`); their last yield is
    what a coroutine handler would return. The test's own session is committed first: an open
    SQLite write transaction would make the handler wait for the lock, as any other writer would.
    """
    session.commit()

    async def drain() -> Any:
        if not inspect.isasyncgen(coro):
            return await coro
        last = None
        async for last in coro:  # noqa: B007 - the final value is the handler's answer
            pass
        return last

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, drain()).result()


def _tree(token: str) -> State:
    root = State(_reflex_internal_init=True)
    _sub(root, SessionState).auth_token = token
    return root


def _sub(root: State, cls: type[State]) -> Any:
    return root.get_substate(cls.get_full_name().split(".")[1:])


@pytest.mark.parametrize("role", [Role.customer, Role.professional])
def test_admin_refresh_refuses_non_admin_sessions(session: Session, role: Role) -> None:
    make_user(session, role=Role.customer)
    user = make_user(session, role=role)
    root = _tree(token_for(session, user))
    admin_state = _sub(root, AdminHomeState)
    run(AdminHomeState.refresh.fn(admin_state), session)
    assert admin_state.kpis == {}
    assert admin_state.error == "You are not allowed to do that."


def test_admin_refresh_works_for_admin(session: Session) -> None:
    make_user(session, role=Role.customer)
    admin = make_user(session, role=Role.admin)
    root = _tree(token_for(session, admin))
    admin_state = _sub(root, AdminHomeState)
    run(AdminHomeState.refresh.fn(admin_state), session)
    assert admin_state.kpis["customers"] == "1" and admin_state.error == ""


def test_admin_load_redirects_a_customer_home(session: Session) -> None:
    user = make_user(session, role=Role.customer)
    root = _tree(token_for(session, user))
    admin_state = _sub(root, AdminHomeState)
    result = run(AdminHomeState.load.fn(admin_state), session)
    assert "/customer" in str(result)
    assert admin_state.kpis == {}


def test_profile_save_without_a_session_changes_nothing(session: Session) -> None:
    victim = make_user(session, full_name="Original Name")
    root = _tree("forged-or-stale-token")
    state = _sub(root, ProfileState)
    result = run(ProfileState.save.fn(state, {"full_name": "Hacked", "phone": "9876543210",
                                                "address": "1 Evil Street", "pincode": "110001"}), session)
    assert "/login" in str(result)
    assert _sub(root, SessionState).auth_token == ""
    session.expire_all()
    assert session.get(User, victim.id).full_name == "Original Name"  # type: ignore[union-attr]


def test_profile_save_only_touches_the_callers_own_row(session: Session) -> None:
    victim = make_user(session, full_name="Original Name")
    me = make_user(session, full_name="Me Myself")
    root = _tree(token_for(session, me))
    state = _sub(root, ProfileState)
    state.is_professional = True  # a crafted client cannot make the server trust this flag
    run(ProfileState.save.fn(state, {"full_name": "New Me", "phone": "9876543210", "address": "2 Good Street",
                                       "pincode": "110001", "user_id": str(victim.id)}), session)
    assert state.saved == "Profile saved." and state.errors == {}
    session.expire_all()
    assert session.get(User, victim.id).full_name == "Original Name"  # type: ignore[union-attr]
    assert session.get(User, me.id).full_name == "New Me"  # type: ignore[union-attr]


def test_blocked_user_is_signed_out_on_next_event(session: Session) -> None:
    from hsa.models import UserStatus

    user = make_user(session)
    root = _tree(token_for(session, user))
    user.status = UserStatus.blocked
    session.add(user)
    session.commit()
    result = run(PasswordState.submit.fn(_sub(root, PasswordState), {
        "current_password": PASSWORD, "new_password": "Another-Fig-123",
        "confirm_password": "Another-Fig-123"}), session)
    assert "/login" in str(result)
    assert _sub(root, SessionState).auth_token == ""
    assert "session has ended" in _sub(root, SessionState).flash


def test_customer_act_on_someone_elses_request_is_refused(session: Session) -> None:
    from hsa.models import RequestStatus, ServiceRequest
    from hsa.state.customer import RequestsState
    from tests.factories import make_request, make_service

    service = make_service(session)
    owner, intruder = make_user(session), make_user(session)
    req = make_request(session, customer=owner, service=service)
    root = _tree(token_for(session, intruder))
    state = _sub(root, RequestsState)
    run(RequestsState.act.fn(state, {"request_id": str(req.id), "action": "cancel", "reason": "not mine"}), session)
    assert state.error == "That request does not exist."
    session.expire_all()
    assert session.get(ServiceRequest, req.id).status is RequestStatus.requested  # type: ignore[union-attr]


def test_customer_cannot_drive_the_professional_board(session: Session) -> None:
    from hsa.models import RequestStatus, ServiceRequest
    from hsa.state.professional import ProHomeState
    from tests.factories import make_request, make_service

    service = make_service(session)
    customer = make_user(session)
    req = make_request(session, customer=make_user(session), service=service)
    root = _tree(token_for(session, customer))
    state = _sub(root, ProHomeState)
    state.approval_status = "approved"  # client-side values do not matter: the server re-checks
    run(ProHomeState.act.fn(state, {"request_id": str(req.id), "action": "accept"}), session)
    assert state.error != "" and state.notice == ""
    run(ProHomeState.set_available.fn(state, False), session)
    assert "not allowed" in state.error
    session.expire_all()
    assert session.get(ServiceRequest, req.id).status is RequestStatus.requested  # type: ignore[union-attr]


def test_pending_professional_cannot_accept_through_the_handler(session: Session) -> None:
    from hsa.models import ApprovalStatus, ServiceRequest
    from hsa.state.professional import ProHomeState
    from tests.factories import make_request, make_service

    service = make_service(session)
    pending = make_user(session, role=Role.professional, service=service, approval=ApprovalStatus.pending)
    req = make_request(session, customer=make_user(session), service=service)
    root = _tree(token_for(session, pending))
    state = _sub(root, ProHomeState)
    run(ProHomeState.act.fn(state, {"request_id": str(req.id), "action": "accept"}), session)
    assert state.error
    session.expire_all()
    assert session.get(ServiceRequest, req.id).professional_id is None  # type: ignore[union-attr]


def test_crafted_huge_ids_get_a_message_not_a_crash(session: Session) -> None:
    from hsa.state.customer import RequestsState

    root = _tree(token_for(session, make_user(session)))
    state = _sub(root, RequestsState)
    for crafted in ("1" + "0" * 40, "-5", "abc", None):
        state.error = ""
        run(RequestsState.act.fn(state, {"request_id": crafted, "action": "cancel", "reason": "x"}), session)
        assert state.error in ("Choose a request.", "That request does not exist.")
