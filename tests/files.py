"""Small but real files for upload tests, built byte by byte (no fixtures to go stale)."""

from __future__ import annotations

from hsa.services.demo_data import demo_png


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid RGB PNG (the demo-data generator, checked here by the content sniffer)."""
    return demo_png(width, height)


def pdf(text: str = "Trade licence 12345") -> bytes:
    """A one-page PDF 1.4 with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200          # an executable renamed to .pdf
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"  # renamed to .png
