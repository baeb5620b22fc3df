"""Split a py-spy profile (raw/collapsed format) into where the interpreter's time goes.

    python bench/profile_split.py /tmp/hsa-side/hsa1-1.pyspy.txt [--top 25]

Each sample is charged to the innermost frame that belongs to a known layer, so "SQL" is time
inside SQLAlchemy and the database drivers however deep in app code it was called, and "app" is
hsa's own Python. Layers: app (hsa/), SQL (sqlalchemy, sqlite3, psycopg), serialisation (json,
pickle, dill, orjson, pydantic), Reflex/socket.io (reflex, socketio, engineio, granian, starlette,
uvicorn, fastapi, asyncio, websockets), logging (logging, structlog), other.
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("SQL", ("sqlalchemy/", "sqlite3/", "psycopg/", "psycopg_pool/", "sqlmodel/", "<built-in method execute")),
    ("serialisation", ("json/", "pickle", "dill/", "orjson", "pydantic/", "pydantic_core/", "copy.py")),
    ("logging", ("logging/", "structlog/")),
    ("app", ("(hsa/", "/hsa/")),
    ("Reflex/socket.io", ("reflex/", "reflex_base/", "socketio/", "engineio/", "granian/", "starlette/", "uvicorn/",
                          "fastapi/", "asyncio/", "websockets/", "concurrent/", "threading.py", "redis/")),
]
FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>.*):(?P<line>\d+)\)$")


def layer_of(frame: str) -> str | None:
    for name, marks in LAYERS:
        if any(mark in frame for mark in marks):
            return name
    return None


def split(path: Path) -> tuple[collections.Counter, collections.Counter, int]:
    layers: collections.Counter = collections.Counter()
    app_funcs: collections.Counter = collections.Counter()
    total = 0
    for raw in path.read_text().splitlines():
        stack, _, count = raw.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        layer = "other"
        for frame in reversed(frames):  # innermost first
            found = layer_of(frame)
            if found is not None:
                layer = found
                break
        layers[layer] += n
        for frame in frames:  # the outermost hsa function: which feature the time was for
            if ("(hsa/" in frame or "/hsa/" in frame) and "hsa/state/auth.py" not in frame and "hsa/pools" not in frame:
                match = FRAME.match(frame)
                app_funcs[match["func"] if match else frame] += n
                break
    return layers, app_funcs, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("profiles", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    for path in args.profiles:
        layers, funcs, total = split(path)
        print(f"## {path.name}: {total:,} samples (threads holding the GIL)")
        print("| layer | share |\n|---|---:|")
        for name, n in layers.most_common():
            print(f"| {name} | {100 * n / total:.1f} % |")
        print(f"\nOutermost hsa functions (top {args.top}):")
        for name, n in funcs.most_common(args.top):
            print(f"  {100 * n / total:5.1f} %  {name}")
        print()


if __name__ == "__main__":
    main()
