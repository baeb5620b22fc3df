"""Messages as JSON, so a stored notification can be said again in whatever language its reader
reads today (switching the app to Kannada turns the inbox Kannada too, as in any phone app).

`dump` turns a `Text`, `Localized`, `Joined` or `Filled` (and their parameters) into plain JSON;
`load` gives back an object `say` renders in any language. Plain strings and numbers stay as
they are: names and addresses typed by people are never translated.
"""

from __future__ import annotations

from typing import Any

from hsa.i18n.text import Filled, Joined, Localized, Text


def is_message(value: object) -> bool:
    return isinstance(value, (Text, Localized, Joined, Filled))


def dump(value: Any) -> Any:  # noqa: ANN401 - JSON
    if isinstance(value, Text):
        return {"k": value.key, "p": {name: dump(v) for name, v in value.params.items()}}
    if isinstance(value, Localized):
        return {"l": str(value), "v": value.versions}
    if isinstance(value, Joined):
        return {"j": [dump(part) for part in value.parts]}
    if isinstance(value, Filled):
        return {"f": value.template, "w": {name: dump(v) for name, v in value.words.items()}}
    if isinstance(value, (int, float)) or value is None:
        return value
    return str(value)


def load(data: Any) -> Any:  # noqa: ANN401 - JSON
    if not isinstance(data, dict):
        return data
    if "k" in data:
        return Text(str(data["k"]), {name: load(v) for name, v in (data.get("p") or {}).items()})
    if "l" in data:
        return Localized(str(data["l"]), dict(data.get("v") or {}))
    if "j" in data:
        return Joined(*(load(part) for part in data["j"]))
    if "f" in data:
        return Filled(str(data["f"]), {name: load(v) for name, v in (data.get("w") or {}).items()})
    return str(data)


__all__ = ["dump", "is_message", "load"]
