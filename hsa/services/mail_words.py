"""Writing an e-mail or SMS in its reader's language (issue #19).

A message is sent to one person, so it is said in `hsa.services.languages.language_of(user)`,
not in the language of whoever caused it: `said = said_in(lang)`, then `said("svc_mail.key",
**params)`. Parameters may be messages or `Localized` words (a service name, `when_said(dt)`),
said in the same language.
"""

from __future__ import annotations

from collections.abc import Callable

from hsa.i18n.text import msg, say


def said_in(lang: str) -> Callable[..., str]:
    """`key, **params` -> the catalog text in `lang`, its parameters said in `lang` too."""
    return lambda key, **params: say(msg(key, **params), lang)


__all__ = ["said_in"]
