"""What every HomeServe PDF shares (tax invoices, earnings statements): the A4 page and its font,
money and amounts in words the Indian way, and the supplier's block from the settings.

Font: DejaVu Sans from the system (Debian's fonts-dejavu-core) so "₹" and names outside
Latin-1 render; without it, the PDF core font Helvetica and "Rs." (nothing unprintable reaches
it). Callers pass `font_files()` in, so a test can take the font away for one document.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fpdf import FPDF

from hsa.services.wording import group_digits
from hsa.settings import get_settings

SUPPLIER = "HomeServe"
GSTIN_MISSING = "not registered (demo)"
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/local/share/fonts", "/Library/Fonts")

_ONES = ("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
         "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen")
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")


def _below_hundred(n: int) -> str:
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


def number_in_words(n: int) -> str:
    """Indian numbering: 1,23,45,678 is "One Crore Twenty-Three Lakh Forty-Five Thousand Six
    Hundred Seventy-Eight"; above 99 crore the crores are counted the same way."""
    if n == 0:
        return "Zero"
    crore, rest = divmod(n, 10_000_000)
    lakh, rest = divmod(rest, 100_000)
    thousand, rest = divmod(rest, 1000)
    hundred, rest = divmod(rest, 100)
    parts = [number_in_words(crore) + " Crore"] if crore else []
    parts += [f"{_below_hundred(count)} {name}" for count, name in ((lakh, "Lakh"), (thousand, "Thousand"),
                                                                     (hundred, "Hundred")) if count]
    if rest:
        parts.append(_below_hundred(rest))
    return " ".join(parts)


def amount_in_words(paise: int) -> str:
    """"Rupees Six Hundred Forty-Six and Sixty-Four Paise Only" (one paisa: "… and One Paisa Only")."""
    whole, fraction = divmod(paise, 100)
    words = f"Rupees {number_in_words(whole)}"
    if fraction:
        words += f" and {_below_hundred(fraction)} {'Paisa' if fraction == 1 else 'Paise'}"
    return words + " Only"


@lru_cache(maxsize=1)
def font_files() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, if the machine has them (looked up once per process)."""
    for folder in map(Path, FONT_DIRS):
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class Doc:
    """The page and its font, with the money and text rules for whichever font we got."""

    def __init__(self, *, compress: bool, fonts: tuple[Path, Path] | None) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_compression(compress)
        self.pdf.set_margins(18, 18, 18)
        self.pdf.set_auto_page_break(True, margin=18)
        if fonts:
            self.pdf.add_font("DejaVu", "", str(fonts[0]))
            self.pdf.add_font("DejaVu", "B", str(fonts[1]))
        self.family, self.unicode = ("DejaVu", True) if fonts else ("helvetica", False)
        self.pdf.add_page()

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        return (value.replace("₹", "Rs. ").replace("–", "-").replace("−", "-")
                .encode("latin-1", "replace").decode("latin-1"))

    def money(self, paise: int) -> str:
        """"₹1,234.50"; a negative amount (a statement's balance) as "−₹1,234.50"."""
        whole, fraction = divmod(abs(paise), 100)
        sign = "−" if paise < 0 else ""  # (`text` makes it "-" without the font)
        return f"{sign}{'₹' if self.unicode else 'Rs. '}{group_digits(whole)}.{fraction:02d}"

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def line(self, label: str, value: str = "", *, size: float = 10, bold: bool = False, height: float = 6) -> None:
        """A label on the left and (optionally) a value right-aligned on the same line."""
        self.font(size, bold)
        width = self.pdf.epw
        if value:
            self.pdf.cell(width * 0.7, height, self.text(label))
            self.pdf.cell(width * 0.3, height, self.text(value), align="R", new_x="LMARGIN", new_y="NEXT")
        else:
            self.pdf.multi_cell(width, height, self.text(label), align="L", new_x="LMARGIN", new_y="NEXT")

    def rule(self) -> None:
        y = self.pdf.get_y() + 1
        self.pdf.line(self.pdf.l_margin, y, self.pdf.l_margin + self.pdf.epw, y)
        self.pdf.set_y(y + 2)

    def supplier(self) -> None:
        """The legal entity behind HomeServe, from the settings (HSA_COMPANY_NAME, _ADDRESS, HSA_GSTIN,
        HSA_PLACE_OF_SUPPLY_STATE): the same block on every document, so they cannot disagree."""
        s = get_settings()
        self.line(s.company_name)
        self.line(s.company_address)
        self.line(f"GSTIN: {s.gstin or GSTIN_MISSING}")
        self.line(f"Place of supply: {s.place_of_supply_state}")
