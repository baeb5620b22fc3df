"""Shape catalog views for the UI (prices formatted once, on the server, in the event's language)."""

from __future__ import annotations

from hsa.i18n.formats import rupees
from hsa.i18n.text import say
from hsa.services.views import ServiceView


def service_rows(services: list[ServiceView]) -> list[dict[str, str]]:
    """Names and descriptions said in the reader's language (`Localized` from the service, or plain
    English looked up in the catalog)."""
    return [{"id": str(s.id), "name": say(s.name), "description": say(s.description),
             "price": rupees(s.base_price_paise), "minutes": str(s.duration_minutes)} for s in services]
