"""Every public handler of every admin state refuses customer and professional sessions.

Handlers are found by introspection, so a new admin handler is covered automatically.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from sqlmodel import Session, func, select

import hsa.hsa  # noqa: F401 - registers every state class
from hsa.models import AuditLog, Role, Service, User
from hsa.state import admin as admin_states
from tests.factories import make_service, make_user, token_for
from tests.state.test_handlers import _sub, _tree, run

ADMIN_STATES = [admin_states.AdminHomeState, admin_states.AdminProsState, admin_states.AdminUsersState,
                admin_states.AdminServicesState, admin_states.AdminRequestsState, admin_states.AdminAuditState,
                admin_states.AdminPayoutsState, admin_states.AdminFinanceState]
UI_ONLY = {"show_form", "show_reject", "edit", "cancel"}  # toggle which inline form is open; touch no data
DATA_VARS = {"kpis", "applicants", "users", "services", "requests", "detail", "events",
             "rows", "service_options", "doc_url", "batches", "report_paid", "report_owes", "report_held",
             "day_rows", "service_rows", "city_rows", "recent"}


def _args(handler: Any, target_id: int) -> list[Any]:
    """Plausible, dangerous arguments for each parameter (what an attacker would send)."""
    params = list(inspect.signature(handler.fn).parameters.values())[1:]
    form = {"user_id": str(target_id), "service_id": "1", "action": "block", "reason": "fraud test",
            "confirm": "DELETE", "name": "Hacked Service", "base_price_rupees": "1", "duration_minutes": "60"}
    out: list[Any] = []
    for p in params:
        ann = str(p.annotation)
        out.append(form if "dict" in ann else True if "bool" in ann else target_id if "int" in ann else "approved")
    return out


# Reflex's built-in `setvar` lets a browser set any of its own state's public vars; that is why no
# handler trusts a state var for authorization (the actor is re-resolved from the database instead).
# Background handlers need Reflex's state proxy: tests/state/test_finance_handlers.py drives their loops.
HANDLERS = [(cls, name) for cls in ADMIN_STATES for name in cls.event_handlers
            if name not in UI_ONLY | {"watch", "setvar"} and not cls.event_handlers[name].is_background]


@pytest.mark.parametrize("role", [Role.customer, Role.professional])
@pytest.mark.parametrize(("cls", "name"), HANDLERS, ids=[f"{c.__name__}.{n}" for c, n in HANDLERS])
def test_admin_handler_refuses(session: Session, role: Role, cls: type, name: str) -> None:
    make_service(session)
    target = make_user(session, full_name="Target Person")
    intruder = make_user(session, role=role)
    root = _tree(token_for(session, intruder))
    state = _sub(root, cls)
    audit_before = session.exec(select(func.count()).select_from(AuditLog)).one()
    run(cls.event_handlers[name].fn(state, *_args(cls.event_handlers[name], target.id)), session)
    for var in DATA_VARS & set(cls.base_vars):
        assert not getattr(state, var), f"{cls.__name__}.{name} leaked {var} to a {role.value}"
    session.expire_all()
    assert session.exec(select(func.count()).select_from(AuditLog)).one() == audit_before
    assert session.get(User, target.id).status.value == "active"  # type: ignore[union-attr]
    assert session.exec(select(Service).where(Service.name == "Hacked Service")).first() is None
    assert all(s.is_active for s in session.exec(select(Service)))


def test_handler_list_is_not_empty() -> None:
    names = {n for _, n in HANDLERS}
    assert {"refresh", "approve", "reject", "act", "save", "toggle", "search", "open_request",
            "view_document"} <= names
