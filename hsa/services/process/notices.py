"""Sending a transition's declared notices: recipients by role in the booking, text from templates."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from hsa.i18n import DEFAULT
from hsa.i18n.text import Filled, fill, msg, say
from hsa.models import ServiceRequest
from hsa.services import notifications
from hsa.services.money.pricing import bill
from hsa.services.process.model import Notice, To
from hsa.services.views import rupees

log = logging.getLogger(__name__)


class _Words(dict):
    """A missing word renders empty (and is logged) rather than failing the booking it announces."""

    def __missing__(self, key: str) -> str:
        log.warning("notice template uses unknown word %r", key)
        return ""


def base_words(session: Session, req: ServiceRequest, actor_name: str) -> dict[str, str]:
    """Words every template may use, from the request as it is after the effects ran."""
    words = notifications.words_for(session, req)
    total = bill(req).total_paise
    words.update(actor=notifications.first_name(actor_name), total=rupees(total), why="", late="",
                 extra_note=(msg("svc_notices.extra_note", extra=rupees(req.extra_charge_paise),
                                 reason=req.extra_charge_reason) if req.extra_charge_paise else ""))
    return words


def recipients(session: Session, req: ServiceRequest, to: To) -> list[int]:
    if to is To.customer:
        return [req.customer_id]
    if to is To.professional:
        pro = req.professional_id or req.preferred_professional_id
        return [pro] if pro else []
    return notifications.admin_ids(session)


def render(notice: Notice, words: dict[str, str], lang: str = DEFAULT) -> tuple[str, str]:
    """The notice's title and body in `lang` (its English templates are catalog texts)."""
    w = _Words(words)
    return fill(notice.title, w, lang), fill(notice.body, w, lang)


def send(session: Session, *, req: ServiceRequest, notices: Iterable[Notice], words: dict[str, str],
         actor_id: int | None, by_admin: bool, now: datetime) -> list[tuple[int, str, str]]:
    """Add each notice for its recipients (never the actor), each in the recipient's language;
    returns (user, title, body) sent."""
    sent: list[tuple[int, str, str]] = []
    for notice in notices:
        if (notice.by == "admin" and not by_admin) or (notice.by == "party" and by_admin):
            continue
        to = [user_id for user_id in recipients(session, req, notice.to) if user_id and user_id != actor_id]
        langs = notifications.languages_of(session, to)
        w = _Words(words)
        title, body = Filled(notice.title, w), Filled(notice.body, w)  # said per reader, now and later
        for user_id in to:
            lang = langs.get(user_id, DEFAULT)
            notifications.notify(session, user_id=user_id, kind=notice.kind, title=title, body=body,
                                 request_id=req.id, now=now)
            sent.append((user_id, say(title, lang), say(body, lang)))
    return sent
