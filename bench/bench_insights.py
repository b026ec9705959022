"""How long a market page takes to build on the real corpus, and what it says.

Needs a store with the shared data imported and enriched (``leadboard import ../shared/data/postings
&& leadboard enrich``); point ``LEADBOARD_HOME`` (or ``LEADBOARD_DATABASE_URL``) at it.

    python -m bench.bench_insights [--repeat 5]

Prints, for every topic page and a few search pages: the postings counted, the first build (which
also loads the search engine's in-memory columns, once a process), the median of ``--repeat``
later builds, and a cached answer (``PageCache``, what the web app serves until the index
changes); then the ML Tech Lead page's headline figures.
"""

from __future__ import annotations

import argparse
import statistics
import time

from leadboard.insights.page import TOPICS, PageCache, build_page, percent
from leadboard.insights.render import to_html, to_markdown
from leadboard.search.engine import SearchFilters, open_engine
from leadboard.store.repository import Store

QUERIES = ("llm platform tech lead remote", "pytorch", "head of machine learning")


def timed(build: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = build()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    engine = open_engine(Store.open(), semantic=False)
    cache = PageCache(engine)
    pages = [(f"/insights/{slug}", {"topic": topic}) for slug, topic in TOPICS.items()]
    pages += [(f"/insights?q={q}", {"q": q}) for q in QUERIES]
    pages.append(("/insights?family=any", {"filters": SearchFilters(role_family=["any"])}))
    print(
        f"{'page':42} {'postings':>8} {'first ms':>9} {'median ms':>10} {'render ms':>10} "
        f"{'cached ms':>10}"
    )
    for name, arguments in pages:
        first, page = timed(lambda a=arguments: build_page(engine, **a))
        later = [timed(lambda a=arguments: build_page(engine, **a))[0] for _ in range(args.repeat)]
        render, _ = timed(lambda p=page: to_html(p))  # type: ignore[arg-type]
        cache.page(**arguments)
        cached, _ = timed(lambda a=arguments: cache.page(**a))
        print(
            f"{name:42} {page.postings:>8,} {first:>9.0f} {statistics.median(later):>10.0f} "  # type: ignore[attr-defined]
            f"{render:>10.1f} {cached:>10.1f}"
        )
    lead = build_page(engine, topic=TOPICS["ml-tech-lead"])
    print("\nML Tech Lead page:", "".join(part.text for part in lead.overview))
    for claim in lead.claims:
        print(
            f"  “{claim.says}”: {percent(claim.share)} ({claim.share.count} of "
            f"{claim.share.total}) → {claim.verdict}"
        )
    print(f"\nMarkdown: {len(to_markdown(lead)):,} characters; HTML: {len(to_html(lead)):,}")


if __name__ == "__main__":
    main()
