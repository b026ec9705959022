"""The `leadboard` command. Thin: parses arguments, calls the pipeline and the store, prints."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast, get_args

import typer

from leadboard.models import RemotePolicy
from leadboard.pipeline import (
    EnrichSummary,
    IngestSummary,
    crawl_boards,
    enrich_file,
    evaluate_labelled,
    import_paths,
    ingest_fetches,
    make_enricher,
    open_search,
    refresh_store,
)
from leadboard.store.database import database_url
from leadboard.store.repository import JobFilters, Store
from leadboard.terminal import echo

if TYPE_CHECKING:
    from leadboard.search.engine import SearchFilters

app = typer.Typer(
    help="Leadboard: find and understand machine-learning leadership jobs.",
    no_args_is_help=True,
    add_completion=False,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
EnrichOption = Annotated[
    bool,
    typer.Option(
        "--enrich/--no-enrich",
        help="Enrich new and changed jobs (role family, seniority, years, skills, duties).",
    ),
]
EmbedOption = Annotated[
    bool,
    typer.Option("--embeddings/--no-embeddings", help="Also embed them (for semantic search)."),
]
REMOTES: tuple[str, ...] = get_args(RemotePolicy)
OFFLINE_HINT = (
    "No job board could be reached: this machine seems to have no internet access.\n"
    "Load postings from a dump instead, e.g.:  leadboard import ../shared/data/postings"
)
# A crawl that reached no board at all fetched nothing and failed nothing: said, exit 0.
OFFLINE_CRAWL = (
    "no job board could be reached (offline?): nothing fetched; import a dump with "
    "`leadboard import PATH` (e.g. leadboard import ../shared/data/postings)"
)


def _open_store() -> Store:
    return Store.open()


@contextmanager
def _writing_store(*, quiet: bool = False) -> Iterator[Store]:
    """The store, with its writer lock held: a second writer waits for the first, saying so."""
    with _open_store().writer(say=_say_unless(quiet)) as store:
        yield store


def main() -> None:
    """The `leadboard` command: a store another process holds, a full disk, a store this version
    cannot migrate, or a database that cannot be reached, is one line on stderr and exit status
    1, never a traceback."""
    from sqlalchemy.exc import OperationalError

    from leadboard.store.database import MigrationRefused
    from leadboard.store.locks import StoreBusy
    from leadboard.store.repository import StoreFull

    try:
        app()
    except (StoreBusy, StoreFull, MigrationRefused) as error:
        echo(f"leadboard: {error}", err=True)
        raise SystemExit(1) from None
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        echo(f"leadboard: the database cannot be used: {reason[:300]}", err=True)
        raise SystemExit(1) from None


def _finish(
    summary: IngestSummary,
    as_json: bool,
    store: Store | None = None,
    *,
    enrich: bool = False,
    embeddings: bool = False,
    offline_ok: bool = False,
) -> None:
    """Print what an ingest did, enrich what it stored (when asked), and exit with its code.

    With ``offline_ok`` (a crawl), no board reached because the machine is offline is no
    failure: it says so and how to load postings instead, and exits 0.
    """
    offline = summary.offline
    enriched = _enrich(store, embeddings, quiet=as_json) if store and enrich else None
    if as_json:
        status = "offline" if offline and offline_ok else summary.status
        document = {"status": status, **summary.as_dict()}
        if offline and offline_ok:
            document["message"] = OFFLINE_CRAWL
        if enriched:
            document["enrichment"] = enriched.as_dict()
        echo(json.dumps(document, indent=2))
    elif offline and offline_ok:
        echo(OFFLINE_CRAWL)
        if enriched and enriched.enriched:
            _print_enrichment(enriched)
    else:
        _print_summary(summary)
        if enriched:
            _print_enrichment(enriched)
    if offline and offline_ok:
        raise typer.Exit(0)
    if offline:
        echo(OFFLINE_HINT, err=True)
    raise typer.Exit(summary.exit_code)


def _print_summary(summary: IngestSummary) -> None:
    echo(
        f"read {summary.read}: {summary.inserted} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.reopened} reopened, {summary.closed} closed, "
        f"{summary.rejected} rejected"
    )
    if summary.boards:
        echo(f"boards: {summary.boards} fetched, {len(summary.failed)} failed")
    if summary.duplicates:
        rules = ", ".join(f"{n} by {rule}" for rule, n in summary.duplicates.most_common())
        echo(f"duplicates found: {sum(summary.duplicates.values())} ({rules})")
    for reason, n in summary.rejects_by_reason.most_common(10):
        echo(f"  rejected {n}: {reason}")
    for what, why in summary.failed:
        echo(f"  FAILED {what}: {why}", err=True)


@app.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Dump files or folders of them.")],
    enrich: EnrichOption = True,
    embeddings: EmbedOption = False,
    snapshot_date: Annotated[
        str | None,
        typer.Option(
            "--snapshot-date",
            help="When the dump was taken (2026-05-21, 2026-05, 2018); default: the date its "
            "folder or file name gives, else unknown. Its postings are open as of that date.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Load postings from dumps: our JSONL/CSV schema, native CSVs, raw ATS records, HN posts.

    Exit code 0: all imported; 3: done, but some records were rejected (see the summary and
    `leadboard stats`); 1: failed.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        echo(f"No such file or folder: {', '.join(missing)}", err=True)
        raise typer.Exit(1)
    if snapshot_date is not None:
        from leadboard.store.snapshots import parse_snapshot

        try:
            snapshot_date = parse_snapshot(snapshot_date)
        except ValueError as error:
            echo(str(error), err=True)
            raise typer.Exit(2) from None
    with _writing_store(quiet=as_json) as store:
        summary = import_paths(store, paths, snapshot=snapshot_date)
        _finish(summary, as_json, store, enrich=enrich, embeddings=embeddings)


@app.command()
def crawl(
    boards: Annotated[
        list[str] | None,
        typer.Argument(
            help="Boards as kind:token (greenhouse:anthropic lever:palantir …); "
            "default: the curated list."
        ),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=16, help="Boards fetched at once.")] = 4,
    enrich: EnrichOption = True,
    embeddings: EmbedOption = False,
    as_json: JsonOption = False,
) -> None:
    """Fetch job boards of any supported ATS kind (see `leadboard boards`); store their postings."""
    from leadboard.sources.boards import load_boards, parse_board_specs

    try:
        refs = parse_board_specs(boards) if boards else load_boards()
    except ValueError as error:
        echo(str(error), err=True)
        raise typer.Exit(2) from error
    with _writing_store(quiet=as_json) as store:
        summary = crawl_boards(store, refs, concurrency=concurrency, args=boards or ["<curated>"])
        _finish(summary, as_json, store, enrich=enrich, embeddings=embeddings, offline_ok=True)


@app.command("crawl-page")
def crawl_page(
    url: Annotated[str, typer.Argument(help="A career page with schema.org JobPosting JSON-LD.")],
    enrich: EnrichOption = True,
    embeddings: EmbedOption = False,
    as_json: JsonOption = False,
) -> None:
    """Fetch one career page and store the JobPostings its JSON-LD describes."""
    from leadboard.sources.crawl import fetch_career_page

    with _writing_store(quiet=as_json) as store:
        summary = ingest_fetches(store, [fetch_career_page(url)], "crawl-page", [url])
        _finish(summary, as_json, store, enrich=enrich, embeddings=embeddings)


@app.command()
def jobs(
    company: Annotated[str | None, typer.Option(help="Exact company name.")] = None,
    source: Annotated[
        str | None, typer.Option(help="greenhouse, lever, ashby, jsonld, file…")
    ] = None,
    remote: Annotated[str | None, typer.Option(help="remote, hybrid, onsite or unknown.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. US, GB.")] = None,
    title: Annotated[str | None, typer.Option(help="Words the title contains.")] = None,
    with_salary: Annotated[bool, typer.Option("--with-salary", help="Only with pay.")] = False,
    closed: Annotated[bool, typer.Option("--closed", help="Include closed postings.")] = False,
    all_duplicates: Annotated[
        bool, typer.Option("--all-duplicates", help="Show every member of a cluster.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stored jobs, newest first, each duplicate cluster once."""
    if remote and remote not in REMOTES:
        echo(f"--remote must be one of: {', '.join(REMOTES)}", err=True)
        raise typer.Exit(2)
    filters = JobFilters(
        company=company,
        source=source,
        remote=remote,
        country=country,
        title=title,
        with_salary=with_salary,
        include_closed=closed,
        one_per_cluster=not all_duplicates,
    )
    from leadboard.search.engine import job_card

    store = _open_store()
    rows = store.list_jobs(filters, limit=limit, offset=offset)
    cards = [job_card(row, store.get_enrichment(row.id)) for row in rows]
    if as_json:
        echo(json.dumps(cards, indent=2))
        return
    if not rows:
        echo("No jobs match. (Import some with `leadboard import PATH`.)")
    for row, card in zip(rows, cards, strict=True):
        facts = [card["company"] or "?", _where(card, row.remote_regions), _pay(card)]
        echo(f"{card['id']}\n  {card['title']} — {' · '.join(f for f in facts if f)}")


@app.command()
def show(
    job_id: Annotated[str, typer.Argument(help="A job id as `leadboard jobs` prints it.")],
    as_json: JsonOption = False,
) -> None:
    """Show one job in full."""
    from leadboard.search.engine import job_card

    store = _open_store()
    row = store.get_job(job_id)
    if row is None:
        echo(f"No job with id {job_id!r}.", err=True)
        raise typer.Exit(1)
    members = store.cluster_members(row.cluster_id)
    enrichment = store.get_enrichment(job_id)
    card = job_card(row, enrichment)
    if as_json:
        detail = card | {
            "locations": row.locations,
            "remote_regions": row.remote_regions,
            "description": row.description_text,
            "duplicates": [m for m in members if m != row.id],
            "warnings": row.warnings,
            "raw_postings": len(store.raw_postings(job_id)),
            "enrichment": enrichment.detail if enrichment else None,
        }
        echo(json.dumps(detail, indent=2, default=str))
        return
    echo(f"{row.title}\n{row.company or ''}")
    if row.title_raw != row.title:
        echo(f"(as posted: {row.title_raw})")
    for label, value in [
        ("id", row.id),
        ("url", row.url),
        ("location", _where(card, row.remote_regions)),
        ("salary", _pay(card)),
        ("type", row.employment_type),
        ("posted", row.posted_at or "not given by the source"),
        ("first seen", row.first_seen_at),
        ("snapshot", row.snapshot),
        ("updated", row.updated_at),
        ("stale since", row.stale_at),
        ("closed", row.closed_at),
        ("duplicates", ", ".join(m for m in members if m != row.id)),
        ("warnings", "; ".join(row.warnings)),
    ]:
        if value:
            echo(f"{label:>11}: {value}")
    if enrichment:
        _print_enrichment_of_job(enrichment.detail)
    echo("")
    echo(row.description_text)


def _print_enrichment_of_job(detail: dict[str, Any]) -> None:
    """The ML fields of one job, each with its evidence where there is some."""
    family = detail.get("role_family") or "unknown"
    if detail.get("ml_leadership") is not None:
        family += f" (ML leadership {detail['ml_leadership']:.0%})"
    low, high = detail.get("years_min"), detail.get("years_max")
    years = None if low is None else f"{low}+" if high is None else f"{low}-{high}"
    evidence = (detail.get("years_evidence") or {}).get("text")
    if years and evidence:
        years += f" years  «{evidence}»"
    skills = [
        skill["name"] + ("" if skill.get("required", True) else " (nice to have)")
        for skill in detail.get("skills", [])
    ]
    for label, value in [
        ("role", family),
        ("seniority", detail.get("seniority")),
        ("years", years),
        ("skills", ", ".join(skills)),
        ("duties", ", ".join(detail.get("duties", []))),
        ("enriched by", detail.get("model_version")),
        ("unknown", "; ".join(detail.get("reasons", []))),
    ]:
        if value:
            echo(f"{label:>11}: {value}")


@app.command()
def stats(as_json: JsonOption = False) -> None:
    """Counts by source, company, remote policy; salary coverage; errors."""
    numbers = _open_store().stats()
    if as_json:
        echo(json.dumps(numbers, indent=2))
        return
    total = numbers["jobs"] or 1
    echo(f"store: {database_url()}")
    echo(
        f"jobs: {numbers['jobs']} ({numbers['open']} open, {numbers['stale']} stale, "
        f"{numbers['closed']} closed), "
        f"raw postings kept: {numbers['raw_postings']}"
    )
    echo(
        f"duplicate clusters: {numbers['clusters']} "
        f"({numbers['jobs_in_duplicate_clusters']} jobs are duplicates of another)"
    )
    echo(
        f"with salary: {numbers['with_salary']} ({numbers['with_salary'] / total:.1%}); "
        f"with a located country: {numbers['with_location']} "
        f"({numbers['with_location'] / total:.1%})"
    )
    for title, key in [
        ("by source", "by_source"),
        ("by remote policy", "by_remote"),
        ("salary currency", "salary_currency"),
        ("top boards", "by_board"),
        ("top companies", "by_company"),
        ("errors by reason", "errors_by_reason"),
    ]:
        echo(f"{title}:")
        for name, n in numbers[key].items():
            echo(f"  {n:>7}  {name}")
    echo(f"errors logged: {numbers['errors']}")
    boards = numbers["boards"]["by_status"]
    if boards:
        echo("boards: " + ", ".join(f"{n} {status}" for status, n in sorted(boards.items())))
    for board in numbers["boards_in_trouble"]:
        echo(
            f"  {board['status'].upper()} {board['board']} ({board['failures']} failures in a "
            f"row; next try {board['next_try'] or 'not scheduled'}): {board['why']}"
        )


def _where(card: dict[str, Any], regions: list[str]) -> str:
    """A card's places with its remote policy: "London, GB [hybrid]", "[remote (US, CA)]"."""
    text = card["location"]
    if card["remote"] != "unknown":
        within = f" ({', '.join(regions)})" if regions else ""
        text = f"{text} [{card['remote']}{within}]".strip()
    return text


def _pay(card: dict[str, Any]) -> str:
    """A card's pay as people read it: "USD 200,000–250,000 / year"."""
    salary = card["salary"]
    if not salary:
        return ""
    amounts = "–".join(f"{v:,.0f}" for v in (salary["min"], salary["max"]) if v is not None)
    return f"{salary['currency']} {amounts} / {salary['period']}"


# -- enrichment -------------------------------------------------------------------------------


def _enrich(store: Store, embeddings: bool, *, quiet: bool = False) -> EnrichSummary:
    """Enrich (and embed) the stored jobs that need it, then make them searchable."""
    return refresh_store(store, embeddings=embeddings, say=_say_unless(quiet))


def _say(message: str) -> None:
    echo(message, err=True)


def _say_unless(quiet: bool) -> Callable[[str], None]:
    return (lambda message: None) if quiet else _say


def _print_enrichment(summary: EnrichSummary) -> None:
    line = f"enriched {summary.enriched} jobs ({summary.version})"
    if summary.embedding_model:
        line += f", embedded {summary.embedded} ({summary.embedding_model})"
    echo(line)
    for problem in summary.problems:
        echo(f"  note: {problem}", err=True)


# The filter options of `search`, shared by `saved add` (a saved search keeps them).
FamilyOption = Annotated[
    list[str] | None, typer.Option(help="Role families (default ml_leadership; `any` for all).")
]
SeniorityOption = Annotated[list[str] | None, typer.Option(help="staff, principal, manager…")]
RemoteOption = Annotated[list[str] | None, typer.Option(help="remote, hybrid, onsite.")]
CountryOption = Annotated[list[str] | None, typer.Option(help="ISO country codes: US, GB…")]
SkillOption = Annotated[list[str] | None, typer.Option(help="Skills every job must ask.")]
CompanyOption = Annotated[list[str] | None, typer.Option(help="Companies.")]
MinSalaryOption = Annotated[
    str | None, typer.Option(help="Pay floor, e.g. 200k (in --currency, per --period).")
]
CurrencyOption = Annotated[str, typer.Option(help="Currency of --min-salary.")]
PeriodOption = Annotated[str, typer.Option(help="year, month, week, day or hour.")]
ConvertOption = Annotated[
    bool,
    typer.Option(
        "--convert/--same-currency", help="Compare other currencies at the dated ECB rates."
    ),
]
PostedWithinOption = Annotated[int | None, typer.Option(min=1, help="Posted in the last N days.")]
SortOption = Annotated[str, typer.Option(help="relevance, newest or salary.")]


def _search_filters(
    family: list[str] | None,
    seniority: list[str] | None,
    remote: list[str] | None,
    country: list[str] | None,
    skill: list[str] | None,
    company: list[str] | None,
    min_salary: str | None,
    currency: str,
    period: str,
    convert: bool,
    posted_within: int | None,
    sort: str,
    include_closed: bool = False,
) -> SearchFilters:
    """The filters the options ask for; a sort, period or amount we do not know: exit 2."""
    from leadboard.search.engine import SORTS, SearchFilters
    from leadboard.search.index import SALARY_PERIODS
    from leadboard.search.query import parse_amount

    if sort not in SORTS:
        echo(f"--sort must be one of {', '.join(SORTS)}", err=True)
        raise typer.Exit(2)
    if period not in SALARY_PERIODS:
        echo(f"--period must be one of {', '.join(SALARY_PERIODS)}", err=True)
        raise typer.Exit(2)
    try:
        floor = parse_amount(min_salary) if min_salary else None
    except ValueError as error:
        echo(str(error), err=True)
        raise typer.Exit(2) from error
    return SearchFilters(
        role_family=family or None,
        seniority=seniority or [],
        remote=remote or [],
        country=[c.upper() for c in country or []],
        skills=skill or [],
        company=company or [],
        salary_min=floor,
        salary_currency=currency.upper(),
        salary_period=period,
        convert_currency=convert,
        posted_within_days=posted_within,
        include_closed=include_closed,
    )


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='What to look for: "llm platform tech lead remote".')
    ] = "",
    family: FamilyOption = None,
    seniority: SeniorityOption = None,
    remote: RemoteOption = None,
    country: CountryOption = None,
    skill: SkillOption = None,
    company: CompanyOption = None,
    min_salary: MinSalaryOption = None,
    currency: CurrencyOption = "USD",
    period: PeriodOption = "year",
    convert: ConvertOption = True,
    posted_within: PostedWithinOption = None,
    sort: SortOption = "relevance",
    page: Annotated[int, typer.Option(min=1)] = 1,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Results a page.")] = 10,
    include_closed: Annotated[bool, typer.Option("--include-closed")] = False,
    semantic: Annotated[
        bool, typer.Option("--semantic/--words-only", help="Use the embeddings too.")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Search the stored jobs: words and meaning, with filters typed inline ("remote", "london",
    "$200k+", "staff", "pytorch") or as options."""
    from leadboard.search.engine import SearchRequest
    from leadboard.store.schema import LOCAL_OWNER

    filters = _search_filters(
        family,
        seniority,
        remote,
        country,
        skill,
        company,
        min_salary,
        currency,
        period,
        convert,
        posted_within,
        sort,
        include_closed,
    )
    from leadboard.workspace.store import Workspace
    from leadboard.workspace.tracker import without_hidden

    store = _open_store()
    request = SearchRequest(q=query, filters=filters, sort=sort, page=page, per_page=limit)  # type: ignore[arg-type]
    # The jobs you hid (leadboard hide) leave the results, as on the search page.
    response = open_search(store, semantic=semantic).search(
        without_hidden(request, Workspace(store.engine), LOCAL_OWNER)
    )
    if as_json:
        echo(json.dumps(response.as_dict(), indent=2, default=str))
        return
    chips = ", ".join(f"{chip.kind}: {chip.label}" for chip in response.query.chips)
    echo(f"{response.total} jobs" + (f"  [{chips}]" if chips else ""))
    for typed, understood in response.query.corrections.items():
        echo(f"  (read {typed!r} as {understood!r})")
    for note in response.notes:
        echo(f"  note: {note}", err=True)
    for hit in response.results:
        job = hit.job
        lead = f" · ML lead {job['ml_leadership']:.0%}" if job["ml_leadership"] is not None else ""
        echo(
            f"{job['id']}\n  {job['title']} — {job['company'] or '?'} · {job['location']} "
            f"[{job['remote']}] · {job['seniority'] or '?'}{lead}"
        )
        if hit.highlights:
            echo("  " + _plain(hit.highlights[0]))


def _plain(highlight: str) -> str:
    """A highlight's safe HTML as terminal text."""
    return html.unescape(highlight.replace("<mark>", "").replace("</mark>", ""))[:200]


@app.command()
def match(
    resume: Annotated[Path, typer.Argument(help="The résumé: PDF, DOCX, TXT or Markdown.")],
    remote: Annotated[bool, typer.Option("--remote", help="Remote jobs only.")] = False,
    min_salary: Annotated[
        str | None, typer.Option(help="Yearly pay floor, e.g. 200k, in --currency.")
    ] = None,
    currency: Annotated[str, typer.Option(help="Currency of --min-salary.")] = "USD",
    family: Annotated[
        list[str] | None, typer.Option(help="Role families (default: any; e.g. ml_leadership).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Jobs to show.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Match a résumé to the stored jobs: a profile read from it, the jobs that fit best and
    why. The résumé is read in memory on this machine, never stored or sent anywhere."""
    from leadboard.match import MAX_BYTES, Matcher, ResumeError
    from leadboard.match.documents import too_large
    from leadboard.search.engine import ANY, SearchFilters
    from leadboard.search.query import parse_amount

    try:
        floor = parse_amount(min_salary) if min_salary else None
        with resume.open("rb") as file:  # read in memory, at most one byte past the limit
            data = file.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise too_large()
        matcher = Matcher(open_search())
        profile = matcher.read(data, resume.name)
    except (ResumeError, ValueError, OSError) as error:
        echo(f"{resume.name}: {error}", err=True)
        raise typer.Exit(2) from error
    filters = SearchFilters(
        role_family=family or [ANY],
        remote=["remote"] if remote else [],
        salary_min=floor,
        salary_currency=currency.upper(),
    )
    answer = matcher.match(profile, filters, limit)
    if as_json:
        echo(json.dumps(answer.as_dict(), indent=2, default=str))
        return
    profile = answer.profile
    managed = f" · managed {profile.people_managed}" if profile.people_managed else ""
    echo(
        f"{', '.join(profile.titles[:2]) or 'no title found'} · {profile.seniority} · "
        f"{profile.years_total:g} years ({profile.years_ml:g} in ML){managed}"
    )
    echo(f"skills: {', '.join(profile.skill_names) or 'none found'}")
    for note in answer.notes:
        echo(f"  note: {note}", err=True)
    for fit in answer.results:
        job = fit.job
        echo(
            f"\n{fit.score:.2f}  {job['title']} — {job['company'] or '?'} · "
            f"{job['location']} [{job['remote']}]\n      {job['id']}"
        )
        echo(f"      {fit.verdict}")
        echo(f"      {fit.summary}; {fit.experience['text']}")
        if fit.missing:
            echo(f"      missing: {', '.join(s['name'] for s in fit.missing)}")
    if answer.skill_gap:
        gaps = ", ".join(f"{g['skill']} ({g['jobs']})" for g in answer.skill_gap)
        echo(f"\nSkills that would open the most of these jobs: {gaps}")


@app.command()
def insights(
    query: Annotated[
        str, typer.Option("--query", help='A search whose postings to describe: "llm remote".')
    ] = "",
    family: Annotated[
        list[str] | None,
        typer.Option(help="Role families (default ml_leadership; `any` for all)."),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
    as_json: JsonOption = False,
) -> None:
    """The market page of ML leadership roles (or another family, or a search): open roles,
    duties, skills against other ML roles, years asked, pay and trend, each figure counted with
    its sample size and 95% interval; the claims hand-written pages make, checked."""
    from leadboard.enrich.role import FAMILIES
    from leadboard.insights.page import TOPICS, build_page
    from leadboard.insights.render import to_html, to_json, to_markdown
    from leadboard.search.engine import ANY, SearchFilters

    if output_format not in ("md", "html", "json"):
        echo("--format must be md, html or json", err=True)
        raise typer.Exit(2)
    unknown = [f for f in family or [] if f not in (*FAMILIES, ANY)]
    if unknown:
        known = ", ".join((*FAMILIES, ANY))
        echo(f"unknown family {unknown[0]!r}; one of: {known}", err=True)
        raise typer.Exit(2)
    families = tuple(family or ["ml_leadership"])
    topic = next((t for t in TOPICS.values() if t.families == families and not query), None)
    engine = open_search(semantic=False)
    page = build_page(engine, topic=topic, q=query, filters=SearchFilters(role_family=family))
    if as_json or output_format == "json":
        echo(to_json(page))
    else:
        echo(to_html(page, standalone=True) if output_format == "html" else to_markdown(page))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    semantic: Annotated[
        bool, typer.Option("--semantic/--words-only", help="Use the embeddings too.")
    ] = True,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch", help="Also re-crawl every enabled board on its schedule (`leadboard watch`)."
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Web worker processes (each with its own search engine; for PostgreSQL stores).",
        ),
    ] = 1,
) -> None:
    """Serve the web app and the JSON API (OpenAPI at /docs).

    Beyond loopback (e.g. --host 0.0.0.0) search, market pages and matching are rate-limited per
    client address, and changes to stored data need $LEADBOARD_WRITE_TOKEN or a user's token
    (`leadboard users add NAME`) as a Bearer token: each user sees only their own saved searches
    and tracker. With --workers N, uvicorn runs N processes; each opens the store and its own
    engine (memory grows with N; rate limits count per process), and --watch is refused: run
    `leadboard watch` beside them."""
    import os

    import uvicorn

    from leadboard.search.engine import SearchEngine
    from leadboard.web.security import InsecureSetup, is_loopback

    public = not is_loopback(host)
    if workers > 1 and watch:
        echo("--watch runs in one process: with --workers, run `leadboard watch` beside.", err=True)
        raise typer.Exit(2)
    limits = "  rate-limited per client" if public else ""
    try:
        if workers > 1:
            # Only the setup is checked here (an engine that reads nothing): each worker opens,
            # syncs and warms its own.
            store = _open_store()
            _web_app(store, SearchEngine(store, ranker=None), public=public)
            store.close()
            os.environ[SERVE_SETTINGS_ENV] = json.dumps({"semantic": semantic, "public": public})
            echo(f"Leadboard on http://{host}:{port}/  (API docs: /docs){limits}")
            # uvicorn's workers import the app by name: each builds its own from the settings.
            uvicorn.run(
                "leadboard.cli:worker_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_level="warning",
            )
            return
        web, store, engine = _served_app(semantic=semantic, public=public)
    except InsecureSetup as error:
        echo(f"Not serving on {host}: {error}", err=True)
        raise typer.Exit(2) from None
    if watch:
        import threading

        from leadboard.schedule import Watcher

        watcher = Watcher(store, embeddings=semantic, say=lambda m: echo(m, err=True))
        stop = threading.Event()
        threading.Thread(target=watcher.run, args=(stop,), daemon=True, name="watch").start()
    for note in engine.notes:
        echo(f"note: {note}", err=True)
    echo(f"Leadboard on http://{host}:{port}/  (API docs: /docs){limits}")
    uvicorn.run(web, host=host, port=port, log_level="warning")


SERVE_SETTINGS_ENV = "LEADBOARD_SERVE_SETTINGS"  # set by `serve --workers` for its workers


def _served_app(*, semantic: bool, public: bool) -> tuple[Any, Store, Any]:
    """The web app over the environment's store, its engine warming up in a thread."""
    import threading

    store = _open_store()
    engine = open_search(store, semantic=semantic, aside=True)  # answers before a sync ends
    web = _web_app(store, engine, public=public)
    threading.Thread(target=engine.warm_up, daemon=True).start()
    return web, store, engine


def _web_app(store: Store, engine: Any, *, public: bool) -> Any:
    """``create_app`` with the write token of the environment (``InsecureSetup`` without one
    beyond loopback)."""
    import os

    from leadboard.web.app import create_app
    from leadboard.web.security import WRITE_TOKEN_ENV

    return create_app(store, engine, public=public, write_token=os.environ.get(WRITE_TOKEN_ENV))


def worker_app() -> Any:
    """One `serve --workers N` worker's app (uvicorn calls it in each worker process)."""
    import os

    settings = json.loads(os.environ[SERVE_SETTINGS_ENV])
    return _served_app(semantic=settings["semantic"], public=settings["public"])[0]


@app.command()
def mcp(
    http: Annotated[
        bool, typer.Option("--http", help="Streamable HTTP at http://HOST:PORT/mcp, not stdio.")
    ] = False,
    host: Annotated[str, typer.Option(help="Interface for --http: loopback only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8765,
    semantic: Annotated[
        bool, typer.Option("--semantic/--words-only", help="Use the embeddings too.")
    ] = True,
) -> None:
    """Answer an AI assistant over MCP (the Model Context Protocol): search, jobs, similar jobs,
    résumé matching and market pages as tools. stdio by default (the assistant starts this
    command); --http serves them to assistants on this machine."""
    from leadboard.mcp_server import serve as serve_mcp
    from leadboard.web.security import is_loopback

    if http and not is_loopback(host):
        echo(f"Not serving on {host}: the MCP server listens on loopback only.", err=True)
        raise typer.Exit(2)
    engine = open_search(semantic=semantic)
    for note in engine.notes:
        echo(f"note: {note}", err=True)  # stdout is the protocol's, over stdio
    if http:
        echo(f"Leadboard MCP on http://{host}:{port}/mcp", err=True)
    serve_mcp(engine, http=http, host=host, port=port)


@app.command()
def train(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="The shared data folder (default: $LEADBOARD_DATA_DIR, else ../shared/data).",
        ),
    ] = None,
    extra_labels: Annotated[
        Path | None,
        typer.Option("--extra-labels", help="Our own labels (default: labelled/postings/extra)."),
    ] = None,
    no_extra: Annotated[
        bool, typer.Option("--no-extra", help="Leave out our own labels (--extra-labels).")
    ] = False,
    no_weak: Annotated[
        bool, typer.Option("--no-weak", help="Leave out the weak labels from titles.")
    ] = False,
    limit: Annotated[
        int | None, typer.Option(min=20, help="Train on the first N labelled postings only.")
    ] = None,
    package: Annotated[
        bool,
        typer.Option(
            "--package",
            help="Rebuild the model shipped with leadboard (src/leadboard/data/models/role) "
            "instead of your own.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Train the role model from the shared data (never on the holdout split) and save it under
    $LEADBOARD_HOME/models; `enrich`, `import` and `crawl` use it from then on instead of the
    model shipped with leadboard. Deterministic: the same data gives the same files."""
    from leadboard.enrich.training import PACKAGED_ROLE_MODEL_DIR, train_role_model

    if package and (no_extra or no_weak or limit is not None):
        echo(
            "--package trains on everything: leave out --no-extra, --no-weak and --limit", err=True
        )
        raise typer.Exit(2)

    def progress(message: str) -> None:
        if not as_json:
            echo(message)

    try:
        report = train_role_model(
            data_dir,
            extra=not no_extra,
            extra_dir=extra_labels,
            weak=not no_weak,
            limit=limit,
            output=PACKAGED_ROLE_MODEL_DIR if package else None,
            progress=progress,
        )
    except (FileNotFoundError, ValueError) as error:
        echo(f"Cannot train: {error}", err=True)
        raise typer.Exit(1) from error
    if as_json:
        echo(json.dumps(report.__dict__, indent=2))
        return
    echo(
        f"role model {report.version} saved to {report.path} in {report.seconds:.0f} s "
        f"(ML-leadership threshold {report.threshold:.3f}); re-enrich stored jobs with "
        "`leadboard enrich`"
    )


@app.command()
def enrich(
    input_path: Annotated[
        Path | None,
        typer.Option("--input", help="Postings, one JSON object a line (default: the store)."),
    ] = None,
    output_path: Annotated[
        Path | None, typer.Option("--output", help="Where to write the results (with --input).")
    ] = None,
    embeddings: Annotated[
        bool | None,
        typer.Option(
            "--embeddings/--no-embeddings",
            help="Also compute embeddings (default: yes for the store, no for --input).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Enrich postings: the stored jobs that need it, or a file (the evaluation contract in
    the README's "Enrichment" section, no store needed).

    Each input line: {"id", "title", "company", "location", "description"} and optionally
    "salary_text", "posted_at". A bad line is written as {"id", "error"} and the run goes on.
    """
    if input_path is None:
        if output_path is not None:
            echo("--output goes with --input", err=True)
            raise typer.Exit(2)
        with _writing_store(quiet=as_json) as store:
            summary = _enrich(store, embeddings is not False, quiet=as_json)
        if as_json:
            echo(json.dumps(summary.as_dict(), indent=2))
        else:
            _print_enrichment(summary)
        return
    if output_path is None:
        echo("--input needs --output", err=True)
        raise typer.Exit(2)
    try:
        written = enrich_file(
            input_path, output_path, embeddings=bool(embeddings), enricher=make_enricher(_say)
        )
    except FileNotFoundError as error:
        echo(str(error), err=True)
        raise typer.Exit(1) from None
    echo(f"enriched {written.written} postings into {output_path} ({written.errors} bad lines)")
    raise typer.Exit(written.exit_code)


@app.command("eval")
def evaluate_command(
    split: Annotated[
        str, typer.Option(help="tune (develop on it) or holdout (report figures from it).")
    ] = "tune",
    detail: Annotated[
        bool, typer.Option("--detail", help="Confusion and per-label tables.")
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="The shared data folder (default: $LEADBOARD_DATA_DIR, else ../shared/data).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Measure the enrichment against the labelled postings of the shared data (labels/)."""
    from leadboard.datasets import MissingData, Split
    from leadboard.eval.report import format_table, to_json

    splits = (*get_args(Split), "all")
    if split not in splits:
        echo(f"--split must be one of: {', '.join(splits)}", err=True)
        raise typer.Exit(2)
    enricher = make_enricher(_say_unless(as_json))
    try:
        run = evaluate_labelled(
            cast("Split | Literal['all']", split), enricher=enricher, data_dir=data_dir
        )
    except MissingData as error:
        echo(f"Cannot evaluate: {error}", err=True)
        raise typer.Exit(1) from error
    if run is None:
        echo("No labelled postings found in the shared data (--data-dir)", err=True)
        raise typer.Exit(1)
    if as_json:
        echo(to_json(run.report))
        return
    title = f"{run.postings} labelled postings ({split}), model {run.version}"
    echo(format_table(run.report, confusion=detail, per_label=detail, title=title))
    if run.in_sample:
        echo(
            "note: the role model was trained on the tune split, so its figures here are "
            "in-sample; report them from --split holdout"
        )


saved_app = typer.Typer(
    help="Saved searches: keep a search by name; each has an Atom feed when served "
    "(/feeds/ID.atom). Without a command: list them.",
    no_args_is_help=False,
)


@saved_app.callback(invoke_without_command=True)
def saved(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the saved searches, with how many open postings each selects and how many of
    those are new since you last opened its results."""
    if ctx.invoked_subcommand is not None:
        return
    from leadboard.workspace.searches import matches, new_since
    from leadboard.workspace.store import Workspace

    store = _open_store()
    engine = open_search(store, semantic=False)  # a saved search's postings: words and filters
    listed = []
    for kept in Workspace(store.engine).searches():
        found = matches(engine, kept)
        listed.append(
            {
                **_saved_json(kept),
                "sort": kept.sort,
                "created_at": kept.created_at.isoformat(),
                "last_seen_at": kept.last_seen_at.isoformat(),
                "matching": len(found),
                "new": new_since(found, kept.last_seen_at),
            }
        )
    if as_json:
        echo(json.dumps(listed, indent=2))
        return
    if not listed:
        echo('No saved searches yet: leadboard saved add "QUERY" [--name NAME]')
    for each in listed:
        query = f"“{each['query']}”" if each["query"] else "no words"
        echo(f"{each['id']:>4}  {each['name']}  ({query})")
        echo(f"      {each['new']} new of {each['matching']} open · feed {each['feed']}")


def _saved_json(kept: Any) -> dict[str, Any]:
    return {"id": kept.id, "name": kept.name, "query": kept.query, "feed": kept.feed}


@saved_app.command("add")
def saved_add(
    query: Annotated[str, typer.Argument(help="The search's words (and inline filters).")] = "",
    name: Annotated[str | None, typer.Option(help="Its name (default: its words).")] = None,
    family: FamilyOption = None,
    seniority: SeniorityOption = None,
    remote: RemoteOption = None,
    country: CountryOption = None,
    skill: SkillOption = None,
    company: CompanyOption = None,
    min_salary: MinSalaryOption = None,
    currency: CurrencyOption = "USD",
    period: PeriodOption = "year",
    convert: ConvertOption = True,
    posted_within: PostedWithinOption = None,
    sort: SortOption = "relevance",
    as_json: JsonOption = False,
) -> None:
    """Save a search: its words, the filter options `leadboard search` takes, and a sort."""
    from leadboard.workspace.store import InvalidSavedSearch, Workspace

    filters = _search_filters(
        family,
        seniority,
        remote,
        country,
        skill,
        company,
        min_salary,
        currency,
        period,
        convert,
        posted_within,
        sort,
    )
    try:
        kept = Workspace(_open_store().engine).add_search(
            query, name=name, filters=filters, sort=sort
        )
    except InvalidSavedSearch as error:
        echo(str(error), err=True)
        raise typer.Exit(2) from error
    if as_json:
        echo(json.dumps(_saved_json(kept)))
    else:
        echo(f"Saved search {kept.id}: {kept.name} (feed {kept.feed} when served)")


@saved_app.command("remove")
def saved_remove(
    search_id: Annotated[int, typer.Argument(help="Its id (leadboard saved).")],
) -> None:
    """Forget a saved search."""
    from leadboard.workspace.store import UnknownSavedSearch, Workspace

    try:
        removed = Workspace(_open_store().engine).remove_search(search_id)
    except UnknownSavedSearch as error:
        echo(str(error), err=True)
        raise typer.Exit(1) from error
    echo(f"Removed saved search {removed.id}: {removed.name}")


@saved_app.command("rename")
def saved_rename(
    search_id: Annotated[int, typer.Argument(help="Its id (leadboard saved).")],
    name: Annotated[str, typer.Argument(help="Its new name.")],
) -> None:
    """Rename a saved search."""
    from leadboard.workspace.store import InvalidSavedSearch, UnknownSavedSearch, Workspace

    try:
        renamed = Workspace(_open_store().engine).rename_search(search_id, name)
    except UnknownSavedSearch as error:
        echo(str(error), err=True)
        raise typer.Exit(1) from error
    except InvalidSavedSearch as error:
        echo(str(error), err=True)
        raise typer.Exit(2) from error
    echo(f"Saved search {renamed.id} is now: {renamed.name}")


app.add_typer(saved_app, name="saved")

alerts_app = typer.Typer(
    help="Alerts: each saved search's new postings, by email and/or webhook "
    "($LEADBOARD_SMTP_*, $LEADBOARD_WEBHOOK_URL; README: Alerts).",
    no_args_is_help=True,
)


def _alert_settings() -> Any:
    from leadboard.workspace.alerts import AlertSettingsError, settings_from_env

    try:
        return settings_from_env()
    except AlertSettingsError as error:
        echo(f"leadboard alerts: {error}", err=True)
        raise typer.Exit(2) from None


@alerts_app.command("send")
def alerts_send(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be sent; send and record nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Send each saved search's new postings (one digest a search and channel); for cron. Exits
    1 when a digest could not be delivered (it is retried on the next run)."""
    from leadboard.workspace.alerts import NO_CHANNEL, AlertsBusy, channels_of, send_alerts

    settings = _alert_settings()
    channels = channels_of(settings)
    if not channels:
        echo(f"leadboard alerts: {NO_CHANNEL}", err=True)
        raise typer.Exit(2)
    engine = open_search(_open_store(), semantic=False)  # saved searches: words and filters
    try:
        report = send_alerts(engine, channels, base_url=settings.base_url, dry_run=dry_run)
    except AlertsBusy as busy:
        echo(f"leadboard alerts: {busy}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        echo(json.dumps(report.as_dict(), indent=2))
    else:
        for line in report.lines() or ["nothing new to announce"]:
            echo(line)
    raise typer.Exit(report.exit_code)


@alerts_app.command("status")
def alerts_status(as_json: JsonOption = False) -> None:
    """The channels set up and, for each saved search and channel, what was sent and what is
    failing (with the last error)."""
    from leadboard.workspace.alerts import NO_CHANNEL, channels_of, delivery_status
    from leadboard.workspace.store import Workspace

    channels = [c.describe() for c in channels_of(_alert_settings())]
    status = delivery_status(Workspace(_open_store().engine))
    if as_json:
        echo(json.dumps({"channels": channels, "searches": status}, indent=2))
        return
    echo("Channels: " + ("; ".join(channels) if channels else NO_CHANNEL))
    for search in status:
        echo(f"{search['id']:>4}  {search['name']}")
        for channel, counts in search["channels"].items():
            last = counts["last_sent_at"]
            echo(
                f"      {channel}: {counts['sent']} sent"
                + (f" (last {last[:16].replace('T', ' ')} UTC)" if last else "")
            )
            for problem in counts["problems"]:
                echo(f"      {channel}: {problem}")
    if not status:
        echo("No saved searches yet: leadboard saved add QUERY")


app.add_typer(alerts_app, name="alerts")


def _register_board_commands() -> None:
    from leadboard.cli_boards import boards_app, watch

    app.add_typer(boards_app, name="boards")
    app.command("watch")(watch)


_register_board_commands()


def _register_tracker_commands() -> None:
    from leadboard.cli_tracker import register

    register(app)  # save-job, hide, track, tracker …, users …


_register_tracker_commands()


def _register_spark_command() -> None:
    from leadboard.cli_spark import enrich_spark

    app.command("enrich-spark")(enrich_spark)  # enrich a PostgreSQL store on a Spark cluster


_register_spark_command()


if __name__ == "__main__":  # pragma: no cover
    main()
