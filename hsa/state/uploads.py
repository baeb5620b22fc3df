"""Reading the one file of an upload event, within the size cap (the browser's limits are only hints)."""

from __future__ import annotations

import reflex as rx

from hsa.i18n.text import tr


async def read_one(files: list[rx.UploadFile], *, field: str, missing: str, max_bytes: int
                   ) -> tuple[bytes | None, dict[str, str]]:
    """(the bytes, {}) or (None, {field: why}); reads at most one byte past the cap."""
    if not files:
        return None, {field: missing}
    upload = files[0]
    if upload.size is not None and upload.size > max_bytes:
        return None, {field: tr("pro.file_too_large")}
    return await upload.read(max_bytes + 1), {}
