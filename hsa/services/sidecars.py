"""Progress files beside background work (admin exports, data archives): JSON replaced atomically,
so any worker can read where a job stands and never sees half a file."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from hsa.services.errors import NotFound
from hsa.settings import write_private


def read(path: Path, what: str) -> dict[str, Any]:
    """The sidecar's contents; a missing file is "this `what` does not exist"."""
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise NotFound(what) from None


def write(path: Path, meta: dict[str, Any]) -> None:
    """Replace the sidecar atomically (a reader never sees half a file), 0600 like the files it describes."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    write_private(tmp, json.dumps(meta).encode())
    tmp.replace(path)
