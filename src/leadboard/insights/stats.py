"""The few statistics a market page needs: a share with its Wilson interval, the difference of two
shares with Newcombe's interval, and quartiles.

A share of a small sample is shown, never hidden, but flagged: below ``MIN_SAMPLE`` postings the
page says that the figure rests on too few to tell.

>>> share = Share.of(71, 100)
>>> share.value, round(share.low, 3), round(share.high, 3), share.small
(0.71, 0.615, 0.79, False)
>>> Share.of(3, 4).small
True
>>> quartiles([1, 2, 3, 4, 5, 6, 7, 8, 10, 12])
(3.25, 5.5, 7.75)
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054  # the normal quantile of a two-sided 95% interval
MIN_SAMPLE = 20  # below this many postings a figure says it rests on too few


@dataclass(frozen=True)
class Share:
    """``count`` of ``total`` postings, with the Wilson 95% interval (``None`` when total is 0)."""

    count: int
    total: int
    value: float | None
    low: float | None
    high: float | None
    small: bool  # fewer than MIN_SAMPLE postings behind it

    @classmethod
    def of(cls, count: int, total: int) -> Share:
        if total <= 0:
            return cls(count, total, None, None, None, True)
        low, high = wilson(count, total)
        return cls(count, total, count / total, low, high, total < MIN_SAMPLE)


def wilson(count: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``count`` successes in ``total`` trials.

    Unlike the textbook ``p ± z·√(p(1−p)/n)`` it stays within [0, 1] and does not collapse to a
    point at 0% or 100% — which small samples of postings hit often.

    >>> [round(x, 4) for x in wilson(81, 263)]  # Newcombe (1998), Stat Med 17:857, table I
    [0.2553, 0.3662]
    >>> [round(x, 3) for x in wilson(0, 10)]
    [0.0, 0.278]
    """
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Difference:
    """``first`` share minus ``second`` (in proportion points), with a 95% interval."""

    value: float
    low: float
    high: float


def difference(first: Share, second: Share) -> Difference | None:
    """Newcombe's hybrid score interval for the difference of two independent shares (his
    method 10): it combines the two Wilson intervals, so it behaves at 0% and on small samples.
    His worked example, 56/70 against 48/80:

    >>> d = difference(Share.of(56, 70), Share.of(48, 80))
    >>> round(d.value, 4), round(d.low, 4), round(d.high, 4)
    (0.2, 0.0524, 0.3339)
    """
    if first.value is None or second.value is None:
        return None
    assert first.low is not None and first.high is not None
    assert second.low is not None and second.high is not None
    value = first.value - second.value
    low = value - math.sqrt((first.value - first.low) ** 2 + (second.high - second.value) ** 2)
    high = value + math.sqrt((first.high - first.value) ** 2 + (second.value - second.low) ** 2)
    return Difference(value, low, high)


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """First quartile, median and third quartile, interpolated between the sorted values (as
    numpy's default and R's type 7 do). One value is all three.

    >>> quartiles([5])
    (5.0, 5.0, 5.0)
    """
    if not values:
        raise ValueError("quartiles of no values")
    if len(values) == 1:
        return (float(values[0]),) * 3
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return float(q1), float(median), float(q3)
