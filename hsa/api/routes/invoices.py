"""PDF downloads by signed link: tax invoices and monthly earnings statements, for whoever holds a
fresh link (minted after a permission check by `invoices.invoice_links`, the booking's view or
`statements.statement_links`), no session needed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response

from hsa.api.deps import Id
from hsa.db import session_scope
from hsa.services.errors import Forbidden, NotFound
from hsa.services.money import invoices, statements

router = APIRouter(tags=["invoices"])
Expires = Annotated[int, Query(ge=0, le=2**40)]
Signature = Annotated[str, Query(max_length=64)]


def _pdf(open_signed: Callable[..., tuple[bytes, str]], **where: object) -> Response:
    """A download (attachment), never cached: an invoice carries the customer's name and address,
    a statement a professional's earnings."""
    with session_scope(readonly=True) as session:
        try:
            data, name = open_signed(session=session, **where)
        except NotFound as exc:
            raise HTTPException(404, exc.message) from exc
        except Forbidden as exc:
            raise HTTPException(403, exc.message) from exc
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    })


@router.get("/invoices/{invoice_id}.pdf", include_in_schema=False)
def get_invoice(invoice_id: Id, exp: Expires, sig: Signature) -> Response:
    return _pdf(invoices.open_signed, invoice_id=invoice_id, expires=exp, signature=sig)


@router.get("/statements/{professional_id}/{month}.pdf", include_in_schema=False)
def get_statement(professional_id: Id, month: Annotated[str, Path(max_length=7)], exp: Expires,
                  sig: Signature) -> Response:
    """`month` is "2026-11"; the signature covers it, so only a month someone was shown opens."""
    return _pdf(statements.open_signed, professional_id=professional_id, month=month, expires=exp, signature=sig)
