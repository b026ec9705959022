"""The match form, shared by the page and the API: read in memory, then read for what it asks.

**Reading.** Web frameworks spool uploads to temporary files once they pass a size (Starlette
at 1 MB); a résumé must never touch the disk, and a 5 GB upload must be refused at its first
5 MB, not after. So this reads the request body chunk by chunk through python-multipart's
streaming parser, keeps the parts in memory, and raises
:func:`~leadboard.match.documents.too_large` the moment the file passes
:data:`~leadboard.match.documents.MAX_BYTES`.

**What it asks.** The filters (``remote``, ``min_salary``, ``currency``, ``family``, ``limit``),
and either a résumé file (``resume``) or a profile read before (``profile``, JSON) with the
person's corrections (``titles``, ``seniority``, ``years_total``… — see :func:`profile_from`):
"match again" carries the profile, never the résumé.

>>> import asyncio
>>> body = (b'--b\\r\\nContent-Disposition: form-data; name="limit"\\r\\n\\r\\n5\\r\\n'
...         b'--b\\r\\nContent-Disposition: form-data; name="resume"; filename="cv.txt"\\r\\n'
...         b'Content-Type: text/plain\\r\\n\\r\\nJane Doe\\r\\n--b--\\r\\n')
>>> async def chunks():
...     yield body
>>> form = asyncio.run(read_form("multipart/form-data; boundary=b", chunks()))
>>> form.fields, form.filename, form.file
({'limit': ['5']}, 'cv.txt', b'Jane Doe')
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import get_args

from python_multipart.multipart import MultipartParser, parse_options_header

from leadboard.enrich.role import FAMILIES
from leadboard.match.documents import MAX_BYTES, ResumeError, too_large
from leadboard.match.matcher import MAX_LIMIT
from leadboard.match.profile import LeadershipKind, Profile, edited_profile
from leadboard.models import Seniority
from leadboard.search.engine import ANY, SearchFilters
from leadboard.search.query import parse_amount

MAX_FIELDS_BYTES = 256 * 1024  # everything but the file: filters and an edited profile
MAX_PARTS = 200
# The whole body: the file, the fields, and the parts' headers and boundaries. Counted as it
# arrives, so that no number of parts, nor a body sent without a length, buffers more.
MAX_BODY = MAX_BYTES + MAX_FIELDS_BYTES + 64 * 1024
FILE_FIELD = "resume"
DEFAULT_LIMIT = 20
MAX_TITLES, MAX_TITLE, MAX_SUMMARY = 5, 120, 2000


@dataclass
class Form:
    """The form's text fields (every value of each name) and its one file, if sent."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    filename: str | None = None
    file: bytes | None = None

    def get(self, name: str, default: str = "") -> str:
        values = self.fields.get(name)
        return values[0] if values else default


def bad_form(message: str) -> ResumeError:
    return ResumeError("bad_form", message)


def too_large_body() -> ResumeError:
    """The error for a request body over :data:`MAX_BODY`, however many parts it has."""
    return ResumeError(
        "too_large",
        f"The upload is larger than {MAX_BODY / (1024 * 1024):.1f} MB in all. Send one résumé "
        "file (up to 5 MB) and the form's fields, nothing more.",
    )


async def read_form(
    content_type: str | None, chunks: AsyncIterator[bytes], max_file: int = MAX_BYTES
) -> Form:
    """Read a ``multipart/form-data`` body (or an empty one) into a :class:`Form`, in memory.

    Raises ``ResumeError`` ("too_large") as soon as the file passes ``max_file`` bytes or the
    whole body :data:`MAX_BODY`, and ("bad_form") for a body that is not such a form or whose
    other fields pass ``MAX_FIELDS_BYTES``. Only the first ``resume`` file is kept: other files
    are counted and dropped.
    """
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise bad_form(
            "Send the résumé as a form upload (multipart/form-data), in a field named "
            f"{FILE_FIELD!r}."
        )
    form = Form()
    parts: list[_Part] = []
    header = {"field": bytearray(), "value": bytearray()}
    sizes = {"fields": 0, "body": 0}

    def on_part_begin() -> None:
        if len(parts) >= MAX_PARTS:
            raise bad_form("The form has too many fields.")
        parts.append(_Part())

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header["value"] += data[start:end]

    def on_header_end() -> None:
        if bytes(header["field"]).lower() == b"content-disposition":
            _, options = parse_options_header(bytes(header["value"]))
            parts[-1].name = options.get(b"name", b"").decode("utf-8", "replace")
            filename = options.get(b"filename")
            parts[-1].filename = None if filename is None else filename.decode("utf-8", "replace")
        header["field"], header["value"] = bytearray(), bytearray()

    def on_headers_finished() -> None:
        part = parts[-1]
        # One file is read: the first résumé part that holds one (a browser sends an empty
        # part with filename="" when no file was chosen). Other files are counted, not kept.
        chosen = any(p.kept and p.filename is not None and (p.data or p.filename) for p in parts)
        part.kept = part.filename is None or (part.name == FILE_FIELD and not chosen)

    def on_part_data(data: bytes, start: int, end: int) -> None:
        part = parts[-1]
        if not part.kept:
            return
        part.data += data[start:end]
        if part.filename is not None:
            if len(part.data) > max_file:
                raise too_large()
        else:
            sizes["fields"] += end - start
            if sizes["fields"] > MAX_FIELDS_BYTES:
                raise bad_form("The form's fields are too large.")

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
        },
    )
    async for chunk in chunks:
        sizes["body"] += len(chunk)
        if sizes["body"] > MAX_BODY:
            raise too_large_body()
        try:
            parser.write(chunk)
        except ResumeError:
            raise
        except Exception as error:
            raise bad_form("The upload is not a well-formed form: send it again.") from error
    parser.finalize()
    for part in parts:
        if not part.kept:
            continue
        if part.filename is None:
            form.fields.setdefault(part.name, []).append(part.data.decode("utf-8", "replace"))
        elif form.file is None and (part.data or part.filename):
            form.filename = part.filename[:200]
            form.file = bytes(part.data)
    return form


@dataclass
class _Part:
    """One part of a form as it is read: its name, its file name (None: a text field), whether
    it is kept, and its bytes so far."""

    name: str = ""
    filename: str | None = None
    kept: bool = False
    data: bytearray = field(default_factory=bytearray)


# --- What the form asks --------------------------------------------------------------------------

# How the API answers each problem: too big, a kind of file it does not read, out of time
# (503: try again later), the client gone (499, as nginx logs it), or a file (or field) it could
# not use.
STATUS = {"too_large": 413, "unsupported": 415, "macros": 415, "too_slow": 503, "gone": 499}


def status_of(error: ResumeError) -> int:
    """The HTTP status of a problem: 413, 415, 503, 499, or 422 for the rest.

    >>> status_of(too_large()), status_of(bad_form("x"))
    (413, 422)
    """
    return STATUS.get(error.problem, 422)


def filters_from(form: Form) -> tuple[SearchFilters, int]:
    """The search filters and the number of results a form asks for.

    >>> filters, limit = filters_from(Form({"remote": ["on"], "min_salary": ["200k"]}))
    >>> filters.remote, filters.salary_min, filters.role_family, limit
    (['remote'], 200000.0, ['any'], 20)
    """
    families = [f for f in form.fields.get("family", []) if f]
    unknown = [f for f in families if f not in (*FAMILIES, ANY)]
    if unknown:
        raise bad_form(f"Unknown role family {unknown[0][:40]!r}; one of {', '.join(FAMILIES)}.")
    currency = form.get("currency", "USD").strip().upper() or "USD"
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise bad_form("The currency must be a three-letter code such as USD or EUR.")
    try:
        floor = parse_amount(form.get("min_salary")) if form.get("min_salary").strip() else None
        limit = int(form.get("limit") or DEFAULT_LIMIT)
    except ValueError as error:
        raise bad_form(
            f"The minimum salary or the number of results is not a number: {error}."
        ) from error
    filters = SearchFilters(
        role_family=families or [ANY],
        remote=["remote"] if form.get("remote") else [],
        salary_min=floor,
        salary_currency=currency,
    )
    return filters, min(max(1, limit), MAX_LIMIT)


def profile_from(form: Form) -> Profile | None:
    """The profile the form carries, with the person's corrections; None when it carries none.

    The ``profile`` field holds the profile as first read (its evidence lines included); the
    fields ``titles`` (one a line), ``seniority``, ``years_total``, ``years_ml``,
    ``people_managed``, ``skills`` (comma- or line-separated, read as the vocabulary's names),
    ``leadership`` (kinds, one value each) and ``summary`` replace what they say when
    ``edited`` is set.

    >>> form = Form({"profile": ['{"titles": ["ML Engineer"]}'], "edited": ["1"],
    ...              "titles": ["Staff ML Engineer"], "skills": ["pytorch, k8s, Cobol"]})
    >>> profile = profile_from(form)
    >>> profile.titles, profile.skill_names
    (['Staff ML Engineer'], ['PyTorch', 'Kubernetes'])
    """
    raw = form.get("profile").strip()
    if not raw:
        return None
    try:
        profile = Profile.model_validate_json(raw)
    except ValueError as error:
        raise bad_form(
            "The profile sent with the form is not one Leadboard wrote; upload the résumé again."
        ) from error
    if not form.get("edited"):
        return profile
    try:
        years_total = _number(form.get("years_total"), profile.years_total)
        years_ml = _number(form.get("years_ml"), profile.years_ml)
        managed = form.get("people_managed").strip()
        people = int(managed) if managed else None
    except ValueError as error:
        raise bad_form("Years and people managed must be numbers.") from error
    seniority = form.get("seniority", profile.seniority)
    if seniority not in get_args(Seniority):
        raise bad_form(f"Unknown seniority {seniority[:40]!r}.")
    titles = [" ".join(t.split())[:MAX_TITLE] for t in form.get("titles").splitlines()]
    kinds = [k for k in form.fields.get("leadership", []) if k in get_args(LeadershipKind)]
    return edited_profile(
        profile,
        titles=[t for t in titles if t][:MAX_TITLES],
        seniority=seniority,  # type: ignore[arg-type]
        years_total=years_total,
        years_ml=years_ml,
        people_managed=people,
        skills=re.split(r"[,;\n]", form.get("skills")),
        leadership=kinds,  # type: ignore[arg-type]
        summary=form.get("summary")[:MAX_SUMMARY],
    )


def _number(text: str, default: float) -> float:
    value = float(text) if text.strip() else default
    if not 0 <= value <= 80:
        raise ValueError(value)
    return round(value, 1)


async def read_match_form(headers: Mapping[str, str], chunks: AsyncIterator[bytes]) -> Form:
    """Read a match form from a request's headers and body; a body declared larger than
    :data:`MAX_BODY` is refused before a byte of it is read."""
    declared = headers.get("content-length") or "0"
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise too_large_body()
    return await read_form(headers.get("content-type"), chunks)


def no_resume() -> ResumeError:
    return ResumeError(
        "missing", "Choose a résumé file to upload (PDF, DOCX, TXT or Markdown, up to 5 MB)."
    )
