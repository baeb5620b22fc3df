"""Languages the product speaks (issue #19): English, Hindi and Kannada.

Pure Python (no reflex), so services say notifications and e-mails in the reader's language and
state handlers say errors in the viewer's. The language of the current event lives in a context
variable: the state layer sets it once per event (`use`) from the tab's choice, the signed-in
person's saved choice or the browser's Accept-Language; everything below reads `current()`.
"""

from __future__ import annotations

from contextvars import ContextVar

from babel import Locale, UnknownLocaleError

LANGUAGES: tuple[str, ...] = ("en", "hi", "kn")
DEFAULT = "en"
# Each language written in itself, as a switcher shows it (a Hindi reader looks for "हिन्दी").
NAMES: dict[str, str] = {"en": "English", "hi": "हिन्दी", "kn": "ಕನ್ನಡ"}
# The babel locale whose CLDR data formats dates and month names for each language.
BABEL_LOCALES: dict[str, str] = {"en": "en_IN", "hi": "hi_IN", "kn": "kn_IN"}

_current: ContextVar[str] = ContextVar("hsa_language", default=DEFAULT)


def normalise(lang: object) -> str:
    """A supported code from anything a browser may send ('hi', 'HI', 'hi-IN'); '' when none."""
    if not isinstance(lang, str):
        return ""
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else ""


def negotiate(accept_language: str | None) -> str:
    """The best supported language for an Accept-Language header ('kn-IN,kn;q=0.9,en;q=0.8')."""
    wanted: list[tuple[float, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        if tag and weight > 0:
            wanted.append((-weight, f"{i:03d}{tag}"))
    tags = [t[3:] for _, t in sorted(wanted)]
    try:
        best = Locale.negotiate(tags, list(LANGUAGES), sep="-") if tags else None
    except (UnknownLocaleError, ValueError):
        best = None
    if best is None:
        best = next((normalise(t) for t in tags if normalise(t)), "")
    return normalise(str(best)) or DEFAULT


def use(lang: str) -> None:
    """Say everything in `lang` for the rest of this event (task); unknown codes mean English."""
    _current.set(normalise(lang) or DEFAULT)


def current() -> str:
    return _current.get()
