"""Admin CSV exports: the finished file for whoever holds a fresh signed link (minted for an admin
by `exports.download_link`), streamed from disk so a million rows never pass through memory."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import FileResponse

from hsa.db import session_scope
from hsa.services import exports
from hsa.services.errors import Forbidden, NotFound

router = APIRouter(tags=["exports"])


@router.get("/admin/exports/{export_id}.csv", include_in_schema=False)
def get_export(export_id: Annotated[str, Path(max_length=16)], admin: Annotated[int, Query(ge=1, le=2**31 - 1)],
               exp: Annotated[int, Query(ge=0, le=2**40)], sig: Annotated[str, Query(max_length=64)]) -> FileResponse:
    """A download (attachment), never cached: it carries names, and phone numbers for professionals."""
    with session_scope(readonly=True) as session:
        try:
            path, name = exports.open_signed(session=session, export_id=export_id, admin_id=admin, expires=exp,
                                             signature=sig)
        except NotFound as exc:
            raise HTTPException(404, exc.message) from exc
        except Forbidden as exc:
            raise HTTPException(403, exc.message) from exc
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename=name, headers={
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})
