"""The orchestration the commands call, as a Python API: files enriched without a store, and a
crawl that tells an offline machine from failing boards by what the HTTP client saw."""

import json
import socket

import pytest
from sqlalchemy import text

from leadboard.pipeline import EXIT_OK, EXIT_WITH_REJECTS, crawl_boards, enrich_file, import_paths
from leadboard.sources.boards import parse_board_specs
from leadboard.store.repository import Store

POSTING = {
    "id": "p-1",
    "title": "Staff Machine Learning Engineer",
    "company": "Acme",
    "location": "Remote, US",
    "description": "Lead the ranking team. 5+ years of Python and PyTorch.",
}


def test_a_file_is_enriched_line_by_line_in_input_order_bad_lines_named(tmp_path, models_dir):
    postings = tmp_path / "in.jsonl"
    lines = [json.dumps(POSTING), "{not json", "", json.dumps(dict(POSTING, id="p-2")), "[1]"]
    postings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"

    summary = enrich_file(postings, out, batch_size=1)

    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in results] == ["p-1", None, "p-2", None]
    assert [r.get("line") for r in results] == [None, 2, None, 5]  # where the bad ones were
    assert results[0]["seniority"] == "staff" and "embedding" not in results[0]
    assert results[0]["ml_leadership"] is not None  # the packaged role model, nothing trained
    assert (summary.written, summary.errors, summary.exit_code) == (2, 2, EXIT_WITH_REJECTS)


def test_a_clean_file_exits_0_and_a_missing_one_raises(tmp_path, models_dir):
    postings = tmp_path / "in.jsonl"
    postings.write_text(json.dumps(POSTING) + "\n", encoding="utf-8")
    assert enrich_file(postings, tmp_path / "out.jsonl").exit_code == EXIT_OK
    with pytest.raises(FileNotFoundError, match="No such file"):
        enrich_file(tmp_path / "nope.jsonl", tmp_path / "out.jsonl")


@pytest.fixture
def refused_port():
    with socket.socket() as probe:  # a port nothing listens on: every connection is refused
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_boards_whose_hosts_cannot_be_reached_make_an_offline_crawl(
    store, monkeypatch, refused_port
):
    root = f"http://127.0.0.1:{refused_port}"
    for kind in ("GREENHOUSE", "LEVER"):
        monkeypatch.setenv(f"LEADBOARD_{kind}_API", root)
    monkeypatch.setenv("LEADBOARD_HTTP_MIN_INTERVAL", "0")
    # Lever turns a failed page into a partial listing: the client still knows why it failed.
    boards = parse_board_specs(["greenhouse:a", "lever:b", "greenhouse:c", "lever:d"])
    summary = crawl_boards(store, boards, concurrency=2)
    assert summary.offline and summary.unreachable == summary.boards == 2  # stopped early
    assert summary.as_dict()["unreachable"] == 2


def test_a_board_that_answers_badly_is_a_failure_not_offline(store, monkeypatch, httpserver):
    monkeypatch.setenv("LEADBOARD_GREENHOUSE_API", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("LEADBOARD_HTTP_MIN_INTERVAL", "0")
    httpserver.expect_request("/v1/boards/down/jobs").respond_with_data("oops", status=404)
    summary = crawl_boards(store, parse_board_specs(["greenhouse:down"]), concurrency=1)
    assert not summary.offline and summary.unreachable == 0
    assert [what for what, _ in summary.failed] == ["greenhouse:down"]


# -- import: worker processes normalise and sign, this one stores ----------------------------------

# What an import may set differently from run to run: when it ran, and row numbers.
WHEN = {"first_seen_at", "last_seen_at", "confirmed_at", "updated_at", "stale_at", "fetched_at"}
RUN = WHEN | {"created_at", "run_id", "id"}


def _stored(store: Store) -> dict[str, list[dict]]:
    """Every row of the tables an import writes, but when it ran and row numbers."""
    tables = {
        "jobs": ("id", WHEN),
        "raw_postings": ("job_id, payload_hash", RUN),
        "ingest_errors": ("location", RUN),
    }
    with store.engine.connect() as connection:
        return {
            table: [
                {key: value for key, value in row.items() if key not in ignored}
                for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY {order}"))
                .mappings()
                .all()
            ]
            for table, (order, ignored) in tables.items()
        }


@pytest.mark.shared_data
def test_an_import_in_worker_processes_stores_what_one_process_stores(tmp_path, shared_data_dir):
    """Slices of three real dumps (re-posts and one job on two boards among them), one line that
    is no JSON and one posting without a title: two workers store the same jobs, clusters,
    fields and rejects as this process alone."""
    postings = shared_data_dir / "postings"
    for name, lines in [
        ("ai-labs-2026-04", 900),
        ("aggregator-2026q1", 600),
        ("linkedin-ds-2018", 400),
    ]:
        rows = (postings / name / "postings.jsonl").read_text().splitlines()[:lines]
        if name == "aggregator-2026q1":
            untitled = {**json.loads(rows[1]), "title": ""}
            rows[1:2] = ["{not json", json.dumps(untitled)]
        (tmp_path / "dumps" / name).mkdir(parents=True)
        (tmp_path / "dumps" / name / "postings.jsonl").write_text("\n".join(rows) + "\n")

    stored, summaries = [], []
    for workers in (1, 2):
        store = Store.open(f"sqlite:///{tmp_path}/workers-{workers}.db")
        summaries.append(import_paths(store, [tmp_path / "dumps"], workers=workers).as_dict())
        stored.append(_stored(store))
        store.close()

    one, two = summaries
    assert one["read"] == 1901 and one["inserted"] > 1500
    assert one["rejects_by_reason"] == {"malformed JSON": 1, "missing title": 1}
    assert one["duplicates"]["text"] > 10 and one["duplicates"]["url"] > 0
    assert one == two
    assert stored[0] == stored[1]
    jobs = stored[0]["jobs"]
    assert len({job["cluster_id"] for job in jobs}) < len(jobs)
    assert sum(job["minhash"] is not None for job in jobs) > 900  # signed in the workers


LEAD_TEXT = (
    "Lead the ranking team of eight engineers who train and ship the models behind search. "
    "You set the roadmap with product, hire and grow the team, review designs and code, and "
    "own the offline and online evaluation of every model we launch. Five or more years of "
    "Python and PyTorch, two of them leading people."
)
OTHER_TEXT = (
    "Build the forecasting service that plans our warehouses: time series models, their "
    "features and their monitoring. You work with operations every week, write SQL and "
    "Python daily, and keep the nightly pipelines green. Three years of experience with "
    "demand forecasting in retail or logistics."
)


def _dump(folder, postings) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "postings.jsonl").write_text("".join(json.dumps(p) + "\n" for p in postings))


@pytest.fixture
def signed(monkeypatch):
    """The texts signed in this process, in order (by the real ``sign``)."""
    import leadboard.pipeline as pipeline

    texts: list[str] = []
    real = pipeline.sign

    def counted(title: str, text: str) -> bytes | None:
        texts.append(text)
        return real(title, text)

    monkeypatch.setattr(pipeline, "sign", counted)
    return texts


def test_an_unchanged_reimport_signs_nothing_and_a_changed_posting_is_signed_again(
    tmp_path, signed
):
    """Only a posting whose content changed is signed again, and clustered by its new text; the
    others are left as they were."""
    lead = dict(POSTING, id="lead", description=LEAD_TEXT)
    other = dict(POSTING, id="other", company="Globex", description=OTHER_TEXT)
    _dump(tmp_path / "dumps" / "acme", [lead, other])
    store = Store.open(f"sqlite:///{tmp_path}/leadboard.db")

    import_paths(store, [tmp_path / "dumps"], workers=1)
    assert signed == [LEAD_TEXT, OTHER_TEXT]
    before = _stored(store)
    assert len({job["cluster_id"] for job in before["jobs"]}) == 2

    signed.clear()
    again = import_paths(store, [tmp_path / "dumps"], workers=1)
    assert signed == []
    assert (again.unchanged, again.updated, again.inserted) == (2, 0, 0)
    assert _stored(store) == before

    # Globex now posts Acme's text under the same title: a duplicate of it, by its text.
    _dump(tmp_path / "dumps" / "acme", [lead, dict(other, description=LEAD_TEXT)])
    changed = import_paths(store, [tmp_path / "dumps"], workers=1)
    assert signed == [LEAD_TEXT]
    assert (changed.unchanged, changed.updated, changed.duplicates) == (1, 1, {"text": 1})
    jobs = _stored(store)["jobs"]
    assert jobs[0]["cluster_id"] == jobs[1]["cluster_id"]
    assert jobs[0]["minhash"] == jobs[1]["minhash"] != before["jobs"][1]["minhash"]
    store.close()


def test_a_posting_stored_as_it_was_after_a_change_read_before_it_is_signed_when_saved(tmp_path):
    """The stored hashes go with a batch before the batches read ahead of it are saved: a job
    changed by one batch and changed back by the next is signed when saved, as if read alone."""
    from leadboard.pipeline import IngestSummary, ingest
    from leadboard.sources.base import Reject
    from leadboard.sources.files import read_dump

    lead = dict(POSTING, id="lead", description=LEAD_TEXT)
    _dump(tmp_path / "first" / "acme", [lead])
    _dump(tmp_path / "then" / "acme", [dict(lead, description=OTHER_TEXT), lead])
    store = Store.open(f"sqlite:///{tmp_path}/leadboard.db")
    import_paths(store, [tmp_path / "first"], workers=1)
    first = _stored(store)["jobs"]

    postings = list(read_dump(tmp_path / "then" / "acme" / "postings.jsonl"))
    assert not any(isinstance(p, Reject) for p in postings)
    index = store.duplicate_index()
    summary = IngestSummary()
    ingest(store, postings, summary, index=index, batch_size=1)

    assert (summary.updated, summary.unchanged) == (2, 0)  # changed, then changed back
    assert _stored(store)["jobs"] == first  # its first text, signature and cluster
    store.close()
