"""Compact values for the store: zstd frames with shipped dictionaries, half-precision vectors.

A stored blob is one zstd frame. Its header names the dictionary it was made with (zstd's
``dict_id``; 0 for none), so a reader needs no side table: every dictionary Leadboard ever shipped
stays in ``leadboard/data/`` as ``zstd-<kind>-<dict id>.dict`` and is found by its id (ids are
``DICT_IDS + 256 * kind's place in KINDS + version``: the newest of a kind is its highest). Small
records (a posting's JSON, a description, an enrichment's evidence) compress 2-3x better with a
dictionary trained on their kind than alone (``bench/bench_store.py --train`` makes them).

>>> blob = compress("Build the ranking models of a search engine.", "description")
>>> decompress(blob)
'Build the ranking models of a search engine.'
>>> decompress(compress("", "description"))
''
>>> pack_json({"title": "ML Lead", "tags": ["ml"]}, "payload") == pack_json(
...     {"title": "ML Lead", "tags": ["ml"]}, "payload")
True
>>> unpack_json(pack_json({"title": "ML Lead"}, "payload"))
{'title': 'ML Lead'}
>>> import numpy as np
>>> vector = np.array([0.5, -0.25, 1.0], dtype="<f4")
>>> half = to_half(vector.tobytes())
>>> len(half), np.frombuffer(from_half(half), dtype="<f4").tolist()
(6, [0.5, -0.25, 1.0])
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import zstandard

DATA = Path(__file__).parents[1] / "data"
LEVEL = 3  # zstd's default: ~10x faster than 19 for 5-10% more bytes on records this small
KINDS = ("payload", "description", "evidence")  # one dictionary a kind of record
DICT_IDS = 0x4C420000  # "LB": above zstd's reserved 0-32767, below 2**31
_NAME = re.compile(r"zstd-(?P<kind>[a-z]+)-(?P<id>\d+)\.dict")


class UnknownDictionary(LookupError):
    """A blob names a dictionary this version of Leadboard does not ship."""


@cache
def _dictionaries() -> dict[int, zstandard.ZstdCompressionDict]:
    found = {}
    for path in DATA.glob("zstd-*.dict"):
        match = _NAME.fullmatch(path.name)
        if match:
            found[int(match["id"])] = zstandard.ZstdCompressionDict(path.read_bytes())
    return found


@cache
def current_dictionary(kind: str) -> int:
    """The id of the dictionary new ``kind`` records are compressed with: the newest shipped
    (the highest id of the kind; 0, none, when there is none)."""
    ids = [
        int(m["id"])
        for path in DATA.glob(f"zstd-{kind}-*.dict")
        if (m := _NAME.fullmatch(path.name))
    ]
    return max(ids, default=0)


@cache
def _compressor(kind: str) -> zstandard.ZstdCompressor:
    dict_id = current_dictionary(kind)
    if not dict_id:
        return zstandard.ZstdCompressor(level=LEVEL)
    dictionary = _dictionaries()[dict_id]
    dictionary.precompute_compress(level=LEVEL)  # once, not on every record
    return zstandard.ZstdCompressor(dict_data=dictionary, write_content_size=True)


@cache
def _decompressor(dict_id: int) -> zstandard.ZstdDecompressor:
    if not dict_id:
        return zstandard.ZstdDecompressor()
    dictionary = _dictionaries().get(dict_id)
    if dictionary is None:
        raise UnknownDictionary(
            f"a stored value was compressed with zstd dictionary {dict_id}, which this version "
            "of Leadboard does not have: upgrade Leadboard to read this store"
        )
    return zstandard.ZstdDecompressor(dict_data=dictionary)


def compress(text: str, kind: str) -> bytes:
    """``text`` as one zstd frame, with the current dictionary of ``kind``."""
    return _compressor(kind).compress(text.encode())


def decompress(blob: bytes) -> str:
    """The text a :func:`compress` frame holds, whichever dictionary made it."""
    dict_id = zstandard.get_frame_parameters(blob).dict_id
    return _decompressor(dict_id).decompress(blob).decode()


def pack_json(value: Any, kind: str) -> bytes:
    """A JSON value, compact and compressed (key order kept, as ``json.dumps`` writes it)."""
    return compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")), kind)


def unpack_json(blob: bytes) -> Any:
    return json.loads(decompress(blob))


def pack_description(html: str, text: str) -> bytes:
    """A job's description, HTML and text in one frame: the text repeats the HTML's words, so
    zstd stores them about once."""
    return compress(join_description(html, text), "description")


def unpack_description(blob: bytes | None) -> tuple[str, str]:
    """``(html, text)`` of a :func:`pack_description` frame (``("", "")`` for none).

    >>> unpack_description(pack_description("<p>Lead.</p>", "Lead."))
    ('<p>Lead.</p>', 'Lead.')
    """
    if not blob:
        return "", ""
    html, _, text = decompress(blob).partition("\x00")
    return html, text


def join_description(html: str, text: str) -> str:
    # NUL never occurs in either: the store drops it from every text (schema.without_nul).
    return f"{html}\x00{text}"


def split_detail(detail: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """An enrichment's detail as ``(its skills, the rest)``: matching reads the skills in SQL
    (a JSON column), the rest — evidence sentences, reasons — is only shown, so compressed. The
    rest keeps a ``None`` where the skills were, so that :func:`join_detail` restores the order.

    >>> split_detail({"id": "j", "skills": [{"name": "python"}], "reasons": []})
    ({'skills': [{'name': 'python'}]}, {'id': 'j', 'skills': None, 'reasons': []})
    """
    if "skills" not in detail:
        return {}, detail
    rest = {key: None if key == "skills" else value for key, value in detail.items()}
    return {"skills": detail["skills"]}, rest


def join_detail(skills: dict[str, Any] | None, rest: dict[str, Any]) -> dict[str, Any]:
    """The detail :func:`split_detail` split.

    >>> join_detail(*split_detail({"id": "j", "skills": [], "reasons": ["x"]}))
    {'id': 'j', 'skills': [], 'reasons': ['x']}
    """
    if not skills or "skills" not in skills:
        return rest
    return {key: skills["skills"] if key == "skills" else value for key, value in rest.items()}


def to_half(vector: bytes) -> bytes:
    """Float32 bytes as float16 bytes: half the size; cosine similarities of unit vectors move
    by ~1e-4, far below what separates two postings."""
    return np.frombuffer(vector, dtype="<f4").astype("<f2").tobytes()


def from_half(vector: bytes) -> bytes:
    """Float16 bytes back as the float32 bytes every reader of a vector expects."""
    return np.frombuffer(vector, dtype="<f2").astype("<f4").tobytes()
