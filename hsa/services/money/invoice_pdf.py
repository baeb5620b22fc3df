"""An invoice as a PDF (fpdf2), and its amount in words the Indian way.

The PDF is rendered from the invoice's frozen amounts each time it is asked for (download,
email), never stored: the numbers cannot drift, and there is no file to protect or back up.

Tax: HomeServe's services are billed as intra-state supplies, so the 18 % GST shows as CGST
9 % + SGST 9 % (an inter-state supply would be IGST 18 %; we have no customers outside the
supplier's state yet). The split is exact: CGST takes the odd paisa, so the two add up to the
frozen GST.

Font: DejaVu Sans from the system (Debian's fonts-dejavu-core) so "₹" and names outside
Latin-1 render; without it, the PDF core font Helvetica and "Rs." (nothing unprintable reaches it).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from sqlmodel import Session

from hsa.models import Invoice, Service, ServiceRequest, User
from hsa.services import scheduling
from hsa.services.money.pricing import SAC_CODE
from hsa.services.wording import group_digits

SUPPLIER = "HomeServe"
SAC_LABEL = "Maintenance, repair and installation services"
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/local/share/fonts", "/Library/Fonts")
KIND_TITLES = {"job": "Service", "extra": "Extra work approved after completion", "cancellation": "Cancellation fee"}

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


def file_name(invoice: Invoice) -> str:
    """"HS-2026-27-000001.pdf": the number without its slashes."""
    return invoice.number.replace("/", "-") + ".pdf"


@lru_cache(maxsize=1)
def font_files() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, if the machine has them (looked up once per process)."""
    for folder in map(Path, FONT_DIRS):
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Doc:
    """The page and its font, with the money and text rules for whichever font we got."""

    def __init__(self, *, compress: bool) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_compression(compress)
        self.pdf.set_margins(18, 18, 18)
        self.pdf.set_auto_page_break(True, margin=18)
        fonts = font_files()
        if fonts:
            self.pdf.add_font("DejaVu", "", str(fonts[0]))
            self.pdf.add_font("DejaVu", "B", str(fonts[1]))
        self.family, self.unicode = ("DejaVu", True) if fonts else ("helvetica", False)
        self.pdf.add_page()

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        return value.replace("₹", "Rs. ").replace("–", "-").encode("latin-1", "replace").decode("latin-1")

    def money(self, paise: int) -> str:
        whole, fraction = divmod(paise, 100)
        return f"{'₹' if self.unicode else 'Rs. '}{group_digits(whole)}.{fraction:02d}"

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


def bill_lines(invoice: Invoice, req: ServiceRequest, service_name: str) -> list[tuple[str, int]]:
    """The invoice's taxable lines from its frozen amount: a job's work, extras and platform
    fee (the work and fee were fixed at booking, so the extras are what is left); else one line."""
    if invoice.kind == "job":
        extras = invoice.taxable_paise - req.price_paise - req.platform_fee_paise
        if extras >= 0:
            rows = [(f"{service_name} (booking #{req.id})", req.price_paise)]
            if extras:
                rows.append(("Approved extra work", extras))
            if req.platform_fee_paise:
                rows.append(("Platform fee", req.platform_fee_paise))
            return rows
    return [(f"{KIND_TITLES.get(invoice.kind, 'Service')}: {service_name} (booking #{req.id})", invoice.taxable_paise)]


def render_pdf(session: Session, invoice: Invoice, *, compress: bool = True) -> bytes:
    """The tax invoice as PDF bytes (`compress=False` for tests that read the raw file)."""
    req = session.get(ServiceRequest, invoice.request_id)
    assert req is not None
    customer, pro = session.get(User, req.customer_id), session.get(User, req.professional_id or -1)
    service = session.get(Service, req.service_id)
    service_name = service.name if service else "Service"
    doc = _Doc(compress=compress)
    pdf = doc.pdf
    pdf.set_title(f"Tax invoice {invoice.number}")
    pdf.set_author(SUPPLIER)
    pdf.set_creation_date(invoice.created_at)

    doc.line(SUPPLIER, size=18, bold=True, height=9)
    doc.line("Tax invoice", size=14, bold=True, height=8)
    doc.line("Invoice number", invoice.number, bold=True)
    doc.line("Invoice date", f"{scheduling.local_date(invoice.created_at):%d %b %Y}")
    doc.line("Booking", f"#{req.id}")
    doc.rule()
    doc.line("Supplier", bold=True)
    doc.line(f"{SUPPLIER} (platform)")
    doc.line(f"Service provider: {pro.full_name if pro else 'not assigned'}")
    pdf.ln(2)
    doc.line("Bill to", bold=True)
    doc.line(customer.full_name if customer else "Customer")
    doc.line(f"{req.address}, {req.pincode}")
    doc.rule()
    doc.line(f"SAC {SAC_CODE}: {SAC_LABEL}", bold=True)
    for label, paise in bill_lines(invoice, req, service_name):
        doc.line(label, doc.money(paise))
    doc.rule()
    cgst = invoice.gst_paise - invoice.gst_paise // 2
    rate = req.gst_bps / 200  # each half of the GST rate
    doc.line("Taxable value", doc.money(invoice.taxable_paise))
    doc.line(f"CGST {rate:g}%", doc.money(cgst))
    doc.line(f"SGST {rate:g}%", doc.money(invoice.gst_paise - cgst))
    doc.line(f"Total GST {req.gst_bps / 100:g}%", doc.money(invoice.gst_paise))
    doc.line("Total", doc.money(invoice.total_paise), size=12, bold=True, height=8)
    doc.line(f"Amount in words: {amount_in_words(invoice.total_paise)}", size=9)
    doc.rule()
    doc.line("Intra-state supply: GST charged as CGST + SGST. Paid in full. "
             "This is a computer-generated invoice and needs no signature.", size=8, height=4.5)
    return bytes(pdf.output())
