"""Invoice downloads: the PDF for whoever holds a fresh signed link (minted after a permission
check by `invoices.invoice_links` or the booking's view), no session needed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from hsa.api.deps import Id
from hsa.db import session_scope
from hsa.services.errors import Forbidden, NotFound
from hsa.services.money import invoices

router = APIRouter(tags=["invoices"])


@router.get("/invoices/{invoice_id}.pdf", include_in_schema=False)
def get_invoice(invoice_id: Id, exp: Annotated[int, Query(ge=0, le=2**40)],
                sig: Annotated[str, Query(max_length=64)]) -> Response:
    """A download (attachment), never cached: it carries the customer's name and address."""
    with session_scope(readonly=True) as session:
        try:
            data, name = invoices.open_signed(session=session, invoice_id=invoice_id, expires=exp, signature=sig)
        except NotFound as exc:
            raise HTTPException(404, exc.message) from exc
        except Forbidden as exc:
            raise HTTPException(403, exc.message) from exc
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    })
