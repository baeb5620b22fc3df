"""The message catalogs: gettext `.po` files read with babel, one folder per language.

Why `.po` rather than a Python dict per locale: translators (and tools such as Poedit or Weblate)
work in `.po` files, which carry comments and flags; babel reads them and the product needs no
compile step. Each msgid is a stable key ('login.submit'), the msgstr the text; `en` is the
source language. Several files per language (one per area: `common.po`, `customer.po`…) keep
edits small; a key lives in exactly one file (`tests/unit/test_catalog.py`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from hsa.i18n import BABEL_LOCALES, DEFAULT, LANGUAGES

ROOT = Path(__file__).parent / "catalog"


def files(lang: str) -> list[Path]:
    return sorted((ROOT / lang).glob("*.po"))


@cache
def raw(lang: str) -> dict[str, str]:
    """Exactly what `lang`'s files hold (the completeness test reads this)."""
    out: dict[str, str] = {}
    for path in files(lang):
        with path.open("rb") as fh:
            for message in read_po(fh, locale=BABEL_LOCALES[lang]):
                if not message.id:
                    continue
                key = str(message.id)
                if key in out:
                    raise ValueError(f"{path.name}: key {key!r} is defined twice for {lang}")
                out[key] = str(message.string or "")
    return out


@cache
def messages(lang: str) -> dict[str, str]:
    """`lang`'s texts, any key it lacks falling back to English (never a raw key on a page)."""
    base = dict(raw(DEFAULT))
    if lang != DEFAULT and lang in LANGUAGES:
        base.update({k: v for k, v in raw(lang).items() if v})
    return base


@cache
def english_index() -> dict[str, str]:
    """English text -> key, so a plain English message from older code still finds its translation."""
    index: dict[str, str] = {}
    for key, text in raw(DEFAULT).items():
        index.setdefault(text, key)
    return index
