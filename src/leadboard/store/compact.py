"""Compact values for the store: zstd frames, vectors of int8 steps.

A stored blob is one zstd frame (level 3). No dictionary is shipped: a dictionary trained on
postings holds whole passages of them, and the package must not carry the development data. A
dictionary trained on the user's own store, kept in it, is the next step (docs §9, debt 12).

>>> blob = compress("Build the ranking models of a search engine.")
>>> decompress(blob)
'Build the ranking models of a search engine.'
>>> decompress(compress(""))
''
>>> unpack_json(pack_json({"title": "ML Lead", "tags": ["ml"]}))
{'title': 'ML Lead', 'tags': ['ml']}
>>> import numpy as np
>>> vector = np.array([0.5, -0.25, 1.0], dtype="<f4")
>>> half = to_half(vector.tobytes())
>>> len(half), np.frombuffer(from_half(half), dtype="<f4").tolist()
(6, [0.5, -0.25, 1.0])
"""

from __future__ import annotations

import json
import threading
from typing import Any

import numpy as np
import zstandard

LEVEL = 3  # zstd's default: ~10x faster than 19 for 5-10% more bytes on records this small

# zstandard's (de)compressors are not thread-safe: one each a thread.
_local = threading.local()


def _compressor() -> zstandard.ZstdCompressor:
    if not hasattr(_local, "compressor"):
        _local.compressor = zstandard.ZstdCompressor(level=LEVEL, write_content_size=True)
    return _local.compressor


def _decompressor() -> zstandard.ZstdDecompressor:
    if not hasattr(_local, "decompressor"):
        _local.decompressor = zstandard.ZstdDecompressor()
    return _local.decompressor


def compress(text: str) -> bytes:
    """``text`` as one zstd frame."""
    return _compressor().compress(text.encode())


def decompress(blob: bytes) -> str:
    """The text a :func:`compress` frame holds."""
    return _decompressor().decompress(blob).decode()


def pack_json(value: Any) -> bytes:
    """A JSON value, compact and compressed (key order kept, as ``json.dumps`` writes it)."""
    return compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def unpack_json(blob: bytes) -> Any:
    return json.loads(decompress(blob))


def pack_description(html: str, text: str) -> bytes:
    """A job's description, HTML and text in one frame: the text repeats the HTML's words, so
    zstd stores them about once."""
    return compress(join_description(html, text))


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


def pack_payload(value: Any, description: bytes | None = None) -> bytes:
    """A raw payload as a frame; given a job's description frame, compressed against what that
    frame holds (a zstd raw-content dictionary): the payload repeats the description, which then
    costs a few bytes. Such a frame reads back only with the same description frame.

    >>> description = pack_description("<p>Lead the ranking team.</p>", "Lead the ranking team.")
    >>> payload = {"content": "<p>Lead the ranking team.</p>", "id": 7}
    >>> frame = pack_payload(payload, description)
    >>> unpack_payload(frame, description) == payload
    True
    >>> unpack_payload(pack_payload(payload)) == payload
    True
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    if description is None:
        return _compressor().compress(text)
    against = _against(description)
    return zstandard.ZstdCompressor(level=LEVEL, dict_data=against).compress(text)


def unpack_payload(blob: bytes, description: bytes | None = None) -> Any:
    """The payload of a :func:`pack_payload` frame, given the description it was packed against
    (``None`` for a frame packed alone)."""
    if description is None:
        return unpack_json(blob)
    return json.loads(zstandard.ZstdDecompressor(dict_data=_against(description)).decompress(blob))


def _against(description: bytes) -> zstandard.ZstdCompressionDict:
    content = _decompressor().decompress(description) if description else b""
    return zstandard.ZstdCompressionDict(content, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def split_detail(detail: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """An enrichment's detail as ``(its skills, the rest)``, two frames: matching reads the
    skills alone, the rest — evidence sentences, reasons — is only shown. The rest keeps a
    ``None`` where the skills were, so that :func:`join_detail` restores the order.

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


def quantize(vector: bytes) -> bytes:
    """Float32 bytes as a float32 scale and one int8 a component (a quarter of the bytes, plus
    four): each component rounded to a step of ``max |x| / 127``, the scale keeping the length;
    cosine similarities of 384-dimension unit vectors move by ~1e-3 (migration 0014; before,
    float16, :func:`to_half`).

    >>> import numpy as np
    >>> vector = np.array([0.5, -0.25, 1.0], dtype="<f4")
    >>> small = quantize(vector.tobytes())
    >>> len(small), [round(float(x), 3) for x in np.frombuffer(dequantize(small), dtype="<f4")]
    (7, [0.503, -0.251, 0.998])
    >>> np.frombuffer(dequantize(quantize(np.zeros(2, dtype="<f4").tobytes())), "<f4").tolist()
    [0.0, 0.0]
    """
    values = np.frombuffer(vector, dtype="<f4")
    step = np.abs(values).max() / 127 if values.size else 0
    steps = np.rint(values / step) if step else np.zeros_like(values)
    # The scale that keeps the vector's length: a unit vector stays one (cosine = dot product).
    length = np.linalg.norm(steps)
    scale = np.float32(np.linalg.norm(values) / length if length else 0)
    return scale.astype("<f4").tobytes() + steps.astype(np.int8).tobytes()


def dequantize(blob: bytes) -> bytes:
    """:func:`quantize`'s bytes back as the float32 bytes every reader of a vector expects."""
    scale = np.frombuffer(blob[:4], dtype="<f4")[0]
    return (np.frombuffer(blob[4:], dtype=np.int8).astype("<f4") * scale).tobytes()


def to_half(vector: bytes) -> bytes:
    """Float32 bytes as float16 bytes: half the size (migrations 0009 to 0013's vectors)."""
    return np.frombuffer(vector, dtype="<f4").astype("<f2").tobytes()


def from_half(vector: bytes) -> bytes:
    """Float16 bytes back as the float32 bytes every reader of a vector expects."""
    return np.frombuffer(vector, dtype="<f2").astype("<f4").tobytes()
