"""A "senior" before a higher rung ("Senior Director", "Sr. Manager") is that rung's title, not a
senior IC level beside it: as two levels, "Senior Director, Data Science" ranked Senior Data
Scientists first (bench/relevance q66)."""

from leadboard.search.query import parse_query


def levels(query: str) -> list[str]:
    return [chip.value for chip in parse_query(query).chips if chip.kind == "seniority"]


def test_senior_before_a_rung_is_that_rung():
    assert levels("Senior Director, Data Science") == ["director"]
    assert levels("Sr. Director of ML") == ["director"]
    assert levels("senior vp engineering") == ["executive"]
    assert levels("senior principal scientist") == ["principal"]


def test_senior_manager_is_a_manager_query():
    parsed = parse_query("Senior Manager, Machine Learning")
    assert levels("Senior Manager, Machine Learning") == []
    assert parsed.text == "Manager Machine Learning"
    assert parse_query("sr mgr data science").text == "mgr data science"


def test_senior_alone_is_still_a_level():
    assert levels("senior ml engineer") == ["senior"]
    assert levels("senior staff ml engineer") == ["staff"]
    assert parse_query("senior ml engineer").text == "ml engineer"
