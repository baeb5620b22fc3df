"""Which language this tab shows, and `t(key)`: a catalog text as a Var, for pages.

The language is, in order: the signed-in person's saved choice (any device), this browser's own
choice (a cookie, for guests), the browser's Accept-Language, English. Page texts switch on the
client at once (`t` is a dict var of the active catalog); texts the server built (rows, errors)
follow because choosing reloads the page's data in the new language.
"""

from __future__ import annotations

import reflex as rx
from reflex.middleware.middleware import Middleware

from hsa import i18n
from hsa.i18n.catalog import messages
from hsa.services import languages
from hsa.services.actors import Actor

YEAR = 365 * 24 * 3600


class LocaleState(rx.State):
    """Holds only the language code; the texts are a computed var of it (one catalog per tab)."""

    chosen: str = rx.Cookie("", name="hsa_lang", max_age=YEAR, same_site="lax")
    active: str = ""  # decided by the page's guard (account, cookie, Accept-Language)

    @rx.var
    def code(self) -> str:
        return i18n.normalise(self.active) or i18n.normalise(self.chosen) or i18n.DEFAULT

    @rx.var
    def t(self) -> dict[str, str]:
        return messages(self.code)

    def header_language(self) -> str:
        return i18n.negotiate(self.router.headers.accept_language if self.router else "")

    def decide(self, actor: Actor | None) -> str:
        """Every page's guard: the language for this page (see module doc), kept for its events."""
        lang = (i18n.normalise(actor.language) if actor else "") or i18n.normalise(self.chosen) \
            or self.header_language()
        if self.active != lang:
            self.active = lang
        i18n.use(lang)
        return lang

    @rx.event
    async def choose(self, language: str) -> rx.event.EventSpec | None:
        """The switcher: remember on this browser, save on the account, reload the page's data."""
        from hsa.state.auth import call_as_actor, token_of  # auth imports this module

        code = i18n.normalise(language)
        if not code:
            return None
        self.chosen = code
        self.active = code
        i18n.use(code)
        if await token_of(self):
            await call_as_actor(self, languages.set_language, language=code)
        path = self.router.page.raw_path if self.router else "/"
        return rx.redirect(path or "/")


def t(key: str) -> rx.Var:
    """The text for `key` in the tab's language (a Var; use in any component prop)."""
    return LocaleState.t[key]


def tf(key: str, **params: rx.Var | str | int) -> rx.Var:
    """`t` with {placeholders} filled from vars on the client ('{count} reviews')."""
    var = LocaleState.t[key].to(str)
    for name, value in params.items():
        var = var.replace("{" + name + "}", _as_text(rx.Var.create(value)))
    return var


def _as_text(value: rx.Var) -> rx.Var:
    """A parameter as the text it reads: a string as is (`to_string` would JSON-quote it), a
    number or anything else stringified."""
    try:
        is_text = issubclass(value._var_type, str)  # noqa: SLF001 - Reflex has no public accessor
    except TypeError:  # a typing construct (Union, ...), not a class
        is_text = False
    return value.to(str) if is_text else value.to_string()


class LanguageMiddleware(Middleware):
    """Sets the language of every event before its handler runs, so services' errors, texts built
    in state and background refreshes are said in the tab's language (`hsa.i18n.use`).

    Runs in the event's own task (Reflex awaits `preprocess` just before the handler), so the
    context variable it sets is the handler's and no other tab's.
    """

    async def preprocess(self, app: rx.App, state: rx.State, event: object) -> None:
        await speak_tab_language(state)
        return None


async def speak_tab_language(state: rx.State) -> str:
    """Say the rest of this task in the tab's language: every event (the middleware) and every
    live push (`hsa.state.push`, which runs outside the tab's events) call it."""
    try:
        locale = await state.get_state(LocaleState)
    except Exception:  # never let language detection break an event or a push
        i18n.use(i18n.DEFAULT)
        return i18n.DEFAULT
    lang = i18n.normalise(locale.active) or i18n.normalise(locale.chosen) or locale.header_language()
    i18n.use(lang)
    return lang
