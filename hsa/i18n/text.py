"""Saying a catalog message: `tr(key, **params)` now, or `msg(key, **params)` for later.

A service does not know who will read its error, so it raises `msg(...)`: a `str` whose value is
the English text (logs, the API and older code keep working) but which remembers its key and
parameters, so the entrypoint can `say` it in the reader's language. Parameters may themselves be
messages (a service name), said in the same language.
"""

from __future__ import annotations

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
    if lang == DEFAULT:
        return value
    key = english_index().get(value)
    return render(lang, key) if key else value
