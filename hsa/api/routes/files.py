"""Uploaded files: behind signed links a professional's verification document and a dispute's photo;
openly a public profile's photo.

Whoever holds a fresh link (minted only after a permission check) gets the bytes, inline, sandboxed,
never cached; no session is needed, so an <img> or <object> on our own pages can show them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Response

from hsa.api.deps import Id
from hsa.db import session_scope
from hsa.services import dispute_photos, documents, pro_profiles
from hsa.services.errors import Forbidden, NotFound

router = APIRouter()
Expires = Annotated[int, Query(ge=0, le=2**40)]
Signature = Annotated[str, Query(max_length=64)]


def _serve(opener: Callable[..., tuple[bytes, str, str]], **args: object) -> Response:
    with session_scope(readonly=True) as session:
        try:
            data, mime, name = opener(session=session, **args)
        except NotFound as exc:
            raise HTTPException(404, exc.message) from exc
        except Forbidden as exc:
            raise HTTPException(403, exc.message) from exc
    return Response(data, media_type=mime, headers={
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}",
        "X-Content-Type-Options": "nosniff",
        # frame-ancestors/X-Frame-Options: only our own pages may embed it (<object>, <img>).
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; object-src 'self'; "
                                   "frame-ancestors 'self'",
        "X-Frame-Options": "SAMEORIGIN",
        "Cache-Control": "private, no-store",
    })


@router.get("/documents/{user_id}", include_in_schema=False)
def get_document(user_id: Id, exp: Expires, sig: Signature) -> Response:
    return _serve(documents.open_signed, user_id=user_id, expires=exp, signature=sig)


@router.get("/pros/{user_id}/photo", include_in_schema=False)
def get_pro_photo(user_id: Id) -> Response:
    """A public profile's photo: no link to sign, as the profile itself is public; only an
    approved, active professional's current photo is served (anything else is 404)."""
    return _serve(pro_profiles.photo_bytes, user_id=user_id)


@router.get("/disputes/{request_id}/photo", include_in_schema=False)
def get_dispute_photo(request_id: Id, exp: Expires, sig: Signature) -> Response:
    return _serve(dispute_photos.open_signed, request_id=request_id, expires=exp, signature=sig)
