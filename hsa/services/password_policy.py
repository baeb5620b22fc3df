"""Which passwords are refused: too easy to guess, per NIST SP 800-63B §3.1.1.2.

NIST asks for a check against common, dictionary and breached passwords instead of
composition rules. `zxcvbn` carries frequency lists of leaked passwords, names and words and
estimates the guesses an attacker needs; under 10^6 guesses (score 0–1) is refused, which
catches `password`, `12345678`, `aaaaaaaa`, `qwertyuiop`, keyboard walks and a password made of
the person's own name or email. It runs offline and takes a few milliseconds.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from hsa.i18n.text import msg

MIN_SCORE = 2
CHECKED_CHARS = 100  # zxcvbn is slower on long input; 72 bytes is our maximum anyway
# zxcvbn's warnings (English, without the final full stop) -> their catalog keys, so the hint is
# said in the reader's language too; an unknown warning stays as zxcvbn wrote it.
WARNINGS = {
    "Straight rows of keys are easy to guess": "svc_account.zx_rows",
    "Short keyboard patterns are easy to guess": "svc_account.zx_patterns",
    'Repeats like "aaa" are easy to guess': "svc_account.zx_repeats",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc"': "svc_account.zx_repeats_long",
    'Sequences like "abc" or "6543" are easy to guess': "svc_account.zx_sequences",
    "Recent years are easy to guess": "svc_account.zx_years",
    "Dates are often easy to guess": "svc_account.zx_dates",
    "This is a top-10 common password": "svc_account.zx_top10",
    "This is a top-100 common password": "svc_account.zx_top100",
    "This is a very common password": "svc_account.zx_common",
    "This is similar to a commonly used password": "svc_account.zx_similar",
    "A word by itself is easy to guess": "svc_account.zx_word",
    "Names and surnames by themselves are easy to guess": "svc_account.zx_names",
    "Common names and surnames are easy to guess": "svc_account.zx_common_names",
}


def weakness(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """A message saying why the password is too easy to guess, or None when it is strong enough."""
    words = [part for text in user_inputs for part in _parts(text)]
    result = zxcvbn(password[:CHECKED_CHARS], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return None
    warning = ((result.get("feedback") or {}).get("warning") or "").rstrip(".")
    if not warning:
        return msg("svc_account.password_too_easy")
    hint = msg(WARNINGS[warning]) if warning in WARNINGS else warning
    return msg("svc_account.password_too_easy_hint", hint=hint)


def _parts(text: str) -> list[str]:
    """The person's name, email and number as separate words zxcvbn penalises."""
    text = (text or "").lower()
    words = text.replace("@", " ").replace(".", " ").replace("+", " ").split()
    pieces = [text, "".join(words), *words]
    return [p for p in pieces if len(p) >= 3]
