"""Which passwords are refused: too easy to guess, per NIST SP 800-63B §3.1.1.2.

NIST asks for a check against common, dictionary and breached passwords instead of
composition rules. `zxcvbn` carries frequency lists of leaked passwords, names and words and
estimates the guesses an attacker needs; under 10^6 guesses (score 0–1) is refused, which
catches `password`, `12345678`, `aaaaaaaa`, `qwertyuiop`, keyboard walks and a password made of
the person's own name or email. It runs offline and takes a few milliseconds.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_SCORE = 2
CHECKED_CHARS = 100  # zxcvbn is slower on long input; 72 bytes is our maximum anyway


def weakness(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """A message saying why the password is too easy to guess, or None when it is strong enough."""
    words = [part for text in user_inputs for part in _parts(text)]
    result = zxcvbn(password[:CHECKED_CHARS], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return None
    warning = (result.get("feedback") or {}).get("warning") or ""
    hint = f" {warning.rstrip('.')}." if warning else ""
    return f"This password is too easy to guess.{hint} Try a longer one, for example three unrelated words."


def _parts(text: str) -> list[str]:
    """The person's name, email and number as separate words zxcvbn penalises."""
    text = (text or "").lower()
    words = text.replace("@", " ").replace(".", " ").replace("+", " ").split()
    pieces = [text, "".join(words), *words]
    return [p for p in pieces if len(p) >= 3]
