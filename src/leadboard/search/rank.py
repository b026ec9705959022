"""Learning to rank: the fused list's best candidates reordered by a LightGBM lambdarank model.

The hybrid search (``engine.py``) gathers candidates by words and by meaning and fuses them; its
best ``engine.RERANK`` are then described by the features below — how each retriever placed the
job, how much of the query its title holds, its level and family against the query's, its
ML-leadership probability, its own posting date, stated pay, whether it has a description at all
— and ordered by a model trained on the judged *tune* queries of ``bench/relevance/`` (``python -m
bench.bench_search train-ranker``; the held-out queries are never trained on). The model ships as
LightGBM's own text format in ``leadboard/data/models/rank/model.txt`` (no pickle), with the
feature names it was trained on; a model whose names differ from :data:`FEATURES` is not used.

>>> FEATURES[:3]
('lexical_rank', 'in_lexical', 'similarity')
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from leadboard.search.columns import DocumentColumns, Mask
    from leadboard.search.query import ParsedQuery
    from leadboard.search.terms import WordScores

log = logging.getLogger(__name__)
MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "models" / "rank"
FEATURES = (
    "lexical_rank",  # log(1 + rank) in the full-text list (absent: beyond it)
    "in_lexical",
    "similarity",  # cosine to the query's vector (0: not among the nearest)
    "fused",  # the hybrid's own score (RRF x signals x chips), x 100
    "fused_rank",  # log(1 + rank) in the hybrid's list
    "title_query",  # share of the query's words in the title
    "title_covered",  # share of the title's words in the query
    "title_only",  # no description: its title is all the full text has
    "ml_leadership",  # the role model's probability (NaN: not enriched)
    "is_ml_leadership",
    "level",  # the posting's level (ordinal; NaN unknown)
    "level_gap",  # |posting's level - the query's| (NaN: the query names none)
    "lead_query",  # the query asks for a lead, manager, head…
    "lead_title",  # the title says lead, manager, head…
    "age_days",  # from the posting's own date only (NaN: it gives none)
    "pay_stated",
    "chips_met",  # share of the typed chips the posting has (NaN: none typed)
    "query_words",
)
LEVELS = {
    "intern": 0,
    "junior": 1,
    "mid": 2,
    "senior": 3,
    "staff": 4,
    "principal": 5,
    "manager": 5,
    "director": 6,
    "executive": 7,
}
_LEAD = re.compile(
    r"\b(?:lead|leads|leader|leadership|manager|managers|management|head|director|vp|chief|"
    r"principal|staff|mgr|cto)\b",
    re.IGNORECASE,
)
_QUERY_LEVELS = {"lead": 5, "manager": 5, "mgr": 5, "head": 6, "director": 6, "vp": 7}


def candidate_features(
    columns: DocumentColumns,
    ranked: Sequence[tuple[int, float]],
    lexical: np.ndarray,
    semantic: dict[int, float],
    parsed: ParsedQuery,
    boosts: Sequence[Mask],
    words: WordScores,
) -> np.ndarray:
    """One row of :data:`FEATURES` a candidate of ``ranked`` (positions, fused score)."""
    lexical_rank = {int(p): rank for rank, p in enumerate(lexical.tolist())}
    query_tokens = set(words.tokenizer.tokens(parsed.text)) - _STOP_TOKENS
    lead_query = bool(_LEAD.search(parsed.raw))
    wanted = [LEVELS[v] for v in parsed.values("seniority") if v in LEVELS]
    wanted += [level for word, level in _QUERY_LEVELS.items() if word in parsed.raw.lower()]
    query_level = max(wanted) if wanted else math.nan
    now = time.time()
    rows = np.full((len(ranked), len(FEATURES)), np.nan, dtype=np.float64)
    titles = [columns.title[position] for position, _ in ranked]
    tokens = words.tokenizer.tokens_of(titles)
    for row, (position, fused) in enumerate(ranked):
        title = titles[row]
        title_tokens = set(tokens[row]) - _STOP_TOKENS
        shared = len(query_tokens & title_tokens)
        level = (
            LEVELS.get(columns.seniority.values[code], math.nan)
            if (code := int(columns.seniority.codes[position])) >= 0
            else math.nan
        )
        family = int(columns.role_family.codes[position])
        posted = float(columns.posted[position])
        rank = lexical_rank.get(position)
        rows[row] = (
            math.log1p(rank if rank is not None else 2 * len(lexical_rank) + 100),
            rank is not None,
            semantic.get(position, 0.0),
            fused * 100,
            math.log1p(row),
            shared / len(query_tokens) if query_tokens else 0.0,
            shared / len(title_tokens) if title_tokens else 0.0,
            bool(columns.title_only[position]),
            columns.ml_leadership[position],
            family >= 0 and columns.role_family.values[family] == "ml_leadership",
            level,
            abs(level - query_level),
            lead_query,
            bool(_LEAD.search(title)),
            (now - posted) / 86400 if posted > 0 else math.nan,
            columns.salary_currency.codes[position] >= 0,
            np.mean([mask[position] for mask in boosts]) if boosts else math.nan,
            len(query_tokens),
        )
    return rows


_STOP_TOKENS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to"})


@dataclass
class Ranker:
    """A trained model over :data:`FEATURES`: ``rerank`` reorders a fused list's head."""

    name: str
    model: object  # a lightgbm.Booster

    def scores(self, features: np.ndarray) -> np.ndarray:
        # One thread: a hundred rows take ~0.5 ms of CPU on one, where OpenMP's team of
        # threads took 3 ms of CPU and 12 ms of wall on busy cores (the same scores).
        return np.asarray(self.model.predict(features, num_threads=1), dtype=np.float64)  # type: ignore[attr-defined]  # lightgbm has no types

    def rerank(
        self, ranked: list[tuple[int, float]], features: np.ndarray, depth: int
    ) -> list[tuple[int, float]]:
        """The first ``depth`` of ``ranked`` in the model's order (its score as theirs, shifted
        above the rest's), the others after them as they were."""
        head = ranked[:depth]
        scores = self.scores(features)
        order = sorted(range(len(head)), key=lambda i: (-scores[i], i))
        ceiling = max((score for _, score in ranked[depth:]), default=0.0)
        top = scores - scores.min() + 1.0 + ceiling
        return [(head[i][0], float(top[i])) for i in order] + ranked[depth:]


@cache
def load_ranker(folder: Path = MODEL_DIR) -> Ranker | None:
    """The shipped model, or None where there is none (or LightGBM cannot load — its library
    needs the system's OpenMP, Debian's ``libgomp1`` — or the model's features are not
    :data:`FEATURES`): the hybrid's own order then stands, and the log says why."""
    path = folder / "model.txt"
    if not path.is_file():
        return None
    try:
        import lightgbm
    except (ImportError, OSError) as missing:  # pragma: no cover - a dependency; search goes on
        log.warning("the learned ranker is off: LightGBM does not load (%s)", missing)
        return None
    model = lightgbm.Booster(model_str=path.read_text())
    if tuple(model.feature_name()) != FEATURES:
        return None
    return Ranker(name=f"lambdarank:{path.stat().st_size}", model=model)


def train(
    groups: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    rounds: int = 100,  # 100, 200, 400 were as good in 4-fold CV on the tune queries
    seed: int = 13,
) -> str:
    """A lambdarank model from (features, grades 0-3) per query; returns its text form."""
    import lightgbm

    features = np.vstack([x for x, _ in groups])
    grades = np.concatenate([y for _, y in groups]).astype(np.int32)
    data = lightgbm.Dataset(
        features,
        label=grades,
        group=[len(y) for _, y in groups],
        feature_name=list(FEATURES),
        free_raw_data=False,
    )
    parameters = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "eval_at": [10],
        "learning_rate": 0.05,
        "num_leaves": 7,
        "min_data_in_leaf": 20,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "seed": seed,
        "deterministic": True,
        "num_threads": 1,
        "verbosity": -1,
    }
    model = lightgbm.train(parameters, data, num_boost_round=rounds)
    return str(model.model_to_string())
