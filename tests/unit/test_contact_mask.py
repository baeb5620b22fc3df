"""The chat's contact masking: what it hides, and what it must leave alone."""

from __future__ import annotations

import pytest

from hsa.services.contact_mask import EMAIL_HIDDEN, PHONE_HIDDEN, mask

HIDDEN = [
    ("call me on 9876543210", f"call me on {PHONE_HIDDEN}"),
    ("+91 98765 43210 pls", f"{PHONE_HIDDEN} pls"),
    ("+919876543210", PHONE_HIDDEN),
    ("my no. 098765-43210.", f"my no. {PHONE_HIDDEN}."),
    ("98765.43210", PHONE_HIDDEN),
    ("9 8 7 6 5 4 3 2 1 0", PHONE_HIDDEN),
    ("(+91) 98765-43210", f"({PHONE_HIDDEN}"),
    ("office 080-41234567", f"office {PHONE_HIDDEN}"),
    ("mail ravi.k@gmail.com", f"mail {EMAIL_HIDDEN}"),
    ("ravi (at) gmail (dot) com", EMAIL_HIDDEN),
    ("RAVI@YAHOO.CO.IN or 7012345678", f"{EMAIL_HIDDEN} or {PHONE_HIDDEN}"),
]
KEPT = [
    "I'll come at 10:30, flat 402, 2nd floor",
    "The bill is ₹1,250 for 3 taps",
    "Pincode 560034, near gate 5",
    "Order 12345 arrives 12/12/2026",
    "Call at 5",
    "Meter reading 123456789",  # 9 digits: not a phone number
    "Model LG-5567 AC",
]


@pytest.mark.parametrize(("text", "expected"), HIDDEN)
def test_contact_details_are_hidden(text: str, expected: str) -> None:
    out, masked = mask(text)
    assert masked and out == expected


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask(text) == (text, False)
