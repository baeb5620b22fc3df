"""A service's name and description in every language the admin filled (`Service.translations`).

Returned as `Localized` strings: English where a text is compared, logged or sent to the API, and
said in the reader's language wherever a page, a notification or an e-mail says it
(`hsa.i18n.text.say`). An empty translation falls back to English.
"""

from __future__ import annotations

from hsa.i18n import DEFAULT, LANGUAGES
from hsa.i18n.text import Localized
from hsa.models import Service

FIELDS = ("name", "description")


def _versions(translations: dict | None, field: str) -> dict[str, str]:
    found = translations or {}
    return {lang: str((found.get(lang) or {}).get(field) or "").strip() for lang in LANGUAGES if lang != DEFAULT}


def localized(english: str, translations: dict | None, field: str = "name") -> Localized:
    """From the two columns (for queries that select them without loading the Service)."""
    return Localized(english, _versions(translations, field))


def name_of(service: Service) -> Localized:
    return localized(service.name, service.translations, "name")


def description_of(service: Service) -> Localized:
    return localized(service.description, service.translations, "description")
