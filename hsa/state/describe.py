""""Describe your problem" on the customer's home and booking pages.

What was typed stays in this tab's backend state (not in the URL): "Book Plumbing" opens the
booking page with the service chosen and the words as the remarks, which the customer can
still change, as they can the service.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n.text import say
from hsa.services.errors import DomainError
from hsa.services.intelligence import describe
from hsa.state.auth import call_as_actor, errors_of, fail
from hsa.state.forms import FormState, submits
from hsa.state.values import as_int

FROM_DESCRIBE = "describe"  # ?from= on the booking link: take the remarks from this state


@dataclass
class GuessRow:
    service_id: int = 0
    name: str = ""
    confidence: int = 0


def _guess_row(g: describe.Guess) -> GuessRow:
    """A suggestion, its service's name in the current language."""
    return GuessRow(service_id=g.service_id, name=say(g.name), confidence=g.confidence)


class DescribeState(FormState, rx.State):
    errors: dict[str, str] = {}
    asked: bool = False
    sure: bool = False
    best: GuessRow = GuessRow()
    alternatives: list[GuessRow] = []
    _text: str = ""

    @rx.event
    @submits
    async def ask(self, form_data: dict) -> rx.event.EventSpec | None:
        try:
            _, found = await call_as_actor(self, describe.suggest_service, readonly=True,
                                           text=str(form_data.get("describe", ""))[:1000])
        except DomainError as exc:
            self.errors, self.asked = errors_of(exc) or {"describe": exc.message}, False
            return await fail(self, exc)
        assert found is not None
        self.errors, self.asked, self.sure, self._text = {}, True, found.sure, found.text
        self.best = _guess_row(found.best) if found.best else GuessRow()
        self.alternatives = [_guess_row(g) for g in found.alternatives]
        return None

    @rx.event
    def book(self, service_id: int) -> rx.event.EventSpec:
        """To the booking form with this service (any id: the booking page offers only active ones)."""
        return rx.redirect(f"{routes.BOOK}?service={as_int(service_id) or 0}&from={FROM_DESCRIBE}")

    def remarks(self) -> str:
        return self._text
