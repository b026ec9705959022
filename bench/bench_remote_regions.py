"""Remote regions against the labelled set, labelled/postings/remote_regions: before and after.

Reads the 120 labelled remote postings of ``batch_1.jsonl`` from the shared dumps and runs the
location path of ``normalize_posting`` on each (``parse_location`` on the raw locations, the
source's workplace hint and regions, then ``resolve_remote`` on the cleaned description) twice in
one process: with ``normalize/location.py`` as it was at ``--baseline`` (default: the commit
before the region reading, 70b9457) and as it is in this tree. Prints, for each, over the
postings labelled remote (``not_remote`` ones are left out):

- restriction precision / recall: a posting counts as restricted when it gets a region other
  than "Anywhere"; a predicted restriction on a posting labelled ``unknown`` or ``anywhere`` is
  an invented one;
- exact region match: of the postings labelled restricted, those whose region set is the label's;
- the CPU seconds of the 120 parses (process time, best of three; cached gazetteer).

    .venv/bin/python -m bench.bench_remote_regions [--baseline REV] [--errors]

``--errors`` lists this tree's wrong postings (id, predicted, gold), to work from.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from leadboard.datasets import data_dir, read_jsonl
from leadboard.models import SourcePosting
from leadboard.normalize import location as this_tree
from leadboard.normalize.html import clean_description
from leadboard.sources.files import read_dump

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "labelled" / "postings" / "remote_regions" / "batch_1.jsonl"
BASELINE = "70b9457"


@dataclass
class Case:
    """One labelled posting, as the location path reads it."""

    id: str
    label: str
    regions: list[str]
    locations: list[str]
    workplace_type: str | None
    source_regions: list[str]
    text: str


def cases() -> list[Case]:
    """The labelled postings found in the shared dumps, in the labels' order."""
    labels = list(read_jsonl(LABELS))
    by_dump: dict[str, set[str]] = {}
    for label in labels:
        by_dump.setdefault(label["dump"], set()).add(label["id"])
    found: dict[str, SourcePosting] = {}
    for dump, wanted in by_dump.items():
        for item in read_dump(data_dir() / "postings" / dump / "postings.jsonl"):
            if isinstance(item, SourcePosting):
                key = item.payload.get("id") or item.external_id
                if key in wanted:
                    found[key] = item
    out = []
    for label in labels:
        posting = found.get(label["id"])
        if posting is None or label["label"] == "not_remote":
            continue
        text = clean_description(posting.description, posting.description_format).text
        out.append(
            Case(
                id=label["id"],
                label=label["label"],
                regions=label["remote_regions"],
                locations=[loc.strip() for loc in posting.locations if loc and loc.strip()],
                workplace_type=posting.workplace_type,
                source_regions=posting.remote_regions,
                text=text,
            )
        )
    return out


def load_baseline(revision: str) -> ModuleType:
    """``normalize/location.py`` as it was at ``revision``, imported under another name."""
    source = subprocess.run(
        ["git", "show", f"{revision}:src/leadboard/normalize/location.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="bench-remote-regions-"))
    path = folder / "location_baseline.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("location_baseline", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["location_baseline"] = module
    spec.loader.exec_module(module)
    return module


def predict(module: Any, case: Case) -> tuple[str, list[str]]:
    """(policy, remote regions) the module's location path gives the posting."""
    location = module.parse_location(case.locations, case.workplace_type, case.source_regions)
    location = module.resolve_remote(location, case.text)
    return location.remote, list(location.remote_regions)


def restricted(regions: list[str]) -> bool:
    return any(region != "Anywhere" for region in regions)


def report(name: str, module: Any, data: list[Case], errors: bool) -> None:
    predictions = [predict(module, case) for case in data]
    gold = [case.label == "restricted" for case in data]
    said = [restricted(regions) for _, regions in predictions]
    hits = sum(g and s for g, s in zip(gold, said, strict=True))
    invented = sum(s and not g for g, s in zip(gold, said, strict=True))
    exact = sum(
        g and set(regions) == set(case.regions)
        for g, case, (_, regions) in zip(gold, data, predictions, strict=True)
    )
    anywhere = sum(
        case.label == "anywhere" and regions == ["Anywhere"]
        for case, (_, regions) in zip(data, predictions, strict=True)
    )
    timings = []
    for _ in range(3):
        module.parse_location.__globals__["_parse_string"].cache_clear()
        start = time.process_time()
        for case in data:
            predict(module, case)
        timings.append(time.process_time() - start)
    precision = hits / max(1, sum(said))
    recall = hits / max(1, sum(gold))
    print(f"\n{name}: {len(data)} remote postings, {sum(gold)} labelled restricted")
    print(f"  restriction  P {precision:.3f}  R {recall:.3f}  ({invented} invented)")
    print(f"  exact region match  {exact}/{sum(gold)} = {exact / max(1, sum(gold)):.3f}")
    print(f"  'anywhere' read     {anywhere}/{sum(case.label == 'anywhere' for case in data)}")
    best = min(timings)
    print(f"  CPU {best * 1000:.1f} ms for the {len(data)} ({best / len(data) * 1e6:.0f} µs each)")
    if errors:
        for case, (policy, regions) in zip(data, predictions, strict=True):
            if set(regions) != set(case.regions) and (
                case.label == "restricted" or restricted(regions)
            ):
                print(f"    {case.id}: {policy} {regions} | gold {case.label} {case.regions}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--baseline", default=BASELINE, metavar="REV")
    parser.add_argument("--errors", action="store_true", help="list this tree's wrong postings")
    args = parser.parse_args(argv)
    data = cases()
    report(f"baseline {args.baseline}", load_baseline(args.baseline), data, errors=False)
    report("this tree", this_tree, data, errors=args.errors)


if __name__ == "__main__":
    main()
