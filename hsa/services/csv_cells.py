"""Cells of the CSV files HomeServe hands to spreadsheets and banks (exports, the payout file):
one rule for making text safe and for writing rupees, so every file reads the same."""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @ first) gets a leading quote (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def inr(paise: int | None) -> str:
    """12345 -> '123.45' (blank for None): what a spreadsheet or a bank file reads as rupees."""
    if paise is None:
        return ""
    whole, frac = divmod(int(paise), 100)
    return f"{whole}.{frac:02d}"
