"""Weak labels: role families for unlabelled postings, from titles that leave no doubt.

The hand-labelled set is small (~1,000 postings). The ~19,000 unlabelled postings in
``data/postings`` teach the role classifier much more about how each family's descriptions read,
if we can label some of them cheaply. A title like "Staff Machine Learning Engineer", "Account
Executive" or "Data Analyst" decides the family by itself under GUIDELINES.md, so a few
high-precision title rules label thousands of postings; titles that could go either way ("Data
Scientist", "Staff Software Engineer, AI", anything mixing cues) get no label.

Postings in the labelled set (``data/labels/dev.jsonl``, both splits) and their copies (same company
and title, or same text) are never weak-labelled, so the evaluation stays clean.

>>> weak_role_family("Staff Machine Learning Engineer, Ranking").role_family
'ml_leadership'
>>> weak_role_family("Data Scientist") is None
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leadboard import datasets
from leadboard.datasets import read_jsonl
from leadboard.models import RoleFamily
from leadboard.sources import hn


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Machine-learning work named outright. "Research scientist" counts only outside lab sciences.
_ML = _rx(
    r"\b(?:machine[- ]learning|ml|mle|mlops|deep[- ]learning|nlp|natural language processing|"
    r"computer vision|llms?|large language models?|reinforcement learning|"
    r"(?:ai|ml)\s+(?:engineer|scientist|researcher|research)|ml (?:infrastructure|platform)|"
    r"applied scientist|research (?:scientist|engineer)|perception|"
    r"model (?:training|serving|inference)|inference (?:engineer|infrastructure))\b"
)
# ML words beside another trade ("GenAI Security Engineer", "iOS Developer - ML", "ML Compiler")
# or two levels ("Senior/Staff"): the tune labels go both ways, so no label.
_ML_MIXED = _rx(
    r"\b(?:security|ios|android|sre|site reliability|compiler|storage|hpc|frontend|front-end|"
    r"full[- ]?stack|mobile|developer|test|manufacturing|hardware|computer scientist|"
    r"software development)\b|\b(?:senior|sr\.?|staff)\s*(?:/|\bor\b|\bto\b)\s*\w+"
)
# Titles about data or analysis are never labelled 'other' by a sales or marketing word
# ("Marketing Analyst" is data).
_DATA_WORDS = _rx(r"\b(?:data|analyst|analytics|analysis|scien\w*|statistic\w*|insights?)\b")
_LAB_SCIENCE = _rx(
    r"\b(?:pharma\w*|bio\w*|chem\w*|clinical|materials?|physics|laborator\w*|cell|tissue|"
    r"medical|health|social|econom\w*|policy|quantum|neuro\w*|assay|formulation|genomics?|"
    r"psycholog\w*|behavio\w*|survey|market research|ux research|user research)\b"
)
# Any hint of AI or data science: such titles never get a software or data label.
_AI_OR_DS = _rx(
    r"\b(?:ai|a\.i\.|artificial intelligence|ml|machine learning|data scien\w*|scientist|"
    r"models?|modell?ing|inference|llms?|genai|agents?|agentic|intelligence|algorithms?|"
    r"ranking|recommend\w*|personali[sz]ation|relevance|search|vision|speech|robotics|"
    r"autonomy|autonomous|predictive|statistic\w*|quantitative|research)\b"
)
# Leadership in the title (GUIDELINES.md: lead, staff, principal, architect, manager, head…).
_LEADER = _rx(
    r"\b(?:lead|leader|tech lead|staff|principal|distinguished|architect|manager|head|"
    r"director|vp|vice president|chief)\b"
)
_NOT_LEADER = _rx(r"\bmember of (?:the )?technical staff\b")
_SENIOR_ONLY = _rx(r"\b(?:senior|sr\.?)\b")
_DATA = _rx(
    r"\b(?:data analyst|data analytics|bi (?:analyst|developer|engineer)|"
    r"business intelligence|analytics engineer|data engineer(?:ing)?|reporting analyst|"
    r"analytics (?:manager|lead|director)|(?:head|director) of analytics|etl developer|"
    r"data warehouse|data (?:platform|infrastructure|pipelines?)|marketing analyst|"
    r"financial data analyst|insights analyst|product analyst|analytics analyst)\b"
)
_SOFTWARE = _rx(
    r"\b(?:software (?:engineer|developer|development engineer)|backend|back-end|frontend|"
    r"front-end|full[- ]?stack|site reliability|sre|devops|security engineer|ios|android|"
    r"firmware|embedded|infrastructure engineer|platform engineer|network engineer|"
    r"qa engineer|test engineer|hardware engineer|engineering manager|web developer|"
    r"mobile engineer|systems engineer|cloud engineer|kernel|compiler engineer|"
    r"application security|asic|fpga|silicon)\b"
)
_OTHER = _rx(
    r"\b(?:product manager|product management|product marketing|program manager|"
    r"programme manager|project manager|tpm|account executive|account manager|"
    r"account director|sales|sdr|bdr|business development|recruit\w*|sourcer|"
    r"talent acquisition|marketing|counsel|attorney|paralegal|legal|accountant|accounting|"
    r"payroll|tax|treasury|people partner|hr business partner|human resources|"
    r"customer success|customer support|support specialist|executive assistant|"
    r"office manager|designer|ux writer|copywriter|content writer|communications|"
    r"public relations|policy|nurse|nursing|pharmacist|physician|therapist|driver|"
    r"warehouse|solutions? architect|solutions? engineer|sales engineer|"
    r"customer engineer|forward[- ]deployed(?:\s+\w+)?\s+engineer|developer advocate|"
    r"developer relations|partner manager|partnerships|community manager|"
    r"event manager|administrative|receptionist|facilities|workplace)\b"
)
# An "other" cue that still sits beside ML leadership words is left unlabelled (a forward-
# deployed ML tech lead is ml_leadership in the tune labels).
_OTHER_BUT_TECHNICAL = _rx(r"\b(?:forward[- ]deployed|solutions? engineer|customer engineer)\b")
# Customer-facing architects are 'other' whatever they architect (GUIDELINES.md).
_CUSTOMER_ARCHITECT = _rx(r"\bsolutions?\s+architect\b")
# Product and programme managers stay 'other' even when their product is data.
_PRODUCT_OR_PROGRAM = _rx(
    r"\b(?:product|program|programme|project)\s+(?:manager|management|owner)\b"
)


@dataclass(frozen=True)
class WeakLabel:
    """A role family from a title rule, with the rule's name (for counting and debugging)."""

    role_family: RoleFamily
    rule: str


def weak_role_family(title: str | None) -> WeakLabel | None:
    """The role family a title decides on its own, or ``None`` when it could go either way.

    >>> weak_role_family("Senior Product Manager, Generative AI").role_family
    'other'
    >>> weak_role_family("Analytics Engineer").role_family
    'data'
    >>> weak_role_family("Senior Backend Engineer (Go)").role_family
    'software'
    """
    if not title or not title.strip():
        return None
    text = " ".join(title.split())
    is_ml = bool(_ML.search(text)) and not _LAB_SCIENCE.search(text)
    is_leader = bool(_LEADER.search(_NOT_LEADER.sub(" ", _CUSTOMER_ARCHITECT.sub(" ", text))))
    is_data = bool(_DATA.search(text))
    if _OTHER.search(text) and not (is_data and not is_ml and not _PRODUCT_OR_PROGRAM.search(text)):
        if _DATA_WORDS.search(text) or (is_ml and (is_leader or _OTHER_BUT_TECHNICAL.search(text))):
            return None
        return WeakLabel("other", "other_title")
    if is_ml:
        if _DATA.search(text) or _ML_MIXED.search(text):
            return None
        if is_leader:
            return WeakLabel("ml_leadership", "ml_leader_title")
        return WeakLabel("ml_ic", "ml_ic_title")
    if _AI_OR_DS.search(text):
        return None
    if is_data:
        return WeakLabel("data", "data_title")
    if _SOFTWARE.search(text) and not _DATA_WORDS.search(text):
        return WeakLabel("software", "software_title")
    return None


def as_imported(row: dict[str, Any]) -> dict[str, Any]:
    """A dump row with the title ``leadboard import`` would give it.

    Hacker News rows of the dump have no title: the importer reads it from the post's first line
    (``sources.hn``). A post that names exactly one role gets that title here, so its text can be
    trained and scored like any posting; a post of several roles (one text, several labels) or
    none keeps no title. Other rows are returned as they are.

    >>> row = {"id": "hn-1", "url": "https://news.ycombinator.com/item?id=1", "title": None,
    ...        "description": "Acme | Staff ML Engineer | Remote<p>We train models.</p>"}
    >>> as_imported(row)["title"]
    'Staff ML Engineer'
    """
    found = imported_postings(row)
    return found[0] if len(found) == 1 else row


def imported_postings(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The postings ``leadboard import`` makes of a dump row, as dump rows.

    Other sources' rows are one posting each, returned as they are. A Hacker News post of one
    role is that role, titled (``as_imported``); a post of several roles whose roles each start a
    line of their own is one posting a role, with the post less the other roles' sections
    (``hn.role_sections``) as text and ids ``<row id>#<index>``: each reads like a posting and
    can be weakly labelled by its title. A post whose roles share one text, or that names none,
    stays one untitled row.

    >>> row = {"id": "hn-2", "url": "https://news.ycombinator.com/item?id=2", "title": None,
    ...        "description": "Acme | Remote<p>We build tools.</p><p>- Data Analyst: SQL</p>"
    ...                       "<p>- ML Engineer: PyTorch</p>"}
    >>> [(p["id"], p["title"]) for p in imported_postings(row)]
    [('hn-2#0', 'Data Analyst'), ('hn-2#1', 'ML Engineer')]
    """
    if row.get("title") or not hn.is_hn_record(row):
        return [row]
    try:
        found = hn.postings_from_record(row, fetched_at=datetime(2000, 1, 1, tzinfo=UTC))
    except hn.UnusablePost:
        return [row]
    if len(found) == 1:
        if found[0].extra.get("title_is_placeholder") or not found[0].title:
            return [row]
        return [{**row, "title": found[0].title}]
    if any(p.description_format != "text" or not p.title for p in found):
        return [row]  # the roles share the whole post: no role's own text
    return [
        {
            **row,
            "id": f"{row.get('id')}#{index}",
            "title": p.title,
            "description": p.description,
            "description_format": p.description_format,
        }
        for index, p in enumerate(found)
    ]


def copy_keys(posting: dict[str, Any]) -> tuple[str, str]:
    """Two keys that catch copies of one job: company and title, and the start of the text;
    "" where the posting has no company (Hacker News rows: two companies' "Backend Engineer"
    are two jobs) or no text. Dumps repeat jobs: the 2026 AI-lab listing holds the 2025 one's.

    >>> copy_keys({"company": "Acme", "title": "ML  Lead"})
    ('acme|ml lead', '')
    >>> copy_keys({"company": None, "title": "ML Lead"})
    ('', '')
    """
    company = " ".join(str(posting.get("company") or "").lower().split())
    title = " ".join(str(posting.get("title") or "").lower().split())
    body = " ".join(str(posting.get("description") or "").lower().split())[:1000]
    return (
        f"{company}|{title}" if company else "",
        hashlib.sha1(body.encode()).hexdigest() if body else "",
    )


def labelled_ids(data_dir: Path) -> set[str]:
    """Ids of every hand-labelled posting (both splits): never weak-label these."""
    path = data_dir / "labels" / "dev.jsonl"
    return {row["id"] for row in read_jsonl(path)} if path.is_file() else set()


def weak_labelled_postings(
    data_dir: Path | None = None, *, exclude_ids: Iterable[str] = ()
) -> list[tuple[dict[str, Any], WeakLabel]]:
    """Unlabelled postings of ``data_dir/postings`` whose title decides their role family
    (those of :func:`unlabelled_postings` with a weak label)."""
    return with_weak_labels(unlabelled_postings(data_dir, exclude_ids=exclude_ids))


def with_weak_labels(
    postings: Iterable[dict[str, Any]],
) -> list[tuple[dict[str, Any], WeakLabel]]:
    """Those of ``postings`` whose title decides their role family, each with that label."""
    found: list[tuple[dict[str, Any], WeakLabel]] = []
    for posting in postings:
        label = weak_role_family(posting.get("title"))
        if label is not None:
            found.append((posting, label))
    return found


def unlabelled_postings(
    data_dir: Path | None = None, *, exclude_ids: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Unlabelled postings of ``data_dir/postings`` with a title and a description.

    Skips the hand-labelled postings and their copies (same company and title, or same text),
    ``exclude_ids``, and repeats of one job. Deterministic: files in name order, rows in file
    order.
    """
    data_dir = datasets.data_dir(data_dir)
    files = datasets.posting_files(data_dir)
    excluded = labelled_ids(data_dir) | set(exclude_ids)
    seen: set[str] = set()
    for path in files:  # first pass: the keys of the labelled postings and their copies
        for posting in read_jsonl(path):
            if posting.get("id") in excluded:
                seen.update(key for key in copy_keys(posting) if key)
    found: list[dict[str, Any]] = []
    for path in files:
        for row in read_jsonl(path):
            if row.get("id") in excluded:
                continue
            for posting in imported_postings(row):
                if not _has_text(posting):
                    continue
                keys = [key for key in copy_keys(posting) if key]
                if any(key in seen for key in keys):
                    continue
                seen.update(keys)
                found.append(posting)
    return found


def _has_text(posting: dict[str, Any]) -> bool:
    description = posting.get("description")
    return bool(posting.get("title")) and isinstance(description, str) and len(description) > 200
