"""Feed every parser of outside input ≥ 100,000 generated hostile inputs; print crashes and times.

    .venv/bin/python -m bench.fuzz_parsers [--inputs 100000] [--seed 12] [--big 40]

Inputs are random (unicode, control characters, the characters each parser cares about) and
adversarial (long repeats, deep nesting, huge numbers, unterminated markup and quotes), from 10
bytes to 1 MB. A crash is any exception but the parser's documented one; the run prints each
distinct crash (must be 0) and, per parser, the worst seconds per MB over inputs of 64 kB or more
(where time per MB means something) and the slowest single input.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leadboard.match.profile import read_profile
from leadboard.normalize.dates import parse_datetime
from leadboard.normalize.html import clean_description, html_to_text
from leadboard.normalize.location import find_workplace_signal, parse_location
from leadboard.normalize.salary import find_salary_in_text, parse_salary_text
from leadboard.normalize.title import clean_title
from leadboard.search.query import parse_amount, parse_query
from leadboard.sources.files import DumpFormatError, read_dump
from leadboard.sources.jsonld import parse_jsonld_page

PIECES = [
    "$",
    "€",
    "₹",
    "£",
    "CHF ",
    "k",
    " LPA",
    ",",
    ".",
    "'",
    "\u202f",
    "-",
    "–",
    "/",
    " ",
    "\n",
    "\t",
    "\x00",
    "\x1b[2J",
    "<",
    ">",
    "</",
    '<div class="',
    "<script>",
    "&amp;",
    "&#x",
    '"',
    "\\",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "up to ",
    "per month",
    "remote",
    "hybrid",
    "Senior ",
    "2020",
    "Jan ",
    "– present",
    "Python",
    "9" * 40,
    "\u200b",
    "\ufeff",
    "𝟗",
    "\ud7ff",
    "١٢٣",
    "lakh",
    "@type",
    "JobPosting",
    "http://",
    "javascript:",
]
NEST_OPEN = ["[", "{", '{"a":', "<div>", "(", "<b><i>", "[[{"]
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def random_text(rng: random.Random, size: int) -> str:
    """Pieces and random code points, about ``size`` characters."""
    out: list[str] = []
    length = 0
    while length < size:
        if rng.random() < 0.3:
            piece = "".join(
                chr(rng.choice([rng.randrange(32, 0x2FF), rng.randrange(0, 0x10FFFF)]))
                for _ in range(rng.randint(1, 8))
            )
            piece = piece.encode("utf-8", "replace").decode("utf-8", "replace")
        else:
            piece = rng.choice(PIECES)
        out.append(piece)
        length += len(piece)
    return "".join(out)[:size]


def adversarial_text(rng: random.Random, size: int) -> str:
    kind = rng.randrange(6)
    if kind == 0:  # one piece repeated
        piece = rng.choice(PIECES + ["1,", "1 ", "1'", "$1 / ", "a" * 3])
        return piece * max(1, size // len(piece))
    if kind == 1:  # deep nesting, unclosed or closed
        opener = rng.choice(NEST_OPEN)
        depth = max(1, size // (2 * len(opener)))
        return opener * depth + ("]" * depth if rng.random() < 0.5 else "")
    if kind == 2:  # a huge number, plain or grouped
        return rng.choice(["", "$", "€", "₹"]) + rng.choice(["9", "1,", "12,", "9."]) * (size // 2)
    if kind == 3:  # control characters and invisible ones
        return "".join(rng.choice("\x00\x01\x1b\x7f\u200b\u202e\ufeff\r\n\t ") for _ in range(size))
    if kind == 4:  # unterminated quotes, tags, comments, entities
        return rng.choice(['"', "<!--", "<![CDATA[", "&", "<a href='", "\\"]) * (size // 2)
    return random_text(rng, size)


def jsonl_dump(text: str, rng: random.Random) -> bytes:
    record = {
        "id": "x",
        "title": text[:200],
        "description": text,
        "company": "c",
        "salary_text": text[:300],
        "location": text[:100],
        "extra": {"k": text[:50]},
    }
    lines = [json.dumps(record), text.replace("\n", " "), json.dumps({"job_url": text[:50]})]
    rng.shuffle(lines)
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def csv_dump(text: str, rng: random.Random) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "title", "description", "extra"])
    writer.writerow(["x", text[:100], text, text[:50]])
    writer.writerow(["y", "t", "d", rng.choice(["{}", "[" * 5000, text[:20]])])
    return (out.getvalue() + text[: rng.randrange(1, 100)]).encode("utf-8", "surrogatepass")


def read_file(kind: str) -> Callable[[str, random.Random], Any]:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = folder / f"dump.{kind}"

    def read(text: str, rng: random.Random) -> Any:
        path.write_bytes(jsonl_dump(text, rng) if kind == "jsonl" else csv_dump(text, rng))
        with contextlib.suppress(DumpFormatError):
            return sum(1 for _ in read_dump(path, fetched_at=WHEN))
        return None

    return read


def jsonld_page(text: str, rng: random.Random) -> Any:
    node = {
        "@type": "JobPosting",
        "title": text[:100],
        "description": text[:1000],
        "url": text[:40],
        "datePosted": text[:30],
        "baseSalary": {"value": text[:20]},
    }
    blocks = [json.dumps(node), text, json.dumps([node, {"@graph": [node]}])]
    rng.shuffle(blocks)
    page = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return parse_jsonld_page(page + text, "https://jobs.example.com/1", WHEN)


def parse_amount_or_refusal(text: str, _: random.Random) -> Any:
    with contextlib.suppress(ValueError):  # its documented "not an amount"
        return parse_amount(text)
    return None


# name → (parse(text, rng), the largest input it is given: résumés and pages are capped upstream)
PARSERS: dict[str, tuple[Callable[[str, random.Random], Any], int]] = {
    "salary": (lambda t, _: (parse_salary_text(t), find_salary_in_text(t)), 1 << 20),
    "location": (
        lambda t, _: (parse_location([t[:2000], t], t[:50]), find_workplace_signal(t)),
        1 << 20,
    ),
    "dates": (lambda t, _: parse_datetime(t), 1 << 20),
    "html": (lambda t, _: (html_to_text(t), clean_description(t, None)), 1 << 20),
    "title": (lambda t, _: clean_title(t), 1 << 20),
    "dump_jsonl": (read_file("jsonl"), 1 << 20),
    "dump_csv": (read_file("csv"), 1 << 20),
    "jsonld_page": (jsonld_page, 1 << 20),
    "search_query": (lambda t, _: parse_query(t), 1 << 20),
    "search_amount": (parse_amount_or_refusal, 1 << 20),
    "resume_profile": (lambda t, _: read_profile(t), 1 << 18),
}
SIZES = [10, 100, 1_000, 10_000, 65_536, 262_144, 1 << 20]


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--inputs", type=int, default=100_000)
    args.add_argument("--seed", type=int, default=12)
    args.add_argument("--big", type=int, default=40, help="inputs of 64 kB+ per parser")
    options = args.parse_args()
    rng = random.Random(options.seed)
    for parse, _ in PARSERS.values():  # first-use loading is not per-input time
        parse("warm up London 2020 $100k", rng)
    per_parser = max(1, -(-options.inputs // len(PARSERS)))  # rounded up: at least --inputs
    crashes: dict[tuple[str, str], tuple[int, str]] = {}
    worst_per_mb: dict[str, float] = {}
    slowest: dict[str, tuple[float, int]] = {}
    total = 0
    started = time.perf_counter()
    for name, (parse, cap) in PARSERS.items():
        sizes = [s for s in SIZES if s <= cap]
        small = [s for s in sizes if s < 65_536]
        big = [s for s in sizes if s >= 65_536]
        plan = [rng.choice(big) for _ in range(options.big)]
        plan += [rng.choice(small) for _ in range(per_parser - len(plan))]
        for size in plan:
            text = (adversarial_text if rng.random() < 0.5 else random_text)(rng, size)
            begin = time.perf_counter()
            try:
                parse(text, rng)
            except Exception as error:  # noqa: BLE001 - counting crashes is the point
                where = traceback.extract_tb(error.__traceback__)[-1]
                key = (
                    name,
                    f"{type(error).__name__} at {Path(where.filename).name}:{where.lineno}",
                )
                count, _ = crashes.get(key, (0, ""))
                crashes[key] = (count + 1, f"{error!s:.120} input={text[:60]!r}")
            elapsed = time.perf_counter() - begin
            total += 1
            if elapsed > slowest.get(name, (0.0, 0))[0]:
                slowest[name] = (elapsed, len(text))
            if len(text) >= 65_536:
                worst_per_mb[name] = max(worst_per_mb.get(name, 0.0), elapsed / (len(text) / 1e6))
    print(f"{total} inputs in {time.perf_counter() - started:.0f} s, {len(PARSERS)} parsers")
    print(f"crashes: {sum(c for c, _ in crashes.values())}")
    for (name, what), (count, sample) in sorted(crashes.items()):
        print(f"  {name}: {count} × {what}: {sample}")
    print(f"{'parser':16} {'worst s/MB (≥64 kB)':>20} {'slowest input':>22}")
    for name in PARSERS:
        seconds, size = slowest.get(name, (0.0, 0))
        print(f"{name:16} {worst_per_mb.get(name, 0.0):>20.3f} {seconds:>10.3f} s ({size:>7} ch)")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
