"""A GST tax invoice as a PDF (fpdf2): the supplier, the customer, SAC, the tax split and the total in words.

The PDF is rendered from the invoice's frozen amounts each time it is asked for (download,
email), never stored: the numbers cannot drift, and there is no file to protect or back up.

Tax: HomeServe's services are billed as intra-state supplies, so the 18 % GST shows as CGST
9 % + SGST 9 % (an inter-state supply would be IGST 18 %; we have no customers outside the
supplier's state yet). The split is exact: CGST takes the odd paisa, so the two add up to the
frozen GST.

The page, font, money and the supplier's block are `pdf_doc`'s, shared with the earnings statement.
"""

from __future__ import annotations

from sqlmodel import Session

from hsa.models import Invoice, Service, ServiceRequest, User
from hsa.services import scheduling
from hsa.services.money.pdf_doc import SUPPLIER, Doc, amount_in_words, font_files, number_in_words
from hsa.services.money.pricing import SAC_CODE

SAC_LABEL = "Maintenance, repair and installation services"
KIND_TITLES = {"job": "Service", "extra": "Extra work approved after completion", "cancellation": "Cancellation fee"}


def file_name(invoice: Invoice) -> str:
    """"HS-2026-27-000001.pdf": the number without its slashes."""
    return invoice.number.replace("/", "-") + ".pdf"


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
    doc = Doc(compress=compress, fonts=font_files())  # looked up here: a test may take the font away
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
    doc.supplier()
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


__all__ = ["KIND_TITLES", "SAC_LABEL", "amount_in_words", "bill_lines", "file_name", "font_files", "number_in_words",
           "render_pdf"]
