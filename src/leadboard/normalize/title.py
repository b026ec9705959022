"""Job titles: strip the noise boards add, keep the words that say what the job is.

``clean_title("🚀 SENIOR ML ENGINEER (Remote) - R12345")`` → ``"Senior ML Engineer"``. The caller
keeps the original (``Job.title_raw``); this only makes titles comparable and readable.
"""

from __future__ import annotations

import re
import unicodedata

# Words kept upper-case when an ALL-CAPS title is re-cased. Mixed-case spellings map explicitly.
_ACRONYM_WORDS = """
AI ML LLM LLMS NLP SRE CV RL GPU TPU CPU API SDK AWS GCP SQL ETL ELT BI QA UX UI HR IT VP
SVP EVP AVP CEO CTO CFO COO CIO CPO CISO CMO GM R&D US USA UK EU EMEA APAC LATAM NA II III
IV VI VII SWE MTS PM TPM EM GTM SMB B2B SAAS MLE DL AR VR XR IOT HPC ASIC FPGA RTL DSP SOC
NYC SF LA DC 3D 2D ADAS GIS CRM ERP SEO PR FP&A M&A
"""
_ACRONYMS = set(_ACRONYM_WORDS.split())
_SPECIAL_CASE = {
    "IOS": "iOS",
    "PHD": "PhD",
    "DEVOPS": "DevOps",
    "MLOPS": "MLOps",
    "LLMOPS": "LLMOps",
    "DATAOPS": "DataOps",
    "DEVSECOPS": "DevSecOps",
    "SAAS": "SaaS",
    "IOT": "IoT",
    "GENAI": "GenAI",
    "JAVASCRIPT": "JavaScript",
    "TYPESCRIPT": "TypeScript",
    "PYTORCH": "PyTorch",
    "LLMS": "LLMs",
    "SR": "Sr",
    "JR": "Jr",
    "MGR": "Mgr",
}
_SMALL_WORD_LIST = "a an and as at by for in of on or the to with"
_SMALL_WORDS = set(_SMALL_WORD_LIST.split())

# Trailing requisition ids: "- R12345", "(Req #4521)", "| JR-00123", "Job ID: 998877", "[123456]".
# A bare 4-digit number is left alone: it is usually a year ("Summer Intern 2026").
_REQ_ID = re.compile(
    r"""\s*(?:[-–—|,:]\s*|[(\[]\s*)?
        (?:(?i:req(?:uisition)?|job|ref)\.?\s*(?i:id|no|number)?\.?\s*[:\#]?\s*[A-Za-z0-9-]*\d[A-Za-z0-9-]*
          |\b[A-Z]{1,4}-?\d{4,}(?:-\d+)?
          |\#?\d{5,}
        )\s*[)\]]?\s*$""",
    re.VERBOSE,
)
# Workplace and gender tags that belong elsewhere: "(Remote)", "- Hybrid", "(m/f/d)".
_WORKPLACE_TAG = re.compile(
    r"\s*(?:[(\[]\s*(?:fully\s+)?(?:remote|hybrid|on-?site|in-office)(?:[^)\]]{0,40})[)\]]"
    r"|[-–—|,:]\s*(?:fully\s+)?(?:remote|hybrid|on-?site)(?:\s*[-–—,/]?\s*(?:US|USA|UK|EU|EMEA))?\s*$)",
    re.IGNORECASE,
)
_GENDER_TAG = re.compile(
    r"\s*[(\[]\s*(?:[mfwdx]\s*/\s*[mfwdx](?:\s*/\s*[mfwdx])?|all genders|gn\*?)\s*[)\]]",
    re.IGNORECASE,
)
# Calls to action and hype that boards append or prepend.
_NOISE_PHRASES = re.compile(
    r"\s*(?:[-–—|:!]\s*)?\b(?:apply\s+(?:now|today|here)|urgent(?:ly)?\s+hiring|hiring\s+now|"
    r"now\s+hiring|we(?:'|’)re\s+hiring|immediate\s+start)\b\s*!*|\s*\bnew!+",
    re.IGNORECASE,
)
_LEADING_URGENT = re.compile(r"^\s*(?:urgent|hot job|new)\s*[-:!|]\s*", re.IGNORECASE)
_EDGE_PUNCTUATION = re.compile(r"^[\s\-–—|,:;/*·•.!]+|[\s\-–—|,:;/*·•!]+$")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'’+#.]*")


MAX_TITLE_CHARS = 1_000  # no job title is longer; past it, cleaning would only cost time


def clean_title(raw: str | None) -> str:
    """A title without emoji, workplace tags, calls to action or requisition ids.

    ALL-CAPS titles are re-cased, keeping acronyms (ML, AI, LLM, NLP, SRE…) upper-case.
    Returns "" when nothing title-like is left.

    >>> clean_title("Senior ML Engineer (Remote) - Apply now!")
    'Senior ML Engineer'
    >>> clean_title("🚀 STAFF MACHINE LEARNING ENGINEER, NLP - R12345")
    'Staff Machine Learning Engineer, NLP'
    """
    if not raw:
        return ""
    title = unicodedata.normalize("NFKC", raw[:MAX_TITLE_CHARS])
    title = _drop_symbols(title)
    title = _SPACES.sub(" ", title).strip()
    for _ in range(3):  # noise can be stacked: "X (Remote) - Apply now! - R123"
        before = title
        title = _LEADING_URGENT.sub("", title)
        title = _GENDER_TAG.sub("", title)
        title = _WORKPLACE_TAG.sub("", title)
        title = _NOISE_PHRASES.sub(" ", title)
        title = _REQ_ID.sub("", title)
        title = _EDGE_PUNCTUATION.sub("", _SPACES.sub(" ", title))
        if title == before:
            break
    title = title.replace("( ", "(").replace(" )", ")").replace("()", "").strip()
    if _is_all_caps(title):
        title = _recase(title)
    return title


def _drop_symbols(text: str) -> str:
    """Remove emoji, pictographs and other symbols; keep letters, digits and punctuation."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("So", "Cs", "Co", "Cn") or char in "\u200d\ufe0f":
            continue
        if category.startswith("C") and char not in "\t\n":
            continue
        kept.append(char)
    return "".join(kept)


def _is_all_caps(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    # Short all-caps titles are usually acronyms ("CTO", "SRE II"): leave them alone.
    return len(letters) >= 6 and all(c.isupper() for c in letters)


def _recase(title: str) -> str:
    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        dots = word[len(word.rstrip(".")) :]  # keep "Sr." as "Sr."
        upper = word.upper().rstrip(".")
        if upper in _SPECIAL_CASE:
            return _SPECIAL_CASE[upper] + dots
        if upper in _ACRONYMS or (len(upper) <= 3 and not any(v in upper for v in "AEIOUY")):
            return word.upper()  # acronyms, and vowel-less short words ("HW", "SW")
        lower = word.lower()
        if match.start() > 0 and lower in _SMALL_WORDS:
            return lower
        return lower[:1].upper() + lower[1:]

    return _WORD.sub(fix, title)
