"""Each test server runs from its own copy of the checkout, never from the checkout itself.

`reflex run` writes its build (`.web`, with the backend's port baked into the bundle) and
`assets/external` into its working directory. Run from the checkout, the suite would rebuild
the `.web` that a developer's `./scripts/serve` is serving, and every open page would dial the
test server's port from then on. So each server gets `.e2e/<name>/`: the checkout's tracked
and untracked-but-not-ignored files, synced before every run; its `.web` (npm packages
included) stays there between runs, so a warm rebuild is quick.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / ".e2e"
BUILD_DIRS = {".web", ".states", "var"}  # the copy's own build output and data: never synced over


def source_files(root: Path = ROOT) -> list[str]:
    """What a copy needs: what git tracks plus new files git would track (not .venv, .web, var)."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                         capture_output=True, check=True).stdout
    return sorted({name for name in out.decode().split("\0") if name and (root / name).is_file()})


def sync_site(name: str, *, seed_from: str | None = None) -> Path:
    """Make `.e2e/<name>` an up-to-date copy of the checkout's sources; return its path.

    `seed_from` names another site whose installed npm packages are hard-linked in when this
    site has none yet (a second server then skips a cold `npm install`)."""
    dest = SITES / name
    dest.mkdir(parents=True, exist_ok=True)
    wanted = source_files()
    wanted_set = set(wanted)
    for path in sorted(dest.rglob("*"), reverse=True):  # drop files deleted or renamed in the checkout
        rel = path.relative_to(dest)
        if rel.parts[0] in BUILD_DIRS or rel.parts[:2] == ("assets", "external") or "__pycache__" in rel.parts:
            continue
        if path.is_file() and str(rel) not in wanted_set:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for rel in wanted:
        src, target = ROOT / rel, dest / rel
        if target.is_file() and filecmp.cmp(src, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    seed = SITES / seed_from / ".web" / "node_modules" if seed_from else None
    modules = dest / ".web" / "node_modules"
    if seed is not None and seed.is_dir() and not modules.exists():
        # npm never rewrites an installed file in place, so links are safe; everything Reflex
        # writes (pages, env.json, the build) is made afresh in this site's own `.web`.
        shutil.copytree(seed, modules, copy_function=os.link, symlinks=True)
        for lock in ("package.json", "package-lock.json"):
            if (seed.parent / lock).is_file():
                shutil.copy2(seed.parent / lock, modules.parent / lock)
    return dest
