"""The message catalogs are complete and every key the code uses exists (issue #19).

- every key exists in every language, with a non-empty text and the same {placeholders};
- every key the code names (`t("…")`, `tf("…")`, `tr("…")`, `msg("…")`, page titles) is in the
  catalog, so no page can show a raw key or an empty text;
- locale formatting: ₹ with Indian grouping in every language, dates in the language's words;
- a service's message keeps its key through pickling (state in Redis) and is said in any language.
"""

from __future__ import annotations

import ast
import pickle
import re
import string
from datetime import date, datetime
from pathlib import Path

import pytest

from hsa import i18n
from hsa.i18n import formats
from hsa.i18n.catalog import english_index, messages, raw
from hsa.i18n.text import Localized, msg, say, tr

ROOT = Path(__file__).resolve().parents[2]
KEY_CALLS = {"t", "tf", "tr", "msg"}
KEY_SHAPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _keys_in_code() -> dict[str, str]:
    """Literal keys passed to the catalog helpers anywhere in `hsa/`, and where."""
    found: dict[str, str] = {}
    for path in (ROOT / "hsa").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            first = node.args[0]
            if name in KEY_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[first.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
            for kw in node.keywords:  # @template(title="area.key"), select_field(placeholder="area.key")
                if kw.arg in {"title", "placeholder"} and name in {"template", "select_field"} \
                        and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    found[kw.value.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT])
def test_every_key_exists_in_every_language_with_the_same_placeholders(lang: str) -> None:
    english, other = raw(i18n.DEFAULT), raw(lang)
    assert set(other) == set(english), {"missing": sorted(set(english) - set(other)),
                                        "extra": sorted(set(other) - set(english))}
    empty = [key for key, text in other.items() if not text.strip()]
    assert not empty, f"empty texts in {lang}: {empty}"
    differ = {key: (english[key], other[key]) for key in english
              if _placeholders(english[key]) != _placeholders(other[key])}
    assert not differ, f"placeholders differ in {lang}: {differ}"


def test_keys_are_well_formed_and_english_texts_are_not_empty() -> None:
    bad = [key for key in raw(i18n.DEFAULT) if not KEY_SHAPE.match(key)]
    assert not bad
    assert not [key for key, text in raw(i18n.DEFAULT).items() if not text.strip()]


def test_every_key_the_code_uses_is_in_the_catalog() -> None:
    used = _keys_in_code()
    assert len(used) > 50  # the scan finds the calls (a renamed helper would make this vacuous)
    missing = {key: where for key, where in used.items() if key not in raw(i18n.DEFAULT)}
    assert not missing, f"keys used but not in the catalog: {missing}"


def test_a_translated_text_is_not_left_in_english() -> None:
    """A text identical to English in Hindi or Kannada is nearly always a forgotten translation;
    only words that are the same in every language (brand, OTP, UPI, numbers) may repeat."""
    same_everywhere = re.compile(r"^[\W\d_]*(HomeServe|OTP|UPI|PDF|CSV|ID|₹|API|OK|[A-Z]{2,})?[\W\d_]*$")
    for lang in ("hi", "kn"):
        left = [key for key, text in raw(lang).items()
                if text == raw(i18n.DEFAULT)[key] and not same_everywhere.match(text)]
        assert not left, f"{lang}: {left}"


def test_a_missing_key_falls_back_to_english_and_unknown_keys_show_themselves() -> None:
    assert messages("hi")["nav.log_in"] != messages("en")["nav.log_in"]
    assert messages("fr") == messages("en")
    assert tr("no.such_key") == "no.such_key"


def test_service_messages_keep_their_key_and_are_said_in_the_readers_language() -> None:
    error = msg("errors.not_found", what=msg("noun.request"))
    assert error == "That request does not exist."  # the English value, for logs and the API
    revived = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, as Redis state is
    assert say(revived, "hi") == messages("hi")["errors.not_found"].format(what=messages("hi")["noun.request"])
    assert say(messages("en")["errors.bad_login"], "kn") == messages("kn")["errors.bad_login"]  # by English text
    assert say("Asha Rao", "kn") == "Asha Rao"  # not a catalog text: unchanged
    assert english_index()[messages("en")["nav.log_in"]].startswith(("nav.", "login."))


def test_the_language_of_an_event_is_its_own() -> None:
    i18n.use("kn")
    try:
        assert tr("nav.log_in") == messages("kn")["nav.log_in"]
    finally:
        i18n.use("en")
    assert i18n.current() == "en"


@pytest.mark.parametrize(("header", "expected"), [
    ("hi-IN,hi;q=0.9,en;q=0.8", "hi"), ("kn", "kn"), ("en-GB,en;q=0.9", "en"), ("fr-FR,fr;q=0.9", "en"),
    ("fr;q=0.9,kn;q=0.5", "kn"), ("", "en"), ("garbage;;q=x", "en"), ("en;q=0.1,hi;q=0.8", "hi"),
])
def test_the_browser_language_is_negotiated(header: str, expected: str) -> None:
    assert i18n.negotiate(header) == expected


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_money_uses_indian_digit_grouping_in_every_language(lang: str) -> None:
    i18n.use(lang)
    try:
        assert formats.rupees(10_000_000) == "₹1,00,000"
        assert formats.rupees(149_950) == "₹1,499.50"
        assert formats.rupees(1_234_567_800) == "₹1,23,45,678"
    finally:
        i18n.use("en")


def test_dates_are_said_in_the_language() -> None:
    day = date(2026, 12, 4)
    when = datetime(2026, 12, 4, 14, 30)
    said = {}
    for lang in i18n.LANGUAGES:
        i18n.use(lang)
        said[lang] = (formats.day(day), formats.long_day(day), formats.moment(when))
    i18n.use("en")
    assert "Dec" in said["en"][0] and "14:30" in said["en"][2]
    assert said["hi"][0] != said["en"][0] and said["kn"][0] != said["en"][0]
    assert re.search("[\u0900-\u097f]", said["hi"][1]) and re.search("[\u0c80-\u0cff]", said["kn"][1])


def test_a_service_name_written_in_several_languages_is_said_in_the_readers() -> None:
    name = Localized("Plumbing", {"hi": "प्लंबिंग", "kn": ""})
    assert name == "Plumbing" and say(name, "hi") == "प्लंबिंग" and say(name, "kn") == "Plumbing"
    assert say(pickle.loads(pickle.dumps(name)), "hi") == "प्लंबिंग"  # noqa: S301 - our own bytes
    assert say(msg("errors.not_found", what=name), "hi") == messages("hi")["errors.not_found"].format(what="प्लंबिंग")
