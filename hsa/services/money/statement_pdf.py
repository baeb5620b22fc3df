"""A monthly earnings statement as a PDF, on the same page, font and supplier block as the tax
invoice (`pdf_doc`). Rendered from a `statements.Statement` each time it is asked for, never
stored, like an invoice: the journal is the record, the PDF only a reading of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from hsa.models import utcnow
from hsa.services.money.pdf_doc import SUPPLIER, Doc, font_files
from hsa.services.wording import plural

if TYPE_CHECKING:
    from hsa.services.money.statements import Line, Statement

NEGATIVE_NOTE = ("A negative balance is HomeServe's commission and GST from cash you collected; it is taken "
                 "from your next earnings before any payout.")


def _balance(doc: Doc, label: str, paise: int, *, bold: bool = False) -> None:
    """A balance in words that say who owes whom (a minus sign alone is easy to miss)."""
    who = "owed to you" if paise >= 0 else "you owe HomeServe"
    doc.line(f"{label} ({who})", doc.money(abs(paise)), bold=bold)


def _section(doc: Doc, title: str, lines: Iterable[Line], detail: Callable[[Line], str] | None, total: str,
             total_paise: int, empty: str, total_detail: str = "") -> None:
    """A heading, one line per row (its detail below it in small type), and the section's total."""
    doc.line(title, size=11, bold=True, height=7)
    rows = list(lines)
    for line in rows:
        booking = f" · booking #{line.request_id}" if line.request_id else ""
        who = f" · {line.customer}" if line.customer else ""
        doc.line(f"{line.day:%d %b}{booking} · {line.label}{who}", doc.money(line.amount_paise), size=9, height=5)
        if detail is not None:
            doc.line(f"    {detail(line)}", size=8, height=4.5)
    if not rows:
        doc.line(empty, size=9, height=5)
    doc.line(total, doc.money(total_paise), size=10, bold=True)
    if total_detail and rows:
        doc.line(f"    {total_detail}", size=8, height=4.5)
    doc.pdf.ln(2)


def render_statement_pdf(s: Statement, *, compress: bool = True) -> bytes:
    """The statement as PDF bytes (`compress=False` for tests that read the raw file)."""
    doc = Doc(compress=compress, fonts=font_files())
    pdf = doc.pdf
    pdf.set_title(f"Earnings statement {s.label}: {s.professional_name}")
    pdf.set_author(SUPPLIER)
    pdf.set_creation_date(utcnow())
    m = doc.money

    doc.line(SUPPLIER, size=18, bold=True, height=9)
    doc.line(f"Earnings statement: {s.label}", size=14, bold=True, height=8)
    doc.line("Period (IST)", f"{s.last_day.replace(day=1):%d %b %Y} – {s.last_day:%d %b %Y}")
    if s.to_date:
        doc.line("The month is not over yet: this statement shows it so far.", size=9)
    doc.rule()
    doc.line("From", bold=True)
    doc.supplier()
    pdf.ln(2)
    doc.line("Professional", bold=True)
    doc.line(f"{s.professional_name} (professional #{s.professional_id})")
    doc.line(s.professional_email)
    doc.rule()
    _balance(doc, f"Opening balance on {s.last_day.replace(day=1):%d %b %Y}", s.opening_paise)
    doc.rule()
    _section(doc, "Jobs completed", s.jobs,
             lambda line: f"Your price {m(line.price_paise)} + extras {m(line.extras_paise)} − commission "
                          f"{m(line.commission_paise)} = your share {m(line.amount_paise)}",
             f"Your share of {plural(len(s.jobs), 'job')}", s.earned_paise, "No jobs completed this month.",
             f"In all: your prices {m(s.price_paise)} + extras {m(s.extras_paise)} − commission "
             f"{m(s.commission_paise)}")
    _section(doc, "Cancellation fees", s.fees,
             lambda line: f"Fee {m(line.price_paise)} incl. GST; your share {m(line.amount_paise)}",
             "Your share of cancellation fees", s.fee_share_paise, "No cancellation fees this month.")
    _section(doc, "Cash you collected", s.cash, None, "Cash collected from customers", s.cash_paise,
             "No cash collected this month.")
    _section(doc, "Payouts received", s.payouts, None, "Paid to your bank", s.paid_out_paise,
             "No payouts this month.")
    doc.rule()
    doc.line("Summary", size=11, bold=True, height=7)
    _balance(doc, "Opening balance", s.opening_paise)
    doc.line("+ Your share of jobs", m(s.earned_paise))
    doc.line("+ Your share of cancellation fees", m(s.fee_share_paise))
    doc.line("− Cash you collected", m(s.cash_paise))
    doc.line("− Payouts received", m(s.paid_out_paise))
    if s.other_paise:
        doc.line("+ Other adjustments", m(s.other_paise))
    closing = "Balance so far" if s.to_date else f"Closing balance on {s.last_day:%d %b %Y}"
    _balance(doc, closing, s.closing_paise, bold=True)
    doc.rule()
    doc.line(NEGATIVE_NOTE + " Amounts in rupees; dates in IST. This is a computer-generated statement "
             "and needs no signature.", size=8, height=4.5)
    return bytes(pdf.output())
