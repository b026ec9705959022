"""Pay in other currencies, compared through one explicit, dated table of reference rates.

A salary is stored in the currency the posting states and never changed. Only a salary *filter* or
*sort* compares amounts across currencies, and then through the European Central Bank's euro
reference rates of one day: the latest day in the table the ``currencyconverter`` package ships
(no network; the day is whatever its release carries). Every answer that used it says which day.
A currency the table lacks is not compared at all.

>>> table = rate_table()
>>> table.factor("EUR", "EUR"), table.factor("XYZ", "USD")
(1.0, None)
>>> 0.5 < table.factor("EUR", "USD") < 2.0
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import version


@dataclass(frozen=True)
class RateTable:
    day: date
    per_euro: dict[str, float]  # units of a currency one euro bought that day
    source: str  # where the table came from

    def factor(self, source: str, target: str) -> float | None:
        """What one unit of ``source`` is worth in ``target`` (None: no rate for one of them)."""
        if source == target:
            return 1.0
        if source not in self.per_euro or target not in self.per_euro:
            return None
        return self.per_euro[target] / self.per_euro[source]

    def note(self) -> str:
        return (
            f"pay in other currencies compared at the ECB euro reference rates of "
            f"{self.day.isoformat()} ({self.source}; a fixed table, not today's "
            "rates)"
        )


@cache
def rate_table() -> RateTable:
    """The table (read once a process: loading the ECB history takes most of a second)."""
    from currency_converter import CurrencyConverter

    converter = CurrencyConverter()
    day = converter.bounds["USD"].last_date
    per_euro = {"EUR": 1.0}
    for currency in sorted(converter.currencies - {"EUR"}):
        bounds = converter.bounds[currency]
        if bounds.last_date >= day:  # currencies the ECB still quotes (not ROL, CYP, …)
            per_euro[currency] = converter.convert(1.0, "EUR", currency, date=day)
    source = f"currencyconverter {version('currencyconverter')}"
    return RateTable(day=day, per_euro=per_euro, source=source)
