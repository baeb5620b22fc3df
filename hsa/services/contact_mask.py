"""Hide phone numbers and email addresses typed into a booking's chat before the job is done.

Why: platforms keep the conversation (and the payment) on the platform until the work is
complete — a number swapped in the first message is how "pay me directly, cheaper" starts. The
patterns are deliberately simple and tested (tests/unit/test_contact_mask.py): Indian mobile
numbers in the ways people type them (+91 98765 43210, 098765-43210, 9876543210, 98765.43210),
landlines with an STD code (080-41234567), and anything shaped like an email address.
"""

from __future__ import annotations

import re

from hsa.i18n.text import Joined, Localized, Text, msg

# Written into the stored message in English; `said` makes them messages again for the reader.
PHONE_HIDDEN = "[number hidden]"
EMAIL_HIDDEN = "[email hidden]"
_HIDDEN = {PHONE_HIDDEN: "svc_booking.mask_number", EMAIL_HIDDEN: "svc_booking.mask_email"}
_HIDDEN_RE = re.compile("(" + "|".join(re.escape(token) for token in _HIDDEN) + ")")

_SEP = r"[\s\-.()]*"
# A mobile: optional +91 / 91 / 0, then 10 digits starting 6-9, separators allowed between digits.
_MOBILE = rf"(?:\+?{_SEP}9{_SEP}1{_SEP}|0{_SEP})?[6-9](?:{_SEP}\d){{9}}"
# A landline: 0 + a 2-4 digit STD code + 6-8 digits (10-11 digits in all).
_LANDLINE = rf"0{_SEP}[1-9](?:{_SEP}\d){{8,9}}"
PHONE = re.compile(rf"(?<![\w+])(?:{_MOBILE}|{_LANDLINE})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+", re.IGNORECASE)


def mask(text: str) -> tuple[str, bool]:
    """`text` with contact details replaced, and whether anything was."""
    out = EMAIL.sub(EMAIL_HIDDEN, text)
    out = PHONE.sub(PHONE_HIDDEN, out)
    return out, out != text


def said(text: str) -> str:
    """A masked message as a `Joined`: what was typed as written, each "[number hidden]" a message
    said in the reader's language. The English value is `text` itself; text without a notice is
    returned unchanged."""
    parts = [msg(_HIDDEN[part]) if part in _HIDDEN else Localized(part, {})  # typed words: as written
             for part in _HIDDEN_RE.split(text) if part]
    return Joined(*parts) if any(isinstance(part, Text) for part in parts) else text


__all__ = ["EMAIL_HIDDEN", "PHONE_HIDDEN", "mask", "said"]
