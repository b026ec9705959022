"""The search documents' facts as columns in memory: filters, facets and ordering without SQL.

Counting facets in SQL over every match costs more than the search itself (~70 ms at 27k
documents, growing with the store); the same counts over numpy columns take a millisecond or two.
A ``DocumentColumns`` is built from one read of every document's facts
(``documents.SearchDocuments.facts``); the engine builds a new snapshot when the documents'
generation moves (every sync that changes them moves it), so a search never sees facts older than
the last sync.

Every document has a *position* (its row in the columns); the engine turns full-text and vector
matches (document ids) into positions, and everything after that is boolean masks.

>>> import numpy as np
>>> column = Categorical.of(["data", None, "data", "ml_ic"])
>>> column.values, column.codes.tolist()
(['data', 'ml_ic'], [0, -1, 0, 1])
>>> column.isin(["ml_ic"]).tolist()
[False, False, False, True]
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np

from leadboard.search.documents import DocumentFacts
from leadboard.store.repository import Store

Mask = np.ndarray  # bool, one entry a document position
SPARSE_SHARE = 20  # a mask holding under 1/20 of the documents counts tags by its documents
DENSE_IDS = 4  # ids up to 4 times their number: positions found by table (8 bytes an id)
FORMAT = 2  # of the saved columns (``DocumentColumns.save``): another one is read again


@dataclass
class Categorical:
    """A text column as integer codes into ``values`` (-1: no value)."""

    codes: np.ndarray
    values: list[str]

    @classmethod
    def of(cls, items: Iterable[str | None]) -> Categorical:
        numbering: dict[str, int] = {}
        codes = [
            -1 if item is None else numbering.setdefault(item, len(numbering)) for item in items
        ]
        return cls(np.array(codes, dtype=np.int32), list(numbering))

    def isin(self, wanted: Iterable[str]) -> Mask:
        wanted_set = set(wanted)
        hits = [code for code, value in enumerate(self.values) if value in wanted_set]
        return np.isin(self.codes, hits)

    def counts(self, mask: Mask) -> list[tuple[str, int]]:
        """(value, documents) among ``mask``, most first, then by value."""
        # Codes shifted by one: "no value" (-1) counts in slot 0, which is dropped.
        counted = np.bincount(self.codes[mask] + 1, minlength=len(self.values) + 1)[1:]
        return _by_count(self.values, counted)


@dataclass
class Tags:
    """A many-valued fact (skills, countries, cities): one entry a (document, value) pair,
    in document order.

    >>> tags = Tags.of(np.array([2, 0, 2, 1]), Categorical.of(["go", "go", "rust", "go"]))
    >>> tags.positions.tolist(), tags.counts(np.array([True, False, True] + [False] * 60))
    ([0, 1, 2, 2], [('go', 2), ('rust', 1)])
    >>> tags.counts(np.array([True, True, True])), tags.counts(np.array([0, 2]))
    ([('go', 3), ('rust', 1)], [('go', 2), ('rust', 1)])
    """

    positions: np.ndarray  # document position of each pair, ascending
    values: Categorical
    _starts_of: np.ndarray | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, positions: np.ndarray, values: Categorical) -> Tags:
        """The pairs put in document order."""
        order = np.argsort(positions, kind="stable")
        return cls(positions[order], Categorical(values.codes[order], values.values))

    def having(self, wanted: Iterable[str], size: int) -> Mask:
        """Documents with any of ``wanted``."""
        mask = np.zeros(size, dtype=bool)
        mask[self.positions[self.values.isin(wanted)]] = True
        return mask

    def counts(self, selected: Mask | np.ndarray) -> list[tuple[str, int]]:
        """(value, documents) among ``selected`` (a mask, or positions ascending), most first,
        then by value. Few documents (a narrow query's matches) are counted through their own
        pairs, found by where each document's pairs start, rather than by a pass over every
        pair; positions are never turned into a mask (at a million documents that pass is the
        cost)."""
        codes = self.values.codes
        if selected.dtype != bool:
            # Where each picked document's pairs start and end: a binary search each.
            first = np.searchsorted(self.positions, selected)
            chosen = codes[_runs(first, np.searchsorted(self.positions, selected, "right"))]
        elif np.count_nonzero(selected) * SPARSE_SHARE < len(selected) and len(self.positions):
            picked = np.flatnonzero(selected)
            starts = self._starts(len(selected))
            chosen = codes[_runs(starts[picked], starts[picked + 1])]
        else:
            chosen = codes[selected[self.positions]]
        return _by_count(self.values.values, np.bincount(chosen, minlength=len(self.values.values)))

    def _starts(self, size: int) -> np.ndarray:
        """Where each document's pairs start (the pairs are in document order), and the end."""
        if self._starts_of is None or len(self._starts_of) != size + 1:
            self._starts_of = np.searchsorted(self.positions, np.arange(size + 1))
        return self._starts_of


class DocumentColumns:
    """One snapshot of every search document's facts (see the module docstring)."""

    def __init__(self, facts: DocumentFacts) -> None:
        self.generation = facts.generation
        company = facts.company
        self.ids = np.array(facts.ids, dtype=np.int64)  # ascending: rows are read in id order
        self.size = len(self.ids)
        self.head = np.array(facts.is_head, dtype=bool)
        self.open = np.array(facts.is_open, dtype=bool)
        self.visa = np.array(facts.visa, dtype=bool)
        self.role_family = Categorical.of(facts.role_family)
        self.seniority = Categorical.of(facts.seniority)
        self.remote = Categorical.of(facts.remote)
        self.company = Categorical.of(company)
        self.company_lower = Categorical.of(c.lower() if c else None for c in company)
        self.salary_currency = Categorical.of(facts.salary_currency)
        self.cluster = Categorical.of(facts.cluster_id)
        self.ml_leadership = _floats(facts.ml_leadership)
        self.years_min = _floats(facts.years_min)
        self.salary_year_max = _floats(facts.salary_year_max)
        # The posting's own date only (0: unknown), never when it was first seen or a dump's.
        self.posted = np.array([_timestamp(p) for p in facts.posted_at], dtype=np.float64)
        self.title = facts.title
        self.title_only = ~np.array(facts.has_body, dtype=bool)
        self.no_url = ~np.array(facts.has_url, dtype=bool)  # nowhere to apply: ranks lower
        by_kind: dict[str, tuple[list[int], list[str]]] = {}
        for doc_id, kind, value in zip(
            facts.tag_documents, facts.tag_kinds, facts.tag_values, strict=True
        ):
            positions, values = by_kind.setdefault(kind, ([], []))
            positions.append(doc_id)
            values.append(value)
        self.tags = {
            kind: Tags.of(
                self.positions_of(np.array(doc_ids, dtype=np.int64)), Categorical.of(vals)
            )
            for kind, (doc_ids, vals) in by_kind.items()
        }

    # -- kept on disk ---------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the columns to ``path`` (numpy's ``.npz``; texts as UTF-8 runs): a restart
        reads them back in a second where reading a million documents' facts takes a minute.
        Written aside and moved into place, so a reader never sees half a file."""
        arrays: dict[str, np.ndarray] = {
            "format": np.array([FORMAT, self.generation], dtype=np.int64),
            "title": _pack(self.title),
            **{name: getattr(self, name) for name in _ARRAYS},
        }
        for name in _CATEGORICALS:
            column: Categorical = getattr(self, name)
            arrays[f"{name}.codes"], arrays[f"{name}.values"] = column.codes, _pack(column.values)
        for kind, tags in self.tags.items():
            arrays[f"tag.{kind}.positions"] = tags.positions
            arrays[f"tag.{kind}.codes"] = tags.values.codes
            arrays[f"tag.{kind}.values"] = _pack(tags.values.values)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        with partial.open("wb") as out:
            np.savez(out, allow_pickle=False, **arrays)
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path, generation: int) -> DocumentColumns | None:
        """The columns ``save`` wrote at ``path``, if they are of ``generation`` (else None:
        missing, damaged, of another generation or format).

        >>> import tempfile
        >>> from leadboard.search.documents import SearchDocuments
        >>> from leadboard.store.repository import Store
        >>> columns = DocumentColumns(SearchDocuments(Store.open("sqlite://")).facts())
        >>> path = Path(tempfile.mkdtemp()) / "columns.npz"
        >>> columns.save(path)
        >>> DocumentColumns.load(path, 0).size, DocumentColumns.load(path, 1)
        (0, None)
        """
        try:
            with np.load(path, allow_pickle=False) as saved:
                if saved["format"].tolist() != [FORMAT, generation]:
                    return None
                arrays = {name: saved[name] for name in saved.files}
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None
        columns = cls.__new__(cls)
        columns.generation = generation
        for name in _ARRAYS:
            setattr(columns, name, arrays[name])
        columns.size = len(columns.ids)
        columns.title = _unpack(arrays["title"])
        for name in _CATEGORICALS:
            codes, values = arrays[f"{name}.codes"], _unpack(arrays[f"{name}.values"])
            setattr(columns, name, Categorical(codes, values))
        kinds = {name.split(".")[1] for name in arrays if name.startswith("tag.")}
        columns.tags = {
            kind: Tags(
                arrays[f"tag.{kind}.positions"],
                Categorical(arrays[f"tag.{kind}.codes"], _unpack(arrays[f"tag.{kind}.values"])),
            )
            for kind in kinds
        }
        return columns

    # -- positions -----------------------------------------------------------------------------

    def positions_of(self, doc_ids: np.ndarray) -> np.ndarray:
        """Positions of ``doc_ids`` (ids the snapshot does not hold are dropped)."""
        positions, held = self.locate(doc_ids)
        return positions[held]

    def locate(self, doc_ids: np.ndarray) -> tuple[np.ndarray, Mask]:
        """Each id's position, and whether the snapshot holds it at all.

        >>> columns = DocumentColumns.__new__(DocumentColumns)
        >>> columns.ids, columns.size = np.array([3, 5, 9]), 3
        >>> [a.tolist() for a in columns.locate(np.array([9, 4, 3, 12]))]
        [[2, 0, 0, 2], [True, False, True, False]]
        """
        if not self.size:
            return np.zeros(len(doc_ids), dtype=np.int64), np.zeros(len(doc_ids), dtype=bool)
        table = self._position_of_id
        if table is None:
            positions = np.minimum(np.searchsorted(self.ids, doc_ids), self.size - 1)
            return positions, self.ids[positions] == doc_ids
        last = len(table) - 1
        positions = table[np.minimum(doc_ids, last)]
        held = (positions >= 0) & (doc_ids <= last)
        return np.maximum(positions, 0), held

    @cached_property
    def _position_of_id(self) -> np.ndarray | None:
        """Each id's position (-1: none), where the ids are dense enough (the largest under
        ``DENSE_IDS`` times their number): a search finds a common word's 400k matches' positions
        in ~1 ms with it, ~10 ms by binary search in a million ids. Made once a snapshot."""
        if not self.size or int(self.ids[-1]) >= DENSE_IDS * self.size:
            return None
        table = np.full(int(self.ids[-1]) + 1, -1, dtype=np.int64)
        table[self.ids] = np.arange(self.size)
        return table

    def tag_mask(self, kind: str, wanted: Iterable[str]) -> Mask:
        tags = self.tags.get(kind)
        return tags.having(wanted, self.size) if tags else np.zeros(self.size, dtype=bool)

    def tag_counts(self, kind: str, mask: Mask) -> list[tuple[str, int]]:
        tags = self.tags.get(kind)
        return tags.counts(mask) if tags else []


def beside_store(store: Store, suffix: str) -> Path | None:
    """The file ``suffix`` beside a SQLite store's database (None for PostgreSQL or an
    in-memory store): where the search keeps what it derives from the documents.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> store = Store.open(f"sqlite:///{folder}/leadboard.db")
    >>> beside_store(store, ".columns.npz") == folder / "leadboard.columns.npz"
    True
    >>> beside_store(Store.open("sqlite://"), ".columns.npz") is None
    True
    """
    if store.engine.dialect.name != "sqlite":
        return None
    database = store.engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).with_suffix(suffix)


# What ``DocumentColumns.save`` writes besides the titles and the tags.
_ARRAYS = (
    "ids",
    "head",
    "open",
    "visa",
    "ml_leadership",
    "years_min",
    "salary_year_max",
    "posted",
    "title_only",
    "no_url",
)
_CATEGORICALS = (
    "role_family",
    "seniority",
    "remote",
    "company",
    "company_lower",
    "salary_currency",
    "cluster",
)
_SEPARATOR = "\x00"  # between packed texts: no text of a posting holds it (search_documents)


def _pack(texts: list[str]) -> np.ndarray:
    """Texts as one UTF-8 run of bytes, for ``np.savez`` without pickles.

    >>> _unpack(_pack(["Head of AI", "Zürich", ""])), _unpack(_pack([]))
    (['Head of AI', 'Zürich', ''], [])
    """
    joined = _SEPARATOR.join(text.replace(_SEPARATOR, " ") for text in texts)
    return np.frombuffer(f"{len(texts)}{_SEPARATOR}{joined}".encode(), dtype=np.uint8)


def _unpack(packed: np.ndarray) -> list[str]:
    count, _, joined = packed.tobytes().decode().partition(_SEPARATOR)
    return joined.split(_SEPARATOR) if int(count) else []


def _runs(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Every index of the runs ``[starts[i], ends[i])``, run after run.

    >>> _runs(np.array([2, 7, 9]), np.array([4, 7, 12])).tolist()
    [2, 3, 9, 10, 11]
    """
    many = ends - starts
    total = np.cumsum(many)
    steps = np.arange(int(total[-1]) if len(total) else 0) - np.repeat(total - many, many)
    return np.repeat(starts, many) + steps


def _by_count(values: list[str], counted: np.ndarray) -> list[tuple[str, int]]:
    """(value, count) of the values counted at all, most first, then by value."""
    present = np.flatnonzero(counted)
    return sorted(
        ((values[i], int(counted[i])) for i in present.tolist()),
        key=lambda item: (-item[1], item[0]),
    )


def _floats(items: Iterable[float | None]) -> np.ndarray:
    return np.array([np.nan if item is None else float(item) for item in items], dtype=np.float64)


def _timestamp(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
