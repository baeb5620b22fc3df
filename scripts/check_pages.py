"""Build every page's component tree without the frontend build: a fast check that pages compile
(Var types, props) before a browser run. `python scripts/check_pages.py`."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    started = time.time()
    from reflex_base.registry import RegistrationContext

    import hsa.hsa  # noqa: F401 - registers the pages

    pages = RegistrationContext.ensure_context().decorated_pages
    bad = 0
    for render_fn, kwargs in pages:
        try:
            render_fn().render()
        except Exception as error:  # report every page, not just the first
            bad += 1
            print("FAIL", kwargs.get("route"), type(error).__name__, str(error)[:400])
    print(len(pages), "pages,", bad, "failed in", round(time.time() - started, 1), "s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
