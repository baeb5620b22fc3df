"""The booking process as the pages see it: buttons, forms and notices for one role.

The declaration lives in `hsa.services.process.declaration`; pages may not import services, so
this module hands them plain specs derived from it (and the handlers the success notices).
A test-only process can be passed in to prove a new action reaches the page untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from hsa.i18n.text import say, tr
from hsa.models import Role
from hsa.services.process.declaration import PROCESS
from hsa.services.process.model import FormField, Process


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    color: str
    fields: tuple[FormField, ...]
    submit: str
    submit_suffix: str

    @property
    def direct(self) -> bool:
        """No form to fill: one tap submits it."""
        return not self.fields


def specs_for(role: Role, process: Process = PROCESS) -> list[ActionSpec]:
    """Every action `role` can take from a card, in declaration order."""
    return [ActionSpec(t.name, t.ui.label, t.ui.color, t.ui.fields, t.ui.submit or t.ui.label, t.ui.submit_suffix)
            for t in process.for_role(role) if t.ui.shown]


def done_notice(action: str, process: Process = PROCESS) -> str:
    """What the person reads after the action succeeded, in the event's language when the catalog
    has the declaration's text (`say`); else as declared."""
    t = process.get(action)
    return say(t.ui.done) if t is not None and t.ui.done else tr("pro.done")




CUSTOMER_ACTIONS = specs_for(Role.customer)
PROFESSIONAL_ACTIONS = specs_for(Role.professional)
