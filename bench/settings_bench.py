"""Cost of `get_settings()` per call: it runs on every database session, so it must be cheap.

    python bench/settings_bench.py [--calls 20000]

"steady" is the normal case (environment unchanged since the last call); "changed" sets a new
HSA_* value before every call, which forces a full parse (what a test's monkeypatch does).
Runs in a temporary data folder so the secret-key file read is part of the measurement.

2026-12-01, 2 cores (shared, load ~3.5): before (dataclass re-read on every call) ~330 us/call;
after: steady ~12 us/call, changed ~0.9-3 ms/call (a full pydantic-settings parse).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def per_call_us(fn, calls: int, repeats: int = 5) -> float:
    """Median over `repeats` of the mean time per call, in microseconds."""
    means = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        means.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(means)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hsa-settings-bench-") as data_dir:
        os.environ["HSA_DATA_DIR"] = data_dir
        run(args.calls)


def run(calls: int) -> None:
    from hsa.settings import get_settings

    get_settings()  # creates the secret file once
    steady = per_call_us(get_settings, calls)
    counter = iter(range(10**9))

    def changed() -> None:
        os.environ["HSA_EARLY_START_HOURS"] = str(2 + next(counter) % 1000)
        get_settings()

    cold = per_call_us(changed, max(calls // 20, 100))
    print(f"get_settings() steady  {steady:8.2f} us/call")
    print(f"get_settings() changed {cold:8.2f} us/call (environment changed before each call)")


if __name__ == "__main__":
    main()
