"""Shape catalog views for the UI (prices formatted once, on the server)."""

from __future__ import annotations

from hsa.services.views import ServiceView, rupees


def service_rows(services: list[ServiceView]) -> list[dict[str, str]]:
    return [{"id": str(s.id), "name": s.name, "description": s.description,
             "price": rupees(s.base_price_paise), "minutes": str(s.duration_minutes)} for s in services]
