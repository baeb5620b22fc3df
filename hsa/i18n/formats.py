"""Numbers, money and dates per language with babel.

Rupees always use Indian digit grouping (₹1,00,000): CLDR's Kannada data groups in thousands,
which no Bengaluru price tag does, so the pattern is given rather than the locale's default.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from hsa.i18n import BABEL_LOCALES, current


def _locale(lang: str | None) -> str:
    return BABEL_LOCALES.get(lang or current(), BABEL_LOCALES["en"])


def number(n: int, lang: str | None = None) -> str:
    """1,00,000 — lakh grouping."""
    return format_decimal(n, format="#,##,##0", locale=_locale(lang))


def rupees(paise: int, lang: str | None = None) -> str:
    """'₹1,499' or '₹1,499.50'."""
    whole = paise % 100 == 0
    amount = Decimal(paise) / 100
    pattern = "¤#,##,##0" if whole else "¤#,##,##0.00"
    return format_currency(amount, "INR", format=pattern, locale=_locale(lang), currency_digits=False)


def day(d: date, lang: str | None = None) -> str:
    """'Fri 4 Dec' / 'शुक्र 4 दिस॰'."""
    return format_date(d, "EEE d MMM", locale=_locale(lang))


def long_day(d: date, lang: str | None = None) -> str:
    """'4 Dec 2026'."""
    return format_date(d, "medium", locale=_locale(lang))


def moment(local: datetime, lang: str | None = None) -> str:
    """'Fri 4 Dec, 14:30' for a datetime already in IST."""
    return format_datetime(local, "EEE d MMM, HH:mm", locale=_locale(lang))
