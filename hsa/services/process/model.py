"""The vocabulary of the booking process: transitions, guards, notices, form fields and timers.

Learned from Sharetribe's transaction process (`process.edn`): a process is a list of
transitions, each naming who may take it, from which state to which, what it does (an ordered
list of effects) and whom it tells; plus *delayed* transitions that fire on a clock. Here the
same is typed Python, and every other layer reads it: the service engine (checks and effects),
the pages (buttons, inline forms, success notices), the notifications (who hears what), the
API (its action enum), the docs diagram and the permission-matrix test. No database here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from hsa.models import NotificationKind, RequestStatus, Role

if TYPE_CHECKING:
    from hsa.services.process.context import Move


class Party(StrEnum):
    """How the actor must relate to the request (on top of their role)."""

    any = "any"              # any actor of the role (admins)
    owner = "owner"          # the customer who booked it
    addressee = "addressee"  # the professional the customer picked
    assignee = "assignee"    # the professional who accepted it
    eligible = "eligible"    # an approved, available professional of this service (or the addressee)


class To(StrEnum):
    """Who a notice goes to (the actor who made the change is never told of it)."""

    customer = "customer"
    professional = "professional"  # the assigned professional, else the addressee
    admins = "admins"              # every active admin


@dataclass(frozen=True)
class RequestFacts:
    """What rules and guards need to know about one request (loaded in batches by the views)."""

    status: RequestStatus
    customer_id: int
    professional_id: int | None
    preferred_professional_id: int | None
    service_id: int
    scheduled_at: datetime | None = None
    paid: bool = False                   # nothing is owed on it (paid in full, or nothing to pay yet)
    balance_paise: int = 0               # what the customer still owes (negative: to be refunded)
    pending_extra: bool = False          # an extra charge waits for the customer's answer
    reschedule_by: int | None = None     # who proposed a new time (None: no proposal)
    reschedule_to: datetime | None = None
    code_locked: bool = False            # too many wrong start codes: the customer must renew it
    completion_code: bool = False        # the service asks for the code at completion too


@dataclass(frozen=True)
class Guard:
    """A condition beyond role and party, with the sentence a refused person reads.

    `check(actor, facts, now)` sees only facts, so the same guard hides a button on a page and
    refuses the move in the service. `shown=False` guards are time windows: the button stays
    visible and the service explains why it is too early or too late.
    """

    name: str
    check: Callable[[Any, RequestFacts, datetime], bool]
    message: str
    shown: bool = True


@dataclass(frozen=True)
class FormField:
    """One input of a transition's inline form; its id on a card is `<action>-<suffix>-<request id>`."""

    name: str
    label: str
    kind: str = "text"            # text | number | textarea | select | date | time | code | note (text only)
    suffix: str = ""              # id part; defaults to the name
    options: tuple[tuple[str, str], ...] = ()
    required: bool = True
    max_length: int | None = None
    value_from: str = ""          # prefill from this row attribute (e.g. "day")
    value: str = ""               # or a fixed initial value
    shown_if: str = ""            # render only when this boolean row attribute is true

    @property
    def id_part(self) -> str:
        return self.suffix or self.name.replace("_", "-")


@dataclass(frozen=True)
class Ui:
    """How a person meets the transition: the button, its form, and what they read after."""

    label: str                    # the button
    past: str                     # "cancelled": "A completed request cannot be cancelled."
    done: str                     # the success notice
    color: str = ""               # radix color scheme of the button
    fields: tuple[FormField, ...] = ()
    submit: str = ""              # the form's submit button (default: the label)
    submit_suffix: str = ""       # a row attribute appended to the submit label (e.g. the total)
    shown: bool = True            # False: reachable from its own page element, not the card's buttons


@dataclass(frozen=True)
class Notice:
    """One notification a transition sends; title/body are `str.format` templates over the move's words."""

    to: To
    kind: NotificationKind
    title: str
    body: str
    by: str = ""                  # "admin" / "party": only when the actor is (not) an admin


Effect = Callable[["Move"], None]


@dataclass(frozen=True)
class Transition:
    """One action on a booking: its name is the button's, the API's and the audit row's."""

    name: str
    sources: tuple[RequestStatus, ...]
    target: RequestStatus | None      # None: stays in its status
    parties: Mapping[Role, Party]
    ui: Ui
    effects: tuple[Effect, ...] = ()
    guards: tuple[Guard, ...] = ()
    notices: tuple[Notice, ...] = ()
    api: str | None = ""              # "" = the name; None = not a generic API action (own route)
    stamp: str = ""                   # the timestamp column set to now (e.g. "started_at")

    @property
    def api_name(self) -> str | None:
        return self.name if self.api == "" else self.api

    def target_from(self, status: RequestStatus) -> RequestStatus:
        return self.target or status


@dataclass(frozen=True)
class Timer:
    """A delayed transition: fires once per request when `due(row, settings) <= now`.

    `anchor` names the request timestamp it counts from and `offset` how far from it (negative:
    before); the runner claims each firing in the reminders ledger so it happens exactly once
    across workers and cron. `transition` is applied as HomeServe itself (no role checks), or,
    when None, only the notices and the email are sent (a prompt or an admin flag).
    """

    name: str
    status: RequestStatus
    anchor: str
    offset: Callable[[Any], timedelta]          # settings -> offset
    transition: str | None = None
    notices: tuple[Notice, ...] = ()
    email: bool = False                          # also e-mail the first recipient
    unless: Callable[[Any, datetime], bool] | None = None  # (row, now) -> skip (e.g. already reviewed)


@dataclass(frozen=True)
class Process:
    """The whole declaration; everything else asks it."""

    transitions: tuple[Transition, ...]
    timers: tuple[Timer, ...] = ()
    _by_name: dict[str, Transition] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError("transition names must be unique")
        self._by_name.update({t.name: t for t in self.transitions})

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.transitions]

    def get(self, name: str) -> Transition | None:
        return self._by_name.get(name)

    def for_role(self, role: Role) -> list[Transition]:
        return [t for t in self.transitions if role in t.parties]

    def api_names(self) -> list[str]:
        return [t.api_name for t in self.transitions if t.api_name]

    def by_api(self, api_name: str) -> Transition | None:
        return next((t for t in self.transitions if t.api_name == api_name), None)

    def cells(self) -> list[tuple[RequestStatus, str]]:
        """Every (status, action) the process allows, for the matrix test and the diagram."""
        return [(s, t.name) for t in self.transitions for s in t.sources]

    def extended(self, *more: Transition) -> Process:
        """A copy with more transitions (a test-only action, a plug-in)."""
        return Process(transitions=self.transitions + more, timers=self.timers)
