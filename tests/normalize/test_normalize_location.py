"""Location strings → places, remote policy and remote regions: real-world strings, table-driven."""

from __future__ import annotations

import pytest

from leadboard.normalize.location import (
    find_workplace_signal,
    parse_location,
    parse_place,
    remote_policy_from_hint,
    resolve_remote,
)

P = tuple[str | None, str | None, str | None]  # (city, region, country)

# (raw location string, remote policy, remote regions, places)
LOCATIONS: list[tuple[str, str, list[str], list[P]]] = [
    ("Remote - EMEA", "remote", ["EMEA"], []),
    ("US-Remote", "remote", ["US"], []),
    ("Remote (US)", "remote", ["US"], []),
    ("Remote - United States", "remote", ["US"], []),
    ("Remote in Canada", "remote", ["Canada"], []),
    ("Netherlands (remote)", "remote", ["Netherlands"], []),
    ("IN Remote India", "remote", ["India"], []),
    ("GB Remote United Kingdom", "remote", ["UK"], []),
    ("DE-Germany-Remote", "remote", ["Germany"], []),
    ("Remote, Canada; Remote, US", "remote", ["Canada", "US"], []),
    ("Remote - West Coast", "remote", ["US"], []),
    ("Remote", "remote", [], []),
    ("Anywhere", "remote", ["Anywhere"], []),
    ("Worldwide", "remote", ["Anywhere"], []),
    ("Remote - Ontario, Canada", "remote", ["Canada"], [(None, "ON", "CA")]),
    ("Remote (Buenos Aires, Argentina)", "remote", ["Argentina"], [("Buenos Aires", None, "AR")]),
    ("London (EMEA Remote)", "remote", ["EMEA"], [("London", None, "GB")]),
    ("Remote - Chicago", "remote", ["US"], [("Chicago", "IL", "US")]),
    # An office city beside a remote offer does not limit where the remote work is done.
    ("Paris, France or Remote", "remote", [], [("Paris", None, "FR")]),
    ("Berlin office OR Remote (Germany)", "remote", ["Germany"], [("Berlin", None, "DE")]),
    (
        "Remote-Friendly (Travel-Required) | San Francisco, CA",
        "remote",
        [],
        [("San Francisco", "CA", "US")],
    ),
    (
        "SF, Seattle, New York, Remote in the US",
        "remote",
        ["US"],
        [("San Francisco", "CA", "US"), ("Seattle", "WA", "US"), ("New York City", "NY", "US")],
    ),
    ("Hybrid (3 days in SF)", "hybrid", [], [("San Francisco", "CA", "US")]),
    ("Redwood City, CA (Hybrid)", "hybrid", [], [("Redwood City", "CA", "US")]),
    (
        "Hybrid - San Francisco, New York City, Austin",
        "hybrid",
        [],
        [("San Francisco", "CA", "US"), ("New York City", "NY", "US"), ("Austin", "TX", "US")],
    ),
    ("Chicago, IL (Onsite)", "onsite", [], [("Chicago", "IL", "US")]),
    ("San Francisco, CA", "unknown", [], [("San Francisco", "CA", "US")]),
    ("San Francisco", "unknown", [], [("San Francisco", "CA", "US")]),
    (
        "New York City, NY; San Francisco, CA",
        "unknown",
        [],
        [("New York City", "NY", "US"), ("San Francisco", "CA", "US")],
    ),
    ("London, UK", "unknown", [], [("London", None, "GB")]),
    ("London, England, United Kingdom", "unknown", [], [("London", "England", "GB")]),
    (
        "Mountain View, California, US; New York City, New York, US",
        "unknown",
        [],
        [("Mountain View", "CA", "US"), ("New York City", "NY", "US")],
    ),
    ("Bengaluru, Karnataka, India", "unknown", [], [("Bengaluru", "Karnātaka", "IN")]),
    ("Bangalore, India", "unknown", [], [("Bengaluru", None, "IN")]),
    ("Tokyo, Japan", "unknown", [], [("Tokyo", None, "JP")]),
    ("Zürich", "unknown", [], [("Zürich", None, "CH")]),
    ("Zurich, Switzerland", "unknown", [], [("Zürich", None, "CH")]),
    ("Toronto, Canada", "unknown", [], [("Toronto", "ON", "CA")]),
    ("Toronto, CA", "unknown", [], [("Toronto", "ON", "CA")]),
    ("Milwaukee, WI", "unknown", [], [("Milwaukee", "WI", "US")]),
    ("Greenwood Village, CO 80121", "unknown", [], [("Greenwood Village", "CO", "US")]),
    ("Seoul, South Korea", "unknown", [], [("Seoul", None, "KR")]),
    ("NYC", "unknown", [], [("New York City", "NY", "US")]),
    ("New York, NY (HQ)", "unknown", [], [("New York City", "NY", "US")]),
    ("SF Bay Area", "unknown", [], [("San Francisco Bay Area", "CA", "US")]),
    ("Washington, DC", "unknown", [], [("Washington", "DC", "US")]),
    (
        "Washington, District of Columbia, United States",
        "unknown",
        [],
        [("Washington", "DC", "US")],
    ),
    ("Atlanta, Georgia, United States", "unknown", [], [("Atlanta", "GA", "US")]),
    ("Tbilisi, Georgia", "unknown", [], [("Tbilisi", None, "GE")]),
    ("Indianapolis, IN", "unknown", [], [("Indianapolis", "IN", "US")]),
    ("Hyderabad, IN", "unknown", [], [("Hyderabad", None, "IN")]),
    ("Dublin, IE", "unknown", [], [("Dublin", None, "IE")]),
    ("Singapore", "unknown", [], [("Singapore", None, "SG")]),
    ("US, CA, Santa Clara", "unknown", [], [("Santa Clara", "CA", "US")]),
    ("US-CA-Menlo Park", "unknown", [], [("Menlo Park", "CA", "US")]),
    ("PL-Warsaw", "unknown", [], [("Warsaw", None, "PL")]),
    ("Indiana - Indianapolis", "unknown", [], [("Indianapolis", "IN", "US")]),
    ("645 Clyde Ave, Mountain View, CA 94043, US", "unknown", [], [("Mountain View", "CA", "US")]),
    ("Chicago, IL 60601 (The Loop area)", "unknown", [], [("Chicago", "IL", "US")]),
    ("Sacramento, California Area", "unknown", [], [("Sacramento", "CA", "US")]),
    ("Greater Boston", "unknown", [], [("Boston", "MA", "US")]),
    ("Dallas-Fort Worth Metroplex", "unknown", [], [("Dallas", "TX", "US")]),
    ("San Francisco Office (Fremont St)", "unknown", [], [("San Francisco", "CA", "US")]),
    ("Cambridge, MD", "unknown", [], [("Cambridge", "MD", "US")]),  # too small for the gazetteer
    ("St Louis, MO", "unknown", [], [("St. Louis", "MO", "US")]),
    ("Ontario, CAN", "unknown", [], [(None, "ON", "CA")]),
    ("United States", "unknown", [], [(None, None, "US")]),
    ("Various Locations within Saudi Arabia", "unknown", [], [(None, None, "SA")]),
    (
        "Dubai, London, Paris, Hong Kong, Sydney, Toronto",
        "unknown",
        [],
        [
            ("Dubai", None, "AE"),
            ("London", None, "GB"),
            ("Paris", None, "FR"),
            ("Hong Kong", None, "HK"),
            ("Sydney", None, "AU"),
            ("Toronto", "ON", "CA"),
        ],
    ),
    (
        "Livingston, NJ / New York, NY / Sunnyvale, CA / Bellevue, WA",
        "unknown",
        [],
        [
            ("Livingston", "NJ", "US"),
            ("New York City", "NY", "US"),
            ("Sunnyvale", "CA", "US"),
            ("Bellevue", "WA", "US"),
        ],
    ),
    ("EMEA", "unknown", [], []),
    ("Europe", "unknown", [], []),
    ("Global", "unknown", [], []),
    ("", "unknown", [], []),
    ("Multiple locations", "unknown", [], []),
    ("2 Locations", "unknown", [], []),
    ("Unknown", "unknown", [], []),
]


@pytest.mark.parametrize(("raw", "remote", "regions", "places"), LOCATIONS)
def test_parse_location(raw: str, remote: str, regions: list[str], places: list[P]) -> None:
    location = parse_location([raw])
    assert location.remote == remote
    assert location.remote_regions == regions
    assert [(p.city, p.region, p.country) for p in location.places] == places


def test_places_keep_the_text_they_came_from() -> None:
    location = parse_location(["New York City, NY; San Francisco, CA"])
    assert [p.raw for p in location.places] == ["New York City, NY", "San Francisco, CA"]


@pytest.mark.parametrize(
    ("hint", "policy"),
    [
        ("Remote", "remote"),
        ("remote", "remote"),
        ("TELECOMMUTE", "remote"),
        ("Hybrid", "hybrid"),
        ("hybrid", "hybrid"),
        ("OnSite", "onsite"),
        ("on-site", "onsite"),
        ("In Office", "onsite"),
        ("unspecified", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
    ],
)
def test_remote_policy_from_hint(hint: str | None, policy: str) -> None:
    assert remote_policy_from_hint(hint) == policy


class TestHintAndLocationsTogether:
    def test_hint_applies_to_plain_places(self) -> None:
        location = parse_location(["Seoul, South Korea"], workplace_type="Hybrid")
        assert location.remote == "hybrid"
        assert location.remote_regions == []

    def test_a_remote_hint_takes_a_country_named_alone_as_its_region(self) -> None:
        location = parse_location(["Canada"], workplace_type="remote")
        assert (location.remote, location.remote_regions) == ("remote", ["Canada"])

    def test_a_remote_hint_does_not_limit_remote_work_to_an_office_city_s_country(self) -> None:
        for office in (["San Francisco, CA"], ["New Providence, NJ"], ["Texas"]):
            location = parse_location(office, workplace_type="remote")
            assert (location.remote, location.remote_regions) == ("remote", []), office

    def test_remote_in_any_location_wins(self) -> None:
        location = parse_location(["New York, NY", "Remote - US"], workplace_type="OnSite")
        assert location.remote == "remote"
        assert location.remote_regions == ["US"]

    def test_source_regions_are_labelled(self) -> None:
        location = parse_location([], "TELECOMMUTE", remote_regions=["United States", "EMEA"])
        assert location.remote_regions == ["US", "EMEA"]

    def test_duplicate_places_are_merged(self) -> None:
        location = parse_location(["San Francisco, CA", "San Francisco, California, US"])
        assert [(p.city, p.country) for p in location.places] == [("San Francisco", "US")]


def test_parse_place() -> None:
    place = parse_place("Bengaluru, Karnataka, India")
    assert (place.city, place.country) == ("Bengaluru", "IN")
    assert parse_place("Multiple locations") is None
    assert parse_place("") is None


# (description excerpt, signal)
SIGNALS = [
    ("This role is fully remote within the US.", "remote"),
    ("This position can be remote.", "remote"),
    ("We are a remote-first company.", "remote"),
    ("Remote-flexible, offices in Toronto, New York and London.", "remote"),
    ("This role can be held from one of our US hubs or remotely in the United States.", "remote"),
    ("Location: Remote", "remote"),
    ("Acme | Staff ML Engineer | REMOTE (US) | $200k", "remote"),
    ("Acme | Senior Go Engineer | Bilbao, Spain | ONSITE | VISA SPONSORSHIP", "onsite"),
    ("We work hybrid, 3 days a week in the office.", "hybrid"),
    ("This is a hybrid role based in London.", "hybrid"),
    ("You will be in the office at least 3 days a week.", "hybrid"),
    ("Presence in our San Francisco office 4 days per week is required.", "hybrid"),
    ("Ability to work from home 1-2 days per week after ramp up.", "hybrid"),
    ("Roles based in an office are onsite Tuesday, Wednesday, and Thursday.", "hybrid"),
    ("#LI-Hybrid", "hybrid"),
    ("This role is on-site in our NYC office.", "onsite"),
    ("This is a fully on-site position.", "onsite"),
    ("You will work on-site at our Austin headquarters.", "onsite"),
    ("This role is not remote.", "unknown"),
    ("Experience with hybrid search, hybrid models and remote sensing.", "unknown"),
    ("Experience managing a remote, distributed team.", "unknown"),
    ("", "unknown"),
]


@pytest.mark.parametrize(("text", "signal"), SIGNALS)
def test_find_workplace_signal(text: str, signal: str) -> None:
    assert find_workplace_signal(text) == signal


class TestResolveRemote:
    def test_description_fills_an_unknown_policy(self) -> None:
        location = resolve_remote(parse_location(["Canada"]), "This role is fully remote.")
        assert (location.remote, location.remote_regions) == ("remote", ["Canada"])

    def test_a_city_means_onsite_when_nothing_else_speaks(self) -> None:
        assert resolve_remote(parse_location(["Tokyo, Japan"]), "").remote == "onsite"

    def test_a_country_alone_stays_unknown(self) -> None:
        assert resolve_remote(parse_location(["United States"]), "").remote == "unknown"

    def test_a_known_policy_is_not_overridden_by_the_text(self) -> None:
        location = parse_location(["London, UK"], workplace_type="Hybrid")
        assert resolve_remote(location, "This role is fully remote.").remote == "hybrid"
