"""What a query's words do to the answer (issue 13): typed constraints rank rather than gut the
list, real words are never "corrected", an empty answer says what to drop, one company does not
fill the first page. Each test runs on both backends, on a small store of known jobs."""

from dataclasses import replace

from support.search_jobs import NOW, make_job

from leadboard import models
from leadboard.search.engine import PLENTY, SearchEngine, SearchFilters, SearchRequest
from leadboard.search.index import sync_search_index

ANY = SearchFilters(role_family=["any"])

# (id, title, text, company, seniority, salary a year or None)
JOBS = [
    (
        "1",
        "Director of Machine Learning",
        "Run the machine learning org.",
        "Orbit",
        "director",
        300_000,
    ),
    (
        "2",
        "Machine Learning Engineer",
        "Machine learning models; distributed training on GPUs.",
        "Nimbus",
        "senior",
        None,
    ),
    (
        "3",
        "Machine Learning Manager",
        "Manage a machine learning team.",
        "Quanta",
        "manager",
        250_000,
    ),
    ("4", "Pastry Chef", "Croissants and bread.", "Bakery", "mid", None),
]


def fill(store, jobs=JOBS):
    pairs = []
    for external_id, title, text, company, _, salary in jobs:
        posting, job = make_job(external_id, title, text, "onsite", salary, 3)
        pairs.append((posting, job.model_copy(update={"company": company})))
    store.save_batch(pairs, [], index=store.duplicate_index(), seen_at=NOW)
    store.save_enrichments(
        [
            (
                job.id,
                job.content_hash,
                models.Enrichment(
                    id=job.id,
                    model_version="test-labels",
                    role_family="ml_leadership"
                    if seniority in ("director", "manager")
                    else "ml_ic",
                    seniority=seniority,
                    ml_leadership=0.9 if seniority in ("director", "manager") else 0.1,
                    is_ml_leadership=seniority in ("director", "manager"),
                ),
            )
            for (_, job), (*_, seniority, _) in zip(pairs, jobs, strict=True)
        ],
        NOW,
    )
    sync_search_index(store)


def search(store, q, **filters):
    return SearchEngine(store, ranker=None).search(
        SearchRequest(q=q, filters=replace(ANY, **filters))
    )


def titles(response):
    return [hit.job["title"] for hit in response.results]


def test_a_typed_level_ranks_its_jobs_first_and_says_what_was_relaxed(store):
    fill(store)
    response = search(store, "director machine learning")
    assert response.total == 3  # the level filtered nothing out: too few would remain
    assert titles(response)[0] == "Director of Machine Learning"
    [chip] = response.as_dict()["query"]["chips"]
    assert (chip["kind"], chip["value"], chip["filtered"]) == ("seniority", "director", False)
    assert any(note.startswith("showing all levels: 1 job is director") for note in response.notes)


def test_a_typed_city_with_no_job_leaves_the_list_whole(store):
    fill(store)  # every job is in London
    response = search(store, "machine learning lead berlin")
    assert response.total == 3
    assert any("showing every place: 0 jobs in Berlin" in note for note in response.notes)


def test_a_chip_filters_when_asked_with_a_colon_or_by_the_filter_parameter(store):
    fill(store)
    asked = search(store, "director: machine learning")
    assert titles(asked) == ["Director of Machine Learning"]
    assert asked.as_dict()["query"]["chips"][0]["filtered"] is True
    assert search(store, "machine learning", seniority=["director"]).total == 1


def test_a_typed_chip_filters_where_plenty_of_results_keep_it(store):
    jobs = [
        (str(n), f"Machine Learning Lead {n}", "Machine learning.", f"Co{n}", level, None)
        for n, level in enumerate(["director"] * PLENTY + ["senior"] * 5)
    ]
    fill(store, jobs)
    response = search(store, "director machine learning")
    assert response.total == PLENTY
    assert response.as_dict()["query"]["chips"][0]["filtered"] is True


def test_a_word_the_index_knows_is_never_corrected(store):
    fill(store)
    # "training" is a near miss of the skill "Ranking" ("Search and Ranking"), but a word.
    response = search(store, "distributed training")
    assert response.query.corrections == {}
    assert titles(response) == ["Machine Learning Engineer"]
    typo = search(store, "pytroch machine learning")  # no job says "pytroch": a typo
    assert typo.query.corrections == {"pytroch": "PyTorch"}


def test_an_empty_answer_says_which_filter_to_drop_with_its_count(store):
    fill(store)
    response = search(store, "machine learning berlin:")
    assert response.total == 0
    assert [(s.kind, s.name, s.count) for s in response.suggestions] == [("filter", "city", 3)]
    assert not any("any of them" in note for note in response.notes)  # no dead end above "0"


def test_a_pay_floor_offers_the_postings_that_state_no_pay_ranked_last(store):
    fill(store)
    floor = search(store, "machine learning", salary_min=200_000)
    assert set(titles(floor)) == {"Director of Machine Learning", "Machine Learning Manager"}
    assert [(s.kind, s.count) for s in floor.suggestions] == [("unstated_pay", 1)]
    widened = search(store, "machine learning", salary_min=200_000, include_unstated_pay=True)
    assert widened.total == 3 and titles(widened)[-1] == "Machine Learning Engineer"
    assert widened.suggestions == []


def test_the_first_page_holds_at_most_three_jobs_of_a_company(store):
    jobs = [
        (
            str(n),
            f"Machine Learning Manager {n}",
            "Machine learning machine learning.",
            "Big",
            "manager",
            None,
        )
        for n in range(5)
    ] + [("9", "Machine Learning Manager", "Machine learning.", "Small", "manager", None)]
    fill(store, jobs)
    companies = [hit.job["company"] for hit in search(store, "machine learning manager").results]
    assert companies[:4].count("Big") == 3 and "Small" in companies[:4]
    assert len(companies) == 6  # moved down, not out
