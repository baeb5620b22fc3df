""""Download my data": the archive's JSON or readable HTML for whoever holds its signed link (minted
for the signed-in person by `my_data.latest_archive`), valid until the archive expires (24 h)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import FileResponse

from hsa.db import session_scope
from hsa.services import my_data
from hsa.services.errors import Forbidden, NotFound

router = APIRouter(tags=["my data"])


@router.get("/me/data/{archive_id}.{fmt}", include_in_schema=False)
def get_archive(archive_id: Annotated[str, Path(max_length=16)], fmt: Annotated[str, Path(max_length=4)],
                user: Annotated[int, Query(ge=1, le=2**31 - 1)], exp: Annotated[int, Query(ge=0, le=2**40)],
                sig: Annotated[str, Query(max_length=64)]) -> FileResponse:
    """An attachment, never cached; the HTML is served as a download too, so it never runs on our origin."""
    with session_scope(readonly=True) as session:
        try:
            path, name, media = my_data.open_signed(session=session, archive_id=archive_id, user_id=user, fmt=fmt,
                                                    expires=exp, signature=sig)
        except NotFound as exc:
            raise HTTPException(404, exc.message) from exc
        except Forbidden as exc:
            raise HTTPException(403, exc.message) from exc
    return FileResponse(path, media_type=media, filename=name, headers={
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})
