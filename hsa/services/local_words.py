"""Words a notice puts around a booking — its time, a distance — in every language at once.

A notice is written once and said per recipient (`hsa.services.notifications.notify`), so the
words are `Localized`: the English label that lists and logs always used, plus the same fact in
Hindi and Kannada from babel's CLDR data. `say(word, lang)` picks the reader's version.
"""

from __future__ import annotations

from datetime import datetime

from hsa.i18n import DEFAULT, LANGUAGES, formats
from hsa.i18n.text import Localized, render
from hsa.services.scheduling import IST, local_label
from hsa.services.wording import distance_label

_OTHERS = tuple(lang for lang in LANGUAGES if lang != DEFAULT)


def when_said(moment: datetime) -> Localized:
    """'Thu 26 Nov, 10:00' (IST) — 'गुरु 26 नव॰, 10:00' for a Hindi reader."""
    local = moment.astimezone(IST)
    return Localized(local_label(moment), {lang: formats.moment(local, lang) for lang in _OTHERS})


def distance_said(km: float | None) -> Localized:
    """An approximate distance between pincodes: '3.5 km', or 'under 1 km' in the reader's words."""
    english = distance_label(km, approximate=True)
    if english == "under 1 km":
        return Localized(english, {lang: render(lang, "svc_notify.under_1_km") for lang in _OTHERS})
    return Localized(english, {})


__all__ = ["distance_said", "when_said"]
