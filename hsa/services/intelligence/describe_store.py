"""Where the "describe your problem" model lives: trained files with a version and their figures.

The repo ships one (models/describe.joblib + .json) so the demo works offline on first run;
`python -m hsa.cli train` writes a newer one to $HSA_DATA_DIR/models, which wins when present.
A file made by another scikit-learn version is not trusted (pickles are version-bound): the
model is then refitted from the shipped corpus in memory, which takes a couple of seconds.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import joblib
import sklearn
from sklearn.pipeline import Pipeline

from hsa.services.intelligence import describe_model
from hsa.settings import get_settings, private_dir

log = logging.getLogger(__name__)
SHIPPED = Path(__file__).parent / "models"
NAME = "describe"


@dataclass(frozen=True)
class Loaded:
    model: Pipeline
    threshold: float
    version: str
    figures: dict


def trained_dir() -> Path:
    return private_dir(get_settings().data_dir / "models")


def save(model: Pipeline, *, threshold: float, figures: dict, folder: Path, rows: dict[str, int]) -> Path:
    """Model and its card (version, threshold, held-out figures, what it was trained on), atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    version = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    tmp = folder / f"{NAME}.joblib.part"
    joblib.dump(model, tmp, compress=3)
    card = {"version": version, "sklearn": sklearn.__version__, "threshold": threshold, "figures": figures,
            "trained_on": rows, "classes": [str(c) for c in model.classes_]}
    card_tmp = folder / f"{NAME}.json.part"
    card_tmp.write_text(json.dumps(card, indent=2) + "\n")
    os.replace(tmp, folder / f"{NAME}.joblib")
    os.replace(card_tmp, folder / f"{NAME}.json")
    load.cache_clear()
    return folder / f"{NAME}.joblib"


def _candidates() -> list[Path]:
    return [trained_dir(), SHIPPED]


@lru_cache(maxsize=1)
def load() -> Loaded:
    """The newest trustworthy model (cached per process; `save` clears it)."""
    for folder in _candidates():
        card_path, model_path = folder / f"{NAME}.json", folder / f"{NAME}.joblib"
        if not (card_path.is_file() and model_path.is_file()):
            continue
        card = json.loads(card_path.read_text())
        if card.get("sklearn") != sklearn.__version__:
            log.warning("describe model in %s was made by scikit-learn %s (this is %s): skipped",
                        folder, card.get("sklearn"), sklearn.__version__)
            continue
        return Loaded(joblib.load(model_path), float(card["threshold"]), str(card["version"]), card["figures"])
    texts, labels = describe_model.read_corpus("train")
    log.warning("no usable describe model file: fitting one from the shipped corpus")
    model = describe_model.fit(texts, labels)
    return Loaded(model, 0.35, "corpus-fit", {})
