"""Landing page state: the public catalog."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.i18n.text import say
from hsa.services import catalog
from hsa.state.auth import guard_page
from hsa.state.catalog_view import service_rows


class IndexState(rx.State):
    services: list[dict[str, str]] = []

    @rx.event
    async def load(self) -> None:
        _, services, _ = await guard_page(self, routes.INDEX, catalog.list_active_services)
        rows = service_rows(services or [])
        # a service's name and description as the admin wrote them in this language (English if not)
        self.services = [{**row, "name": say(row["name"]), "description": say(row["description"])} for row in rows]
