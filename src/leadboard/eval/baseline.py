"""The issue's keyword baseline: what regexes and word lists alone get, to measure the ML against.

One predictor over a posting row (``id, title, location, description, description_format``) that
returns the enrich contract's fields:

* role family, ML leadership and seniority from title regexes (seniority falls back on the years,
  as GUIDELINES.md says);
* years from the first "N+ years" / "N-M years" in the text;
* skills by matching the GUIDELINES.md vocabulary (and a few synonyms) in title and text;
* duties by keyword lists; remote from keywords in the location; never a salary.

It is deliberately simple: its figures on the labels check the harness, and they are the floor
every model has to beat. ``python -m leadboard.eval.baseline`` prints its table on the tune split.

>>> p = predict({"id": "x", "title": "Senior ML Engineering Manager", "location": "Remote, US",
...              "description": "5+ years of Python and PyTorch. You will mentor engineers."})
>>> (p["role_family"], p["seniority"], p["remote"], p["years_min"], p["skills"], p["duties"])
('ml_leadership', 'manager', 'remote', 5, ['Python', 'PyTorch'], ['mentoring'])
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from leadboard.datasets import LabelledPosting, load_labelled
from leadboard.eval.metrics import EvalReport, evaluate
from leadboard.normalize.html import clean_description

MODEL_VERSION = "keyword-baseline-1"


def _words(*patterns: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One regex matching any of ``patterns`` as whole words (``C++`` and ``CI/CD`` included)."""
    return re.compile(r"(?<![\w+#])(?:" + "|".join(patterns) + r")(?![\w+#])", flags)


# --- title: role family, ML leadership, seniority ------------------------------------------------

_ML_TITLE = _words(
    r"machine learning",
    "ML",
    "AI",
    "artificial intelligence",
    "deep learning",
    r"data scien\w*",
    r"applied scien\w*",
    r"research scien\w*",
    "computer vision",
    "NLP",
    r"LLMs?",
    "MLOps",
    r"gen(?:erative)? ?AI",
    "perception",
)
_LEADER_TITLE = _words(
    "lead",
    "staff",
    "principal",
    "distinguished",
    r"architect\w*",
    r"manager\w*",
    "head",
    "director",
    "VP",
    "vice president",
    "chief",
)
_DATA_TITLE = _words(
    r"data", r"analyst\w*", "analytics", "BI", "business intelligence", r"statistic\w*"
)
_SOFTWARE_TITLE = _words(
    "engineer",
    "engineering",
    "developer",
    "SRE",
    "devops",
    "infrastructure",
    "platform",
    "security",
    "programmer",
    "architect",
    "backend",
    "frontend",
    "full[- ]?stack",
)

# The first level that matches wins: "Senior Staff" is staff, but "Senior/Staff" (two levels)
# is senior, the lower one, as GUIDELINES.md says.
_SENIORITY_TITLE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("intern", _words(r"intern", "internship", "co-?op")),
    ("executive", _words("VP", "vice president", "chief", r"C[TEOD]O", "CAIO")),
    ("director", _words("director", r"head of")),
    ("manager", re.compile(r"(?<!product )(?<!program )(?<!project )(?<!account )manager", re.I)),
    ("senior", _words(r"senior\s*/\s*staff", r"staff\s*/\s*senior")),  # two levels: the lower
    ("principal", _words("principal", "distinguished", "fellow")),
    ("staff", _words("staff")),
    ("senior", _words("senior", r"sr\.?", "III", "lead")),
    ("junior", _words("junior", r"jr\.?", "entry[- ]level", "new grad", "graduate", "associate")),
    ("mid", _words("II")),
    ("junior", _words("I", flags=0)),
)


def role_family(title: str) -> str:
    """The role family a title's keywords suggest.

    >>> role_family("Head of Machine Learning"), role_family("Data Analyst")
    ('ml_leadership', 'data')
    """
    if _ML_TITLE.search(title):
        return "ml_leadership" if _LEADER_TITLE.search(title) else "ml_ic"
    if _DATA_TITLE.search(title):
        return "data"
    if _SOFTWARE_TITLE.search(title):
        return "software"
    return "other"


def seniority(title: str, years_min: int | None) -> str:
    """The level a title names, else the one the years imply (5+ senior, 2-4 mid, 0-1 junior).

    >>> seniority("Staff ML Engineer", None), seniority("ML Engineer", 6), seniority("Analyst", 0)
    ('staff', 'senior', 'junior')
    """
    for level, pattern in _SENIORITY_TITLE:
        if pattern.search(title):
            return level
    if years_min is None:
        return "mid"
    return "senior" if years_min >= 5 else "mid" if years_min >= 2 else "junior"


# --- text: years, skills, duties -----------------------------------------------------------------

# "5 years", "5+ years", "5 plus yrs", "5-7 years", "5 to 7 years"
_YEARS = re.compile(
    r"(?<![\d.])(\d{1,2})\s*(?:\+|plus)?\s*(?:(?:-|–|to)\s*(\d{1,2})\s*\+?\s*)?(?:years?|yrs?)",
    re.IGNORECASE,
)


def years(text: str) -> tuple[int | None, int | None]:
    """(min, max) from the first "N+ years" or "N-M years" in the text.

    >>> years("You have 5-7 years of experience."), years("8+ years in ML"), years("none")
    ((5, 7), (8, None), (None, None))
    """
    match = _YEARS.search(text)
    if not match:
        return None, None
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else None
    return low, high


# Each GUIDELINES.md vocabulary name, with the synonyms it says (and a few obvious spellings).
SKILL_PATTERNS: dict[str, tuple[str, ...]] = {
    "Python": ("Python",),
    "Java": ("Java",),
    "Scala": ("Scala",),
    "C++": (r"C\+\+",),
    "C": (),  # only case-sensitive, below: "c" is a word in too many places
    "Go": (r"Golang",),
    "Rust": ("Rust",),
    "R": (),
    "SQL": ("SQL",),
    "JavaScript": ("JavaScript",),
    "TypeScript": ("TypeScript",),
    "Julia": ("Julia",),
    "CUDA": ("CUDA",),
    "PyTorch": ("PyTorch",),
    "TensorFlow": ("TensorFlow",),
    "JAX": ("JAX",),
    "Keras": ("Keras",),
    "scikit-learn": ("scikit-learn", "sklearn", "scikit learn"),
    "XGBoost": ("XGBoost",),
    "Hugging Face": ("Hugging ?Face",),
    "ONNX": ("ONNX",),
    "TensorRT": ("TensorRT",),
    "Triton": ("Triton",),
    "vLLM": ("vLLM",),
    "DeepSpeed": ("DeepSpeed",),
    "Ray": (),
    "Spark": ("Spark", "PySpark"),
    "Pandas": ("Pandas",),
    "NumPy": ("NumPy",),
    "MLflow": ("MLflow",),
    "Kubeflow": ("Kubeflow",),
    "Airflow": ("Airflow",),
    "Kafka": ("Kafka",),
    "Databricks": ("Databricks",),
    "Snowflake": ("Snowflake",),
    "BigQuery": ("BigQuery",),
    "SageMaker": ("SageMaker",),
    "Vertex AI": ("Vertex AI",),
    "Kubernetes": ("Kubernetes", "k8s"),
    "Docker": ("Docker",),
    "Terraform": ("Terraform",),
    "AWS": ("AWS", "Amazon Web Services"),
    "GCP": ("GCP", "Google Cloud"),
    "Azure": ("Azure",),
    "Linux": ("Linux",),
    "CI/CD": ("CI/CD",),
    "PostgreSQL": ("PostgreSQL", "Postgres"),
    "Elasticsearch": ("Elasticsearch",),
    "Redis": ("Redis",),
    "Machine Learning": ("machine learning",),
    "Deep Learning": ("deep learning",),
    "NLP": ("NLP", "natural language processing"),
    "Computer Vision": ("computer vision",),
    "Reinforcement Learning": ("reinforcement learning",),
    "Recommender Systems": ("recommender systems?", "recommendation systems?"),
    "Search and Ranking": ("search and ranking", "ranking"),
    "Time Series": ("time[- ]series",),
    "Speech": ("speech",),
    "Generative AI": ("generative AI", "GenAI"),
    "LLMs": ("LLMs?", "large language models?"),
    "RAG": ("RAG", "retrieval[- ]augmented generation"),
    "Vector Databases": ("vector databases?", "vector DBs?"),
    "Fine-tuning": ("fine[- ]?tuning",),
    "RLHF": ("RLHF",),
    "Prompt Engineering": ("prompt engineering",),
    "AI Agents": ("AI agents?", "agentic"),
    "Diffusion Models": ("diffusion models?",),
    "Multimodal": ("multi-?modal",),
    "Statistics": ("statistics",),
    "A/B Testing": ("A/B test(?:s|ing)?",),
    "Causal Inference": ("causal inference",),
    "Distributed Training": ("distributed training",),
    "Model Serving": ("model serving",),
    "MLOps": ("MLOps",),
    "Data Pipelines": ("data pipelines?",),
    "GPU Programming": ("GPU programming",),
    "Embeddings": ("embeddings",),
    "ML Evaluation": ("model evaluation", "evals"),
    "Robotics": ("robotics",),
}
# Names that are ordinary words (or letters) in other case: matched exactly as written.
CASE_SENSITIVE_PATTERNS: dict[str, tuple[str, ...]] = {
    "C": (r"C(?![-/])",),
    "R": (r"R(?![&-])",),
    "Go": ("Go(?!-)",),
    "Ray": ("Ray",),
}


class _Vocabulary:
    """Names, each with regexes, found in a text in one pass of one compiled regex.

    One plain alternation is far faster than a regex per name (Python's ``re`` scans the whole
    text once per pattern) or than a named group per name; which name a matched string belongs to
    is worked out once per distinct string and remembered. A match consumes its text, so where
    two names overlap ("generative AI agents") only the first is found.
    """

    def __init__(self, patterns: Mapping[str, Sequence[str]], flags: int = re.IGNORECASE):
        self._any = _words(
            *(p for alternatives in patterns.values() for p in alternatives), flags=flags
        )
        self._each = {
            name: re.compile("|".join(alternatives), flags)
            for name, alternatives in patterns.items()
            if alternatives
        }
        self._name_of: dict[str, str] = {}

    def found_in(self, text: str) -> set[str]:
        return {self._name(match.group()) for match in self._any.finditer(text)}

    def _name(self, matched: str) -> str:
        if matched not in self._name_of:
            self._name_of[matched] = next(
                name for name, regex in self._each.items() if regex.fullmatch(matched)
            )
        return self._name_of[matched]


_SKILLS = (_Vocabulary(SKILL_PATTERNS), _Vocabulary(CASE_SENSITIVE_PATTERNS, flags=0))

DUTY_PATTERNS: dict[str, tuple[str, ...]] = {
    "architecture": (
        r"architect\w*",
        "system design",
        r"design(?:s|ing)? (?:scalable |the )?systems",
        "technical direction",
        "technical vision",
        "technical strategy",
    ),
    "hands_on_coding": (
        r"hands-on",
        r"writ(?:e|ing) code",
        "coding",
        r"implement\w*",
        "programming",
    ),
    "best_practices": (
        "best practices",
        r"code reviews?",
        "testing",
        "standards",
        "reliability",
        "quality",
    ),
    "mentoring": (r"mentor\w*", r"coach\w*", r"grow(?:ing)? (?:the )?(?:engineers|team)"),
    "project_management": (
        r"roadmaps?",
        r"prioriti\w+",
        r"timelines?",
        "project management",
        "planning",
        r"deliver(?:y|ables)",
    ),
    "stakeholders": (
        r"cross-functional\w*",
        r"stakeholders?",
        r"partner(?:s|ing)? with",
        r"collaborat\w+",
        r"communicat\w+",
    ),
    "people_management": (
        "direct reports",
        r"hir(?:e|ing)",
        "performance reviews",
        r"manag(?:e|ing) (?:a )?team",
        "people management",
    ),
    "research": ("research", r"publications?", "novel", r"experiments?", "state-of-the-art"),
    "deployment_mlops": (
        r"deploy\w*",
        "in production",
        "serving",
        "monitoring",
        "MLOps",
        "ML infrastructure",
        "inference",
    ),
}
_DUTIES = _Vocabulary(DUTY_PATTERNS)


def skills(text: str) -> list[str]:
    """Vocabulary names found in the text, in vocabulary order.

    >>> skills("Python, k8s and Google Cloud; large language models. Go-to-market in R&D.")
    ['Python', 'Kubernetes', 'GCP', 'LLMs']
    """
    found = set().union(*(vocabulary.found_in(text) for vocabulary in _SKILLS))
    return [name for name in SKILL_PATTERNS if name in found]


def duties(text: str) -> list[str]:
    """Duties whose keywords occur in the text.

    >>> duties("You will mentor engineers and own the roadmap.")
    ['mentoring', 'project_management']
    """
    found = _DUTIES.found_in(text)
    return [duty for duty in DUTY_PATTERNS if duty in found]


def remote(location: str | None) -> str:
    """Remote policy from the location's words; any other location means onsite.

    >>> remote("Remote - US"), remote("New York, NY (Hybrid)"), remote("Paris"), remote("")
    ('remote', 'hybrid', 'onsite', 'unknown')
    """
    words = (location or "").lower()
    if "hybrid" in words:
        return "hybrid"
    if "remote" in words:
        return "remote"
    return "onsite" if words.strip() else "unknown"


# --- the predictor -------------------------------------------------------------------------------


def predict(posting: Mapping[str, Any]) -> dict[str, Any]:
    """The baseline's prediction for one posting row, in the enrich contract's shape."""
    title = str(posting.get("title") or "")
    description = posting.get("description") or ""
    body = clean_description(str(description), posting.get("description_format")).text
    text = f"{title}\n{body}"
    years_min, years_max = years(body)
    family = role_family(title)
    is_leader = family == "ml_leadership"
    return {
        "id": posting.get("id"),
        "model_version": MODEL_VERSION,
        "ml_leadership": 1.0 if is_leader else 0.0,
        "is_ml_leadership": is_leader,
        "role_family": family,
        "seniority": seniority(title, years_min),
        "remote": remote(posting.get("location")),
        "years_min": years_min,
        "years_max": years_max,
        "salary": None,
        "skills": skills(text),
        "duties": duties(body),
    }


def predict_all(postings: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``predict`` over many postings."""
    return [predict(posting) for posting in postings]


def evaluate_baseline(labelled: Sequence[LabelledPosting]) -> EvalReport:
    """The baseline's report (throughput included) on labelled postings."""
    started = time.perf_counter()
    predictions = predict_all(item.posting for item in labelled)
    elapsed = time.perf_counter() - started
    report = evaluate(predictions, [item.label for item in labelled], elapsed_s=elapsed)
    report.extra["predictor"] = MODEL_VERSION
    return report


def main(argv: Sequence[str] = ()) -> None:
    """Print the baseline's table on the tune split (the holdout is for the lead, at the end)."""
    from leadboard.eval.report import format_table

    report = evaluate_baseline(load_labelled("tune"))
    detail = "--detail" in argv
    print(format_table(report, confusion=detail, per_label=detail, title="keyword baseline, tune"))


if __name__ == "__main__":
    main(sys.argv[1:])
