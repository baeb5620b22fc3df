"""The "describe your problem" model: TF-IDF over words and character n-grams, then a linear
classifier (scikit-learn), trained on the shipped corpus plus past bookings' remarks.

Why this shape: character n-grams (2–5, inside word boundaries) carry misspellings ("plumer",
"leakege") and Hinglish stems ("paani", "thanda") that a word vocabulary misses; word uni- and
bigrams carry phrases ("not cooling", "gas refill"). Logistic regression gives calibrated-enough
probabilities for a "not sure" threshold and trains in seconds. No model download at run time.

Pure functions over texts and labels: the app, the CLI and the benchmark run the same code.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline

CORPUS = Path(__file__).parent / "corpus"
NONE = "none"  # out-of-scope rows ("book a cab"): a class of its own in training; the app says "not sure"
TARGET_PRECISION = 0.9  # the threshold keeps answers right this often on out-of-fold predictions
_SPACE = re.compile(r"\s+")
_REPEATS = re.compile(r"(.)\1{2,}")  # "leakkkk" → "leakk"


def normalise(text: str) -> str:
    """Lower case, accents folded, runs of one letter shortened, spaces collapsed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text
    return _SPACE.sub(" ", _REPEATS.sub(r"\1\1", folded.lower())).strip()


def read_corpus(name: str) -> tuple[list[str], list[str]]:
    """(texts, labels) from corpus/<name>.csv (header: text,service)."""
    with (CORPUS / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        rows = [(r["text"].strip(), r["service"].strip()) for r in csv.DictReader(f)]
    return [t for t, _ in rows if t], [s for t, s in rows if t]


def pipeline(c: float = 8.0, *, words: bool = True, chars: bool = True) -> Pipeline:
    """The shipped shape is words + chars; the benchmark compares each part alone."""
    parts = []
    if words:
        parts.append(("words", TfidfVectorizer(preprocessor=normalise, analyzer="word", ngram_range=(1, 2),
                                               sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")))  # noqa: S106
    if chars:
        parts.append(("chars", TfidfVectorizer(preprocessor=normalise, analyzer="char_wb", ngram_range=(2, 5),
                                               sublinear_tf=True, min_df=2, max_features=60_000)))
    return Pipeline([("features", FeatureUnion(parts)), ("model", LogisticRegression(C=c, max_iter=2000))])


def choose_c(texts: Sequence[str], labels: Sequence[str], grid: Sequence[float] = (2.0, 8.0, 32.0),
             **parts: bool) -> float:
    """Regularisation by 5-fold cross-validated accuracy on the training split (never the held-out one)."""
    from sklearn.model_selection import cross_val_score

    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)
    scores = {c: cross_val_score(pipeline(c, **parts), list(texts), list(labels), cv=cv).mean() for c in grid}
    return max(scores, key=lambda c: (scores[c], -c))


def choose_threshold(texts: Sequence[str], labels: Sequence[str], *, c: float, folds: int = 5,
                     **parts: bool) -> float:
    """The lowest confidence at which out-of-fold answers are right TARGET_PRECISION of the time.

    Chosen on the training data only (cross-validation), never on the held-out split.
    """
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
    proba = cross_val_predict(pipeline(c, **parts), list(texts), list(labels), cv=cv, method="predict_proba")
    classes = np.array(sorted(set(labels)))
    top, conf = decide(proba, classes)
    right = top == np.array(labels)
    for t in np.arange(0.05, 0.95, 0.01):
        kept = (top != NONE) & (conf >= t)
        if kept.sum() and right[kept].mean() >= TARGET_PRECISION:
            return round(float(t), 2)
    return 0.5


def decide(proba: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the answer (NONE when out-of-scope is likeliest) and the best service's probability, the
    figure the threshold is compared with. One rule for training, evaluation and the app."""
    services = classes != NONE
    best = np.where(services, proba, -1.0).argmax(axis=1)
    conf = proba[np.arange(len(proba)), best]
    declined = (proba.max(axis=1) > conf) if (~services).any() else np.zeros(len(proba), dtype=bool)
    return np.where(declined, NONE, classes[best]), conf


@dataclass(frozen=True)
class Figures:
    """Held-out figures: top-1 / top-3 over in-scope rows, and how the "not sure" threshold fares."""

    top1: float
    top3: float
    answered: float         # in-scope rows above the threshold
    right_when_answered: float
    none_flagged: float     # out-of-scope rows the model declined ("not sure")
    n: int
    n_none: int


def evaluate(model: Pipeline, threshold: float, texts: Sequence[str], labels: Sequence[str]) -> Figures:
    """Top-1/top-3 rank services only; "answered" needs a service to beat out-of-scope and the threshold."""
    proba = model.predict_proba(list(texts))
    classes = np.asarray(model.classes_)
    services = np.where(classes != NONE, proba, -1.0)
    order = np.argsort(-services, axis=1)
    labels_arr = np.array(labels)
    scope = labels_arr != NONE
    top1 = classes[order[:, 0]]
    top3 = np.array([labels_arr[i] in classes[order[i, :3]] for i in range(len(labels_arr))])
    top, conf = decide(proba, classes)
    answered = (top != NONE) & (conf >= threshold)
    answered_in_scope = scope & answered
    return Figures(
        top1=float((top1[scope] == labels_arr[scope]).mean()), top3=float(top3[scope].mean()),
        answered=float(answered_in_scope.sum() / max(1, scope.sum())),
        right_when_answered=float((top[answered] == labels_arr[answered]).mean()) if answered.any() else 0.0,
        none_flagged=float((~answered[~scope]).mean()) if (~scope).any() else 1.0,
        n=int(scope.sum()), n_none=int((~scope).sum()))


def fit(texts: Iterable[str], labels: Iterable[str], *, c: float = 8.0) -> Pipeline:
    model = pipeline(c)
    model.fit(list(texts), list(labels))
    return model
