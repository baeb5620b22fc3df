"""The service catalog as customers and registrants see it."""

from __future__ import annotations

from sqlmodel import Session, select

from hsa.models import Service
from hsa.services.actors import Actor
from hsa.services.views import ServiceView


def to_view(service: Service) -> ServiceView:
    assert service.id is not None
    return ServiceView(id=service.id, name=service.name, description=service.description,
                       base_price_paise=service.base_price_paise,
                       duration_minutes=service.duration_minutes, is_active=service.is_active,
                       extra_cap_factor=service.extra_cap_factor, completion_code=service.completion_code)


def list_active_services(*, session: Session, actor: Actor | None = None) -> list[ServiceView]:
    """Public: the catalog is shown before login (landing page, registration form)."""
    rows = session.exec(select(Service).where(Service.is_active == True).order_by(Service.name))  # noqa: E712
    return [to_view(s) for s in rows]
