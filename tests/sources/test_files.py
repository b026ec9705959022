"""Dump import: our schema, raw ATS records, native CSVs, and every kind of bad input."""

from __future__ import annotations

import collections
import json
import os
import re
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadboard.models import SourcePosting
from leadboard.sources.base import Reject
from leadboard.sources.files import (
    DumpFormatError,
    iter_dump_files,
    read_dump,
    scan_dump_files,
)

DUMPS = Path(__file__).parent / "fixtures" / "dumps"
WHEN = datetime(2026, 5, 1, tzinfo=UTC)


def read_all(path: Path) -> tuple[list[SourcePosting], list[Reject]]:
    items = list(read_dump(path, fetched_at=WHEN))
    postings = [item for item in items if isinstance(item, SourcePosting)]
    rejects = [item for item in items if isinstance(item, Reject)]
    assert len(postings) + len(rejects) == len(items)
    return postings, rejects


def by_key(postings: list[SourcePosting]) -> dict[str, SourcePosting]:
    return {posting.key: posting for posting in postings}


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# ---------------------------------------------------------------------------------------------
# Finding files


def test_folder_expands_to_dump_files_and_notes_the_others():
    scan = scan_dump_files(DUMPS)

    names = [path.relative_to(DUMPS).as_posix() for path in scan.files]
    assert names == [
        "ats_samples.json",
        "native/glassdoor_sample.csv",
        "native/indeed_sample.csv",
        "native/linkedin_2020_sample.csv",
        "native/linkedin_2025_sample.csv",
        "ours.csv",
        "ours.jsonl",
    ]
    skipped = {path.name: reason for path, reason in scan.skipped}
    assert skipped["empty.jsonl"] == "empty file"
    assert skipped["skills_dictionary.csv"].startswith("CSV header is not a posting dump")
    assert "Statistics" in skipped["skills_dictionary.csv"]
    assert skipped["other.xml"] == "not a dump file type (.xml)"
    assert "SOURCE.txt" not in skipped  # documentation is passed over silently
    assert iter_dump_files(DUMPS) == scan.files


def test_a_file_expands_to_itself_and_a_missing_path_is_an_error(tmp_path):
    assert iter_dump_files(DUMPS / "ours.jsonl") == [DUMPS / "ours.jsonl"]
    with pytest.raises(FileNotFoundError, match="nowhere"):
        iter_dump_files(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="nowhere"):
        read_dump(tmp_path / "nowhere.jsonl")
    with pytest.raises(DumpFormatError, match="a folder"):
        read_dump(tmp_path)


def test_json_lines_in_a_json_file_are_read(tmp_path):
    path = write(tmp_path, "lines.json", '{"id": "1", "title": "Engineer"}\n{"id": "2"}\n')
    postings, rejects = read_all(path)
    assert [p.external_id for p in postings] == ["1"]
    assert [(r.where, r.reason) for r in rejects] == [("line 2", "missing title")]


# ---------------------------------------------------------------------------------------------
# Our schema


def test_our_schema_jsonl_row_maps_every_field():
    postings, _ = read_all(DUMPS / "ours.jsonl")
    posting = by_key(postings)["file:test-dump:t-1"]

    assert posting.source == "file"
    assert posting.url == "https://example.com/jobs/1"
    assert posting.title == "Head of Machine Learning"
    assert posting.company == "Acme"
    assert posting.locations == ["London, UK"]
    assert posting.description == "<p>Lead our ML team.</p>"
    assert posting.description_format == "html"
    assert posting.posted_at == "2026-03-01T10:00:00Z"
    assert posting.salary_text == "£150k-£180k"
    assert posting.workplace_type == "Hybrid"
    assert posting.employment_type == "Full-time"
    assert posting.extra["linkedin_seniority"] == "Director"
    assert posting.fetched_at == WHEN
    assert posting.payload["id"] == "t-1"  # the record as the file had it


def test_rows_without_id_get_stable_hash_ids():
    first, _ = read_all(DUMPS / "ours.jsonl")
    again, _ = read_all(DUMPS / "ours.jsonl")

    hashed = [p for p in first if p.board == "test-dump" and not p.external_id.startswith("t-")]
    titles = {p.title: p.external_id for p in hashed}
    assert set(titles) == {"ML Engineer", "Data Scientist"}  # one with a URL, one without
    assert all(len(external_id) == 16 for external_id in titles.values())
    assert [p.key for p in first] == [p.key for p in again]
    assert first == again  # same file, same postings: imports are idempotent


def test_our_schema_quirks_are_cleaned():
    postings = by_key(read_all(DUMPS / "ours.jsonl")[0])
    no_id = next(p for p in postings.values() if p.title == "ML Engineer")

    assert no_id.locations == ["Paris", "Remote"]  # a list of locations is kept
    assert no_id.salary_text is None  # "None" is no salary
    python_list = postings["file:test-dump:t-8"]
    assert python_list.description == "About Us\nWe count things.\nApply now."
    guessed = next(p for p in postings.values() if p.title == "Data Scientist")
    assert guessed.description_format == "text"  # null format, guessed from the text
    assert guessed.locations == []


def test_invalid_date_keeps_the_row_with_the_raw_date():
    postings = by_key(read_all(DUMPS / "ours.jsonl")[0])
    assert postings["file:test-dump:t-7"].posted_at == "the 32nd of Smarch"


def test_bad_jsonl_records_are_rejected_with_line_reason_and_sample():
    _, rejects = read_all(DUMPS / "ours.jsonl")
    found = {(r.where, r.reason.split(":")[0]) for r in rejects}

    assert ("line 4", "malformed JSON") in found
    assert ("line 5", "not a JSON object but list") in found
    assert ("line 6", "missing title") in found
    assert ("line 15", "greenhouse record not readable") in found
    assert all(r.source == str(DUMPS / "ours.jsonl") for r in rejects)
    malformed = next(r for r in rejects if r.where == "line 4")
    assert malformed.sample.startswith('{"id": "t-4"')


def test_our_schema_csv_reads_like_jsonl():
    postings, rejects = read_all(DUMPS / "ours.csv")
    posting = by_key(postings)["file:csv-dump:c-1"]

    assert posting.description == "Line one.\nLine two, with a comma."
    assert posting.salary_text == "$200,000 - $250,000"
    assert posting.workplace_type == "Remote"  # from the JSON text in the extra column
    assert posting.payload["title"] == "Head of Data Science"  # the CSV row as read
    bad_extra = by_key(postings)["file:csv-dump:c-4"]
    assert bad_extra.extra == {"extra_text": "{not json"}
    assert [(r.where, r.reason) for r in rejects] == [("row 3 (line 5)", "missing title")]
    assert any(p.title == "ML Engineer" and len(p.external_id) == 16 for p in postings)


# ---------------------------------------------------------------------------------------------
# Raw ATS records


def test_raw_greenhouse_record_goes_through_the_connector_with_ats_ids():
    postings = by_key(read_all(DUMPS / "ours.jsonl")[0])
    posting = postings["greenhouse:acme:4001"]

    assert posting.source == "greenhouse" and posting.board == "acme"
    assert posting.title == "Director of AI Research"
    assert posting.requisition_id == "R-17"  # read by greenhouse.parse_job
    # The list record has no description: the dump's copy fills it.
    assert posting.description == "<p>Full text kept beside the record.</p>"
    assert posting.description_format == "html"
    assert posting.extra["dump"] == "labs-dump"
    assert posting.extra["dump_id"] == "gh-1"
    assert posting.extra["team"] == "Research"
    assert "raw_record" not in posting.extra


def test_board_comes_from_whichever_url_names_it():
    postings = by_key(read_all(DUMPS / "ours.jsonl")[0])
    # absolute_url is a custom domain; the dump's boards.greenhouse.io URL names the board.
    assert "greenhouse:acme:4002" in postings


def test_raw_ashby_and_lever_records_use_their_connectors():
    postings = by_key(read_all(DUMPS / "ours.jsonl")[0])

    ashby = postings["ashby:acme-ai:0b5e3c1a-6f2d-4c59-9d3e-2f8c1b7a9e10"]
    assert ashby.title == "Engineering Manager, Inference"
    assert ashby.workplace_type == "Hybrid"
    lever = postings["lever:acme:5c7d2e4f-1a2b-4c3d-8e9f-0a1b2c3d4e5f"]
    assert lever.locations == ["Berlin"]
    assert lever.extra["dump_id"] == "lv-1"


def test_ats_record_without_a_board_url_stays_a_file_posting_with_a_note():
    postings = by_key(read_all(DUMPS / "ours.jsonl")[0])
    posting = postings["file:labs-dump:gh-3"]

    assert posting.extra["import_warnings"] == ["greenhouse board not found in the job URL"]
    assert "raw_record" not in posting.extra
    assert posting.payload["extra"]["raw_record"]["id"] == 4003


def test_ats_sample_arrays_import_like_dump_rows():
    postings, rejects = read_all(DUMPS / "ats_samples.json")
    keyed = by_key(postings)

    greenhouse = keyed["greenhouse:acme:4010"]
    assert greenhouse.description == "<h2>Snapshot</h2><p>Lead applied ML.</p>"
    assert greenhouse.extra["dump"] == "ats_samples"
    assert "ashby:acme-ai:7d1f9a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b" in keyed
    assert [(r.where, r.reason) for r in rejects] == [("item 3", "missing title")]


# ---------------------------------------------------------------------------------------------
# Native CSVs


def test_glassdoor_csv():
    postings, rejects = read_all(DUMPS / "native" / "glassdoor_sample.csv")

    assert rejects == []
    first, second = postings
    assert (first.title, first.company, first.locations) == (
        "Senior Data Scientist",
        "Delta Health",
        ["Milwaukee, WI"],
    )
    assert first.salary_text == "$104k-$171k"
    assert first.description == "We need a data scientist.\n\nPython and SQL."
    assert first.board == "glassdoor_sample"
    assert first.extra["site"] == "glassdoor"
    assert first.payload["Name"] == "Senior Data Scientist"  # the row with its own headers
    assert second.salary_text is None  # empty salary cell
    assert first.external_id != second.external_id


def test_linkedin_2020_csv_description_is_a_python_list():
    [posting], _ = read_all(DUMPS / "native" / "linkedin_2020_sample.csv")
    assert posting.description == ("About Us\nZeta's team builds payments.\nLead a team of five.")
    assert posting.extra["site"] == "linkedin"


def test_indeed_csv_none_salary_and_content_hash_ids():
    postings, _ = read_all(DUMPS / "native" / "indeed_sample.csv")
    assert [p.salary_text for p in postings] == [None, "$22 an hour"]
    assert postings[0].url is None
    again, _ = read_all(DUMPS / "native" / "indeed_sample.csv")
    assert [p.external_id for p in postings] == [p.external_id for p in again]


def test_linkedin_2025_csv():
    intern, senior = read_all(DUMPS / "native" / "linkedin_2025_sample.csv")[0]
    assert intern.workplace_type == "Remote"
    assert intern.employment_type == "Internship"
    assert intern.salary_text == "$18/hour"
    assert intern.locations == []
    assert senior.posted_at == "2025/09/09"
    assert senior.extra["applicants"] == "26 applicants"


def test_hn_rows_are_split_into_roles():
    postings = by_key(read_all(DUMPS / "ours.jsonl")[0])
    first = postings["hn:news.ycombinator.com:41000001-0"]
    second = postings["hn:news.ycombinator.com:41000001-1"]
    assert (first.title, second.title) == ("Backend Engineer", "Product Designer")
    assert first.extra["dump"] == "hn-dump"


# ---------------------------------------------------------------------------------------------
# Bad input


def test_non_utf8_bytes_are_replaced_and_noted(tmp_path):
    good = b'{"id": "1", "title": "Engineer", "description": "fine"}\n'
    bad = b'{"id": "2", "title": "Ing\xe9nieur", "description": "Z\xfcrich"}\n'
    postings, rejects = read_all(write(tmp_path, "latin.jsonl", good + bad))

    assert rejects == []
    assert postings[1].title == "Ing\ufffdnieur"
    assert postings[1].extra["import_warnings"] == ["invalid UTF-8 bytes replaced"]
    assert "import_warnings" not in postings[0].extra


def test_non_utf8_bytes_in_csv_are_pinned_to_their_row(tmp_path):
    content = b"id,title,description\n1,Engineer,ok\n2,Ing\xe9nieur,also ok\n"
    postings, _ = read_all(write(tmp_path, "latin.csv", content))
    assert ["import_warnings" in p.extra for p in postings] == [False, True]


@pytest.mark.parametrize("name", ["bom.jsonl", "bom.csv"])
def test_bom_at_file_start_is_ignored(tmp_path, name):
    if name.endswith(".csv"):
        content = "\ufeffid,title,description\n1,Engineer,text\n"
    else:
        content = '\ufeff{"id": "1", "title": "Engineer", "description": "text"}\n'
    postings, rejects = read_all(write(tmp_path, name, content))
    assert rejects == []
    assert postings[0].external_id == "1"


def test_bom_at_json_array_start_is_ignored(tmp_path):
    content = '\ufeff[{"url": "https://x.example/1", "job_url": "https://x.example/1"}]'
    _, rejects = read_all(write(tmp_path, "bom.json", content))
    assert [r.reason for r in rejects] == ["missing title"]


def test_unclosed_csv_quote_rejects_one_row_and_rereads_the_rest(tmp_path):
    content = 'id,title,description\n1,"Engineer,broken\n2,Scientist,fine\n3,Manager,fine\n'
    postings, rejects = read_all(write(tmp_path, "quotes.csv", content))

    assert [r.where for r in rejects] == ["row 1 (line 2)"]
    assert rejects[0].reason.startswith("broken CSV quoting")
    assert rejects[0].sample == '1,"Engineer,broken'
    assert [p.title for p in postings] == ["Scientist", "Manager"]


def test_stray_csv_quote_and_wrong_column_count_are_rejected(tmp_path):
    content = (
        'id,title,description\n1,"Engineer"x,text\n2,Scientist\n3,Manager,text,extra\n4,Lead,ok\n'
    )
    postings, rejects = read_all(write(tmp_path, "rows.csv", content))

    assert [(r.where, r.reason.split(":")[0]) for r in rejects] == [
        ("row 1 (line 2)", "broken CSV quoting"),
        ("row 2 (line 3)", "expected 3 columns, got 2"),
        ("row 3 (line 4)", "expected 3 columns, got 4"),
    ]
    assert [p.title for p in postings] == ["Lead"]


def test_huge_csv_field_is_read(tmp_path):
    description = "word " * 100_000  # 500 kB: over the csv module's 128 kB default limit
    content = f'id,title,description\n1,Engineer,"{description}"\n'
    [posting], rejects = read_all(write(tmp_path, "huge.csv", content))
    assert rejects == []
    assert len(posting.description) == len(description)


def test_empty_files_yield_nothing(tmp_path):
    for name in ("empty.jsonl", "empty.csv", "blank.json"):
        path = write(tmp_path, name, "\n  \n" if name.startswith("blank") else "")
        assert list(read_dump(path)) == []


def test_header_only_csv_yields_nothing(tmp_path):
    assert list(read_dump(write(tmp_path, "header.csv", "id,title,description\n"))) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("postings.xml", "<jobs/>", "unknown dump file type '.xml'"),
        ("postings", "{}", "unknown dump file type '(no suffix)'"),
        ("skills.csv", "Statistics,Python\nregression,flask\n", "CSV header is not a posting"),
        ("labels.jsonl", '{"id": "1", "role_family": "ml"}\n', "JSON records hold no posting"),
        ("object.json", '{\n  "jobs": []\n}', "must hold an array"),
        ("folder.json", '{"jobs": []}\n', "JSON records hold no posting"),
    ],
)
def test_unknown_file_kinds_raise_an_error_naming_the_file(tmp_path, name, content, message):
    path = write(tmp_path, name, content)
    with pytest.raises(DumpFormatError, match=re.escape(message)) as error:
        read_dump(path)
    assert str(path) in str(error.value)


def test_broken_json_array_ends_with_a_reject(tmp_path):
    content = '[{"job_url": "https://x.example/1", "company": "A"}, {"company": '
    _, rejects = read_all(write(tmp_path, "cut.json", content))
    assert [(r.where, r.reason.split(":")[0]) for r in rejects] == [
        ("item 1", "missing title"),
        ("item 2", "malformed JSON"),
    ]


def test_json_array_streams_across_small_chunks_with_multibyte_text(tmp_path):
    from leadboard.sources import files

    records = [
        {"title": f"Ingénieur {n} — 東京", "url": f"https://x.example/{n}"} for n in range(5)
    ]
    path = write(tmp_path, "array.json", json.dumps(records, ensure_ascii=False, indent=1))
    streamed = list(files._stream_json_array(path, chunk_size=7))
    assert [element for element, _ in streamed] == records


def test_wrong_field_types_are_coerced_or_rejected(tmp_path):
    lines = [
        {"id": 42, "title": 1984, "description": "numbers become text"},
        {"id": "x", "title": "Engineer", "description": "format", "description_format": "md"},
        {"id": "y", "title": "Engineer", "extra": "not an object", "location": {"a": 1}},
    ]
    content = "".join(json.dumps(line) + "\n" for line in lines)
    postings, rejects = read_all(write(tmp_path, "types.jsonl", content))
    assert rejects == []
    assert (postings[0].external_id, postings[0].title) == ("42", "1984")
    assert postings[1].description_format == "text"
    assert postings[2].extra == {} and postings[2].locations == []


def test_fetched_at_defaults_to_the_file_time(tmp_path):
    path = write(tmp_path, "t.jsonl", '{"id": "1", "title": "Engineer"}\n')
    os.utime(path, (1_700_000_000, 1_700_000_000))
    [posting] = list(read_dump(path))
    assert posting.fetched_at == datetime.fromtimestamp(1_700_000_000, tz=UTC)


def test_reading_streams(tmp_path):
    line = json.dumps({"title": "Engineer", "description": "x" * 2000}) + "\n"
    path = write(
        tmp_path, "big.jsonl", "".join(line.replace("Engineer", f"E{n}") for n in range(2000))
    )
    assert path.stat().st_size > 4_000_000

    tracemalloc.start()
    count = sum(1 for _ in read_dump(path, fetched_at=WHEN))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 2000
    assert peak < 1_000_000  # a few records at a time, not the 4 MB file


# ---------------------------------------------------------------------------------------------
# The real data


@pytest.mark.shared_data
def test_every_shared_postings_folder_imports(shared_data_dir):
    root = shared_data_dir / "postings"
    started = time.perf_counter()
    counts: dict[str, collections.Counter] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        counter = collections.Counter()
        for path in iter_dump_files(folder):
            for item in read_dump(path):
                counter["posting" if isinstance(item, SourcePosting) else "reject"] += 1
        counts[folder.name] = counter
    elapsed = time.perf_counter() - started

    assert counts["ats-boards-2026-05"]["posting"] == 5223
    assert counts["ai-labs-2026-04"]["posting"] >= 3580
    assert counts["hn-who-is-hiring-2026"]["posting"] > 1720  # posts split into roles
    for name, counter in counts.items():
        assert counter["reject"] <= 0.01 * counter["posting"], (name, counter)
    print(f"\n{sum(c['posting'] for c in counts.values())} postings in {elapsed:.1f}s: {counts}")


@pytest.mark.shared_data
def test_ai_labs_raw_records_merge_with_live_crawl_ids(shared_data_dir):
    path = shared_data_dir / "postings" / "ai-labs-2026-04" / "postings.jsonl"
    postings = [item for item in read_dump(path) if isinstance(item, SourcePosting)]
    sources = collections.Counter(p.source for p in postings)

    assert sources["greenhouse"] >= 2200 and sources["ashby"] >= 1300
    described = [p for p in postings if p.source == "greenhouse" and p.description]
    assert len(described) >= 39  # descriptions kept beside the raw records
    boards = {p.board for p in postings if p.source == "greenhouse"}
    assert {"anthropic", "deepmind", "scaleai"} <= boards


# ---------------------------------------------------------------------------------------------
# Hostile input (issue 12, items 6 and 8)

GOOD = {"title": "Head of ML", "description": "Lead the ML team.", "company": "Acme"}


def test_a_deeply_nested_line_is_a_reject_and_its_neighbours_are_kept(tmp_path):
    lines = [
        json.dumps({**GOOD, "id": "before"}),
        "[" * 100_000,  # RecursionError in json.loads: the whole import used to abort
        json.dumps({**GOOD, "id": "deep-but-valid", "extra": {"x": [[[[[[[[1]]]]]]]]}}),
        '{"title": "t", "extra": ' + "[" * 70 + "]" * 70 + "}",
        json.dumps({**GOOD, "id": "after"}),
    ]
    path = write(tmp_path, "dump.jsonl", "\n".join(lines) + "\n")
    postings, rejects = read_all(path)
    assert sorted(p.external_id for p in postings) == ["after", "before", "deep-but-valid"]
    assert [(r.where, r.reason) for r in rejects] == [
        ("line 2", "nested deeper than 64 levels"),
        ("line 4", "nested deeper than 64 levels"),
    ]


def test_a_deeply_nested_first_line_does_not_stop_the_scan(tmp_path):
    write(tmp_path, "dump.jsonl", "{" * 100_000 + "\n" + json.dumps({**GOOD, "id": "ok"}) + "\n")
    scan = scan_dump_files(tmp_path)
    assert [f.name for f in scan.files] == ["dump.jsonl"]
    postings, rejects = read_all(scan.files[0])
    assert [p.external_id for p in postings] == ["ok"]
    assert rejects[0].reason == "nested deeper than 64 levels"


def test_a_deeply_nested_element_of_a_json_array(tmp_path):
    deep = "[" * 70 + "]" * 70
    path = write(tmp_path, "dump.json", f'[{json.dumps({**GOOD, "id": "a"})}, {deep}, {{"x": 1}}]')
    postings, rejects = read_all(path)
    assert [p.external_id for p in postings] == ["a"]
    assert rejects[0].reason == "nested deeper than 64 levels"
    path = write(tmp_path, "bomb.json", f"[{json.dumps({**GOOD, 'id': 'a'})}, " + "[" * 100_000)
    postings, rejects = read_all(path)
    assert [p.external_id for p in postings] == ["a"]  # what came before is kept
    assert len(rejects) == 1 and "nested deeper than" in rejects[0].reason


def test_a_nested_extra_column_in_csv_is_kept_as_text(tmp_path):
    extra = '"' + "[" * 100_000 + '"'
    path = write(tmp_path, "ours.csv", f"id,title,description,extra\nx,Head of ML,Lead.,{extra}\n")
    postings, rejects = read_all(path)
    assert rejects == [] and postings[0].extra["extra_text"].startswith("[[[")


def test_a_folder_with_only_a_file_that_is_no_dump_fails_and_says_why(tmp_path, store):
    from leadboard.pipeline import import_paths

    (tmp_path / "only").mkdir()
    write(tmp_path / "only", "skills.csv", "skill,weight\npython,1\n")
    summary = import_paths(store, [tmp_path / "only"])
    assert summary.status == "failed"
    assert summary.failed == [
        (str(tmp_path / "only" / "skills.csv"), "CSV header is not a posting dump: skill, weight")
    ]


def test_an_empty_folder_fails_and_says_so(tmp_path, store):
    from leadboard.pipeline import import_paths

    (tmp_path / "empty").mkdir()
    summary = import_paths(store, [tmp_path / "empty"])
    assert (summary.status, summary.failed) == (
        "failed",
        [(str(tmp_path / "empty"), "no dump files")],
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file_is_named_with_its_reason(tmp_path, store):
    from leadboard.pipeline import import_paths

    folder = tmp_path / "dumps"
    folder.mkdir()
    write(folder, "good.jsonl", json.dumps({**GOOD, "id": "a"}) + "\n")
    locked = write(folder, "locked.jsonl", json.dumps({**GOOD, "id": "b"}) + "\n")
    locked.chmod(0)
    scan = scan_dump_files(folder)
    assert [f.name for f in scan.files] == ["good.jsonl"]
    assert scan.unreadable == [(locked, "cannot be read: Permission denied")]
    summary = import_paths(store, [folder])
    assert summary.inserted == 1 and summary.failed == [
        (str(locked), "cannot be read: Permission denied")
    ]
    assert summary.status != "ok"


def test_a_number_too_long_to_convert_is_a_reject_not_a_failed_file(tmp_path):
    # Found by tests/test_fuzz_parsers.py: json raises a plain ValueError past 4,300 digits.
    lines = [json.dumps({**GOOD, "id": "a"}), '{"title": ' + "9" * 5_000 + "}"]
    postings, rejects = read_all(write(tmp_path, "dump.jsonl", "\n".join(lines) + "\n"))
    assert [p.external_id for p in postings] == ["a"]
    assert rejects[0].reason.startswith("malformed JSON: Exceeds the limit")
    path = write(tmp_path, "dump.json", "[" + lines[0] + ", " + "9" * 5_000 + "]")
    postings, rejects = read_all(path)
    assert [p.external_id for p in postings] == ["a"] and len(rejects) == 1


def test_a_field_of_an_unexpected_type_is_a_reject_not_a_failed_file(tmp_path):
    # Found by tests/test_fuzz_parsers.py: {"job_url": 5} raised TypeError out of read_dump.
    lines = [json.dumps({**GOOD, "id": "a"}), json.dumps({"job_url": 5, "title": "x"})]
    postings, rejects = read_all(write(tmp_path, "dump.jsonl", "\n".join(lines) + "\n"))
    assert [p.external_id for p in postings] == ["a"]
    assert [(r.where, r.reason) for r in rejects] == [("line 2", "missing title")]
