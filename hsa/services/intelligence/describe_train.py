"""Training the "describe your problem" model: the shipped corpus, plus past bookings' remarks.

Remarks are weak labels (the customer picked the service; some remarks are "please call first"),
so they count half as much as a corpus line, need three words, and are capped per service so a
million bookings train in minutes on two cores. The "not sure" threshold is chosen by
cross-validation on the corpus's training split; the held-out split is only ever evaluated.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

from sqlmodel import Session, col, select

from hsa.models import Service, ServiceRequest
from hsa.services.intelligence import describe_model, describe_store

REMARK_WEIGHT = 0.5
CAP_PER_SERVICE = 20_000


def booking_rows(session: Session, *, cap_per_service: int = CAP_PER_SERVICE) -> tuple[list[str], list[str]]:
    """(remarks, service name) of the newest bookings with a remark of three words or more."""
    per: dict[str, list[str]] = defaultdict(list)
    rows = session.exec(select(ServiceRequest.remarks, Service.name).join(Service)
                        .where(col(ServiceRequest.remarks) != "").order_by(col(ServiceRequest.id).desc()))
    for remarks, name in rows:
        text = (remarks or "").strip()
        if len(text.split()) >= 3 and len(per[name]) < cap_per_service:
            per[name].append(text[:300])
    texts = [t for name in sorted(per) for t in per[name]]
    labels = [name for name in sorted(per) for _ in per[name]]
    return texts, labels


def train(*, session: Session | None, folder: Path, c: float | None = None,
          cap_per_service: int = CAP_PER_SERVICE) -> dict:
    """Fit, pick the threshold, evaluate on the held-out split, save; returns the model card."""
    started = time.perf_counter()
    texts, labels = describe_model.read_corpus("train")
    c = c or describe_model.choose_c(texts, labels)
    threshold = describe_model.choose_threshold(texts, labels, c=c)
    extra_texts, extra_labels = booking_rows(session, cap_per_service=cap_per_service) if session else ([], [])
    known = set(labels)
    kept = [(t, s) for t, s in zip(extra_texts, extra_labels, strict=True) if s in known]
    weights = [1.0] * len(texts) + [REMARK_WEIGHT] * len(kept)
    model = describe_model.pipeline(c)
    model.fit(texts + [t for t, _ in kept], labels + [s for _, s in kept], model__sample_weight=weights)
    held_texts, held_labels = describe_model.read_corpus("heldout")
    figures = asdict(describe_model.evaluate(model, threshold, held_texts, held_labels))
    figures["train_seconds"] = round(time.perf_counter() - started, 1)
    describe_store.save(model, threshold=threshold, figures=figures, folder=folder,
                        rows={"corpus": len(texts), "booking_remarks": len(kept)})
    return {"threshold": threshold, "c": c, "figures": figures, "corpus": len(texts), "booking_remarks": len(kept)}
