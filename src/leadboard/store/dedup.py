"""Duplicate clusters: the same job from two sources, or posted twice, gets one cluster id.

Rules, strongest first (each also asks for the same normalised title, because one career page or
one requisition can carry several different roles):

1. the same company and requisition id;
2. the same canonical URL;
3. near-identical text: MinHash over word shingles, LSH for candidates, estimated Jaccard
   similarity ≥ ``threshold`` (the same job listed once per location is the common case).

>>> index = DuplicateIndex()
>>> text = "Build and lead the team that trains our ranking models. " * 5
>>> first = index.assign("a:1", "Acme", None, None, "ML Lead", text)
>>> index.assign("b:7", "ACME Inc", None, None, "ML lead", text).cluster_id
'a:1'
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 5
MIN_WORDS = 40  # shorter texts say too little to call two postings the same
MAX_WORDS = 3000  # the start of a long text is enough to tell duplicates apart
# Query parameters that identify a posting; every other parameter is tracking noise.
ID_PARAMS = {"id", "jobid", "job_id", "gh_jid", "joblistingid", "jk", "jobkey", "lever-source"}
_COMPANY_SUFFIX = re.compile(r"\b(inc|llc|ltd|limited|corp|corporation|co|gmbh|plc|sa|ag)\b\.?")
_NON_WORD = re.compile(r"[^\w]+")
_WORD = re.compile(r"\w+")  # the runs _NON_WORD separates
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures depend on it
_TEMPLATE = MinHash(num_perm=NUM_PERM, scheme=SCHEME)  # permutations are costly; share one set


def normalise_title(title: str | None) -> str:
    """Lower-case words only: ``"Sr. ML Engineer (Remote)"`` → ``"sr ml engineer remote"``."""
    return " ".join(_NON_WORD.sub(" ", (title or "").lower()).split())


def normalise_company(company: str | None) -> str:
    name = _COMPANY_SUFFIX.sub(" ", (company or "").lower())
    return " ".join(_NON_WORD.sub(" ", name).split())


@lru_cache(maxsize=1 << 16)  # a job's URL is canonicalised three times as it is stored
def canonical_url(url: str | None) -> str | None:
    """The URL without scheme, ``www.``, tracking parameters, fragment or trailing slash.

    >>> canonical_url("https://www.linkedin.com/jobs/view/42/?trk=abc#top")
    'linkedin.com/jobs/view/42'
    >>> canonical_url("https://boards.greenhouse.io/acme/jobs/9?gh_src=x&gh_jid=9")
    'greenhouse.io/acme/jobs/9?gh_jid=9'
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    # Greenhouse serves one job under boards., job-boards. and the bare domain.
    if host.endswith("greenhouse.io"):
        host = "greenhouse.io"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() in ID_PARAMS))
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{query}" if query else "")


def signature(text: str) -> MinHash | None:
    """A MinHash of the text's word shingles, or None when the text is too short to judge."""
    words = _WORD.findall(text.lower())[:MAX_WORDS]
    if len(words) < MIN_WORDS:
        return None
    minhash = MinHash(
        num_perm=NUM_PERM, scheme=SCHEME, hashfunc=_as_given, permutations=_TEMPLATE.permutations
    )
    # One value, the array of every shingle's hash: datasketch mixes and permutes it in numpy
    # at once (a list of ints is hashed one by one in Python: a third of the signing time).
    minhash.update_batch([_shingle_hashes(words)])
    return minhash


def sign(title: str, text: str) -> bytes | None:
    """A job's stored signature, as ``DuplicateIndex.assign`` makes it from its title and text;
    made beforehand (in a worker process) and handed to ``assign`` instead of the text.

    >>> text = "Build and lead the team that trains our ranking models. " * 5
    >>> index = DuplicateIndex()
    >>> index.assign("a:1", "Acme", None, None, "ML Lead", text).signature == sign("ML Lead", text)
    True
    >>> sign("ML Lead", "Too short to judge.") is None
    True
    """
    minhash = signature(f"{title} {text}")
    return None if minhash is None else signature_to_bytes(minhash)


def _as_given(hashes: np.ndarray) -> np.ndarray:
    return hashes


class _WordCodes(dict[str, int]):
    """word → its CRC-32, remembered: postings share most of their words, and a dict lookup
    (``map`` over ``__getitem__``, in C) is ~5x cheaper than encoding and hashing again."""

    def __missing__(self, word: str) -> int:
        if len(self) > 2_000_000:  # bounded: a long-running process sees endless rare words
            self.clear()
        code = self[word] = zlib.crc32(word.encode())
        return code


_WORD_CODES = _WordCodes()


def _shingle_hashes(words: list[str]) -> np.ndarray:
    """32-bit hashes of every run of ``SHINGLE_WORDS`` words, computed with numpy.

    Hashing each shingle string in Python (datasketch's default) took half of an import's time.
    Repeated shingles are left in: a MinHash is a minimum, which they cannot change.
    """
    codes = np.fromiter(map(_WORD_CODES.__getitem__, words), dtype=np.uint64, count=len(words))
    count = len(words) - SHINGLE_WORDS + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE_WORDS):  # a polynomial hash; uint64 arithmetic wraps
        mixed = mixed * np.uint64(1_000_003) + codes[offset : offset + count]
    return (mixed ^ (mixed >> np.uint64(32))) & np.uint64(0xFFFFFFFF)


def signature_to_bytes(minhash: MinHash) -> bytes:
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    # Lean: hash values only (a full MinHash checks its permutations again each time it is
    # made: a tenth of an import's writing process, and every stored job at each index load).
    values = np.frombuffer(data, dtype="<u4").astype(_TEMPLATE.hashvalues.dtype)
    return LeanMinHash(seed=_TEMPLATE.seed, hashvalues=values, scheme=SCHEME)


@dataclass
class Assignment:
    cluster_id: str
    reason: str  # new | requisition | url | text
    signature: bytes | None


class DuplicateIndex:
    """In-memory index of the jobs already stored, to assign clusters to incoming ones."""

    def __init__(self, threshold: float = 0.9) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self._titles: dict[str, str] = {}
        self._clusters: dict[str, str] = {}
        self._by_requisition: dict[tuple[str, str, str], str] = {}
        self._by_url: dict[tuple[str, str], str] = {}

    def __len__(self) -> int:
        return len(self._clusters)

    def add(
        self,
        job_id: str,
        cluster_id: str,
        company: str | None,
        requisition_id: str | None,
        url: str | None,
        title: str,
        minhash: MinHash | bytes | None,
    ) -> None:
        """Remember a stored job (``minhash`` may be the stored signature bytes)."""
        self.remove(job_id)
        title_key = normalise_title(title)
        self._clusters[job_id] = cluster_id
        self._titles[job_id] = title_key
        if requisition_id:
            key = (normalise_company(company), requisition_id.strip().lower(), title_key)
            self._by_requisition.setdefault(key, cluster_id)
        canonical = canonical_url(url)
        if canonical:
            self._by_url.setdefault((canonical, title_key), cluster_id)
        if isinstance(minhash, bytes):
            minhash = signature_from_bytes(minhash)
        if minhash is not None:
            self._signatures[job_id] = minhash
            self._lsh.insert(job_id, minhash)

    def remove(self, job_id: str) -> None:
        """Forget a job's text signature (its content changed); key-based links stay."""
        if job_id in self._signatures:
            self._lsh.remove(job_id)
            del self._signatures[job_id]

    def assign(
        self,
        job_id: str,
        company: str | None,
        requisition_id: str | None,
        url: str | None,
        title: str,
        text: str | bytes | None,
    ) -> Assignment:
        """Find the cluster for a job (its own id when it duplicates nothing) and remember it.

        ``text`` is the job's description, or its signature made beforehand (``sign``: bytes,
        or None for a text too short to sign)."""
        self.remove(job_id)
        title_key = normalise_title(title)
        if isinstance(text, str):
            minhash = signature(f"{title} {text}")
        else:
            minhash = None if text is None else signature_from_bytes(text)
        cluster_id, reason = self._match(job_id, company, requisition_id, url, title_key, minhash)
        if cluster_id is None:
            # A job keeps the cluster it had (its own id or an earlier match).
            cluster_id, reason = self._clusters.get(job_id, job_id), "new"
        self.add(job_id, cluster_id, company, requisition_id, url, title, minhash)
        if isinstance(text, str):
            text = None if minhash is None else signature_to_bytes(minhash)
        return Assignment(cluster_id, reason, text)

    def _match(
        self,
        job_id: str,
        company: str | None,
        requisition_id: str | None,
        url: str | None,
        title_key: str,
        minhash: MinHash | None,
    ) -> tuple[str | None, str]:
        if requisition_id:
            key = (normalise_company(company), requisition_id.strip().lower(), title_key)
            found = self._by_requisition.get(key)
            if found and found != job_id:
                return found, "requisition"
        canonical = canonical_url(url)
        if canonical:
            found = self._by_url.get((canonical, title_key))
            if found and found != job_id:
                return found, "url"
        if minhash is not None:
            candidates = sorted(
                other
                for other in self._lsh.query(minhash)
                if other != job_id
                and self._titles.get(other) == title_key
                and self._signatures[other].jaccard(minhash) >= self.threshold
            )
            if candidates:
                return self._clusters[candidates[0]], "text"
        return None, "new"
