"""Where a remote posting may be done from, read from its words (labelled/postings/remote_regions).

Each case of the first tables was read wrong before the region reading (70b9457): no region, a
country invented from an abbreviation ("EST" as Estonia, "PT" as Portugal) or from an office city,
or only the first of a list.
"""

from __future__ import annotations

import time

import pytest

from leadboard.normalize.location import find_remote_regions, parse_location, resolve_remote


@pytest.mark.parametrize(
    ("raw", "regions"),
    [
        # Time zones name their region; "EST" and "PT" next to "Remote" are not Estonia, Portugal.
        ("Remote (Europe ±2h CET)", ["Europe"]),
        ("Remote (EU Timezones)", ["Europe"]),
        ("Remote EST / CET", ["US", "Europe"]),
        ("Remote PT/ET Hours", ["US"]),
        ("Remote, USA - ET, CT, MT", ["US"]),
        # Every region of a list, not only the first.
        ("Remote (US/UK/Canada/Spain)", ["US", "UK", "Canada", "Spain"]),
        ("Remote, Australia/NZ", ["Australia", "New Zealand"]),
        ("Remote or hybrid (US/EU/UK)", ["US", "Europe", "UK"]),
        ("Remote (EU/LatAm/NA)", ["Europe", "LATAM", "North America"]),
        # A wish is not a limit.
        ("Remote (US-based preferred)", []),
    ],
)
def test_location_string_regions(raw: str, regions: list[str]) -> None:
    location = parse_location([raw])
    assert (location.remote, location.remote_regions) == ("remote", regions)


def test_regions_named_next_to_remote_are_not_offices() -> None:
    assert parse_location(["Remote (US/UK/Canada/Spain)"]).places == []
    assert parse_location(["Singapore (remote)"]).places == []  # a city-state is its country


def test_a_country_code_without_a_remote_word_stays_a_place() -> None:
    location = parse_location(["Tallinn, EST"])
    assert [(p.city, p.country) for p in location.places] == [("Tallinn", "EE")]


def test_the_sources_workplace_text_names_regions() -> None:
    """Hacker News posts put "REMOTE (CET +/- 2h)" in the workplace field, the city elsewhere."""
    location = parse_location(["Berlin, Germany"], "REMOTE (CET +/- 2h)")
    assert location.remote_regions == ["Europe"]
    assert [p.city for p in location.places] == ["Berlin"]
    assert parse_location([], "REMOTE (EU-friendly)").remote_regions == ["Europe"]


def test_a_region_named_alone_beside_a_remote_hint() -> None:
    """ "EU, or Hybrid - Lisbon or Oslo" with the hint "Remote": remote from the EU, not from the
    two hybrid offices' countries."""
    location = parse_location(["EU, or Hybrid - Lisbon or Oslo"], "Remote")
    assert location.remote_regions == ["Europe"]


@pytest.mark.parametrize(
    "raw",
    ["Remote - EU-friendly", "Remote (US only)", "Remote within Canada", "Remote - EMEA"],
)
def test_phrases_read_before_stay_read(raw: str) -> None:
    assert parse_location([raw]).remote_regions != []


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("This role is remote, but you must be based in the US or Canada.", ["US", "Canada"]),
        ("A remote position considering candidates who reside within the United States.", ["US"]),
        ("Fully remote. You must be eligible to work in the EU.", ["Europe"]),
        ("Fully remote: you need to be able to work CET hours.", ["Europe"]),
        ("We are a remote-first team across European timezones.", ["Europe"]),
        ("This a Full Remote job, the offer is available from: Georgia (USA), Texas (USA)", ["US"]),
        ("Open to hiring remote across the U.S. with hubs in NYC.", ["US"]),
        ("This role can be based out of our Dublin office or remotely in Ireland.", ["Ireland"]),
        ("Physically located in the Indonesia Early career / recent grad", ["Indonesia"]),
        ("Location: Remote (US-based)", ["US"]),
        ("Location: Remote supporting EST working hours  Who You'll Work With", ["US"]),
        ("Senior Backend Engineer (Remote, Europe) https://example.com/apply", ["Europe"]),
        ("- Analytics Engineer - US Remote (SFO or Seattle preferred)", ["US"]),
        # A named place beats a time zone: Eastern time is Canada's too.
        ("Remotely in Canada while physically based in an Eastern time zone.", ["Canada"]),
    ],
)
def test_description_states_a_region(text: str, regions: list[str]) -> None:
    assert find_remote_regions(text) == regions


@pytest.mark.parametrize(
    "text",
    [
        "Remote, no matter where you are based in the world.",
        "This is a remote role. Eastern and Central time zones preferred.",
        "For roles based in the United States, the typical starting salary is $200,000.",
        "Our operations are located in the Netherlands, Germany, Belgium and Spain; remote team.",
        "Candidates residing in California or Colorado are not eligible for remote positions.",
        "We welcome international applicants, including those based in the EU, UK and Canada.",
        "Remote-friendly, with strong collaboration across the US and India.",
        "Remote ok, but you must be based in our London office twice a month.",
        "Benefits and #LI-Remote #LI-JT1",
        "Experience with remote sensing in the Amazon basin.",
    ],
)
def test_description_states_no_region(text: str) -> None:
    assert find_remote_regions(text) == []


def test_resolve_remote_reads_the_description_only_where_the_locations_named_no_region() -> None:
    must = "This role is fully remote; you must be based in the US."
    assert resolve_remote(parse_location(["Remote"]), must).remote_regions == ["US"]
    # An office's country is no limit: the description's own words say, or nothing does.
    berlin = parse_location(["Berlin, Germany"], "Remote")
    assert resolve_remote(berlin, "Work in EU time zones.").remote_regions == ["Europe"]
    assert resolve_remote(berlin, "").remote_regions == []
    # A region the locations state is kept.
    assert resolve_remote(parse_location(["Remote - EMEA"]), must).remote_regions == ["EMEA"]
    # A description that makes a posting remote names its regions too.
    assert resolve_remote(parse_location(["Canada"]), must).remote_regions == ["US"]


@pytest.mark.parametrize(
    "text",
    [
        "remote based in located in Location: (remote " * 25_000,  # ~1 MB of cue words
        "Remote (" + "US/" * 100_000 + ")",
        "\u200b\u0301Rémote — başed in ÜS\u00a0(Ｒｅｍｏｔｅ，ＥＵ) " * 20_000,
        "must be based in " + "x" * 1_000_000,
    ],
)
def test_hostile_descriptions_stay_fast(text: str) -> None:
    """About 1 s of CPU a megabyte at worst (normalize_posting reads at most 200 kB of it)."""
    parse_location(["London"])  # the gazetteer loads once, outside the timing
    start = time.process_time()
    find_remote_regions(text)
    resolve_remote(parse_location([text[:5000]], text[:300]), text)
    assert time.process_time() - start < 3.0
