"""Market pages over a real store (each backend): the known market of ``market_jobs.py``, counted
by the page and recounted independently, and rendered as Markdown and JSON by the CLI."""

import json

import pytest
from sqlalchemy import text
from support.market_jobs import LEADS, fill_market, lead, store_jobs
from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.insights.page import PageCache, UnknownTopic, build_page, topic_for
from leadboard.insights.render import to_markdown
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest, merge_chips
from leadboard.store.compact import unpack_description


@pytest.fixture
def engine(store):
    fill_market(store)
    return SearchEngine(store)


def test_the_ml_tech_lead_page_counts_the_known_market(engine):
    page = build_page(engine, topic=topic_for("ml-tech-lead"))
    assert page.postings == LEADS  # the copy counts once, the closed posting not at all
    assert page.companies == 6
    assert [(row.name, row.share.count) for row in page.sources] == [("greenhouse:acme", 24)]
    remote = {row.name: row.share.count for row in page.remote}
    assert remote == {"remote": 6, "hybrid": 6, "onsite": 12}
    assert {row.name: row.share.count for row in page.countries} == {"US": 18, "GB": 8}
    duties = {row.name: row.share for row in page.duties}
    assert duties["stakeholders"].value == 1.0 and duties["mentoring"].count == 18
    assert page.duties[0].name == "stakeholders"
    skills = {row.name: row for row in page.skills}
    assert (skills["Python"].here.count, skills["Python"].here.total) == (12, 24)
    assert (skills["Python"].others.count, skills["Python"].others.total) == (10, 10)
    assert skills["Python"].difference.high < 0 and skills["Python"] in page.less
    assert page.years.quartiles == (4.5, 6.5, 9.0)
    assert (page.years.many.count, page.years.many.total) == (8, 16)


def test_claims_are_measured_with_a_verdict(engine):
    claims = {
        claim.says: claim for claim in build_page(engine, topic=topic_for("ml-tech-lead")).claims
    }
    python = claims["Proficiency in Python … is standard"]
    assert (python.share.count, python.share.total) == (12, 24)
    assert python.verdict == "unclear: the interval spans 50%"
    frameworks = claims["familiarity with frameworks such as TensorFlow or PyTorch is standard"]
    assert frameworks.share.count == 10
    assert claims["PyTorch is standard"].verdict == "not supported"  # 6 of 24: 10–45%
    eight = claims["Most candidates … possess 8+ years of relevant experience"]
    assert eight.share.count == 8 and eight.verdict == "too few postings to tell (n=16)"
    trend = claims["Generative AI, LLMs, and vector databases is increasingly valuable"]
    assert trend.verdict.startswith("too few dated postings")  # 18 dated: no two periods of 20


def test_pay_by_currency_and_the_trend_counts_only_real_posting_dates(engine):
    page = build_page(engine, topic=topic_for("ml-tech-lead"))
    usd = next(g for g in page.pay if g.currency == "USD" and g.by == "all")
    assert usd.count == 20 and usd.median == 220_000 and not usd.small
    gbp = next(g for g in page.pay if g.currency == "GBP" and g.by == "all")
    assert gbp.count == 2 and gbp.small and gbp.median == 100_000
    assert {g.group for g in page.pay if g.currency == "GBP" and g.by == "country"} == {"GB"}
    assert (page.trend.dated.count, page.trend.dated.total) == (18, 24)


def test_a_posting_listed_without_its_text_is_open_but_asks_for_nothing(engine, store):
    title_only = lead(0) | {"title": "ML Tech Lead, title only", "text": ""}
    store_jobs(store, [title_only], board="listing")
    page = build_page(engine, topic=topic_for("ml-tech-lead"))
    assert page.postings == LEADS + 1 and page.readable == LEADS
    python = next(row.here for row in page.skills if row.name == "Python")
    assert (python.count, python.total) == (12, 24)  # not 13 of 25: it had nothing to ask with
    assert {row.name: row.share.count for row in page.remote}["remote"] == 7


def test_three_figures_recounted_straight_from_the_store(engine, store):
    """The page's open roles, PyTorch share and share asking 8+ years, recounted with plain SQL
    over the jobs, their enrichments and the duplicate clusters (not the page's code)."""
    page = build_page(engine, topic=topic_for("ml-tech-lead"))
    with store.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT j.cluster_id, e.skills, e.years_min, j.description FROM jobs j "
                "JOIN enrichments e ON e.job_id = j.id "
                "WHERE j.closed_at IS NULL AND e.role_family = 'ml_leadership' "
                "ORDER BY j.id <> j.cluster_id, j.first_seen_at, j.id"
            )
        ).all()
    postings = {}  # one a duplicate cluster: the cluster's own job, else its first open one
    for cluster, skills, years, description in rows:
        skills = json.loads(skills) if isinstance(skills, str) else skills
        described = unpack_description(description)[1] != ""  # HTML and text, compressed
        postings.setdefault(cluster, (skills, years, described))
    assert page.postings == len(postings)
    read = [(skills, years) for skills, years, described in postings.values() if described]
    pytorch = sum("PyTorch" in skills for skills, _ in read)
    claims = {claim.says: claim.share for claim in page.claims}
    assert claims["PyTorch is standard"].count == pytorch
    assert claims["PyTorch is standard"].value == pytest.approx(pytorch / len(read))
    stated = [years for _, years in read if years is not None]
    assert page.years.many.value == pytest.approx(sum(y >= 8 for y in stated) / len(stated))


def test_a_search_page_counts_what_the_search_matches(engine):
    page = build_page(engine, q="pytorch remote")  # chips: the PyTorch skill and remote
    assert page.postings == 6  # PyTorch: i % 4 == 0, all of them remote
    # The chips in words (labels.py), not "remote: remote".
    assert page.selection.endswith("; Skill: PyTorch, Remote")
    assert page.postings < 20 and "Only" in page.overview[0].text  # says the sample is small
    every = build_page(engine, filters=SearchFilters(role_family=["any"]))
    assert every.postings == LEADS + 10 + 3 + 1


@pytest.mark.parametrize("query", ["pytorch remote", "ml tech lead", "lead 1", "analyst", ""])
def test_a_search_page_counts_the_postings_the_search_finds_by_words(engine, query):
    """A page counts what the search finds with the query's chips as filters: the search itself
    only ranks by a typed chip ("remote" lifts remote jobs), a page about "pytorch remote" counts
    remote PyTorch jobs."""
    every = SearchFilters(role_family=["any"])
    selection = engine.selection(query, every)
    filters = merge_chips(every, selection.query.chips)
    request = SearchRequest(q=selection.query.text, filters=filters, mode="lexical", per_page=100)
    found = engine.search(request)
    assert len(selection.ids) == found.total
    assert {hit.document_id for hit in found.results} <= set(selection.ids)


def test_a_page_with_nothing_to_count_says_so(engine):
    page = build_page(engine, q="quantum underwater basket weaving")
    assert page.postings == 0 and page.skills == [] and page.years.quartiles is None
    assert "nothing to measure" in page.overview[0].text
    assert "nothing to measure" in to_markdown(page)


def test_unknown_topics_are_refused_and_aliases_work():
    assert topic_for("ml-leadership") == topic_for("ml-tech-lead")
    with pytest.raises(UnknownTopic, match="one of: ml-tech-lead"):
        topic_for("<script>")


def test_the_page_cache_serves_a_page_until_the_index_changes(engine, store):
    cache = PageCache(engine)
    first = cache.page(topic=topic_for("ml-tech-lead"))
    assert cache.page(topic=topic_for("ml-tech-lead")) is first
    store_jobs(store, [lead(1) | {"title": "ML Tech Lead, new"}], board="new")
    again = cache.page(topic=topic_for("ml-tech-lead"))
    assert again is not first and again.postings == LEADS + 1


def test_the_cli_writes_the_page_as_markdown_and_json(
    engine, store, database_url, tmp_path, monkeypatch
):
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEADBOARD_DATABASE_URL", database_url)
    runner = CliRunner()
    markdown = runner.invoke(app, ["insights", "--format", "md"])
    assert markdown.exit_code == 0, markdown.output
    assert markdown.output.startswith("# ML Tech Lead jobs: the market, measured")
    assert "[24](#open-roles) open postings" in markdown.output
    assert "| “PyTorch is standard” | postings asking for PyTorch | 25% |" in markdown.output
    for heading in ("Claims checked", "Duties", "Skills", "Experience", "Pay", "Trend"):
        assert f"\n## {heading}\n" in markdown.output
    answer = json.loads(runner.invoke(app, ["insights", "--query", "pytorch", "--json"]).output)
    assert answer["postings"] == 6 and answer["query"] == "pytorch"
    assert answer["years"]["many"]["total"] == 4  # PyTorch leads 4, 8, 16, 20 state years
    bad = runner.invoke(app, ["insights", "--format", "pdf"])
    assert bad.exit_code == 2 and "--format must be md, html or json" in bad.output
