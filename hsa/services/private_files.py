"""Files people upload (ID documents, dispute photos): type sniffed from the bytes, size-capped,
written privately under random names, never in a publicly served folder.

Reflex serves its own upload folder at /_upload without authentication, so uploads are read in the
event handler and land here instead; they are shown only through signed links.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import filetype

from hsa.i18n.text import msg
from hsa.services.errors import ValidationFailed
from hsa.settings import get_settings, private_dir, write_private

MAX_BYTES = 5 * 1024 * 1024


def folder(name: str) -> Path:
    """HSA_DATA_DIR/private/<name>: 0700 folders, 0600 files."""
    return private_dir(get_settings().data_dir / "private" / name)


def sniff(data: bytes, *, allowed: dict[str, str], field: str, kinds: str) -> str:
    """The content type from the bytes themselves (extensions lie); ValidationFailed on `field` otherwise.
    `kinds` names what may be sent ("a PDF, PNG or JPEG"), best as a catalog message."""
    if not data:
        raise ValidationFailed({field: msg("svc_account.file_empty")})
    if len(data) > MAX_BYTES:
        raise ValidationFailed({field: msg("svc_account.file_too_big")})
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in allowed:
        raise ValidationFailed({field: msg("svc_account.upload_kind", kinds=kinds)})
    return str(kind.mime)


def store(where: Path, data: bytes, extension: str) -> str:
    """Write the bytes under a fresh random name (whole or not at all) and return the name."""
    name = f"{secrets.token_hex(16)}.{extension}"
    target = where / name
    tmp = target.with_suffix(".part")
    write_private(tmp, data)
    tmp.replace(target)
    return name


def remove(where: Path, name: str | None) -> None:
    if name:
        (where / name).unlink(missing_ok=True)


def commit_swap(session: Any, where: Path, new: str, old: str | None) -> None:
    """Commit the row that now names `new`; if that fails, remove `new` (the row still names the
    old file), else remove the `old` one. One place for "a replaced upload leaves no orphan"."""
    try:
        session.commit()
    except Exception:
        remove(where, new)
        raise
    remove(where, old)
