""""Describe your problem": held-out figures of the shipped model shape and its parts alone.

    python bench/describe_eval.py

Trains each variant on hsa/services/intelligence/corpus/train.csv (C chosen by 5-fold CV on it,
the "not sure" threshold likewise), evaluates once on heldout.csv, prints a Markdown table.
Same code as the app (hsa.services.intelligence.describe_model).
"""

from __future__ import annotations

import platform
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hsa.services.intelligence import describe_model as dm  # noqa: E402

VARIANTS = {"words + chars (shipped)": {}, "word n-grams only": {"chars": False},
            "char n-grams only": {"words": False}}


def main() -> None:
    texts, labels = dm.read_corpus("train")
    held_t, held_l = dm.read_corpus("heldout")
    print(f"# {date.today()} · {platform.processor() or platform.machine()} · Python {platform.python_version()}")
    print(f"train {len(texts)} lines, held-out {sum(x != dm.NONE for x in held_l)} in scope + "
          f"{sum(x == dm.NONE for x in held_l)} out of scope\n")
    print("| model | C | threshold | top-1 | top-3 | answered | right when answered | out-of-scope → not sure "
          "| fit s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, parts in VARIANTS.items():
        started = time.perf_counter()
        c = dm.choose_c(texts, labels, **parts)
        threshold = dm.choose_threshold(texts, labels, c=c, **parts)
        model = dm.pipeline(c, **parts).fit(texts, labels)
        f = dm.evaluate(model, threshold, held_t, held_l)
        print(f"| {name} | {c:g} | {threshold:.2f} | {f.top1:.1%} | {f.top3:.1%} | {f.answered:.1%} | "
              f"{f.right_when_answered:.1%} | {f.none_flagged:.1%} | {time.perf_counter() - started:.1f} |")


if __name__ == "__main__":
    main()
