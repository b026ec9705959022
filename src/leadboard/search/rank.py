"""Learning to rank: the fused list's best candidates reordered by a LightGBM lambdarank model.

The hybrid search (``engine.py``) gathers candidates by words and by meaning and fuses them; its
best ``engine.RERANK`` are then described by the features below — how each retriever placed the
job and how far below the best candidate, how much of the query its title holds (short forms
read as their spelt-out phrases: "VP, ML" holds "vice president of machine learning"), the level
its title and its enrichment name against the query's, a function its title names that the query
does not (product, sales, design…), its ML-leadership probability, its own posting date, stated
pay, whether it has a description at all — and ordered by a model trained on the judged *tune*
queries of ``bench/relevance/`` (``python -m bench.bench_search train-ranker``, which first
cross-validates it on them; the held-out queries are never trained on). The model ships as
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
from functools import cache, lru_cache
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
    "title_concepts",  # share of the query's concepts in the title (see _concepts)
    "title_topic",  # ... of those that are not a level word (NaN: the query has only those)
    "title_level",  # the highest level the title's own words name (NaN: none)
    "title_level_gap",  # |title_level - the query's level words'| (NaN: either names none)
    "level_word_met",  # share of the query's level words in the title (NaN: it has none)
    "off_function",  # the title names a function the query does not (product, sales, design…)
    "query_function",  # the query names such a function itself
    "similarity_rel",  # similarity - the best candidate's
    "fused_rel",  # fused / the best candidate's
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
# Spelt-out phrases and their short forms read as one concept (FTS5's porter tokens), so that
# "vp of machine learning" meets "Vice President, ML" in a title; the longest phrase first.
_PHRASES = (
    (("natur", "languag", "process"), "nlp"),
    (("larg", "languag", "model"), "llm"),
    (("machin", "learn"), "ml"),
    (("artifici", "intellig"), "ai"),
    (("vice", "presid"), "vp"),
    (("comput", "vision"), "cv"),
    (("recommend", "system"), "recsi"),
    (("deep", "learn"), "dl"),
    (("gener", "ai"), "genai"),
    (("recommend",), "recsi"),
)
_STARTING: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _short in _PHRASES:
    _STARTING.setdefault(_phrase[0], []).append((_phrase, _short))
del _phrase, _short
_SAME = {"mgr": "manag", "eng": "engin", "sr": "senior", "scientist": "scienc", "mle": "ml"}
_LEVEL_WORDS = {
    "intern": 0,
    "junior": 1,
    "jr": 1,
    "senior": 3,
    "staff": 4,
    "princip": 5,
    "lead": 5,
    "leader": 5,
    "manag": 5,
    "head": 6,
    "director": 6,
    "vp": 7,
    "chief": 7,
    "cto": 7,
}
# Functions other than building or researching: a title that names one the query does not is
# another job ("Product Manager, Machine Learning" for "machine learning manager").
_FUNCTIONS = frozenset(
    [
        "product",
        "market",
        "sale",
        "account",
        "recruit",
        "counsel",
        "design",
        "writer",
        "program",
        "oper",
        "financ",
        "legal",
        "support",
        "partner",
        "success",
        "custom",
        "polici",
        "commun",
        "secur",
        "hr",
        "peopl",
        "talent",
        "analyst",
        "solut",
        "deploy",
        "gtm",
        "busi",
        "strategi",
        "content",
        "fellow",
    ]
)


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
    # The query's words with its level words, which its parse took out as a chip ("vp of ...").
    levels = [chip.source for chip in parsed.chips if chip.kind == "seniority"]
    concepts = _concepts(words.tokenizer.tokens(" ".join([parsed.text, *levels])))
    level_words = {c for c in concepts if c in _LEVEL_WORDS}
    topic = concepts - level_words
    words_level = max((_LEVEL_WORDS[c] for c in level_words), default=math.nan)
    functions = concepts & _FUNCTIONS
    best_similarity = max(semantic.values(), default=0.0)
    best_fused = max((fused for _, fused in ranked), default=0.0) or 1.0
    now = time.time()
    rows = np.full((len(ranked), len(FEATURES)), np.nan, dtype=np.float64)
    titles = [columns.title[position] for position, _ in ranked]
    tokens = words.tokenizer.tokens_of(titles)
    for row, (position, fused) in enumerate(ranked):
        title = titles[row]
        title_tokens = set(tokens[row]) - _STOP_TOKENS
        title_concepts = _concepts(tokens[row])
        title_level = max(
            (_LEVEL_WORDS[c] for c in title_concepts if c in _LEVEL_WORDS), default=math.nan
        )
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
            len(concepts & title_concepts) / len(concepts) if concepts else 0.0,
            len(topic & title_concepts) / len(topic) if topic else math.nan,
            title_level,
            abs(title_level - words_level),
            len(level_words & title_concepts) / len(level_words) if level_words else math.nan,
            bool((title_concepts & _FUNCTIONS) - functions),
            bool(functions),
            semantic.get(position, 0.0) - best_similarity,
            fused / best_fused,
        )
    return rows


@lru_cache(maxsize=16_384)  # titles recur query after query: their concepts are kept (~5 MB)
def _concepts(tokens: tuple[str, ...]) -> frozenset[str]:
    """The concepts of a text's tokens: phrases and their short forms as one (``_PHRASES``,
    ``_SAME``), stop words left out.

    >>> from leadboard.search.terms import Tokenizer
    >>> sorted(_concepts(Tokenizer().tokens("VP of Machine Learning")))
    ['ml', 'vp']
    >>> sorted(_concepts(Tokenizer().tokens("vice president, ML eng mgr")))
    ['engin', 'manag', 'ml', 'vp']
    """
    found: set[str] = set()
    index = 0
    while index < len(tokens):
        for phrase, short in _STARTING.get(tokens[index], ()):
            if tokens[index : index + len(phrase)] == phrase:
                found.add(short)
                index += len(phrase)
                break
        else:
            found.add(_SAME.get(tokens[index], tokens[index]))
            index += 1
    return frozenset(found - _STOP_TOKENS)


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
    **options: object,
) -> str:
    """A lambdarank model from (features, grades 0-3) per query; returns its text form.
    ``options``: LightGBM parameters in place of the defaults below."""
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
    } | options
    model = lightgbm.train(parameters, data, num_boost_round=rounds)
    return str(model.model_to_string())
