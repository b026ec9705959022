"""Résumé matching on the real corpus: ranking quality, profile accuracy, latency.

Reads the labelled set in ``labelled/resumes/`` (``rNN_slug.md`` résumés, ``profiles.jsonl`` with
what each résumé says, ``judgments.jsonl`` with graded jobs 0–3) and a store of the shared
corpus, enriched and embedded, which it opens read-only (nothing is migrated, synced or
written; nearest neighbours are exact, in memory)::

    LEADBOARD_HOME=/work/bench-home .venv/bin/python -m bench.bench_match
    … -m bench.bench_match --split holdout   # only the held-out half
    … -m bench.bench_match --tune            # fit the weights on the tune half
    … -m bench.bench_match --calibrate       # fit the verdict bands on the tune half

**Systems compared** (the same candidate jobs, the same filters: every role family, open jobs,
one per duplicate cluster):

- ``fit``: ``Matcher`` — semantic + skills + experience + leadership;
- ``embedding``: cosine of the job's embedding and the profile's (the fit's semantic part alone);
- ``embedding (text)``: cosine with the embedding of the résumé's raw text (its first 128 word
  pieces, the embedder's default, as a plain "embed the résumé" would);
- ``BM25``: SQLite FTS5 BM25 (the search index, with search's column weights) for the résumé's 30
  most distinctive words — its words (3+ letters, no stop words) by tf·idf, the document
  frequency read from the same index — joined by OR.

**Two views** of nDCG@10 (gain 2^grade − 1, ideal from the résumé's judged grades):

1. *re-ranking* each résumé's judged jobs (every system ranks the same jobs: the main figure);
2. *whole corpus*: each system's top 10 over every open job, unjudged jobs counted 0, with the
   share of the top 10 that was judged (``judged@10``): a low share means the figure says more
   about the pool than about the system.

**Split**: résumés with odd numbers (r01, r03…) are the *tune* half, even numbers the *holdout*
half; the weights were chosen on the tune half only (``--tune`` shows how, and cross-validates
each way of fitting them, leaving one tune résumé out at a time), and both halves are printed,
with each batch of held-out résumés apart (``HOLDOUT_BATCHES``: r84–r90 and r92–r98 came later).

**Verdicts**: the band of each judged pair (``scoring.BANDS``) against its grade (3 strong, 2
good, 1 stretch, 0 poor), as a confusion table on the held-out half, and the bands' shares over
each résumé's top 20 (a top 20 that is all "strong" says nothing). ``--calibrate`` fits the
thresholds on the tune half's pairs pooled from the matchers' top 20s, the jobs verdicts are
read on (the three that maximise the quadratic-weighted kappa; the fit on every tune pair too).

Profile accuracy against ``profiles.jsonl``: years (total and ML) within one year, skills
micro precision/recall/F1, seniority accuracy. Latency: ``Matcher.match_file`` (parsing
included) over the whole corpus, each résumé three times, p50/p95.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import math
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sqlalchemy import bindparam, text

from leadboard.datasets import read_jsonl
from leadboard.enrich.embeddings import default_embedder
from leadboard.match import Matcher, Profile
from leadboard.match.documents import resume_text
from leadboard.match.scoring import BAND_NAMES, BANDS, Fit, Weights, band_of
from leadboard.search.engine import SearchEngine, SearchFilters
from leadboard.store.compact import dequantize
from leadboard.store.database import make_engine
from leadboard.store.repository import Store

HERE = Path(__file__).resolve().parents[1] / "labelled" / "resumes"
# Every family, stale postings too: the shared dumps are all past their dates (none is open).
ANY_FAMILY = SearchFilters(role_family=["any"], include_closed=True)
STOP_WORDS = (
    "the and for with from that this have has our your you are was were will into over under "
    "about across using used use via per all any not but than then also their them they its "
    "led lead built build team teams work worked working years year experience including "
    "new high more most other such each both who what where when which while how present"
)
STOP = frozenset(STOP_WORDS.split())
BM25_WORDS = 30


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg(ranked: list[str], grades: dict[str, int]) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:10]) or 1.0
    return dcg([grades.get(job_id, 0) for job_id in ranked[:10]]) / ideal


# The held-out résumés in the batches they were written in: r84–r90 after the matcher was
# changed on r65–r83, r92–r98 after the next change (before its held-out run), each by the hand
# that changed it; so each batch is reported on its own too.
HOLDOUT_BATCHES = ((1, 44), (84, 90), (92, 98))


def number_of(name: str) -> int:
    return int(re.match(r"r(\d+)", name).group(1))  # type: ignore[union-attr]


def half(name: str) -> str:
    return "tune" if number_of(name) % 2 else "holdout"


class ExactVectors:
    """Nearest neighbours by exact cosine over every stored embedding, in memory: the store's
    own vector index lives in files beside it that a sync would (re)write, and this bench only
    reads the store. (26,747 × 384 floats: a few milliseconds a query.)"""

    def __init__(self, store: Store, model: str) -> None:
        sql = (
            "SELECT d.id, e.vector FROM search_documents d JOIN embeddings e ON e.job_id = "
            "d.job_id JOIN jobs j ON j.id = d.job_id WHERE e.model = :model "
            "AND e.content_hash = j.content_hash"
        )
        with store.engine.connect() as connection:
            rows = connection.execute(text(sql), {"model": model}).all()
        self.ids = np.array([doc_id for doc_id, _ in rows], dtype=np.int64)
        # Stored as int8 steps (store/compact.py): read by plain SQL, so widened here.
        self.matrix = np.frombuffer(
            b"".join(dequantize(raw) for _, raw in rows), dtype="<f4"
        ).reshape(len(rows), -1)

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        cosine = self.matrix @ np.asarray(vector, dtype="<f4")
        top = np.argpartition(-cosine, min(k, len(cosine) - 1))[:k]
        top = top[np.argsort(-cosine[top])]
        return [(int(self.ids[i]), float(cosine[i])) for i in top]

    def count(self) -> int:
        return len(self.ids)


# --- The baselines -------------------------------------------------------------------------------


class Bm25:
    """BM25 of a résumé's most distinctive words through the store's FTS5 index."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.frequency: dict[str, int] = {}
        with store.engine.connect() as connection:
            self.documents = int(
                connection.execute(text("SELECT count(*) FROM search_fts")).scalar() or 0
            )

    def _df(self, word: str) -> int:
        if word not in self.frequency:
            with self.store.engine.connect() as connection:
                found = connection.execute(
                    text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :q"),
                    {"q": f'"{word}"'},
                ).scalar()
                self.frequency[word] = int(found or 0)
        return self.frequency[word]

    def words(self, resume: str) -> list[str]:
        counts = Counter(
            w for w in re.findall(r"[a-z][a-z0-9]+", resume.lower()) if len(w) > 2 and w not in STOP
        )
        scored = {
            w: tf * math.log((self.documents + 1) / (self._df(w) + 1))
            for w, tf in counts.items()
            if self._df(w)
        }
        return sorted(scored, key=lambda w: -scored[w])[:BM25_WORDS]

    def rank(self, resume: str, job_ids: list[str] | None = None, k: int = 10) -> list[str]:
        """Best first: among ``job_ids``, or over the open cluster heads (top ``k``)."""
        expression = " OR ".join(f'"{w}"' for w in self.words(resume))
        sql = (
            "SELECT d.job_id FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH :q AND "
        )
        with self.store.engine.connect() as connection:
            if job_ids is not None:
                query = text(
                    sql + "d.job_id IN :ids ORDER BY bm25(search_fts, 8.0, 2.0, 3.0, 1.0)"
                ).bindparams(bindparam("ids", expanding=True))
                rows = connection.execute(query, {"q": expression, "ids": job_ids})
                found = [row[0] for row in rows]
                return found + [j for j in job_ids if j not in found]
            rows = connection.execute(
                text(sql + "d.is_head ORDER BY bm25(search_fts, 8.0, 2.0, 3.0, 1.0) LIMIT :k"),
                {"q": expression, "k": k},
            )
            return [row[0] for row in rows]


def by_similarity(fits: list[Fit]) -> list[str]:
    return [f.candidate.job_id for f in sorted(fits, key=lambda f: -(f.candidate.similarity or 0))]


def by_vector(engine: SearchEngine, vector: np.ndarray, job_ids: list[str] | None) -> list[str]:
    """Job ids by cosine with ``vector``: among ``job_ids``, or the 10 nearest open heads."""
    with engine.store.engine.connect() as connection:
        if job_ids is None:
            nearest = dict(engine.vectors.nearest(vector, 200))  # type: ignore[union-attr]
            open_heads = connection.execute(
                text(
                    "SELECT id, job_id FROM search_documents WHERE id IN :ids AND is_head"
                ).bindparams(bindparam("ids", expanding=True)),
                {"ids": list(nearest)},
            )
            heads: dict[int, str] = {doc_id: job_id for doc_id, job_id in open_heads}
            return [heads[i] for i in sorted(heads, key=lambda i: -nearest[i])][:10]
        rows = connection.execute(
            text("SELECT job_id, vector FROM embeddings WHERE job_id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": job_ids},
        ).all()
    cosine = {
        job_id: float(np.frombuffer(dequantize(raw), dtype="<f4") @ vector) for job_id, raw in rows
    }
    return sorted(job_ids, key=lambda j: -cosine.get(j, -1.0))


def combined(fits: list[Fit], weights: Weights) -> list[str]:
    """Job ids by the fit under other weights (the parts do not change with the weights)."""

    def total(fit: Fit) -> float:
        used = {n: getattr(weights, n) for n in fit.parts}
        if fit.candidate.similarity is None:
            used["semantic"] = 0.0
        return sum(fit.parts[n] * used[n] for n in fit.parts) / (sum(used.values()) or 1.0)

    return [f.candidate.job_id for f in sorted(fits, key=lambda f: (-total(f), f.candidate.job_id))]


# --- Fitting the weights ------------------------------------------------------------------------

Fitter = Callable[[dict[str, list[Fit]], dict[str, dict[str, int]]], Weights]
PARTS = [f.name for f in dataclasses.fields(Weights)]


def features(fits: list[Fit]) -> np.ndarray:
    # A part a pair lacks (no location on the résumé) counts as its neutral middle.
    return np.array([[fit.parts.get(part, 0.7) for part in PARTS] for fit in fits])


def as_weights(coefficients: np.ndarray) -> Weights:
    """Positive weights summing to 5 (only their ratios rank), rounded."""
    positive = np.maximum(coefficients, 0.0)
    scale = 5.0 / (positive.sum() or 1.0)
    return Weights(**{p: round(float(w * scale), 2) for p, w in zip(PARTS, positive, strict=True)})


def least_squares(alpha: float) -> Fitter:
    """The grades on the parts, weights kept positive; ``alpha`` > 0 is a ridge penalty."""

    def fit(fits: dict[str, list[Fit]], judged: dict[str, dict[str, int]]) -> Weights:
        x = np.vstack([features(fits[n]) for n in fits])
        y = np.array([judged[n][f.candidate.job_id] for n in fits for f in fits[n]])
        model = Ridge(alpha=alpha, positive=True) if alpha else LinearRegression(positive=True)
        return as_weights(model.fit(x, y).coef_)

    return fit


def pairwise(c: float) -> Fitter:
    """Logistic regression on the differences of the parts of two jobs of one résumé graded
    apart (which is the better?): the order nDCG rewards, not the grades themselves."""

    def fit(fits: dict[str, list[Fit]], judged: dict[str, dict[str, int]]) -> Weights:
        differences, better = [], []
        for name, found in fits.items():
            x, grades = features(found), [judged[name][f.candidate.job_id] for f in found]
            for i, j in itertools.combinations(range(len(found)), 2):
                if grades[i] != grades[j]:
                    differences += [x[i] - x[j], x[j] - x[i]]
                    better += [grades[i] > grades[j], grades[j] > grades[i]]
        model = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
        return as_weights(model.fit(np.array(differences), np.array(better)).coef_[0])

    return fit


FITTERS: dict[str, Fitter] = {
    "least squares, positive": least_squares(0.0),
    **{f"ridge, positive, alpha {a:g}": least_squares(a) for a in (3.0, 10.0, 30.0)},
    **{f"pairwise logistic, C {c:g}": pairwise(c) for c in (0.1, 1.0)},
}


def cross_validated(
    fitter: Fitter, fits: dict[str, list[Fit]], judged: dict[str, dict[str, int]]
) -> float:
    """Mean re-ranking nDCG@10 of each résumé under the weights fitted on the others."""
    values = []
    for name in fits:
        weights = fitter({n: f for n, f in fits.items() if n != name}, judged)
        values.append(ndcg(combined(fits[name], weights), judged[name]))
    return statistics.mean(values)


# --- The report ----------------------------------------------------------------------------------


def profile_accuracy(profiles: dict[str, Profile], truth: list[dict[str, Any]]) -> None:
    rows = [row for row in truth if row["resume"] in profiles]
    if not rows:
        return
    years = ml = seniority = 0
    tp = fp = fn = 0
    for row in rows:
        found = profiles[row["resume"]]
        years += abs(found.years_total - row["years_total"]) <= 1
        ml += abs(found.years_ml - row["years_ml"]) <= 1
        seniority += found.seniority == row["seniority"]
        have, want = set(found.skill_names), set(row["skills"])
        tp, fp, fn = tp + len(have & want), fp + len(have - want), fn + len(want - have)
    precision, recall = tp / ((tp + fp) or 1), tp / ((tp + fn) or 1)
    f1 = 2 * precision * recall / ((precision + recall) or 1)
    n = len(rows)
    print(f"\nProfile extraction on {n} résumés")
    print(f"  years_total within 1   {years / n:.2f}   ({years}/{n})")
    print(f"  years_ml within 1      {ml / n:.2f}   ({ml}/{n})")
    print(f"  seniority accuracy     {seniority / n:.2f}   ({seniority}/{n})")
    print(f"  skills micro P/R/F1    {precision:.2f} / {recall:.2f} / {f1:.2f}")


def kappa(truth: np.ndarray, predicted: np.ndarray, k: int = 4) -> float:
    """Quadratic-weighted Cohen's kappa of two gradings 0..k-1."""
    observed = np.bincount(truth * k + predicted, minlength=k * k).reshape(k, k).astype(float)
    weights = (np.subtract.outer(np.arange(k), np.arange(k)) ** 2) / (k - 1) ** 2
    expected = np.outer(observed.sum(1), observed.sum(0)) / max(1, len(truth))
    return float(1 - (weights * observed).sum() / ((weights * expected).sum() or 1.0))


def grade_of_band(band: str) -> int:
    return 3 - BAND_NAMES.index(band)


def calibrate(pairs: list[tuple[float, int]]) -> tuple[float, tuple[float, float, float]]:
    """The three thresholds (strong ≥ a, good ≥ b, stretch ≥ c) with the best kappa."""
    scores = np.array([score for score, _ in pairs])
    truth = np.array([grade for _, grade in pairs])
    grid = [round(float(x), 3) for x in np.arange(0.40, 0.90, 0.005)]
    best: tuple[float, tuple[float, float, float]] = (-1.0, (0.0, 0.0, 0.0))
    for c, b, a in itertools.combinations(grid, 3):
        predicted = 3 - (scores < a).astype(int) - (scores < b) - (scores < c)
        value = kappa(truth, predicted)
        if value > best[0]:
            best = (value, (a, b, c))
    return best


def confusion(pairs: list[tuple[float, int]], bands: tuple[float, ...]) -> None:
    table_ = Counter((grade, grade_of_band(band_of(score, bands))) for score, grade in pairs)
    print(f"  {'grade / band':<14}" + "".join(f"{name:>9}" for name in BAND_NAMES))
    for grade in (3, 2, 1, 0):
        cells = "".join(f"{table_[(grade, 3 - i)]:>9}" for i in range(4))
        print(f"  {grade:<14}{cells}")
    truth = np.array([g for _, g in pairs])
    predicted = np.array([grade_of_band(band_of(s, bands)) for s, _ in pairs])
    exact = float((truth == predicted).mean()) if len(pairs) else 0.0
    print(f"  exact {exact:.2f}, quadratic-weighted kappa {kappa(truth, predicted):.3f}")


def shares_of(top20: dict[str, list[Fit]], bands: tuple[float, ...]) -> str:
    """Each band's share of the résumés' top 20s under ``bands``."""
    shares = Counter(band_of(fit.score, bands) for found in top20.values() for fit in found)
    every = sum(shares.values()) or 1
    return ", ".join(f"{band} {shares[band] / every:.0%}" for band in BAND_NAMES)


def table(title: str, names: list[str], scores: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    splits = {"all": names, **{h: [n for n in names if half(n) == h] for h in ("tune", "holdout")}}
    for low, high in HOLDOUT_BATCHES:
        batch = [n for n in splits["holdout"] if low <= number_of(n) <= high]
        if batch and len(batch) < len(splits["holdout"]):
            splits[f"holdout r{low:02}–r{high}"] = batch
    print(f"  {'system':<18}" + "".join(f"{s} (n={len(v)})".rjust(24) for s, v in splits.items()))
    for system, per in scores.items():
        cells = []
        for members in splits.values():
            values = [per[n] for n in members if n in per]
            cells.append(f"{statistics.mean(values):.3f}".rjust(24) if values else "—".rjust(24))
        print(f"  {system:<18}" + "".join(cells))


def per_resume(names: list[str], scores: dict[str, dict[str, float]]) -> None:
    """Each résumé's re-ranking nDCG@10 by system, worst fit first within each half: where the
    fit goes wrong (read on the tune half; the held-out rows are for the report only)."""
    print("\nRe-ranking nDCG@10 by résumé, worst fit first")
    print(f"  {'résumé':<44}{'half':<9}" + "".join(f"{s:>18}" for s in scores))
    for name in sorted(names, key=lambda n: (half(n) != "tune", scores["fit"].get(n, 0.0))):
        cells = "".join(f"{scores[s].get(name, float('nan')):>18.3f}" for s in scores)
        print(f"  {name.removesuffix('.md'):<44}{half(name):<9}" + cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("all", "tune", "holdout"), default="all")
    parser.add_argument("--tune", action="store_true", help="fit the weights (tune half)")
    parser.add_argument("--calibrate", action="store_true", help="fit the bands (tune half)")
    parser.add_argument("--no-latency", action="store_true")
    args = parser.parse_args()

    home = Path(os.environ.get("LEADBOARD_HOME", "/work/bench-home"))
    # Read-only at the SQLite level, and without Store.open's migrations: nothing can be written.
    store = Store(make_engine(f"sqlite:///file:{home / 'leadboard.db'}?mode=ro&uri=true"))
    embedder = default_embedder()  # $LEADBOARD_EMBEDDING_MODEL chooses
    vectors = ExactVectors(store, embedder.version)
    engine = SearchEngine(store, embedder=embedder, vectors=vectors)  # type: ignore[arg-type]
    matcher = Matcher(engine)
    judged: dict[str, dict[str, int]] = {}
    from_matchers: set[str] = set()
    shown: set[tuple[str, str]] = set()  # pairs pooled from a matcher's top 20
    for row in read_jsonl(HERE / "judgments.jsonl"):
        judged.setdefault(row["resume"], {})[row["job_id"]] = int(row["grade"])
        if any(method.startswith("fit-") for method in row["pool"]):
            from_matchers.add(row["resume"])
            shown.add((row["resume"], row["job_id"]))
    names = sorted(n for n in judged if (HERE / n).is_file())
    if args.split != "all":
        names = [n for n in names if half(n) == args.split]
    print(f"{len(names)} résumés, {sum(len(judged[n]) for n in names)} judgments; store {home}")

    bm25 = Bm25(store)
    profiles: dict[str, Profile] = {}
    fits: dict[str, list[Fit]] = {}
    top20: dict[str, list[Fit]] = {}
    systems = ("fit", "embedding", "embedding (text)", "BM25")
    rerank: dict[str, dict[str, float]] = {system: {} for system in systems}
    corpus: dict[str, dict[str, float]] = {s: {} for s in rerank}
    coverage: dict[str, dict[str, float]] = {s: {} for s in rerank}
    for name in names:
        raw = (HERE / name).read_bytes()
        resume = resume_text(raw, name)
        profile = profiles[name] = matcher.read(raw, name)
        grades = judged[name]
        job_ids = sorted(grades)
        fits[name] = matcher.fit(profile, job_ids)
        text_vector = engine.embedder.encode([resume])[0]  # type: ignore[union-attr]
        ranked = {
            "fit": [f.candidate.job_id for f in fits[name]],
            "embedding": by_similarity(fits[name]),
            "embedding (text)": by_vector(engine, text_vector, job_ids),
            "BM25": bm25.rank(resume, job_ids),
        }
        ranked["fit"] = combined(fits[name], matcher.weights)
        top20[name] = matcher.match(profile, ANY_FAMILY, limit=20).results
        top = {
            "fit": [f.job["id"] for f in top20[name][:10]],
            "embedding": by_vector(engine, matcher.vector(profile), None),  # type: ignore[arg-type]
            "embedding (text)": by_vector(engine, text_vector, None),
            "BM25": bm25.rank(resume),
        }
        for system in rerank:
            rerank[system][name] = ndcg(ranked[system], grades)
            corpus[system][name] = ndcg(top[system], grades)
            coverage[system][name] = sum(j in grades for j in top[system][:10]) / 10

    table("nDCG@10, re-ranking each résumé's judged jobs", names, rerank)
    table("nDCG@10 over the whole corpus (unjudged = 0)", names, corpus)
    table("judged@10 over the whole corpus", names, coverage)
    # The résumés whose pools are the matchers' own top 20s: their top 10s are (nearly) all
    # judged, so the whole-corpus figure is meaningful for them.
    pooled = [n for n in names if n in from_matchers]
    if pooled:
        title = f"nDCG@10 over the whole corpus, the {len(pooled)} résumés pooled from the matchers"
        table(title, pooled, {s: {n: corpus[s][n] for n in pooled} for s in corpus})
    per_resume(names, rerank)
    profile_accuracy(profiles, list(read_jsonl(HERE / "profiles.jsonl")))

    pairs = {
        name: [(fit.score, judged[name][fit.candidate.job_id]) for fit in fits[name]]
        for name in names
    }
    held_out = [pair for name in names if half(name) == "holdout" for pair in pairs[name]]
    if held_out:
        print(f"\nVerdict bands {BANDS} against the grades, held-out pairs (n={len(held_out)})")
        confusion(held_out, BANDS)
        held_seen = [
            (fit.score, judged[name][fit.candidate.job_id])
            for name in names
            if half(name) == "holdout"
            for fit in fits[name]
            if (name, fit.candidate.job_id) in shown
        ]
        if held_seen:
            truth = np.array([grade for _, grade in held_seen])
            predicted = np.array([grade_of_band(band_of(score, BANDS)) for score, _ in held_seen])
            print(
                f"  the held-out pairs from the matchers' top 20s (n={len(held_seen)}): exact "
                f"{float((truth == predicted).mean()):.2f}, kappa {kappa(truth, predicted):.3f}"
            )
    print(f"  bands over each résumé's top 20: {shares_of(top20, BANDS)}")
    if args.calibrate:
        # The verdicts are read on a top 20: the bands are fitted on the tune pairs pooled from
        # the matchers' top 20s (pairs from lexical or random pools are mostly far below the
        # top and would set the bands for jobs nobody sees); the fit on every tune pair is
        # printed beside it.
        tune_names = [name for name in names if half(name) == "tune"]
        tuned = [pair for name in tune_names for pair in pairs[name]]
        seen = [
            (fit.score, judged[name][fit.candidate.job_id])
            for name in tune_names
            for fit in fits[name]
            if (name, fit.candidate.job_id) in shown
        ]
        value, bands = calibrate(tuned)
        print(f"\nBands fitted on every tune pair (n={len(tuned)}): {bands}, kappa {value:.3f}")
        value, bands = calibrate(seen)
        print(
            f"Bands fitted on the tune pairs from the matchers' top 20s (n={len(seen)}): {bands}, "
            f"kappa {value:.3f}"
        )
        if held_out:  # none under --split tune
            print(f"Held-out pairs under them (n={len(held_out)}):")
            confusion(held_out, bands)
            print(f"  bands over each résumé's top 20 under them: {shares_of(top20, bands)}")

    if args.tune:
        tune = [n for n in names if half(n) == "tune"]
        tune_fits = {n: fits[n] for n in tune}
        print(f"\nWeights fitted on the tune half ({len(tune)} résumés), leave-one-résumé-out:")
        print(f"  {'fit':<34}{'cross-validated':>16}{'in-sample':>11}")
        now = statistics.mean(ndcg(combined(fits[n], matcher.weights), judged[n]) for n in tune)
        # Fixed weights: nothing to refit, so the figure is the same (and flattering: they were
        # chosen looking at these résumés).
        print(f"  {'the matcher weights (chosen on it)':<34}{now:>16.3f}{now:>11.3f}")
        for label, fitter in FITTERS.items():
            value = cross_validated(fitter, tune_fits, judged)
            fitted = fitter(tune_fits, judged)
            mean = statistics.mean(ndcg(combined(fits[n], fitted), judged[n]) for n in tune)
            print(f"  {label:<34}{value:>16.3f}{mean:>11.3f}   {fitted}")

    if not args.no_latency:
        timings = []
        for _ in range(3):
            for name in names:
                raw = (HERE / name).read_bytes()
                start = time.perf_counter()
                matcher.match_file(raw, name, ANY_FAMILY, limit=20)
                timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p50 = timings[len(timings) // 2]
        p95 = timings[max(0, math.ceil(len(timings) * 0.95) - 1)]
        documents = vectors.count()
        print(
            f"\nLatency of a match over the whole corpus ({documents} indexed jobs), parsing "
            f"included: {len(timings)} matches, p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        )


if __name__ == "__main__":
    main()
