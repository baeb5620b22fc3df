"""The recommender itself: item-kNN over who booked whom, blended with the search ranking.

Pure functions over ids and arrays (no database, no reflex), so the app (`recommend.py`) and the
offline evaluation (`bench/recommend_eval.py`) run the very same code.

Why item-kNN on a customer x professional matrix with cosine similarity: bookings are sparse
(a customer books a handful of professionals a year), implicit (a booking says "chose", a rating
says more) and local; two professionals chosen by the same customers serve the same streets and
satisfy the same people. It fits in memory in well under a second for our sizes (one sparse
matrix product), needs no training loop, and each suggestion can say why: the professional the
customer booked that made it similar.

Rules the blend keeps (docs/recommendations.md):
- a professional the customer rated >= GOOD_RATING comes first ("Book again");
- one they rated below it is never suggested to them again;
- a booking rated <= POOR_RATING is no endorsement: it does not make professionals similar;
- a co-booking pair, or a pincode's count, needs MIN_SUPPORT distinct customers before it counts,
  so no suggestion reveals what one other person booked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy import sparse
from sklearn.metrics.pairwise import cosine_similarity

GOOD_RATING = 4        # "rated well": Book again
POOR_RATING = 2        # at or below: the booking does not count as an endorsement
MIN_SUPPORT = 2        # distinct customers behind a similarity or a "popular in" count
NEIGHBOURS = 50        # similar professionals kept per professional


@dataclass(frozen=True)
class Weights:
    """How much each signal counts for the professionals after "Book again" (each signal is 0..1).

    Chosen on one generated dataset (seed 1) and reported on another (seed 2): bench/RESULTS.md."""

    similar: float = 0.5   # booked by customers who booked the same professionals as you
    local: float = 0.7     # booked by many customers in your pincode
    ranked: float = 0.2    # the search ranking: shrunk rating minus distance
    past: float = 0.9      # you booked them before and did not rate them


class Reason(StrEnum):
    book_again = "book_again"   # you rated them well
    past = "past"               # you booked them before (no rating)
    similar = "similar"         # customers who booked <anchor> also booked them
    local = "local"             # popular with customers in your pincode
    ranked = "ranked"           # highly rated near you (the search ranking)


REASON_ORDER = (Reason.past, Reason.similar, Reason.local, Reason.ranked)


@dataclass(frozen=True)
class BookingLog:
    """Finished bookings, one per row: who, whom, the rating given (0 = none) and the job's pincode."""

    customer: np.ndarray
    pro: np.ndarray
    rating: np.ndarray
    pincode: Sequence[str]


@dataclass(frozen=True)
class Past:
    """One customer's history with one professional."""

    bookings: int
    rating: int      # the latest rating they gave (0 = never rated)


@dataclass(frozen=True)
class Candidate:
    """A professional the caller already knows can be booked by this customer (eligible, in range)."""

    pro_id: int
    rank_score: float   # search.rank_score: shrunk rating - km / KM_PER_STAR


@dataclass(frozen=True)
class Pick:
    pro_id: int
    reason: Reason
    score: float
    anchor: int | None = None   # the professional behind the reason (book_again, past, similar)
    rating: int = 0             # the customer's own rating, for book_again


@dataclass
class Model:
    """What `fit` learns: similar professionals, counts per pincode, and each customer's history."""

    pro_ids: np.ndarray                       # column -> professional id
    column: dict[int, int]                    # professional id -> column
    similarity: sparse.csr_matrix             # professionals x professionals, top NEIGHBOURS per row
    local: dict[str, dict[int, int]]          # pincode -> professional -> distinct customers
    history: dict[int, dict[int, Past]] = field(default_factory=dict)

    def knows(self, customer: int, pincode: str) -> bool:
        """Anything to go on beyond the search ranking (else: cold start)."""
        return bool(self.history.get(customer)) or any(n >= MIN_SUPPORT for n in self.local.get(pincode, {}).values())


def histories(log: BookingLog) -> dict[int, dict[int, Past]]:
    history: dict[int, dict[int, Past]] = {}
    for c, p, r in zip(log.customer.tolist(), log.pro.tolist(), log.rating.tolist(), strict=True):
        mine = history.setdefault(c, {})
        before = mine.get(p)
        mine[p] = Past(bookings=(before.bookings if before else 0) + 1,
                       rating=r or (before.rating if before else 0))  # rows come oldest first
    return history


def _local(log: BookingLog) -> dict[str, dict[int, int]]:
    seen: dict[str, dict[int, set[int]]] = {}
    for c, p, pin in zip(log.customer.tolist(), log.pro.tolist(), log.pincode, strict=True):
        seen.setdefault(pin, {}).setdefault(p, set()).add(c)
    return {pin: {p: len(cs) for p, cs in pros.items()} for pin, pros in seen.items()}


def _top_k(matrix: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Keep the k largest entries of each row (the neighbours); the rest would only add noise and memory."""
    rows, cols, vals = [], [], []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        data, idx = matrix.data[start:end], matrix.indices[start:end]
        if len(data) > k:
            keep = np.argpartition(-data, k - 1)[:k]
            data, idx = data[keep], idx[keep]
        rows.append(np.full(len(data), i))
        cols.append(idx)
        vals.append(data)
    if not rows:
        return matrix
    return sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape)


def fit(log: BookingLog, *, neighbours: int = NEIGHBOURS, min_support: int = MIN_SUPPORT) -> Model:
    """Learn from finished bookings (oldest first): cosine similarity between professionals' columns
    of the binary customer x professional matrix, pairs with fewer than `min_support` co-bookers dropped."""
    endorsed = (log.rating == 0) | (log.rating > POOR_RATING)
    pro_ids = np.unique(log.pro)
    column = {int(p): i for i, p in enumerate(pro_ids.tolist())}
    customers, rows = np.unique(log.customer[endorsed], return_inverse=True)
    cols = np.searchsorted(pro_ids, log.pro[endorsed])
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(customers), len(pro_ids)))
    matrix.data[:] = 1.0  # a customer who booked someone three times is one vote, not three
    by_pro = matrix.T.tocsr()
    if min(by_pro.shape) == 0:  # no bookings yet, or none endorsed: nobody is similar to anybody
        similarity = sparse.csr_matrix((len(pro_ids), len(pro_ids)))
    else:
        similarity = sparse.csr_matrix(cosine_similarity(by_pro, dense_output=False))
    support = (by_pro @ matrix).tocsr()  # co-booking counts, same pattern as the similarity
    similarity = similarity.multiply(support >= min_support).tocsr()
    similarity.setdiag(0.0)
    similarity.eliminate_zeros()
    return Model(pro_ids=pro_ids, column=column, similarity=_top_k(similarity, neighbours),
                 local=_local(log), history=histories(log))


def _liked(history: dict[int, Past]) -> list[int]:
    return [p for p, past in history.items() if past.rating == 0 or past.rating > POOR_RATING]


def candidate_ids(model: Model, *, customer: int, pincode: str, limit: int = 50) -> set[int]:
    """Professionals worth checking for eligibility: the customer's own, their neighbours, the pincode's favourites."""
    history = model.history.get(customer, {})
    ids = set(history)
    liked = [model.column[p] for p in _liked(history) if p in model.column]
    if liked:
        row = np.asarray(model.similarity[liked].sum(axis=0)).ravel()
        best = np.argsort(-row)[:limit]
        ids.update(int(model.pro_ids[i]) for i in best if row[i] > 0)
    local = model.local.get(pincode, {})
    ids.update(sorted(local, key=lambda p: -local[p])[:limit])
    return ids


def _scaled(values: dict[int, float]) -> dict[int, float]:
    top = max(values.values(), default=0.0)
    return {k: v / top for k, v in values.items()} if top > 0 else dict.fromkeys(values, 0.0)


def recommend(model: Model, *, customer: int, pincode: str, candidates: Sequence[Candidate], limit: int = 5,
              weights: Weights | None = None) -> list[Pick]:
    """The `limit` best of `candidates` for this customer, each with its reason.

    Candidates come from the caller already filtered (bookable, in range) and in the search's
    order; with nothing known of the customer or their pincode that order is kept as it is.
    After "Book again", the weighted sum of the signals orders them; the reason named is the most
    personal signal behind each (REASON_ORDER), so "also chose" wins over "popular" when both hold.
    """
    w = weights or Weights()
    history = model.history.get(customer, {})
    pool = [c for c in candidates if not (history.get(c.pro_id) and 0 < history[c.pro_id].rating < GOOD_RATING)]
    again = sorted((c for c in pool if history.get(c.pro_id) and history[c.pro_id].rating >= GOOD_RATING),
                   key=lambda c: (-history[c.pro_id].rating, -history[c.pro_id].bookings, -c.rank_score))
    picks = [Pick(c.pro_id, Reason.book_again, 10.0 + history[c.pro_id].rating, c.pro_id, history[c.pro_id].rating)
             for c in again[:limit]]
    rest = [c for c in pool if c.pro_id not in {p.pro_id for p in picks}]
    if len(picks) >= limit or not rest:
        return picks
    if not model.knows(customer, pincode):
        return picks + [Pick(c.pro_id, Reason.ranked, c.rank_score) for c in rest[: limit - len(picks)]]
    similar, anchors = _similar(model, history, [c.pro_id for c in rest])
    local_counts = model.local.get(pincode, {})
    others = {c.pro_id: local_counts.get(c.pro_id, 0) - (c.pro_id in history) for c in rest}  # not counting them
    local = _scaled({p: float(n) if n >= MIN_SUPPORT else 0.0 for p, n in others.items()})
    low = min(c.rank_score for c in rest)
    span = max(c.rank_score for c in rest) - low
    scored = []
    for order, c in enumerate(rest):
        parts = {Reason.similar: w.similar * similar.get(c.pro_id, 0.0),
                 Reason.local: w.local * local.get(c.pro_id, 0.0),
                 Reason.past: w.past * (c.pro_id in history),
                 Reason.ranked: w.ranked * ((c.rank_score - low) / span if span > 0 else 1.0)}
        # the reason shown is the most personal signal present (all are true; the score orders them)
        reason = next((r for r in REASON_ORDER if parts[r] > 0), Reason.ranked)
        anchor = c.pro_id if reason is Reason.past else anchors.get(c.pro_id) if reason is Reason.similar else None
        scored.append((-sum(parts.values()), order, Pick(c.pro_id, reason, sum(parts.values()), anchor)))
    scored.sort(key=lambda t: (t[0], t[1]))
    return picks + [pick for _, _, pick in scored[: limit - len(picks)]]


def _similar(model: Model, history: dict[int, Past], ids: list[int]) -> tuple[dict[int, float], dict[int, int]]:
    """Each id's summed similarity to the professionals the customer liked (scaled 0..1), and the
    liked professional contributing most (the "also booked" in its reason)."""
    liked = [p for p in _liked(history) if p in model.column]
    if not liked:
        return {}, {}
    block = model.similarity[[model.column[p] for p in liked]].toarray()  # liked x all professionals
    scores: dict[int, float] = {}
    anchors: dict[int, int] = {}
    for pro in ids:
        j = model.column.get(pro)
        if j is None or not block[:, j].any():
            continue
        scores[pro] = float(block[:, j].sum())
        anchors[pro] = liked[int(np.argmax(block[:, j]))]
    return _scaled(scores), anchors
