"""Ingest: sources → normalize → store, in batches, one transaction each; then enrich → store.

The CLI and the library call these; they only orchestrate. A bad record becomes a reject with a
reason and the batch goes on; a failing board is named in the summary and the crawl goes on.
"""

from __future__ import annotations

import gc
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from leadboard.forked import ForkedPool
from leadboard.models import Enrichment, Job, SourcePosting
from leadboard.normalize import InvalidPosting, normalize_posting
from leadboard.sources.base import BoardFetch, Reject
from leadboard.sources.boards import BoardRef
from leadboard.store.boards import CrawlOutcome
from leadboard.store.dedup import DuplicateIndex, sign
from leadboard.store.repository import BatchCounts, Store
from leadboard.store.snapshots import snapshot_of_path

if TYPE_CHECKING:  # enrichment loads models: imported only where it runs
    from leadboard.datasets import Split
    from leadboard.enrich.embeddings import TextEmbedder
    from leadboard.enrich.enricher import Enricher
    from leadboard.eval.metrics import EvalReport
    from leadboard.search.engine import SearchEngine

BATCH_SIZE = 500
STALE_AFTER_DAYS = 60.0  # a posting unconfirmed this long is stale ($LEADBOARD_STALE_AFTER_DAYS)

# `leadboard crawl` / `import` exit codes: 0 all good, 3 done but something was skipped, 1 failed.
EXIT_OK, EXIT_FAILED, EXIT_WITH_REJECTS = 0, 1, 3


@dataclass
class IngestSummary:
    """What one crawl or import did; printed by the CLI and kept with the run."""

    run_id: int | None = None
    read: int = 0  # records read, rejects included
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0
    closed: int = 0
    rejected: int = 0
    duplicates: Counter[str] = field(default_factory=Counter)
    rejects_by_reason: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (board or file, why)
    suspicious: list[tuple[str, str]] = field(default_factory=list)  # (board, why)
    boards: int = 0
    unreachable: int = 0  # boards whose host could not be reached at all
    stale: int = 0  # open postings that went stale (unconfirmed too long) at the end

    @property
    def offline(self) -> bool:
        """No board reached: every one failed before its host answered (the machine is
        offline, or its network blocks the boards), so nothing was fetched or failed."""
        return self.boards > 0 and self.unreachable == self.boards

    @property
    def exit_code(self) -> int:
        if self.failed and self.read == 0:
            return EXIT_FAILED
        return EXIT_WITH_REJECTS if self.rejected or self.failed else EXIT_OK

    @property
    def status(self) -> str:
        return {EXIT_OK: "ok", EXIT_FAILED: "failed", EXIT_WITH_REJECTS: "rejects"}[self.exit_code]

    def add(self, counts: BatchCounts) -> None:
        self.inserted += counts.inserted
        self.updated += counts.updated
        self.unchanged += counts.unchanged
        self.reopened += counts.reopened
        self.duplicates.update(counts.duplicates)

    def reject(self, reject: Reject) -> None:
        self.rejected += 1
        self.rejects_by_reason[_reason_kind(reject.reason)] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "reopened": self.reopened,
            "closed": self.closed,
            "rejected": self.rejected,
            "duplicates": dict(self.duplicates),
            "rejects_by_reason": dict(self.rejects_by_reason),
            "failed": [{"what": what, "why": why} for what, why in self.failed],
            "suspicious": [{"what": what, "why": why} for what, why in self.suspicious],
            "boards": self.boards,
            "unreachable": self.unreachable,
            "stale": self.stale,
        }


def _reason_kind(reason: str) -> str:
    """Group reasons like "malformed JSON: Expecting ',' …" under their first clause."""
    return reason.split(":", 1)[0].strip()[:80]


def normalize_all(
    items: Iterable[SourcePosting | Reject],
) -> Iterator[tuple[SourcePosting, Job] | Reject]:
    """Normalise each posting; one that cannot be normalised becomes a reject."""
    for item in items:
        if isinstance(item, Reject):
            yield item
        else:
            done = _normalized(item)
            yield done if isinstance(done, Reject) else (item, done)


def _normalized(item: SourcePosting) -> Job | Reject:
    try:
        return normalize_posting(item)
    except InvalidPosting as error:
        return Reject(item.key, item.url or item.external_id, error.reason)
    except Exception as error:  # noqa: BLE001 - one bad record must not stop a batch
        reason = f"normalisation failed: {type(error).__name__}: {error}"
        return Reject(item.key, item.url or item.external_id, reason)


# A posting (or a reject read in its place) with the content hash stored for its job, if any.
Listed = tuple[SourcePosting | Reject, str | None]
# A normalised job and its text's signature for the duplicate index (``dedup.sign``), or its text
# when it is stored as it is: unchanged, it needs none, and should its stored content have changed
# before it is saved (a posting of the same job read before it), ``Store.save_batch`` signs it.
Prepared = tuple[Job, str | bytes | None]


def prepare(items: list[Listed]) -> list[Prepared | Reject]:
    """Normalise and sign each item, in order: ``ingest``'s work before it stores, done by
    worker processes (``import_paths``). A posting that cannot be normalised becomes a reject; one
    whose content is the one stored is not signed, its text handed on instead.

    >>> posting = SourcePosting(source="file", board="b", external_id="1", title="ML Lead",
    ...     fetched_at=datetime.now(UTC), description="Lead the team. " * 30)
    >>> [(job, signed)] = prepare([(posting, None)])  # not stored: signed
    >>> job.title, len(signed)
    ('ML Lead', 512)
    >>> prepare([(posting, job.content_hash)]) == [(job, job.description_text)]  # unchanged
    True
    """
    prepared: list[Prepared | Reject] = []
    for item, stored in items:
        done = item if isinstance(item, Reject) else _normalized(item)
        if isinstance(done, Reject):
            prepared.append(done)
            continue
        if done.content_hash == stored:
            prepared.append((done, done.description_text))
            continue
        try:
            prepared.append((done, sign(done.title, done.description_text)))
        except Exception as error:  # noqa: BLE001 - one bad record must not stop a batch
            reason = f"signing failed: {type(error).__name__}: {error}"
            prepared.append(Reject(done.id, done.url or done.external_id, reason))
    return prepared


def ingest(
    store: Store,
    items: Iterable[SourcePosting | Reject],
    summary: IngestSummary,
    *,
    index: DuplicateIndex,
    origin: str | None = None,
    batch_size: int = BATCH_SIZE,
    from_dump: bool = False,
    snapshot: str | None = None,
    pool: ForkedPool[Listed, Prepared | Reject] | None = None,
) -> set[str]:
    """Normalise and store ``items`` in batches; returns the ids of the jobs seen.

    Each batch is normalised and signed by ``pool`` (default: here), stored here, in order; with
    it go the stored content hashes of its jobs (one query), so that an unchanged posting is not
    signed. ``from_dump`` postings are confirmed open only as of the dump's ``snapshot`` (see
    ``store/snapshots.py``), crawled ones as of now."""
    seen: set[str] = set()

    def batches() -> Iterator[list[Listed]]:
        listed = iter(items)
        while batch := list(islice(listed, batch_size)):
            keys = [item.key for item in batch if isinstance(item, SourcePosting)]
            # A posting that fails to normalise was still listed: it must not be closed for that.
            seen.update(keys)
            stored = store.content_hashes(set(keys))
            yield [
                (item, stored.get(item.key) if isinstance(item, SourcePosting) else None)
                for item in batch
            ]

    for batch, prepared in (pool or ForkedPool(prepare, 1)).map(batches()):
        pairs: list[tuple[SourcePosting, Job]] = []
        signatures: list[str | bytes | None] = []
        rejects: list[Reject] = []
        for (item, _), done in zip(batch, prepared, strict=True):
            summary.read += 1
            if isinstance(done, Reject):
                summary.reject(done)
                rejects.append(done)
            else:
                assert isinstance(item, SourcePosting)
                pairs.append((item, done[0]))
                signatures.append(done[1])
        counts = store.save_batch(
            pairs,
            rejects,
            index=index,
            seen_at=datetime.now(UTC),
            run_id=summary.run_id,
            origin=origin,
            from_dump=from_dump,
            snapshot=snapshot,
            signatures=signatures,
        )
        summary.add(counts)
    return seen


def import_paths(
    store: Store,
    paths: Sequence[Path],
    *,
    snapshot: str | None = None,
    workers: int | None = None,
) -> IngestSummary:
    """``leadboard import``: load dumps (files or folders of them). Each file's snapshot date is
    ``snapshot`` when given, else the date its path names (``linkedin-ds-2018``), else unknown.

    ``workers`` processes (default: one a core) normalise and sign the postings; this one
    reads the files, finds duplicates and writes."""
    from leadboard.enrich.embeddings import available_cores
    from leadboard.sources.files import read_dump, scan_dump_files

    summary = _start(store, "import", [str(p) for p in paths])
    with ForkedPool(prepare, workers or available_cores()) as pool, ExitStack() as frozen:
        pool.start()  # before the duplicate index is loaded: the workers need none of it
        index = store.duplicate_index()
        # Frozen until the end, the index (every stored job) is left alone by the collections
        # that the batches' objects set off here: walking it took a fifth of this process's time.
        gc.freeze()
        frozen.callback(gc.unfreeze)
        for path in paths:
            try:
                scan = scan_dump_files(path)
            except (OSError, ValueError) as error:
                summary.failed.append((str(path), str(error)))
                continue
            summary.failed += [(str(file), why) for file, why in scan.unreadable]
            if not scan.files and not scan.unreadable:  # nothing to import: say why, never "ok"
                passed_over = [(str(file), why) for file, why in scan.skipped]
                summary.failed += passed_over or [(str(path), "no dump files")]
            for file in scan.files:
                try:
                    ingest(
                        store,
                        read_dump(file),
                        summary,
                        index=index,
                        origin=str(file),
                        from_dump=True,
                        snapshot=snapshot or snapshot_of_path(file),
                        pool=pool,
                    )
                except (OSError, ValueError) as error:  # unreadable file: name it, go on
                    summary.failed.append((str(file), str(error)))
    return _finish(store, summary)


def ingest_fetches(
    store: Store,
    fetches: Iterable[BoardFetch],
    kind: str,
    args: Sequence[str],
    *,
    on_board: Callable[[BoardFetch, CrawlOutcome], None] | None = None,
) -> IngestSummary:
    """``leadboard crawl`` / ``crawl-page`` / a scheduler cycle: store what each board gave,
    close what is gone (``ingest_fetch``), and note each board's outcome in the registry."""
    summary = _start(store, kind, args)
    index = store.duplicate_index()
    for fetch in fetches:
        outcome = ingest_fetch(store, fetch, summary, index)
        store.boards.record(f"{fetch.source}:{fetch.board}", outcome, _now())
        if on_board is not None:
            on_board(fetch, outcome)
    return _finish(store, summary)


def crawl_boards(
    store: Store,
    boards: Sequence[BoardRef],
    *,
    concurrency: int = 4,
    args: Sequence[str] | None = None,
) -> IngestSummary:
    """``leadboard crawl``: fetch ``boards`` (``concurrency`` at once) and store what they gave;
    ``args`` is what the run is recorded with (default: the boards' specs).

    A machine that reaches none of the first ``concurrency`` boards is offline: the crawl stops
    there rather than waiting on every board (``summary.offline`` then says so)."""
    from leadboard.sources.crawl import crawl

    fetches = stop_when_offline(crawl(boards, concurrency=concurrency), after=concurrency)
    return ingest_fetches(store, fetches, "crawl", args or [b.spec for b in boards])


def stop_when_offline(fetches: Iterable[BoardFetch], after: int) -> Iterator[BoardFetch]:
    """The fetches, stopped after the first ``after`` when none of them reached its host.

    >>> down = [BoardFetch("greenhouse", str(i), error="down", unreachable=True) for i in range(5)]
    >>> len(list(stop_when_offline(down, after=2)))
    2
    >>> answered = [BoardFetch("greenhouse", "ok"), *down]
    >>> len(list(stop_when_offline(answered, after=2)))  # one board answered: not offline
    6
    """
    unreachable, online = 0, False
    for fetch in fetches:
        yield fetch
        if not fetch.unreachable:
            online = True  # a board answered: keep going whatever fails later
        else:
            unreachable += 1
            if not online and unreachable >= after:
                return


def ingest_fetch(
    store: Store, fetch: BoardFetch, summary: IngestSummary, index: DuplicateIndex
) -> CrawlOutcome:
    """Store one board's fetch and apply the delisting rules:

    - a posting missing from a *complete*, successful listing is closed — except when the
      listing is empty and the board had open postings: that closes nothing the first time
      (a broken board looks like that) and only when it happens twice in a row;
    - a posting whose detail answered 404/410 is closed;
    - a failed, partial or truncated fetch closes nothing; a posting that comes back reopens.
    """
    summary.boards += 1
    name = f"{fetch.source}:{fetch.board}"
    changes_before = _changes(summary)
    if fetch.error:
        summary.failed.append((name, fetch.error))
        summary.unreachable += fetch.unreachable
        store.record_errors(
            [Reject(name, name, f"board failed: {fetch.error}")], summary.run_id, _now()
        )
    items: list[SourcePosting | Reject] = [*fetch.postings, *fetch.rejects]
    seen = ingest(store, items, summary, index=index, origin=name)
    now = _now()
    if fetch.unchanged:
        summary.unchanged += len(fetch.unchanged)
        summary.reopened += store.confirm_listed([f"{name}:{i}" for i in fetch.unchanged], now)
    if fetch.gone:
        summary.closed += store.close_jobs([f"{name}:{i}" for i in fetch.gone], now)
    empty_streak = 0
    if fetch.complete and not fetch.error:
        listed = seen | {f"{name}:{i}" for i in fetch.listed | fetch.unchanged}
        open_now = store.open_count(fetch.source, fetch.board) if not fetch.listed else 0
        if open_now:  # an empty listing of a board that had open postings
            board = store.boards.get(name)
            empty_streak = (board.empty_streak if board else 0) + 1
        if empty_streak == 1:
            summary.suspicious.append(
                (name, f"an empty listing after {open_now} open postings: nothing closed yet")
            )
        else:
            summary.closed += store.close_missing(fetch.source, fetch.board, listed, now)
    return CrawlOutcome(
        ok=fetch.error is None,
        error=fetch.error,
        changed=_changes(summary) != changes_before,
        empty_streak=empty_streak,
    )


def _changes(summary: IngestSummary) -> int:
    return summary.inserted + summary.updated + summary.closed + summary.reopened


def stale_after_days() -> float:
    """``$LEADBOARD_STALE_AFTER_DAYS``, else 60: how long a posting stays open unconfirmed."""
    try:
        days = float(os.environ.get("LEADBOARD_STALE_AFTER_DAYS", STALE_AFTER_DAYS))
    except ValueError:
        return STALE_AFTER_DAYS
    return days if days > 0 else STALE_AFTER_DAYS


def _now() -> datetime:
    return datetime.now(UTC)


def _start(store: Store, kind: str, args: Sequence[str]) -> IngestSummary:
    return IngestSummary(run_id=store.start_run(kind, args, _now()))


def _finish(store: Store, summary: IngestSummary) -> IngestSummary:
    assert summary.run_id is not None
    summary.stale, _ = store.mark_stale(_now(), stale_after_days())
    store.finish_run(summary.run_id, summary.status, summary.as_dict(), _now())
    return summary


# -- enrichment of stored jobs ------------------------------------------------------------------


@dataclass
class EnrichSummary:
    """What one pass of enrichment over the store did."""

    enriched: int = 0
    embedded: int = 0
    version: str = ""
    embedding_model: str | None = None
    problems: list[str] = field(default_factory=list)  # e.g. no role model, no embedding model
    # Of those enriched (embedded), how many got the work done for a job of the same content.
    copied: int = 0
    copied_embeddings: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "enriched": self.enriched,
            "embedded": self.embedded,
            "copied": self.copied,
            "copied_embeddings": self.copied_embeddings,
            "version": self.version,
            "embedding_model": self.embedding_model,
            "problems": list(self.problems),
        }


# Jobs read from the store at a time; the work that jobs of the same content did is looked up
# once a page (a scan of the enrichments where content_hash has no index).
PAGE = 1024
# Jobs to enrich in a page before worker processes pay for their start (a fork: ~0.3 s).
POOL_AFTER = 128


def enrich_store(
    store: Store,
    enricher: Enricher,
    *,
    embed: bool = False,
    batch_size: int = 64,
    workers: int | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> EnrichSummary:
    """Enrich every job that needs it (new, changed, or from another enricher version), and with
    ``embed`` embed every open job that lacks an embedding of its current content.

    Incremental: a second pass finds nothing to do. Each batch is stored in its own transaction,
    so an interrupted pass keeps what it finished. A job with the content hash and raw title of
    one already enriched by this version (a re-post under another id, the same posting on two
    boards) gets a copy of that enrichment; the others are enriched ``batch_size`` at a time, by
    ``workers`` processes (default: one a core) when a page holds enough of them, and written
    here: one writer.
    """
    from leadboard.enrich.embeddings import available_cores

    summary = EnrichSummary(version=enricher.version)
    here, pool = enrich_pool(enricher, 1), enrich_pool(enricher, workers or available_cores())

    def save(done: list[tuple[list[tuple[str, str]], Enrichment]]) -> None:
        rows = [
            (job_id, digest, _as_job(result, job_id))
            for jobs, result in done
            for job_id, digest in jobs
        ]
        store.save_enrichments(rows, _now())
        summary.enriched += len(rows)
        progress(summary.enriched)

    after = ""
    try:
        while page := store.jobs_to_enrich(enricher.version, after=after, limit=PAGE):
            after = page[-1][0]
            jobs, rows = _same_content(page)
            donors = _donors(store, jobs, version=enricher.version)
            enriched = store.jobs_with_enrichments(donors.values()) if donors else []
            details = {pair.job.id: pair.enrichment.detail for pair in enriched if pair.enrichment}
            copies = [
                (jobs[key], Enrichment.model_validate(details[donor]))
                for key, donor in donors.items()
            ]
            if copies:
                save(copies)
                summary.copied += sum(len(job_ids) for job_ids, _ in copies)
            todo = [key for key in jobs if key not in donors]
            runner = pool if len(todo) >= POOL_AFTER else here
            batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]
            futures = [runner.submit([rows[key] for key in keys]) for keys in batches]
            for keys, future in zip(batches, futures, strict=True):
                save(
                    [(jobs[key], result) for key, result in zip(keys, future.result(), strict=True)]
                )
                summary.copied += sum(len(jobs[key]) - 1 for key in keys)  # twins in the page
    finally:
        pool.close()
    if embed:
        embedder = enricher.embedding_model()
        embed_store(store, embedder, summary, batch_size=batch_size, workers=workers)
    return summary


def enrich_pool(enricher: Enricher, workers: int) -> ForkedPool[dict[str, Any], Enrichment]:
    """Batches of enricher rows enriched by ``workers`` forked processes (``forked.py``), each
    with its own ``Enricher`` around the parent's role model."""
    from leadboard.enrich.enricher import Enricher

    def in_worker() -> Callable[[list[dict[str, Any]]], list[Enrichment]]:
        # Without its embedder: a worker never embeds, and an inherited ONNX session must not run.
        return Enricher(role_model=enricher.role_model).enrich_batch

    return ForkedPool(enricher.enrich_batch, workers, in_worker=in_worker)


ContentKey = tuple[str, str]  # a job's content hash and raw title: what its enrichment reads


def _same_content(
    page: list[tuple[str, str, dict[str, Any]]],
) -> tuple[dict[ContentKey, list[tuple[str, str]]], dict[ContentKey, dict[str, Any]]]:
    """The page's jobs ``(id, content hash)`` by content, and one enricher row a content."""
    jobs: dict[ContentKey, list[tuple[str, str]]] = {}
    rows: dict[ContentKey, dict[str, Any]] = {}
    for job_id, digest, row in page:
        key = (digest, row["title"])
        jobs.setdefault(key, []).append((job_id, digest))
        rows.setdefault(key, row)
    return jobs, rows


def _donors(
    store: Store, jobs: dict[ContentKey, list[tuple[str, str]]], **made_by: str
) -> dict[ContentKey, str]:
    """For the contents of ``jobs`` that a stored job's enrichment (embedding) was made from:
    that job's id."""
    found = store.done_by_content({digest for digest, _ in jobs}, **made_by)
    return {key: job_id for key, job_id in found.items() if key in jobs}


def _as_job(result: Enrichment, job_id: str) -> Enrichment:
    return result if result.id == job_id else result.model_copy(update={"id": job_id})


def make_enricher(say: Callable[[str], None] | None = None) -> Enricher:
    """The enricher with the role model ``role_model`` finds; without one, ``say`` is told why
    (its fields are then rules-only, each job saying why its family is unknown)."""
    from leadboard.enrich.enricher import Enricher
    from leadboard.enrich.training import role_model_problem

    enricher = Enricher(role_model=role_model())
    if enricher.role_model is None and say is not None:
        say(f"no role families: {role_model_problem()}")
    return enricher


def role_model() -> Any:
    """The user's trained role model, else the one shipped with the package; None only when
    neither can be read (rules-only fields then, with the reason on each job). Training is
    never done on the way: it is `leadboard train`'s job alone."""
    from leadboard.enrich.training import load_role_model

    return load_role_model()


def refresh_store(
    store: Store,
    *,
    embeddings: bool = False,
    enricher: Enricher | None = None,
    say: Callable[[str], None] = print,
) -> EnrichSummary:
    """Enrich (and embed) the stored jobs that need it, then bring the search index up to date:
    what makes new and changed postings findable. Says what could not be done."""
    from leadboard.enrich.embeddings import EmbeddingsUnavailable
    from leadboard.enrich.training import role_model_problem
    from leadboard.search.index import sync_search_index

    if not store.jobs_to_enrich("", limit=1):  # no job at all (an offline first crawl):
        sync_search_index(store)  # closings still reach search
        return EnrichSummary(version="nothing stored")  # no model to load
    if enricher is None:
        enricher = make_enricher()  # its problem, if any, goes into the summary below

    said = [0]  # batches and copies of any size: say when another 2048 are done

    def progress(done: int) -> None:
        if done >= said[0] + 2048:
            said[0] = done - done % 2048
            say(f"  enriched {done} jobs…")

    try:
        summary = enrich_store(store, enricher, embed=embeddings, progress=progress)
    except EmbeddingsUnavailable as error:
        summary = enrich_store(store, enricher, embed=False, progress=progress)
        summary.problems.append(f"no embeddings: {error}")
    if enricher.role_model is None:
        summary.problems.append(f"no role families: {role_model_problem()}")
    sync_search_index(store)  # cheap when nothing changed; search never waits for it then
    return summary


def embed_store(
    store: Store,
    embedder: TextEmbedder,
    summary: EnrichSummary,
    *,
    batch_size: int = 64,
    workers: int | None = None,
) -> None:
    """Embed the open jobs that lack an embedding of their current content by this model; a job
    with the content hash and raw title of one already embedded by it gets a copy of its vector.
    A page with enough jobs to embed is embedded by ``workers`` processes (default: one a core),
    each on one thread: 3-14% more postings a CPU-second than one process on every core."""
    from leadboard.enrich.embeddings import available_cores, posting_text

    summary.embedding_model = embedder.version
    here, pool = ForkedPool(_vectors_by(embedder), 1), None

    def save(done: list[tuple[list[tuple[str, str]], bytes]]) -> None:
        rows = [(job_id, digest, vector) for jobs, vector in done for job_id, digest in jobs]
        store.save_embeddings(rows, embedder.version)
        summary.embedded += len(rows)

    after = ""
    try:
        while page := store.jobs_to_embed(embedder.version, after=after, limit=PAGE):
            after = page[-1][0]
            jobs, rows = _same_content(page)
            donors = _donors(store, jobs, model=embedder.version)
            vectors = store.embedding_vectors(donors.values(), embedder.version) if donors else {}
            copies = [(jobs[key], vectors[donor]) for key, donor in donors.items()]
            if copies:
                save(copies)
                summary.copied_embeddings += sum(len(job_ids) for job_ids, _ in copies)
            todo = [key for key in jobs if key not in donors]
            runner = here
            if len(todo) >= POOL_AFTER:
                runner = pool = pool or embed_pool(embedder, workers or available_cores())
            batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]
            futures = [
                runner.submit([posting_text(rows[key]["title"], rows[key]["text"]) for key in keys])
                for keys in batches
            ]
            for keys, future in zip(batches, futures, strict=True):
                save(list(zip([jobs[key] for key in keys], future.result(), strict=True)))
                summary.copied_embeddings += sum(len(jobs[key]) - 1 for key in keys)
    finally:
        if pool is not None:
            pool.close()


def embed_pool(embedder: TextEmbedder, workers: int) -> ForkedPool[str, bytes]:
    """Batches of texts embedded by ``workers`` forked processes, each with a one-core copy of
    ``embedder`` (its model built here, before they fork: once, not once a worker)."""
    worker = embedder.forked() if workers > 1 else embedder
    return ForkedPool(_vectors_by(embedder), workers, in_worker=lambda: _vectors_by(worker))


def _vectors_by(embedder: TextEmbedder) -> Callable[[list[str]], list[bytes]]:
    """Texts to their vectors as stored (little-endian float32 bytes)."""
    return lambda texts: [vector.astype("<f4").tobytes() for vector in embedder.encode(texts)]


# -- enrichment of files and of the labelled postings (no store) --------------------------------

# Postings enriched a call from a file: the embedding (in a second thread) overlaps the rules.
FILE_BATCH = 32


@dataclass
class FileEnrichSummary:
    """What ``enrich_file`` wrote: result lines, and lines that were no JSON object."""

    written: int = 0
    errors: int = 0

    @property
    def exit_code(self) -> int:
        return EXIT_WITH_REJECTS if self.errors else EXIT_OK


def enrich_file(
    input_path: Path,
    output_path: Path,
    *,
    embeddings: bool = False,
    enricher: Enricher | None = None,
    batch_size: int = FILE_BATCH,
) -> FileEnrichSummary:
    """``leadboard enrich --input``: one result line (``enricher.contract_line``, with
    ``embedding`` when asked) per posting line of ``input_path``, in input order, into
    ``output_path``. A line that is no JSON object becomes ``{"id": null, "line", "error"}`` and
    the run goes on. ``FileNotFoundError`` when the input is no file."""
    from leadboard.enrich.enricher import contract_line

    if not input_path.is_file():
        raise FileNotFoundError(f"No such file: {input_path}")
    enricher = enricher or make_enricher()
    summary = FileEnrichSummary()
    with (
        input_path.open(encoding="utf-8", errors="replace") as lines,
        output_path.open("w", encoding="utf-8") as out,
    ):
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            results, vectors = enricher.enrich_with_embeddings(batch, embed=embeddings)
            for index, result in enumerate(results):
                line = contract_line(result)
                if vectors is not None:
                    line["embedding"] = [round(float(v), 6) for v in vectors[index]]
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                summary.written += 1
            batch.clear()

        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
                if not isinstance(row, dict):
                    raise ValueError("a line must be a JSON object")
            except ValueError as error:
                if batch:
                    flush()  # keep the output in input order
                out.write(json.dumps({"id": None, "line": number, "error": str(error)}) + "\n")
                summary.errors += 1
                continue
            batch.append(row)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    return summary


@dataclass
class EvalRun:
    """``evaluate_labelled``'s answer: the report, on how many postings, by which enricher."""

    report: EvalReport
    postings: int
    version: str
    in_sample: bool  # the role model was trained on these postings: figures are optimistic


def evaluate_labelled(
    split: Split | Literal["all"] = "tune",
    *,
    enricher: Enricher | None = None,
    batch_size: int = FILE_BATCH,
    data_dir: Path | None = None,
) -> EvalRun | None:
    """``leadboard eval``: enrich the labelled postings of ``split`` (in ``data_dir``, see
    ``datasets.data_dir``) as ``enrich --input`` does (batches, embeddings) and score them; None
    when there are no labelled postings, ``datasets.MissingData`` when their file is missing."""
    from leadboard.datasets import load_labelled
    from leadboard.enrich.enricher import contract_line
    from leadboard.eval.metrics import evaluate

    labelled = load_labelled(split, data_dir=data_dir)
    if not labelled:
        return None
    enricher = enricher or make_enricher()
    rows = [item.posting for item in labelled]
    # Building and quantising the embedding model (~5 s, once a process) is no throughput.
    enricher.embedding_model().encode(["warm-up"])
    start = time.perf_counter()
    results = []
    for at in range(0, len(rows), batch_size):
        results += enricher.enrich_with_embeddings(rows[at : at + batch_size], embed=True)[0]
    elapsed = time.perf_counter() - start
    report = evaluate(
        [contract_line(r) for r in results], [i.label for i in labelled], elapsed_s=elapsed
    )
    in_sample = split != "holdout" and enricher.role_model is not None
    return EvalRun(report, len(labelled), enricher.version, in_sample)


# -- search ---------------------------------------------------------------------------------------


def open_search(
    store: Store | None = None, *, semantic: bool = True, aside: bool = False
) -> SearchEngine:
    """The search engine over ``store`` (default: ``Store.open()``): the one way the commands
    (``search``, ``match``, ``insights``) and ``serve`` get theirs. Brings the index up to date
    when no writer is at work (``aside``: in a thread, a server's start); ``engine.notes`` says
    what semantic search lacks."""
    from leadboard.search.engine import open_engine

    return open_engine(store or Store.open(), semantic=semantic, aside=aside)
