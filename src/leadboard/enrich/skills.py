"""Skills a posting asks of the candidate, mapped to the vocabulary of the labelling guidelines.

Each skill in ``data/skills.csv`` has its canonical name (spelled as in ``GUIDELINES.md``), a
taxonomy id (an ESCO skill URI, an O*NET Technology Skills example written
``onet:<commodity code>:<example>``, or ``leadboard:<slug>`` where neither has the skill) and the
surface forms that name it ("k8s" → Kubernetes, "large language models" → LLMs).

Three things decide whether a surface form counts:

1. **Where it is.** The guidelines count skills asked of the candidate, in the requirements or the
   responsibilities, not those only in the company blurb ("About us", benefits, equal-opportunity
   text). ``split_sections`` finds those parts from their headings, which in flattened text sit
   inline ("… the future! Why this role? Design and …"); a company pitch before the first heading
   ("At Acme, we are the leading ML platform.") does not count either.
2. **What it means.** Short or common words are skills only in a technical context: "R" (not
   "R&D"), "C" (not "Series C"), "Go" (not "Go-to-market"), "Spark" (not "spark joy"), "Ray",
   "Julia", "Triton", "Airflow", "Snowflake" (not the company), "Speech" (not "hate speech"),
   "agents" (not call-centre agents), "ML" (not "ML engineers", "ML infrastructure"). The context
   checks live in ``_GUARDS``. The rules were tuned on the "tune" part of the labelled postings.
   A phrase can name two skills: "CUDA kernels" is GPU Programming and CUDA.
3. **Required or not.** A mention in a minimum-qualifications part is required, one in a
   preferred/nice-to-have part (or in a sentence that says "a plus", "preferred"…) is not; where
   the posting does not separate them, ``required`` is None.

>>> text = "About us: we build ML tools. Requirements: Python, k8s. Nice to have: PyTorch."
>>> [(m.name, m.required) for m in extract_skills(text)]
[('Python', True), ('Kubernetes', True), ('PyTorch', False)]
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from leadboard.enrich.regex_tools import has_top_level_bar
from leadboard.enrich.segments import Segments
from leadboard.models import Evidence, SkillMention

VOCABULARY_FILE = "skills.csv"


# --- The vocabulary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Skill:
    """One canonical skill of the vocabulary."""

    name: str
    category: str  # language | ml_tool | infrastructure | ml_area
    taxonomy_id: str
    variants: tuple[str, ...]  # regular expressions, case-insensitive unless they say (?-i:…)
    # Skills that having this one shows (PyTorch → Deep Learning): read by matching, not here.
    implies: tuple[str, ...] = ()


def _variant_regex(variant: str) -> str:
    # A space in a variant stands for any whitespace: clean text keeps line breaks inside phrases.
    return variant.replace(" ", r"\s")


@cache
def vocabulary() -> tuple[Skill, ...]:
    """The skills of ``data/skills.csv``, in file order.

    >>> next(s for s in vocabulary() if s.name == "Kubernetes").taxonomy_id
    'onet:43232701:Kubernetes'
    """
    source = resources.files("leadboard") / "data" / VOCABULARY_FILE
    # newline="" as the csv module wants: a quoted field may hold a line break
    with io.StringIO(source.read_text(encoding="utf-8"), newline="") as rows:
        return tuple(
            Skill(
                name=row["name"],
                category=row["category"],
                taxonomy_id=row["taxonomy_id"],
                variants=tuple(v.strip() for v in row["patterns"].split(";") if v.strip()),
                implies=tuple(v for v in (row.get("implies") or "").split(";") if v),
            )
            for row in csv.DictReader(rows)
        )


# A surface form starts and ends at a word edge; "+" and "#" count as word characters so that
# "C" does not match inside "C++" or "C#". Text whose line breaks were lost glues the last word
# of one line to the first of the next ("PostgresDocker", "SparkExperience"): a change from a
# lower-case to a capital letter counts as an edge too, but not before an abbreviation, which is
# more often part of a name ("NoSQL", "MySQL", "ChemML").
_BEFORE = r"(?:(?<![\w+#])|(?<=(?-i:[a-z]))(?=(?-i:[A-Z][a-z])))"
_AFTER = r"(?:(?![\w+#])|(?<=(?-i:[a-z]))(?=(?-i:[A-Z])))"


@cache
def _variants_longest_first() -> tuple[tuple[re.Pattern[str], Skill], ...]:
    # Longer variants first, so "reinforcement learning from human feedback" is RLHF rather than
    # "reinforcement learning" followed by loose words.
    pairs = [(variant, skill) for skill in vocabulary() for variant in skill.variants]
    pairs.sort(key=lambda pair: len(pair[0]), reverse=True)
    return tuple((re.compile(_variant_regex(v), re.IGNORECASE), skill) for v, skill in pairs)


@cache
def _finder() -> re.Pattern[str]:
    # One alternation of every variant, without capture groups (Python's regex engine scans a
    # group-free alternation several times faster than one with a group per skill), with the
    # variants gathered under their first letter: "a(?:ws|irflow)|b(?:igquery)|…". At each word
    # start the engine then tries a few dozen branches instead of hundreds.
    variants = [pattern.pattern for pattern, _ in _variants_longest_first()]
    return re.compile(f"{_BEFORE}(?:{_by_first_letter(variants)}){_AFTER}", re.IGNORECASE)


def _by_first_letter(variants: list[str]) -> str:
    """``aws|azure|(?-i:R)`` → ``a(?:ws|zure)|(?-i:R)``; order is kept within each letter."""
    by_letter: dict[str, list[str]] = {}
    others: list[str] = []
    for variant in variants:
        head, rest = variant[:1], variant[1:]
        # Only a plain first letter followed by more pattern can be split off safely.
        if head.isalpha() and rest and rest[0] not in "?*+{" and not has_top_level_bar(variant):
            by_letter.setdefault(head.lower(), []).append(rest)
        else:
            others.append(variant)
    grouped = [f"{letter}(?:{'|'.join(rests)})" for letter, rests in by_letter.items()]
    return "|".join([*grouped, *others])


def _surface_forms(text: str) -> Iterator[tuple[Skill, int, int]]:
    """Where the vocabulary's names are: the longest at each place, and the names of other skills
    inside a longer one ("CUDA kernels" is GPU Programming and names CUDA too)."""
    for match in _finder().finditer(text):
        start = match.start()
        for skill, inner_start, inner_end in _skills_in(match.group()):
            yield skill, start + inner_start, start + inner_end


@lru_cache(maxsize=4096)
def _skills_in(surface: str) -> tuple[tuple[Skill, int, int], ...]:
    primary = _skill_of(surface)
    found = [(primary, 0, len(surface))] if primary else []
    if re.search(r"[\s/-]", surface):  # only a phrase can hold another skill's name
        for skill, pattern in _skill_patterns():
            if skill is not primary and (inner := pattern.search(surface)):
                found.append((skill, *inner.span()))
    return tuple(found)


@lru_cache(maxsize=4096)
def _skill_of(surface: str) -> Skill | None:
    for pattern, skill in _variants_longest_first():
        if pattern.fullmatch(surface):
            return skill
    return None


@cache
def _skill_patterns() -> tuple[tuple[Skill, re.Pattern[str]], ...]:
    return tuple(
        (
            skill,
            re.compile(
                f"{_BEFORE}(?:{'|'.join(map(_variant_regex, skill.variants))}){_AFTER}", re.I
            ),
        )
        for skill in vocabulary()
    )


# --- Sections ------------------------------------------------------------------------------------

SectionKind = Literal["intro", "company", "role", "required", "preferred", "benefits"]
# Parts whose skills are not asked of the candidate.
_NOT_ASKED: frozenset[SectionKind] = frozenset({"company", "benefits"})

_A = "['’]"  # both apostrophes: "you'll", "you’ll"
# Headings by the part they open. Matched case-insensitively, but a heading must start with a
# capital letter and be followed by a colon, a question mark, a line break or a capitalised word
# ("What You'll Do Lead the …" in flattened text).
_HEADINGS: dict[SectionKind, list[str]] = {
    "preferred": [
        r"(?:preferred|desired|desirable|bonus|additional|nice[- ]to[- ]have|ideal)"
        r" (?:qualifications|skills|experience|requirements)",
        r"nice[- ]to[- ]haves?",
        r"bonus points?",
        rf"ideally,? you(?:{_A}d| would)? (?:have|bring)",
        r"strong candidates (?:may|will|might) also(?: have)?",
        r"in addition,? the following would be an advantage",
        rf"(?:it{_A}s )?a plus if you(?: have)?",
        r"extra credit",
        r"what sets you apart",
        r"you might also have",
        r"even better if you(?: have)?",
    ],
    "required": [
        r"(?:minimum |basic |required |key |essential |job |your )?qualifications",
        r"(?:minimum |basic |job |key )?requirements",
        r"(?:required|minimum|essential) (?:skills|experience|knowledge)(?: (?:and|&) \w+)?",
        rf"what you{_A}ll (?:need|bring)(?: to the team)?",
        r"what you (?:need|bring|will need|will bring)(?: to the team)?",
        rf"what we{_A}re looking for",
        r"what we are looking for",
        r"what we look for",
        r"who you are",
        r"who you might be",
        r"about you",
        r"you may be a good fit if you(?: have)?",
        rf"you{_A}ll (?:be (?:great|a great fit)|enjoy this role|thrive) (?:[\w ]{{0,20}})?if",
        r"must[- ]haves?",
        r"skills,? (?:and|&) (?:experience|qualifications|abilities)",
        r"knowledge,? skills,? (?:and|&) abilities",
        r"(?:the )?ideal candidate(?: will have)?",
        r"characteristics of success",
    ],
    "company": [
        r"about us",
        r"a bit about us",
        r"about the company",
        r"who (?:are )?we are",
        r"who are we",
        r"our (?:mission|story|company|values|culture|vision)",
        r"company (?:overview|description|profile)",
        r"what we do",
        r"more about \w+",
        r"working at \w+",
        r"life at \w+",
        # "About Anthropic", "About Luma AI"; not "About the role", "About you".
        r"about (?!the\b|this\b|you\b|your\b|our team\b)(?-i:[A-Z][\w.&'’-]*)",
    ],
    "benefits": [
        r"benefits(?: (?:and|&) perks)?",
        r"perks(?: (?:and|&) benefits)?",
        r"what we offer",
        r"compensation(?: (?:and|&) benefits)?",
        r"pay (?:transparency|range)",
        r"(?:annual )?(?:base )?salary range",
        r"equal (?:employment )?opportunity",
        r"our commitment to",
        rf"how we{_A}re different",
        r"logistics",
        r"total rewards",
        r"why join us",
        r"physical demands",
        r"disclaimer",
    ],
    "role": [
        r"about the (?:role|team|job|position|opportunity)",
        r"the (?:role|opportunity|team|position)",
        r"(?:role|job|position) (?:overview|summary|description)",
        r"job (?:description|details)",
        r"why this role",
        r"why we need you",
        r"(?:key |primary |main |core )?responsibilities",
        rf"what you{_A}ll (?:do|be doing|work on|own)",
        r"what you will (?:do|be doing|work on|own)",
        r"in this role,? you will",
        r"you will",
        rf"the impact you{_A}ll have",
        r"your impact",
        rf"how you{_A}ll (?:have|make an?) impact",
        r"your day[- ]to[- ]day",
        r"a typical day",
    ],
}
# Common words open a part only when a colon or a line break follows them ("Experience:").
_WEAK_HEADINGS: dict[SectionKind, list[str]] = {
    "required": [r"experience", r"education", r"skills", r"you have"],
    "preferred": [r"preferred", r"bonus", r"pluses", r"desirable"],
    "role": [r"overview", r"summary", r"duties", r"snapshot", r"team"],
}
# A sentence that turns from the company to the job ends a company or benefits part that has no
# heading after it ("… leading marketplace. As a Staff Data Scientist, you'll …"), and so does
# one that asks something of the candidate ("Familiarity with Linux", "4+ years of …").
_TURN_TO_ROLE = re.compile(
    rf"(?:^|(?<=[.!?:]\s)|(?<=\n))(?-i:As (?:a|an|the|our) |In this role|You will |You{_A}ll |"
    rf"We{_A}re (?:looking|seeking|hiring) |We are (?:looking|seeking|hiring) |This role |"
    r"The role |This position |The ideal candidate)",
)
_ASKS_OF_CANDIDATE = re.compile(
    r"\d\+? years|\bexperience (?:with|in|building|using|developing)\b|"
    r"\bproficien\w+ (?:in|with)\b|\bfamiliarity with\b|\bfluent in\b|\bexpert(?:ise)? in\b|"
    r"\bknowledge of\b|\bdegree in\b",
    re.IGNORECASE,
)


@cache
def _heading_finder() -> re.Pattern[str]:
    strong_end = r"(?:\s*[:?!…]|\s*\n|\s*$|(?=['\"],)|(?=\s+(?-i:[A-Z(•-]))|(?=(?-i:[A-Z])))"
    weak_end = r"\s*(?::|\n|$|(?=['\"],))"

    def group(kind: str, phrases: list[str], end: str, suffix: str = "") -> str:
        return f"(?P<{kind}{suffix}>(?:{'|'.join(phrases)}){end})"

    groups = [group(kind, phrases, strong_end) for kind, phrases in _HEADINGS.items()]
    groups += [group(kind, phrases, weak_end, "_w") for kind, phrases in _WEAK_HEADINGS.items()]
    # A heading starts with a capital letter (checked first: it rules out most positions
    # cheaply) at a word start, or glued to the last word where line breaks were lost
    # ("Job DescriptionWhat you will do").
    start = r"(?=(?-i:[A-Z]))(?:(?<!\w)|(?<=[a-z]))"
    return re.compile(f"{start}(?:{'|'.join(groups)})", re.IGNORECASE)


@dataclass(frozen=True)
class Section:
    kind: SectionKind
    start: int
    end: int


def split_sections(text: str, segments: Segments | None = None) -> list[Section]:
    """The parts of a posting, from its headings; text before the first heading is ``intro``.

    >>> text = "About Acme: we sell ML. What you'll do: ship models. Nice to have: Rust."
    >>> [(s.kind, text[s.start:s.end]) for s in split_sections(text)]
    [('company', 'About Acme: we sell ML. '), ('role', "What you'll do: ship models. "), \
('preferred', 'Nice to have: Rust.')]
    """
    headings: list[tuple[int, SectionKind]] = []
    for match in _heading_finder().finditer(text):
        group = match.lastgroup or ""
        kind: SectionKind = group.removesuffix("_w")  # type: ignore[assignment]
        previous = headings[-1][1] if headings else "intro"
        # "Education:" or "Experience:" under "Preferred qualifications" stays preferred.
        if group.endswith("_w") and kind == "required" and previous == "preferred":
            continue
        headings.append((match.start(), kind))
    sections: list[Section] = []
    starts = [0, *(position for position, _ in headings)]
    kinds: list[SectionKind] = ["intro", *(kind for _, kind in headings)]
    ends = [*starts[1:], len(text)]
    for start, end, kind in zip(starts, ends, kinds, strict=True):
        if end > start:
            part = Section(kind, start, end)
            sections.extend(_close_company_part(text, part, segments or Segments(text)))
    return sections


def _close_company_part(text: str, section: Section, segments: Segments) -> list[Section]:
    if section.kind not in _NOT_ASKED:
        return [section]
    turns = []
    if turn := _TURN_TO_ROLE.search(text, section.start + 1, section.end):
        turns.append(turn.start())
    if asks := _ASKS_OF_CANDIDATE.search(text, section.start, section.end):
        turns.append(max(section.start, segments.sentence_at(asks.start())[0]))
    turn_at = min(turns, default=section.start)
    if turn_at <= section.start:
        return [section]
    return [Section(section.kind, section.start, turn_at), Section("role", turn_at, section.end)]


def _section_at(sections: list[Section], position: int) -> Section:
    # The sections are in order and touch: a binary search, not a scan for each mention (which
    # made a text of many headings and many skills quadratic).
    index = bisect_right(sections, position, key=lambda section: section.start) - 1
    if index >= 0 and position < sections[index].end:
        return sections[index]
    return sections[-1]


# --- Context checks for ambiguous surface forms ------------------------------------------------

# Other technical words near a short name show it is a skill in a list ("Python, R, SQL").
_TECH_NEIGHBOURS = re.compile(
    r"(?<![\w+#])(?:python|java|scala|c\+\+|c#|golang|rust|sql|matlab|sas|stata|spss|julia|"
    r"javascript|typescript|ruby|perl|bash|shell|haskell|kotlin|swift|fortran|assembly|cuda|"
    r"excel|tableau|spark|hadoop|hive|kafka|dask|pytorch|tensorflow|jax|kubernetes|docker|"
    r"programming|languages?|coding|scripting|statistical (?:software|packages|tools)|"
    r"embedded|firmware|verilog|vhdl|opencl|numpy|pandas|linux|unix)(?![\w+#])",
    re.IGNORECASE,
)


def _window(text: str, start: int, end: int, width: int) -> str:
    return text[max(0, start - width) : end + width]


def _near_tech(text: str, start: int, end: int, width: int = 60) -> bool:
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return bool(_TECH_NEIGHBOURS.search(before) or _TECH_NEIGHBOURS.search(after))


def _is_language(text: str, start: int, end: int) -> bool:
    """One-letter or verb-like language names: "R", "C", "Go"."""
    after = text[end : end + 3]
    before = text[max(0, start - 2) : start]
    if re.match(r"\s?&|-\w|'|’|\.[a-z]|\.\w\.|\d", after) or re.search(r"[&'’.]\s?$", before):
        return False  # R&D, R-123, Go-to-market, C-suite, Go's, P&C
    if before.endswith("(") and after.startswith(")"):
        return False  # the registered-trademark sign (R), copyright (C)
    return _near_tech(text, start, end)


# "Spark Capital" is an investor.
_SPARK_VERB = re.compile(
    r"\s+(?:joy|curiosity|creativity|ideas|innovation|change|conversations|(?i:capital)\b)"
)
_GPU_CONTEXT = re.compile(
    r"gpu|kernel|cuda|inference|nvidia|compiler|pytorch|serving|tensorrt|vllm|triton|model",
    re.IGNORECASE,
)
_RAY_CONTEXT = re.compile(
    r"distributed|spark|dask|pytorch|kubernetes|serve|tune|train|cluster|anyscale|python|"
    r"frameworks?|ml|compute",
    re.IGNORECASE,
)


def _spark(text: str, start: int, end: int) -> bool:
    return not _SPARK_VERB.match(text, end)


def _triton(text: str, start: int, end: int) -> bool:
    return bool(_GPU_CONTEXT.search(_window(text, start, end, 80).replace(text[start:end], "")))


def _ray(text: str, start: int, end: int) -> bool:
    return bool(_RAY_CONTEXT.search(_window(text, start, end, 60)))


def _airflow(text: str, start: int, end: int) -> bool:
    # "Airflow" the scheduler is capitalised or sits among data tools; "airflow" is physics.
    return text[start].isupper() or _near_tech(text, start, end)


# Data platforms that are also employers. In a posting by the company itself ("At Databricks,
# we …"), its name is the skill only among other tools ("Spark, Databricks, AWS").
_DATA_STORES = re.compile(
    r"(?<![\w+#])(?:aws|gcp|azure|redshift|bigquery|postgres\w*|mysql|oracle|dbt|airflow|"
    r"delta lake|iceberg|looker|sigma|fivetran|warehouse|lakehouse|databricks|snowflake)(?![\w+#])",
    re.IGNORECASE,
)


def _data_platform(text: str, start: int, end: int) -> bool:
    name = text[start:end]
    if re.match(r"\s+schemas?\b", text[end : end + 10], re.IGNORECASE):
        return False  # a star/snowflake schema
    if not _is_employer(text, name):
        return True
    window = _window(text, start, end, 40).replace(name, " ")
    return bool(_DATA_STORES.search(window) or _TECH_NEIGHBOURS.search(window))


@cache
def _employer_pattern(name: str) -> re.Pattern[str]:
    escaped = re.escape(name)
    return re.compile(
        rf"\b(?:At|Join(?: the)?|About) {escaped}\b|\b{escaped}(?:['’]s|,? we\b| is (?:a|an|the)\b)"
    )


def _is_employer(text: str, name: str) -> bool:
    return bool(_employer_pattern(name).search(text))


_HATE_SPEECH = re.compile(r"(?:hate|free|harmful|violent|protected)\s+$", re.IGNORECASE)


def _speech(text: str, start: int, end: int) -> bool:
    return not _HATE_SPEECH.search(text[max(0, start - 15) : start])


# "Evaluation" is an ML skill when it is about models ("evaluation frameworks for LLMs"), not
# when it is about people, vendors or business options.
_ML_CONTEXT = re.compile(
    r"\b(?:models?|llms?|ai|ml|agents?|agentic|benchmarks?|post-training|evals?|rubrics?|"
    r"safety|capabilit\w+|reward|frameworks?|harness\w*|generative|genai|language|metrics|"
    r"datasets?|testing|prompts?|offline|online|quality|experiments?|training|modeling|"
    r"guardrails)\b",
    re.IGNORECASE,
)
_NOT_ML_EVALUATION = re.compile(
    r"\b(?:applicants?|candidates?|candidacy|employees?|performance evaluations?|vendors?|"
    r"partnerships?|deals?|policies|controls|base pay|salary|compensation|proposals?|"
    r"campaigns?|interview\w*|expertise)\b",
    re.IGNORECASE,
)


def _ml_evaluation(text: str, start: int, end: int) -> bool:
    window = _window(text, start, end, 50).replace(text[start:end], " ")
    return bool(_ML_CONTEXT.search(window)) and not _NOT_ML_EVALUATION.search(window)


# A bare "agent" is an AI agent only near AI words; call-centre agents and "change agents" are
# people.
_AI_CONTEXT = re.compile(r"\b(?:ai|llms?|autonomous|agentic|models?|tool|genai|coding)\b", re.I)
_PEOPLE_BEFORE = re.compile(
    r"(?:change|customer|cx|(?:call|contact)[\s-]cent(?:er|re)s?|support|service|insurance|sales|"
    r"travel|estate|human|free)\s+$",
    re.IGNORECASE,
)
_PEOPLE_AFTER = re.compile(r"\s+(?:of change|notes|success|experience)", re.IGNORECASE)


def _ai_agent(text: str, start: int, end: int) -> bool:
    if text[start:end].lower() not in ("agent", "agents"):
        return True  # "AI agents", "agentic", "multi-agent" say it themselves
    if _PEOPLE_BEFORE.search(text[max(0, start - 20) : start]) or _PEOPLE_AFTER.match(text, end):
        return False
    return bool(_AI_CONTEXT.search(_window(text, start, end, 60)))


# "Experimentation" is A/B testing when it is about products and their users, not research.
_PRODUCT_CONTEXT = re.compile(
    r"\b(?:products?|users?|metrics|a/b|growth|marketplace|online|causal|statistic\w*|launch\w*|"
    r"analytics|hypothes\w+|customers?|conversion|engagement|funnel|pricing|kpis?|power)\b",
    re.IGNORECASE,
)


def _ab_testing(text: str, start: int, end: int) -> bool:
    if not text[start:end].lower().startswith("experiment"):
        return True
    return bool(_PRODUCT_CONTEXT.search(_window(text, start, end, 80)))


# A field of study in a list of degrees ("MS in Computer Science, Statistics or related") is an
# education requirement, not the skill.
_DEGREE = re.compile(
    r"\b(?:degrees?|bachelor\w*|masters?|master['’]s|ph\.?d\.?|b\.?s\.?|m\.?s\.?|ba|bs|ms|"
    r"majors?|fields?|disciplines?|graduate)\b",
    re.IGNORECASE,
)


def _not_a_degree_subject(text: str, start: int, end: int) -> bool:
    if text[start:end].lower() not in ("statistics", "stats", "biostatistics", "econometrics"):
        return True
    return not _DEGREE.search(_window(text, start, end, 80))


# "ML engineers", "ML infrastructure", "AI/ML workloads": ML names the field of people, teams,
# platforms or products there, and the labels do not count it as the skill asked for.
_ML_AS_MODIFIER = re.compile(
    r"[\s/-]*(?:workloads|teams?|practitioners|stakeholders|operations|hardware|compute|org|"
    r"researchers|engineers?|engineering|infrastructure|powered|driven|systems|frameworks|"
    r"platforms?|ops|stack|products?|features?|applications|objectives|initiatives|landscape|"
    r"trends|space|solutions?|conferences?|storage|experts?|counterparts|workflows|compilers|"
    r"insights|technolog(?:y|ies)|projects|ecosystem|industry|companies)\b",
    re.IGNORECASE,
)


def _ml_itself(text: str, start: int, end: int) -> bool:
    return not _ML_AS_MODIFIER.match(text, end)


# Likewise "LLM inference", "LLM-powered tools", "LLM providers": the work is around the models.
_LLM_AS_MODIFIER = re.compile(
    r"[\s/-]*(?:inference|serving|powered|tooling|setup|infrastructure|providers|apis?|calls)\b",
    re.IGNORECASE,
)


def _llms_themselves(text: str, start: int, end: int) -> bool:
    return not _LLM_AS_MODIFIER.match(text, end)


# "Recommendations" are a recommender system's output when users or content receive them, and
# advice when analysts make them ("present recommendations to leadership").
_RECOMMENDER_CONTEXT = re.compile(
    r"\b(?:personali[sz]\w+|ranking|retrieval|feeds?|content|discovery|candidate generation|"
    r"engagement|models?|machine learning|ml|users?|members|viewers|listeners|shoppers)\b",
    re.IGNORECASE,
)
_ADVICE = re.compile(
    r"(?:make|making|provide|providing|present\w*|actionable|deliver\w*|strategic|business|"
    r"data-driven|formulat\w+|develop\w*|offer\w*|and|insights?,?|synthesi[sz]e|support for|"
    r"into)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def _recommender(text: str, start: int, end: int) -> bool:
    surface = text[start:end].lower()
    if not surface.startswith(("recommendation", "personali")) or " " in surface:
        return True
    if _ADVICE.search(text[max(0, start - 30) : start]):
        return False
    return bool(_RECOMMENDER_CONTEXT.search(_window(text, start, end, 60)))


# "Amazon Robotics" is an organisation, "Robotic(s) Process Automation" is office software.
_ORGANISATION_BEFORE = re.compile(r"(?-i:[A-Z][\w&.-]+)\s+$")


def _robotics(text: str, start: int, end: int) -> bool:
    if re.match(r"\s+process automation", text[end : end + 25], re.IGNORECASE):
        return False
    named_by_organisation = _ORGANISATION_BEFORE.search(text[max(0, start - 30) : start])
    return not (text[start].isupper() and named_by_organisation)


def _go(text: str, start: int, end: int) -> bool:
    return text[start:end].lower() == "golang" or _is_language(text, start, end)


def _javascript(text: str, start: int, end: int) -> bool:
    return text[start:end] != "JS" or _is_language(text, start, end)


_GUARDS: dict[str, Callable[[str, int, int], bool]] = {
    "Robotics": _robotics,
    "Recommender Systems": _recommender,
    "Machine Learning": _ml_itself,
    "LLMs": _llms_themselves,
    "Statistics": _not_a_degree_subject,
    "A/B Testing": _ab_testing,
    "AI Agents": _ai_agent,
    "ML Evaluation": _ml_evaluation,
    "R": _is_language,
    "C": _is_language,
    "Go": _go,
    "Julia": _is_language,
    "JavaScript": _javascript,
    "Spark": _spark,
    "Triton": _triton,
    "Ray": _ray,
    "Airflow": _airflow,
    "Snowflake": _data_platform,
    "Databricks": _data_platform,
    "Speech": _speech,
}


# --- Company talk before the first heading ------------------------------------------------------

# Many postings open with the company's pitch and no heading ("At Snowflake, we are powering the
# era of the agentic enterprise."). Such sentences say what the company does, not what the
# candidate needs, unless they speak to the candidate.
_COMPANY_TALK = re.compile(
    rf"\s*(?:At [A-Z][\w.&-]*(?: [A-Z][\w.&-]*)*,|We{_A}re |We |Our |Founded|Backed by|"
    r"Headquartered|Join us|Today,|Together,|"
    r"[A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,2}(?:['’]s)? (?:is|are|was|has|helps|builds|powers|"
    r"provides|enables|develops|offers|makes|believes|mission)\b)"
)
_SPEAKS_TO_CANDIDATE = re.compile(
    r"\b(?:you|your|candidates?|looking for|seeking|hiring|this role|the role|this position)\b",
    re.IGNORECASE,
)


def _is_company_talk(sentence: str) -> bool:
    return bool(_COMPANY_TALK.match(sentence)) and not _SPEAKS_TO_CANDIDATE.search(sentence)


# --- Required or preferred -----------------------------------------------------------------------

CUE_REACH = 400  # characters either side of a mention read for "preferred", "a plus"…
_PREFERRED_CUE = re.compile(
    r"\b(?:preferred|a (?:big |huge |strong )?plus|nice[- ]to[- ]have|bonus|ideally|desirable|"
    r"desired|an advantage|advantageous|not required|pluses)",
    re.IGNORECASE,
)
# An aside in brackets speaks for what it holds: in "Python (bonus points for Go)" Go is a bonus,
# Python is not.
_ASIDE = re.compile(r"\([^()]*\)")


def _required(
    text: str, section: Section, sentence: tuple[int, int], start: int, end: int, separated: bool
) -> bool | None:
    # Cue words near the mention only: a "sentence" with no full stop can be a whole résumé.
    left, right = max(sentence[0], start - CUE_REACH), min(sentence[1], end + CUE_REACH)
    around = _ASIDE.sub(" ", text[left:start]) + " " + _ASIDE.sub(" ", text[end:right])
    if section.kind == "preferred" or _PREFERRED_CUE.search(around):
        return False
    if section.kind == "required" and separated:
        return True
    return None


# --- Extraction ----------------------------------------------------------------------------------


def skills_named_in(text: str) -> list[tuple[Skill, int, int]]:
    """Every vocabulary skill a short text names, with its span, without the posting rules
    (sections, context guards): for search queries and skill lists, where a name is meant.

    >>> [(skill.name, start) for skill, start, _ in skills_named_in("pytorch k8s tech lead")]
    [('PyTorch', 0), ('Kubernetes', 8)]
    """
    return list(_surface_forms(text))


def extract_skills(text: str, segments: Segments | None = None) -> list[SkillMention]:
    """The vocabulary skills a posting asks of the candidate, in order of first mention.

    Each comes with its taxonomy id, whether it is required, and every mention as evidence
    (character offsets into ``text``). ``segments`` is ``Segments(text)`` when the caller has it.

    >>> [m.name for m in extract_skills("Experience with k8s, Postgres and LLM fine-tuning.")]
    ['Kubernetes', 'PostgreSQL', 'LLMs', 'Fine-tuning']
    >>> extract_skills("You will use Python or R.")[1].evidence[0]
    Evidence(text='R', start=23, end=24)
    """
    if not text:
        return []
    segments = segments or Segments(text)
    sections = split_sections(text, segments)
    separated = any(s.kind == "preferred" for s in sections) or bool(_PREFERRED_CUE.search(text))
    found: dict[str, tuple[Skill, list[Evidence], list[bool | None]]] = {}
    # A sentence is read for company talk once, not once a mention: a long sentence full of
    # mentions (hostile input) would cost its length times their number.
    company_talk: dict[tuple[int, int], bool] = {}
    for skill, start, end in _surface_forms(text):
        section = _section_at(sections, start)
        if section.kind in _NOT_ASKED:
            continue
        guard = _GUARDS.get(skill.name)
        if guard is not None and not guard(text, start, end):
            continue
        sentence = segments.sentence_at(start, end)
        if section.kind == "intro":
            if sentence not in company_talk:
                company_talk[sentence] = _is_company_talk(text[sentence[0] : sentence[1]])
            if company_talk[sentence]:
                continue
        _, evidence, required = found.setdefault(skill.name, (skill, [], []))
        evidence.append(Evidence(text=text[start:end], start=start, end=end))
        required.append(_required(text, section, sentence, start, end, separated))
    return [
        SkillMention(
            name=skill.name,
            taxonomy_id=skill.taxonomy_id,
            required=_combined_required(required),
            evidence=evidence,
        )
        for skill, evidence, required in found.values()
    ]


def _combined_required(flags: list[bool | None]) -> bool | None:
    # Required if any mention is; not required if the only explicit word says "preferred".
    if True in flags:
        return True
    if False in flags:
        return False
    return None


def skill_names(text: str) -> list[str]:
    """Just the canonical names, as the evaluation contract wants them.

    >>> skill_names("Requirements: Golang, Kubernetes, Postgres.")
    ['Go', 'Kubernetes', 'PostgreSQL']
    """
    return [mention.name for mention in extract_skills(text)]
