""""Training on 1,000,000 requests finishes in minutes on 2 cores": the CLI's training, timed.

    python bench/generate.py --db /tmp/describe-1m.db            # 1,000,000 requests (shape "large")
    python bench/describe_scale.py --db /tmp/describe-1m.db

Gives every request a remark written like the corpus (a training line of its service with a
random extra word or typo, so the remarks are not all copies), then runs the same training as
`python -m hsa.cli train` against that database: the read of every remark, the per-service cap
(describe_train.CAP_PER_SERVICE), the fit on corpus + capped remarks. Prints the wall time of each.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

EXTRAS = ["urgent", "pls", "today", "asap", "since morning", "kindly send someone", "2nd floor", "evening ok"]


def _typo(text: str, rnd: random.Random) -> str:
    if len(text) < 6 or rnd.random() < 0.7:
        return text
    i = rnd.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1:]  # one letter dropped, as phones do


def fill_remarks(db: Path, seed: int = 7) -> int:
    from hsa.services.intelligence import describe_model

    texts, labels = describe_model.read_corpus("train")
    by_service: dict[str, list[str]] = {}
    for t, s in zip(texts, labels, strict=True):
        by_service.setdefault(s, []).append(t)
    rnd = random.Random(seed)
    conn = sqlite3.connect(db)
    names = dict(conn.execute("SELECT id, name FROM services"))
    rows = conn.execute("SELECT id, service_id FROM service_requests").fetchall()
    updates = []
    for rid, sid in rows:
        lines = by_service.get(names[sid])
        if lines:
            updates.append((_typo(rnd.choice(lines), rnd) + " " + rnd.choice(EXTRAS), rid))
    conn.executemany("UPDATE service_requests SET remarks = ? WHERE id = ?", updates)
    conn.commit()
    conn.close()
    return len(updates)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, type=Path)
    args = parser.parse_args()
    os.environ["HSA_DATABASE_URL"] = f"sqlite:///{args.db}"
    started = time.perf_counter()
    filled = fill_remarks(args.db)
    print(f"remarks written on {filled:,} requests in {time.perf_counter() - started:.1f} s")
    from hsa.db import session_scope
    from hsa.services.intelligence import describe_train

    with tempfile.TemporaryDirectory() as folder, session_scope(readonly=True) as session:
        started = time.perf_counter()
        texts, _ = describe_train.booking_rows(session)
        read = time.perf_counter() - started
        card = describe_train.train(session=session, folder=Path(folder))
        total = time.perf_counter() - started
    f = card["figures"]
    print(f"read + cap: {len(texts):,} remarks kept in {read:.1f} s; whole training (read, CV on the corpus, fit on "
          f"{card['corpus']} + {card['booking_remarks']:,}) {total:.1f} s; held-out top-1 {f['top1']:.1%}")


if __name__ == "__main__":
    main()
