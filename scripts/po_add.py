"""Append keys to a catalog area in all three languages: `po_add.py AREA FILE.json`.

FILE.json: {"key": {"en": "...", "hi": "...", "kn": "..."}, ...}. Keeps translators' `.po`
format (babel writes it), sorted by key, so diffs stay small. A helper for people adding texts.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "hsa" / "i18n" / "catalog"
LOCALES = {"en": "en_IN", "hi": "hi_IN", "kn": "kn_IN"}
STAMP = datetime(2026, 12, 4)  # fixed header dates: a rewrite changes only the texts that changed


def load(path: Path, locale: str) -> Catalog:
    if path.exists():
        with path.open("rb") as fh:
            return read_po(fh, locale=locale)
    return Catalog(locale=locale, project="HomeServe", charset="utf-8", fuzzy=False)


def main(area: str, source: str) -> None:
    entries: dict[str, dict[str, str]] = json.loads(Path(source).read_text(encoding="utf-8"))
    for lang, locale in LOCALES.items():
        path = ROOT / lang / f"{area}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = load(path, locale)
        catalog.creation_date = catalog.revision_date = STAMP
        for key, texts in entries.items():
            catalog.add(key, texts[lang])
        with path.open("wb") as fh:
            write_po(fh, catalog, width=0, sort_output=True, omit_header=False, no_location=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
