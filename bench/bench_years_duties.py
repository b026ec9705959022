"""Years and duties extractors against the second labelled set, labelled/postings/years_duties.

Enriches the 240 postings of ``batch_1.jsonl`` with the rules (no role model, no embeddings: the
same text path as ``leadboard eval``) and prints, for the set split in two by the same hash rule
as ``dev.jsonl`` (``split_of``: develop on "tune", only check "holdout" at the end) and for all of
it: ``years_min`` exact match, duties micro precision / recall / F1, and P/R/F1 per duty. Then the
CPU cost of the segmenter and of the two extractors on its segments, in ms a posting over the
set's texts (best of three runs).

    .venv/bin/python -m bench.bench_years_duties [--errors tune]

``--errors tune`` also lists that half's wrong postings (id, predicted, gold), to work from.
Postings the enricher refuses (the HN posts have no title) count as predicting nothing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from leadboard.datasets import data_dir, posting_files, read_jsonl, split_of
from leadboard.enrich.duties import DUTIES, extract_duties
from leadboard.enrich.enricher import NOT_A_POSTING, Enricher
from leadboard.enrich.segments import Segments
from leadboard.enrich.years import extract_years
from leadboard.eval.metrics import exact_match, set_scores
from leadboard.normalize.html import clean_description

LABELS = (
    Path(__file__).resolve().parents[1] / "labelled" / "postings" / "years_duties" / "batch_1.jsonl"
)


def labelled_rows() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(posting row, label) for each labelled posting found in the shared dumps."""
    labels = list(read_jsonl(LABELS))
    wanted = {label["id"] for label in labels}
    postings: dict[str, dict[str, Any]] = {}
    for path in posting_files():
        for row in read_jsonl(path):
            if row.get("id") in wanted:
                postings[row["id"]] = row
    return [(postings[label["id"]], label) for label in labels if label["id"] in postings]


def report(name: str, predictions: list[Any], labels: list[dict[str, Any]]) -> None:
    """One block of figures for a part of the set."""
    years = exact_match(
        [label["years_min"] for label in labels], [p.years_min for p in predictions]
    )
    scores = set_scores([label["duties"] for label in labels], [p.duties for p in predictions])
    print(f"\n{name}: {len(labels)} postings")
    print(f"  years_min exact   {years:.3f}")
    print(
        f"  duties micro      P {scores.precision:.3f}  R {scores.recall:.3f}  F1 {scores.f1:.4f}"
    )
    for duty in DUTIES:
        one = scores.per_label.get(duty)
        p, r, f = (one.precision, one.recall, one.f1) if one else (0.0, 0.0, 0.0)
        print(f"    {duty:<20} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")


def print_errors(predictions: list[Any], labels: list[dict[str, Any]]) -> None:
    """Each posting whose years_min or duties disagree with its label."""
    for prediction, label in zip(predictions, labels, strict=True):
        gold = set(label["duties"])
        guessed = set(prediction.duties)
        if prediction.years_min != label["years_min"]:
            print(f"{label['id']}: years_min {prediction.years_min} != {label['years_min']}")
        if guessed != gold:
            print(f"{label['id']}: duties +{sorted(guessed - gold)} -{sorted(gold - guessed)}")


def ms_per_posting(texts: list[str], titles: list[str | None]) -> list[float]:
    """The best of three runs over the texts, in ms a posting: the segmenter (which the enricher
    runs once for every extractor), then each extractor on its segments."""
    segment_runs, years_runs, duties_runs = [], [], []
    for _ in range(3):
        start = time.perf_counter()
        segmented = [Segments(text) for text in texts]
        segment_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        for text, segments in zip(texts, segmented, strict=True):
            extract_years(text, segments)
        years_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        for text, title, segments in zip(texts, titles, segmented, strict=True):
            extract_duties(text, title, segments)
        duties_runs.append(time.perf_counter() - start)
    return [1000 * min(runs) / len(texts) for runs in (segment_runs, years_runs, duties_runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=["tune", "holdout"], help="list that half's errors")
    args = parser.parse_args()
    pairs = labelled_rows()
    if not pairs:
        raise SystemExit(f"no labelled postings found under {data_dir()} (set LEADBOARD_DATA_DIR)")
    predictions = Enricher(role_model=None).enrich_batch([row for row, _ in pairs])
    labels = [label for _, label in pairs]
    # The enricher refuses a row without a title (the HN posts): no years and no duties for it,
    # as in ``leadboard eval``.
    refused = sum(any(r.startswith(NOT_A_POSTING) for r in p.reasons) for p in predictions)
    print(f"{len(pairs)} labelled postings, {refused} refused by the enricher (no title)")
    for half in ("tune", "holdout"):
        chosen = [i for i, label in enumerate(labels) if split_of(label["id"]) == half]
        report(half, [predictions[i] for i in chosen], [labels[i] for i in chosen])
    report("all", predictions, labels)
    if args.errors:
        chosen = [i for i, label in enumerate(labels) if split_of(label["id"]) == args.errors]
        print(f"\nerrors ({args.errors}):")
        print_errors([predictions[i] for i in chosen], [labels[i] for i in chosen])
    rows = [row for row, _ in pairs]
    texts = [
        clean_description(r.get("description"), r.get("description_format")).text for r in rows
    ]
    segments_ms, years_ms, duties_ms = ms_per_posting(texts, [row.get("title") for row in rows])
    print(
        f"\ntiming over {len(texts)} postings: segments {segments_ms:.2f} ms, "
        f"years {years_ms:.2f} ms, duties {duties_ms:.2f} ms"
    )


if __name__ == "__main__":
    main()
