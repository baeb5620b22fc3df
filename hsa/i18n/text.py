"""Saying a catalog message: `tr(key, **params)` now, or `msg(key, **params)` for later.

A service does not know who will read its error, so it raises `msg(...)`: a `str` whose value is
the English text (logs, the API and older code keep working) but which remembers its key and
parameters, so the entrypoint can `say` it in the reader's language. Parameters may themselves be
messages (a service name), said in the same language.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from hsa.i18n import DEFAULT, current
from hsa.i18n.catalog import english_index, messages


class _Params(dict):
    """Leaves an unknown {placeholder} visible rather than raising on a page."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(lang: str, key: str, params: dict[str, Any] | None = None) -> str:
    template = messages(lang).get(key)
    if template is None:
        return key
    if not params:
        return template
    said = {k: say(v, lang) if isinstance(v, str) else v for k, v in params.items()}
    return template.format_map(_Params(said))


class Text(str):
    """An English string that can be said again in another language (see module doc)."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, params: dict[str, Any]) -> Text:
        obj = super().__new__(cls, render(DEFAULT, key, params))
        obj.key = key
        obj.params = params
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # pickled state (Redis) keeps the key
        return (Text, (self.key, self.params))


class Localized(str):
    """A text people wrote in several languages (a service's name): English value, and the others.

    Not a catalog message — the admin types them on /admin/catalog — but said the same way, so a
    service name inside a notification or a card row follows the reader's language.
    """

    versions: dict[str, str]

    def __new__(cls, english: str, versions: dict[str, str]) -> Localized:
        obj = super().__new__(cls, english)
        obj.versions = {lang: text for lang, text in versions.items() if text}
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Localized, (str(self), self.versions))


class Joined(str):
    """Several messages said one after another (" Reason: …" + " A fee applies."), each in the
    reader's language: the English value is the English parts joined."""

    parts: tuple[str, ...]

    def __new__(cls, *parts: str) -> Joined:
        obj = super().__new__(cls, "".join(str(part) for part in parts))
        obj.parts = parts
        return obj

    def __add__(self, other: str) -> Joined:  # type: ignore[override]
        return Joined(*self.parts, other)

    def __radd__(self, other: str) -> Joined:
        return Joined(other, *self.parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, self.parts)


def fill(template: str, words: Mapping[str, Any], lang: str) -> str:
    """An English template ('{pro} accepted your {service} job.') in `lang`: its translation when
    the catalog holds that exact English text (by `english_index`), filled with `words` said in
    `lang`. Templates declared as data (the booking process's notices) are translated this way, so
    the declaration stays readable English and `test_catalog` holds every template's translation."""
    key = english_index().get(template)
    text = messages(lang).get(key, template) if key else template
    said = {k: say(v, lang) if isinstance(v, str) else v for k, v in words.items()}
    return text.format_map(_Filled(said, words))


class Filled(str):
    """A declared English template with its words (`fill`), said again in any language: a notice
    is stored with it, so the inbox shows it in the language its reader reads now."""

    template: str
    words: dict[str, Any]

    def __new__(cls, template: str, words: Mapping[str, Any]) -> Filled:
        obj = super().__new__(cls, fill(template, words, DEFAULT))
        obj.template = template
        obj.words = {}
        for name in _fields(template):  # only the words it uses; a missing one as the mapping says it
            try:
                obj.words[name] = words[name]
            except KeyError:
                obj.words[name] = "{" + name + "}"
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Filled, (self.template, self.words))


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


class _Filled(dict):
    """Said words; a missing one is asked of the caller's mapping (which may log it or default)."""

    def __init__(self, said: dict[str, Any], original: Mapping[str, Any]) -> None:
        super().__init__(said)
        self.original = original

    def __missing__(self, key: str) -> str:
        try:
            return str(self.original[key])  # e.g. the notices' mapping logs it and says ""
        except KeyError:
            return "{" + key + "}"


def msg(key: str, **params: Any) -> Text:
    return Text(key, params)


def tr(key: str, **params: Any) -> str:
    """`key` in the current event's language."""
    return render(current(), key, params)


def say(value: str, lang: str | None = None) -> str:
    """Any message in `lang` (default: the current one): a `Text` by its key, a plain English
    string through the English index, anything else unchanged."""
    lang = lang or current()
    if isinstance(value, Text):
        return render(lang, value.key, value.params)
    if isinstance(value, Localized):
        return value.versions.get(lang) or str(value)
    if isinstance(value, Joined):
        return "".join(say(part, lang) for part in value.parts)
    if isinstance(value, Filled):
        return fill(value.template, value.words, lang)
    if lang == DEFAULT:
        return value
    key = english_index().get(value)
    return render(lang, key) if key else value
