"""A résumé's text in, a :class:`Profile` out: what a matcher needs to know about a person.

1. **Sections** from the résumé's headings ("Experience", "Skills", "Education"…), each a line of
   its own or a line that starts with one ("Skills: Python, …").
2. **Roles** from the date ranges of the work history ("Jan 2019 – Present", "2016-2019",
   "03/2015 - 06/2018", "Since 2021"), each with the title written beside it or on the line above.
   Dates in the education part are studies, not work, and are left out.
3. **Years**: the months the roles cover, overlaps counted once, in total and for the roles that
   are machine-learning work (an ML title, ML skills named in the role's lines, or a data
   scientist's role whose lines build models); internships, assistantships and bootcamps are
   training, not years (someone with only those is an intern).
4. **Seniority** of the most recent title by the same rules as postings (``enrich.seniority``);
   a title without a level is mid, however many years (a postdoc's level comes from the years).
5. **Leadership evidence**: lines that say "managed 12 engineers" (people
   management, with the number), "led the team", "mentored", "owned the architecture", "hired".
6. **Skills** by the enricher's own extractor (``enrich.skills``), so a résumé's skills have the
   names the postings' have; each with the résumé lines that show it. A mention the résumé
   denies ("no machine learning", "RAG rather than fine-tuning", "now taking a deep learning
   course") shows nothing.

Nothing here keeps the résumé: the profile holds the facts and the short lines that prove them.

>>> text = '''Jane Doe
... Experience
... Staff ML Engineer, Acme — Jan 2020 – Dec 2023
... Managed a team of 6 engineers building ranking models in PyTorch.
... Software Engineer, Initech — 2016 - 2020
... Education
... BSc Computer Science, 2012 - 2016'''
>>> profile = read_profile(text, today=date(2026, 1, 1))
>>> profile.titles, profile.seniority, profile.years_total, profile.years_ml
(['Staff ML Engineer', 'Software Engineer'], 'staff', 8.0, 4.0)
>>> profile.people_managed, [s.name for s in profile.skills]
(6, ['Search and Ranking', 'PyTorch'])
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, cast

from pydantic import BaseModel, Field

from leadboard.enrich.seniority import level_from_years, title_level
from leadboard.enrich.skills import extract_skills, skills_named_in, vocabulary
from leadboard.models import Seniority
from leadboard.normalize.location import parse_place

SectionKind = Literal[
    "header", "summary", "experience", "skills", "education", "projects", "publications", "other"
]
# The duties vocabulary of postings where it has the word (people_management, mentoring,
# architecture), and two that only a résumé says.
LeadershipKind = Literal["people_management", "led_team", "mentoring", "architecture", "hiring"]
MAX_LINE = 240  # evidence lines are cut to this: a line proves a fact, it does not retell a job
# A profile is small whatever the résumé (or a client) sends: matching's work is bounded by it.
MAX_ROLES, MAX_LEADERSHIP, MAX_SKILLS = 40, 30, 300


class SkillEvidence(BaseModel):
    """A skill of the vocabulary, with the résumé lines that name it."""

    name: str
    lines: list[str] = Field(default_factory=list, max_length=5)


class LeadershipEvidence(BaseModel):
    kind: LeadershipKind
    line: str
    people: int | None = Field(default=None, description="People managed, where the line says.")


class Role(BaseModel):
    """One job of the work history."""

    title: str
    start: str = Field(description="YYYY-MM")
    end: str | None = Field(None, description="YYYY-MM; None: to the present")
    ml: bool = Field(description="Machine-learning work, by its title or the skills of its lines.")
    line: str


class Profile(BaseModel):
    """What a résumé says about its author, as the matcher uses it. Every field can be edited
    (the web page does), and the matcher reads only these fields."""

    titles: list[str] = Field(default_factory=list, max_length=10, description="Most recent first.")
    seniority: Seniority = "unknown"
    years_total: float = 0.0
    years_ml: float = 0.0
    skills: list[SkillEvidence] = Field(default_factory=list, max_length=MAX_SKILLS)
    leadership: list[LeadershipEvidence] = Field(default_factory=list, max_length=MAX_LEADERSHIP)
    people_managed: int | None = None
    roles: list[Role] = Field(default_factory=list, max_length=MAX_ROLES)
    sections: list[SectionKind] = Field(default_factory=list)
    summary: str = Field("", description="The résumé's own summary (or first lines), shortened.")
    city: str | None = Field(None, description="Where the résumé says the person lives.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2, with ``city``.")
    wants_remote: bool = Field(False, description="The résumé asks for remote work only.")

    @property
    def skill_names(self) -> list[str]:
        return [skill.name for skill in self.skills]


# --- Sections ------------------------------------------------------------------------------------

_SECTION_WORDS: dict[SectionKind, str] = {
    "summary": r"(?:professional |career |executive )?(?:summary|profile|objective|overview)|"
    r"about(?: me)?",
    "experience": r"(?:(?:professional|work|relevant|industry|employment|career|selected|"
    r"research|teaching|leadership|technical|engineering)\s+)?(?:experience|history)|"
    r"employment(?: history)?|work|career|positions held",
    "skills": r"(?:(?:technical|core|key|selected)\s+)?(?:skills|competencies|expertise)"
    r"(?:\s*(?:&|and)\s*\w+)?|technologies|tools(?: (?:&|and) technologies)?|"
    r"tech(?:nical)? stack|languages (?:&|and) tools",
    "education": r"education(?:al background)?(?:\s*(?:&|and)\s*\w+)?|academic background|"
    r"certifications?|degrees?",
    "projects": r"(?:selected |side |open[- ]source )?projects|open source",
    "publications": r"publications|patents|talks|papers|(?:selected )?publications (?:&|and) "
    r"talks",
    "other": r"awards|honou?rs|interests|hobbies|languages|volunteer(?:ing)?|references|"
    r"activities|achievements",
}
_HEADING = re.compile(
    r"^[\s#*_|=-]*(?:"
    + "|".join(f"(?P<{kind}>{words})" for kind, words in _SECTION_WORDS.items())
    + r")[\s*_|=-]*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Section:
    kind: SectionKind
    first: int  # line index of its first line (the heading's, or the header's first)
    last: int  # line index after its last line


def split_sections(lines: list[str]) -> list[Section]:
    """The résumé's parts, from heading lines; the lines before the first heading are the
    ``header`` (name, contact, often a headline).

    >>> [s.kind for s in split_sections(["Jane", "Skills: Python", "EXPERIENCE", "x"])]
    ['header', 'skills', 'experience']
    """
    starts: list[tuple[int, SectionKind]] = [(0, "header")]
    for index, line in enumerate(lines):
        kind = _heading_kind(line)
        if kind is not None:
            if starts[-1][0] == index:
                starts.pop()
            starts.append((index, kind))
    ends = [start for start, _ in starts[1:]] + [len(lines)]
    return [Section(kind, first, last) for (first, kind), last in zip(starts, ends, strict=True)]


def _heading_kind(line: str) -> SectionKind | None:
    stripped = line.strip()
    if not stripped or len(stripped) > 200:
        return None
    match = _HEADING.match(stripped)
    if match is None:
        return None
    rest = match.group("rest")
    # "Skills: Python, SQL" opens a section; "Work: built things" in running text does not
    # (a heading line without a colon must be short).
    if rest is None and len(stripped) > 40:
        return None
    if rest and not re.match(r"^[A-Z0-9•·-]|^\w+,", rest):
        return None
    kind = next(kind for kind, value in match.groupdict().items() if value and kind != "rest")
    return cast("SectionKind", kind)  # the pattern's group names are the section kinds


# --- Dates ---------------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "spring": 3,
    "summer": 6,
    "fall": 9,
    "autumn": 9,
    "winter": 1,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|fall|autumn|"
    r"winter)\.?"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"


# One end of a range: "Jan 2019", "January, 2019", "03/2019", "3.2019", "2019-03", "2019".
def _date(p: str) -> str:
    return (
        rf"(?:(?P<{p}month>{_MONTH}),?\s*(?P<{p}year1>{_YEAR})"
        rf"|(?P<{p}num>\d{{1,2}})\s*[/.]\s*(?P<{p}year2>{_YEAR})"
        rf"|(?P<{p}year3>{_YEAR})\s*[/.-]\s*(?P<{p}num2>0?[1-9]|1[0-2])(?![\d])"
        rf"|(?P<{p}year4>{_YEAR}))"
    )


_PRESENT = r"(?P<present>present|current(?:ly)?|now|today|ongoing|date|-?\s*$)"
_RANGE = re.compile(
    rf"(?<![\w/.])(?:(?P<since>since|from)\s+)?{_date('a_')}"
    rf"(?:\s*(?:-|–|—|‒|−|~|to|until|till|through|thru)\s*(?:{_date('b_')}|"
    rf"{_PRESENT})(?![\w/]))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateRange:
    """Months as ``year * 12 + month - 1``; ``end`` is exclusive."""

    start: int
    end: int
    text: str
    span: tuple[int, int]

    @property
    def months(self) -> int:
        return max(0, self.end - self.start)


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _end_of(match: re.Match[str], prefix: str) -> tuple[int, int, bool] | None:
    """(year, month, month known) of one end of a range."""
    group = match.groupdict()
    for key in ("year1", "year2", "year3", "year4"):
        year = group.get(prefix + key)
        if year is None:
            continue
        if key == "year1":
            month_word = group[prefix + "month"].lower().rstrip(".")[:6]
            month = next(v for k, v in _MONTHS.items() if month_word.startswith(k))
            return int(year), month, True
        if key in ("year2", "year3"):
            number = int(group[prefix + ("num" if key == "year2" else "num2")])
            return (int(year), number, True) if 1 <= number <= 12 else None
        return int(year), 1, False
    return None


def find_date_ranges(line: str, today: date | None = None) -> list[DateRange]:
    """The date ranges of a line of work history, to the month (a year alone counts from its
    January: "2016-2019" is 36 months; an end given to the month counts that month).

    >>> [(r.text, r.months) for r in find_date_ranges("Lead, Acme  Jan 2019 – Mar 2021")]
    [('Jan 2019 – Mar 2021', 27)]
    >>> [r.months for r in find_date_ranges("2016-2019 · 03/2015 - 06/2018")]
    [36, 40]
    >>> find_date_ranges("Since 2024", today=date(2026, 1, 15))[0].months
    25
    """
    today = today or date.today()
    now = _month_index(today.year, today.month) + 1
    found: list[DateRange] = []
    for match in _RANGE.finditer(line):
        start = _end_of(match, "a_")
        if start is None:
            continue
        has_end = match.group("present") is not None or any(
            match.group(f"b_year{i}") for i in range(1, 5)
        )
        if not has_end and not match.group("since"):
            continue  # a lone date ("Graduated 2012") is not a range
        first = _month_index(start[0], start[1])
        end = _end_of(match, "b_")
        if end is None:
            last = now  # "– Present", "Since 2021"
        else:
            year, month, month_known = end
            last = _month_index(year, month) + (1 if month_known else 0)
            if not month_known and not start[2] and year == start[0]:
                last = first + 12  # "2019 – 2019": that year
        if last <= first or first > now:
            continue
        found.append(DateRange(first, min(last, now), match.group(0).strip(), match.span()))
    return found


def merged_months(ranges: list[tuple[int, int]]) -> int:
    """Months covered by ``(start, end)`` ranges, each month once.

    >>> merged_months([(0, 12), (6, 18), (30, 36)])
    24
    """
    total, reach = 0, None
    for start, end in sorted(ranges):
        if reach is None or start >= reach:
            total += end - start
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total


def _as_text(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


# --- Roles ---------------------------------------------------------------------------------------

_ROLE_WORD = re.compile(
    r"\b(?:engineer|engineering|scientist|science|manager|director|lead|leader|head|developer|"
    r"analyst|architect|researcher|research|vp|vice president|president|cto|ceo|cio|cdo|chief|"
    r"founder|co-founder|consultant|intern|fellow|specialist|administrator|designer|"
    r"programmer|officer|principal|staff|associate|assistant|professor|lecturer|postdoc\w*|"
    r"teacher|owner|partner|advisor|coordinator|technician|nurse|accountant|chef|writer|"
    r"editor|product|sre|devops|statistician|economist|quant|trader|recruiter)\b",
    re.IGNORECASE,
)
_ML_TITLE = re.compile(
    r"\b(?:machine learning|ml|ai|a\.i\.|artificial intelligence|deep learning|"
    r"research scientist|applied scien\w*|nlp|computer vision|perception|mlops|llms?|"
    r"genai|recommend\w*|ranking|reinforcement learning|speech)\b",
    re.IGNORECASE,
)
# A data scientist's role is machine-learning work where its lines build models (churn models,
# forecasts, classifiers), not where they read out A/B tests or report: years in data roles are
# not all years of ML.
_DATA_SCIENCE_TITLE = re.compile(r"\bdata scien\w*", re.IGNORECASE)
_MODELLING = re.compile(
    r"\b(?:models?|modell?ing|classifiers?|classification|predict\w*|forecast\w*|neural|"
    r"recommend\w*)\b",
    re.IGNORECASE,
)
# Skills that make the lines of a role machine-learning work (data tooling alone does not).
_ML_SKILLS = frozenset(
    skill.name
    for skill in vocabulary()
    if skill.category == "ml_area"
    and skill.name not in {"Statistics", "A/B Testing", "Causal Inference", "Data Pipelines"}
) | {
    "PyTorch",
    "TensorFlow",
    "JAX",
    "Keras",
    "scikit-learn",
    "XGBoost",
    "Hugging Face",
    "ONNX",
    "TensorRT",
    "vLLM",
    "DeepSpeed",
    "MLflow",
    "Kubeflow",
    "SageMaker",
    "Vertex AI",
}
_NOT_WORK = re.compile(
    r"\b(?:career break|sabbatical|parental leave|maternity leave|paternity leave|caregiving|"
    r"gap year|travel(?:l?ing)?)\b",
    re.IGNORECASE,
)
# Roles that are training rather than a job: internships, assistantships, a bootcamp, a PhD
# listed as a role ("PhD Researcher", "Doctoral Candidate"; a postdoc is a job). They show the
# person's field (and their title when they had no job yet), but their months are not years of
# experience (labelled/resumes/README.md: years_total).
_TRAINING = re.compile(
    r"\b(?:intern(?:ship)?s?|(?:research|teaching|graduate) assistant(?:ship)?|student|"
    r"bootcamp|ph\.?\s?d\.?|doctoral)(?!\w)",
    re.IGNORECASE,
)
# An internship's words in a title (scoring reads a trainee's title without them, too).
INTERNSHIP = re.compile(r"\b(?:intern(?:ship)?s?|co-?op)\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:\||·|•|—|–|\s-\s|,|;|\bat\b|@|\t|\(|\)|\s{3,})\s*")
_DEGREE = re.compile(
    r"\b(?:b\.?sc?|m\.?sc?|b\.?a|m\.?a|ph\.?d|mba|bachelor|master|doctor|degree|university|"
    r"college|school|diploma)\b",
    re.IGNORECASE,
)


def _title_from(line: str, span: tuple[int, int], above: list[str]) -> str:
    """The title written with a date range: on its line, else on the lines just above."""
    rest = _strip_markup(line[: span[0]] + " " + line[span[1] :])
    for text in [rest, *(_strip_markup(previous) for previous in reversed(above))]:
        title = _title_in(text)
        if title:
            return title
    candidates = [part for part in _SEPARATORS.split(rest) if part]
    return (candidates[0] if candidates else "").strip(" .:-")[:80]


def _title_in(text: str) -> str:
    """The first piece of ``text`` that names a role, with the field that follows it after a
    comma ("Tech Lead, LLM Applications", "Engineering Manager, Machine Learning"); what follows
    a comma that names no field is the employer ("Data Analyst, Acme Health").

    >>> _title_in("Director, Artificial Intelligence — Piedmont Bank (2021 – Present)")
    'Director, Artificial Intelligence'
    >>> _title_in("Data Analyst, Front Range Health — Denver, CO")
    'Data Analyst'
    """
    pieces, at = [], 0
    for gap in _SEPARATORS.finditer(text):
        if gap.start() > at:
            pieces.append((at, gap.start()))
        at = max(at, gap.end())
    if at < len(text):
        pieces.append((at, len(text)))
    for index, (start, end) in enumerate(pieces):
        title = text[start:end]
        if not _ROLE_WORD.search(title) or len(title) > 80:
            continue
        if index + 1 < len(pieces) and text[end : pieces[index + 1][0]].strip() == ",":
            field = text[pieces[index + 1][0] : pieces[index + 1][1]]
            named = (
                _ML_TITLE.search(field)
                or _DATA_SCIENCE_TITLE.search(field)
                or skills_named_in(field)
            )
            if named and len(title) + len(field) <= 78:
                title = f"{title}, {field}"
        return title.strip(" .:-")
    return ""


def _strip_markup(line: str) -> str:
    return re.sub(r"[*_#`>]+", " ", line).strip()


# --- Leadership ----------------------------------------------------------------------------------

_PEOPLE = (
    r"(?:engineers?|scientists?|researchers?|people|reports|direct reports|ics|analysts|"
    r"managers|developers|members|staff|fte|headcount|data scientists|ml engineers)"
)
_MANAGE = r"\b(?:manag(?:e|es|ed|ing)|supervis\w*|overs(?:ee|ees|aw|eeing)|run|ran|running)\b"
# Headcounts of people managed: "managed 12 engineers", "manage a team of 8", "6 direct
# reports", "an organisation of 40", "grew the team from 3 to 15". Leading people without
# managing them ("tech lead of 5 engineers") is ``led_team``, not this.
_HEADCOUNT = [
    re.compile(rf"{_MANAGE}[^.;]{{0,30}}?\bteam of\s+(?P<n>\d{{1,4}})\b", re.I),
    re.compile(r"\b(?P<n>\d{1,4})\+?\s+direct reports\b", re.I),
    re.compile(r"\b(?:organi[sz]ation|org|group|department|function) of\s+(?P<n>\d{1,4})\b", re.I),
    re.compile(
        r"\b(?:grew|grown|growing|scaled|scaling|built)\b[^.;]{0,40}?\bfrom\s+\d+\s+"
        r"to\s+(?P<n>\d{1,4})\b",
        re.I,
    ),
]
# "manage 4 managers and 35 engineers": every count of people in a managing clause.
_MANAGING_CLAUSE = re.compile(rf"{_MANAGE}[^.;]{{0,80}}", re.I)
_PEOPLE_COUNT = re.compile(rf"\b(?P<n>\d{{1,4}})\+?\s+(?:[\w/-]+\s+){{0,2}}?{_PEOPLE}\b", re.I)
_LEADERSHIP: list[tuple[LeadershipKind, re.Pattern[str]]] = [
    (
        "led_team",
        re.compile(
            r"\b(?:led|lead(?:ing)?|heading|headed|managed|managing|ran|built and led|founded)\s+"
            r"(?:a|the|an|our|my)?\s*(?:[\w/&-]+\s+){0,4}?(?:team|group|org(?:anization)?|"
            r"squad|function|department)s?\b|\b(?:tech(?:nical)?|team)\s+lead\b|"
            r"\bengineering manager\b|\bpeople manager\b",
            re.I,
        ),
    ),
    (
        "mentoring",
        re.compile(
            r"\b(?:mentor\w*|coach\w*|onboard(?:ed|ing) \w+ (?:engineers|hires)|"
            r"grew (?:\w+ )?(?:engineers|scientists) into)\b",
            re.I,
        ),
    ),
    (
        "architecture",
        re.compile(
            r"\b(?:architect(?:ed|ing)?|owned (?:the )?(?:\w+ ){0,3}(?:architecture|design|"
            r"roadmap|strategy|platform|technical direction)|set (?:the )?(?:technical|tech) "
            r"(?:direction|strategy|vision)|technical (?:direction|strategy|vision)|"
            r"design(?:ed)? (?:the )?(?:\w+ ){0,3}architecture)\b",
            re.I,
        ),
    ),
    ("hiring", re.compile(r"\b(?:hired|hiring|recruited|built (?:the|a) team)\b", re.I)),
]


def _leadership(lines: list[str]) -> tuple[list[LeadershipEvidence], int | None]:
    evidence: list[LeadershipEvidence] = []
    most: int | None = None
    for line in lines:
        counts = [int(m.group("n")) for pattern in _HEADCOUNT for m in pattern.finditer(line)]
        for clause in _MANAGING_CLAUSE.finditer(line):
            counts += [int(m.group("n")) for m in _PEOPLE_COUNT.finditer(clause.group())]
        # "manage 4 managers and 35 engineers": the largest number is the organisation's size.
        people = max((n for n in counts if 1 <= n <= 5000), default=None)
        if people is not None:
            evidence.append(
                LeadershipEvidence(kind="people_management", line=_short(line), people=people)
            )
            most = max(most or 0, people)
            continue
        for kind, pattern in _LEADERSHIP:
            if pattern.search(line):
                evidence.append(LeadershipEvidence(kind=kind, line=_short(line)))
                break
    return evidence, most


def _short(line: str, at: int = 0) -> str:
    """The line as evidence, cut to :data:`MAX_LINE`; of a long line only the window around
    ``at`` (where the fact is said) is read, so each piece of evidence costs the same whatever
    the line's length (a one-line résumé has thousands).

    >>> _short("- **Led** the   ranking team")
    'Led the ranking team'
    >>> _short("x " * 5000 + "PyTorch " + "y " * 5000, at=10_000)[:20]
    '… x x x x x x x x x '
    """
    window = ""
    if len(line) > 2 * MAX_LINE:
        start = max(0, min(at - MAX_LINE // 2, len(line) - 2 * MAX_LINE))
        window = "… " if start else ""
        line = line[start : start + 2 * MAX_LINE]
    short = window + " ".join(_strip_markup(line).lstrip("-•·* ").split())
    return short if len(short) <= MAX_LINE else short[: MAX_LINE - 1].rstrip() + "…"


# --- The profile ---------------------------------------------------------------------------------


def read_profile(text: str, *, today: date | None = None) -> Profile:
    """The :class:`Profile` of a résumé's text (see the module docstring for how).

    ``today`` ends the ranges that run "to the present" (default: the real today).
    """
    today = today or date.today()
    # A run of spaces is a column gap however wide it is (three mean one to the patterns); kept
    # wide it lets a pattern's optional spaces be split in as many ways as it is long.
    lines = unwrapped([_WIDE_GAP.sub("   ", line) for line in text.splitlines()])
    text = "\n".join(lines)
    sections = split_sections(lines)
    kinds = {section.kind for section in sections}
    kind_of_line = [""] * len(lines)
    for section in sections:
        for index in range(section.first, section.last):
            kind_of_line[index] = section.kind

    roles, spans = _roles(lines, kind_of_line, "experience" in kinds, today)
    jobs = [(role, span) for role, span in zip(roles, spans, strict=True) if not _training(role)]
    years_total = round(merged_months([span for _, span in jobs]) / 12, 1)
    years_ml = round(merged_months([span for role, span in jobs if role.ml]) / 12, 1)
    by_recency = sorted(zip(roles, spans, strict=True), key=lambda pair: (-pair[1][1], -pair[1][0]))
    # The titles of jobs, or, for someone who has only trained so far, those of the training,
    # internships first: the work they are hired into is closer to an internship's than to a
    # "Graduate Research Assistant"'s.
    recent = [pair for pair in by_recency if not _training(pair[0])] or sorted(
        by_recency, key=lambda pair: not INTERNSHIP.search(pair[0].title)
    )
    titles = list(dict.fromkeys(role.title for role, _ in recent if role.title))[:3]
    if not titles:
        titles = _headline_titles(lines, sections)
    seniority = "intern" if roles and not jobs else _seniority(titles, years_total)

    work_lines = [
        line
        for line, kind in zip(lines, kind_of_line, strict=True)
        if kind in ("header", "summary", "experience", "projects")
    ]
    leadership, people = _leadership(work_lines)
    return Profile(
        titles=titles,
        seniority=seniority,
        years_total=years_total,
        years_ml=years_ml,
        skills=_skills(text, lines, sections),
        leadership=leadership[:MAX_LEADERSHIP],
        people_managed=people,
        roles=[role for role, _ in by_recency][:MAX_ROLES],
        sections=[s.kind for s in sections if s.kind != "header"],
        summary=_summary(lines, sections),
        **_whereabouts(lines, sections),
    )


_PLACE_SEPARATOR = re.compile(r"\s*[·|•]\s*|\s{3,}|\s+[—–]\s+")
_REMOTE_ONLY = re.compile(r"^\W*remote\b|\bremote[- ]only\b|\bfully remote\b", re.IGNORECASE)
_CONTACT = re.compile(r"@|https?://|www\.|\.(?:com|org|net|dev|io)\b|\d{3}", re.IGNORECASE)


def _whereabouts(lines: list[str], sections: list[Section]) -> dict[str, Any]:
    """Where the person lives and whether they ask for remote work only, from the contact line
    of the header ("Seattle, WA · jane@example.com", "Remote (Phoenix, AZ) | …"); nothing when
    the header names no place.

    >>> _whereabouts(["Jane", "Remote (Phoenix, AZ) · j@example.com"], [Section("header", 0, 2)])
    {'city': 'Phoenix', 'country': 'US', 'wants_remote': True}

    The first line is the name, not a place, even where a surname is one ("Reyes-Quintero"),
    unless it goes on past the name ("Jane Doe · Austin, TX"); an em dash separates too:

    >>> _whereabouts(["Tomás Reyes-Quintero", "Raleigh, NC — t@example.com"],
    ...              [Section("header", 0, 2)])
    {'city': 'Raleigh', 'country': 'US', 'wants_remote': False}
    """
    header = next((s for s in sections if s.kind == "header"), None)
    if header is None:
        return {}
    named = False
    for line in lines[header.first : min(header.last, header.first + 6)]:
        parts = _PLACE_SEPARATOR.split(_strip_markup(line))
        if not named and line.strip():
            named = True
            if len(parts) == 1 and "," not in line:
                continue  # the name alone
        for part in parts:
            if not part or len(part) > 60 or _CONTACT.search(part):
                continue
            place = parse_place(part)
            if place is not None and place.country:
                wants_remote = bool(_REMOTE_ONLY.search(part))
                return {"city": place.city, "country": place.country, "wants_remote": wants_remote}
    return {}


_WIDE_GAP = re.compile(r"\s{4,}")


# A date range a narrow PDF column wrapped: the line ends inside it ("Mar 2021 –", "Mar 2021",
# "Mar") and the next line goes on with it ("Present", "– Feb 2021", "2021 – Present").
_RANGE_CUT = re.compile(
    rf"(?:{_MONTH}|{_YEAR})\s*(?:-|–|—|‒|−|~|\bto|\buntil|\bthrough)?\s*$", re.IGNORECASE
)
_RANGE_GOES_ON = re.compile(
    rf"^\s*(?:-|–|—|‒|−|~|to\b|until\b|through\b|{_YEAR}|{_MONTH}|\d{{1,2}}\s*/|present|"
    r"current|now\b|today|ongoing)",
    re.IGNORECASE,
)


def _continues_a_range(line: str, following: str) -> bool:
    """Whether ``following`` finishes a date range that ``line`` starts (a wrapped range).

    >>> _continues_a_range("Senior Engineer, Acme  Mar 2021 –", "Present")
    True
    >>> _continues_a_range("Engineer 2016 - 2019", "2019 - 2021 Lead")  # two ranges: no
    False
    """
    # Only a line's end is read: a long line costs no more than a short one.
    if not _RANGE_CUT.search(line[-40:]) or not _RANGE_GOES_ON.match(following[:40]):
        return False
    left = line.rstrip()
    joined = f"{left} {following.strip()}"
    # A range that starts on the first line and ends on the second.
    return any(r.span[0] < len(left) < r.span[1] for r in find_date_ranges(joined, date.max))


def unwrapped(lines: list[str]) -> list[str]:
    """Lines with hard-wrapped sentences joined again: a line that starts in lower case goes on
    the line before ("I manage 8" + "people (6 engineers…)"), and so does the rest of a date
    range a narrow column wrapped ("Mar 2021 –" + "Present").

    >>> unwrapped(["- Managed a team of", "  eight engineers.", "Python"])
    ['- Managed a team of eight engineers.', 'Python']
    >>> unwrapped(["Staff Engineer, Acme  Jun 2016 –", "Feb 2021", "Built things"])
    ['Staff Engineer, Acme  Jun 2016 – Feb 2021', 'Built things']
    """
    # Each line's pieces are gathered and joined once: growing a string by each piece would
    # copy it again per piece (quadratic in a résumé of a thousand lower-case lines).
    joined: list[list[str]] = []
    for line in lines:
        stripped = line.strip()
        last = joined[-1][-1] if joined else ""
        if last.strip() and (stripped[:1].islower() or _continues_a_range(last, stripped)):
            joined[-1][-1] = joined[-1][-1].rstrip()
            joined[-1].append(stripped)
        else:
            joined.append([line])
    return [" ".join(pieces) for pieces in joined]


def _roles(
    lines: list[str], kind_of_line: list[str], has_experience: bool, today: date
) -> tuple[list[Role], list[tuple[int, int]]]:
    """Roles of the work history with their month ranges; with no "Experience" heading, every
    dated line that is not about a degree."""
    dated: list[tuple[int, DateRange]] = []
    for index, line in enumerate(lines):
        kind = kind_of_line[index]
        if has_experience and kind != "experience":
            continue
        if not has_experience and (kind in ("education", "publications") or _DEGREE.search(line)):
            continue
        for found in find_date_ranges(line, today)[:1]:
            dated.append((index, found))
    roles: list[Role] = []
    spans: list[tuple[int, int]] = []
    for position, (index, found) in enumerate(dated):
        following = dated[position + 1][0] if position + 1 < len(dated) else len(lines)
        # The role's lines: up to the next dated line, within its own section.
        block = [lines[index]]
        for line, kind in zip(
            lines[index + 1 : following], kind_of_line[index + 1 : following], strict=True
        ):
            if kind != kind_of_line[index]:
                break
            block.append(line)
        above = [line for line in lines[max(0, index - 2) : index] if line.strip()]
        if position and dated[position - 1][0] >= index - 2:
            above = []  # the lines above belong to the previous role
        title = _title_from(lines[index], found.span, above)
        if _NOT_WORK.search(title):
            continue  # a career break is not experience
        body = "\n".join(block)
        names = {skill.name for skill, at, _ in skills_named_in(body) if not denied(body, at)}
        # The whole line names the field where the title alone may not ("…, Perception").
        heading = " ".join([*above, lines[index]])
        ml = (
            bool(_ML_TITLE.search(heading))
            or len(names & _ML_SKILLS) >= 2
            or bool(_DATA_SCIENCE_TITLE.search(heading) and _MODELLING.search(body))
        )
        now_open = found.text.lower().endswith(
            ("present", "current", "currently", "now", "today", "ongoing", "date")
        )
        roles.append(
            Role(
                title=title,
                start=_as_text(found.start),
                end=None if now_open else _as_text(found.end - 1),
                ml=ml,
                line=_short(lines[index]),
            )
        )
        spans.append((found.start, found.end))
    return roles, spans


def _training(role: Role) -> bool:
    """Whether a role is training, not a job (``_TRAINING``).

    >>> _training(Role(title="Machine Learning Intern", start="2024-06", ml=True, line=""))
    True
    """
    return bool(_TRAINING.search(role.title))


def _headline_titles(lines: list[str], sections: list[Section]) -> list[str]:
    """With no dated roles, a title from the header's headline ("Jane Doe — Staff ML Engineer")."""
    header = next((s for s in sections if s.kind == "header"), None)
    if header is None:
        return []
    for line in lines[header.first : min(header.last, header.first + 5)]:
        for part in _SEPARATORS.split(_strip_markup(line)):
            if _ROLE_WORD.search(part) and len(part) <= 80:
                return [part.strip(" .:-")]
    return []


def _seniority(titles: list[str], years_total: float) -> Seniority:
    """The level the latest title names; a title that names none is ``mid`` whatever the years
    (labelled/resumes/README.md: a "Data Engineer" of 6 years is hired as a data engineer, not a
    senior one). A postdoc is research training, whatever its title says ("Research
    Associate"): its level comes from the years, and so does that of a history without titles.

    >>> _seniority(["Data Engineer"], 6.0), _seniority(["Postdoc"], 3.0), _seniority([], 9.0)
    ('mid', 'mid', 'senior')
    """
    for title in titles[:1]:
        if re.search(r"\bpost-?doc", title, re.I):
            break
        named = title_level(title)
        return named[0] if named is not None else "mid"
    if not titles and not years_total:
        return "unknown"
    # No dated roles: the years are unknown, not zero (and unknown years read as mid).
    return level_from_years(int(years_total) if years_total else None)


# A skill the résumé says its author lacks or chose against ("No machine learning in my
# background", "I do not build ML models", "resolved without an agent", "RAG rather than
# fine-tuning", "prioritised RAG over fine-tuning"), or is only learning ("now taking a deep
# learning course"): the cue ends the clause's text before the mention, a few words at most
# away from it. A preposition in between starts another phrase ("with no downtime on
# Kubernetes"); "not only" does not deny.
_GAP = r"(?:\s+(?!(?:using|via|on|for|to|and|but|so|by|through|while|after|at|in)\b)[\w'’-]+){0,3}"
_DENIED = re.compile(
    rf"(?:\b(?:no|not(?!\s+(?:only|just|merely)\b)|never|without|nor|neither|lack(?:ing)?|"
    rf"rather than|instead of){_GAP}"
    r"|\b(?:prioriti[sz]ed|chose|preferred|picked|opted for)\b[^.;:!?]{0,60}\bover"
    r"|\b(?:currently|now)\s+(?:learning|studying|taking)\b[^.;:!?]{0,30}?"
    r")\s+$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;:!?•·|\n]|\bbut\b", re.IGNORECASE)
DENIAL_REACH = 80  # characters before a mention read for a cue


def denied(text: str, start: int) -> bool:
    """Whether the clause before ``start`` denies the skill named there.

    >>> text = "No machine learning here. Shipped Go services without downtime on Kubernetes."
    >>> [denied(text, text.index(word)) for word in ("machine", "Go", "Kubernetes")]
    [True, False, False]
    >>> denied("I do not build ML models", 15), denied("not only ML but", 9)
    (True, False)
    """
    before = text[max(0, start - DENIAL_REACH) : start]
    clause = before[max((m.end() for m in _CLAUSE_END.finditer(before)), default=0) :]
    return bool(_DENIED.search(" " + clause))


def _skills(text: str, lines: list[str], sections: list[Section]) -> list[SkillEvidence]:
    """Skills by the enricher's extractor over the whole text, and every vocabulary name in a
    skills section (a list of names means each one); a mention the résumé denies
    (:func:`denied`) shows nothing."""
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    spans: list[tuple[str, int]] = [
        (mention.name, evidence.start)
        for mention in extract_skills(text)
        for evidence in mention.evidence
        if evidence.start is not None
    ]
    for section in sections:
        if section.kind == "skills":
            start = offsets[section.first]
            block = text[start : offsets[section.last] - 1]
            spans.extend((skill.name, start + at) for skill, at, _ in skills_named_in(block))
    found: dict[str, list[str]] = {}
    for name, start in sorted(spans, key=lambda pair: pair[1]):
        if denied(text, start):
            continue
        line = lines[_line_at(offsets, start)]
        evidence = found.setdefault(name, [])
        if len(evidence) < 2:  # two lines prove a skill: the rest are not read
            short = _short(line, start - offsets[_line_at(offsets, start)])
            if short not in evidence:
                evidence.append(short)
    return [SkillEvidence(name=name, lines=lines_) for name, lines_ in found.items()]


def _line_at(offsets: list[int], position: int) -> int:
    return max(0, bisect_right(offsets, position) - 1)


def _summary(lines: list[str], sections: list[Section], chars: int = 600) -> str:
    """The summary section, or else the header's lines after the name, cut to ``chars``."""
    part = next((s for s in sections if s.kind == "summary"), None)
    if part is not None:
        body = lines[part.first + 1 : part.last]
        heading_rest = _HEADING.match(lines[part.first].strip())
        if heading_rest and heading_rest.group("rest"):
            body = [heading_rest.group("rest"), *body]
    else:
        header = next((s for s in sections if s.kind == "header"), None)
        body = lines[header.first + 1 : header.last] if header else []
        body = [line for line in body if not re.search(r"@|https?://|\+?\d[\d ()-]{7,}", line)]
    summary = " ".join(" ".join(_strip_markup(line).split()) for line in body if line.strip())
    return summary if len(summary) <= chars else summary[: chars - 1].rsplit(" ", 1)[0] + "…"


def edited_profile(
    profile: Profile,
    *,
    titles: list[str],
    seniority: Seniority,
    years_total: float,
    years_ml: float,
    people_managed: int | None,
    skills: list[str],
    leadership: list[LeadershipKind],
    summary: str,
) -> Profile:
    """``profile`` as the person corrected it. Skills are read as the vocabulary's names
    ("pytorch", "k8s"; others are dropped: no job could ask for them) and keep the résumé lines
    they had; leadership kinds keep theirs, and a kind added by hand shows as said by the person.

    >>> base = read_profile("Staff ML Engineer\\nSkills: Python, Go", today=date(2026, 1, 1))
    >>> edited = edited_profile(base, titles=["Staff ML Engineer"], seniority="staff",
    ...     years_total=9, years_ml=6, people_managed=None, skills=["python", "PyTorch"],
    ...     leadership=["mentoring"], summary="")
    >>> [(s.name, s.lines) for s in edited.skills]
    [('Python', ['Skills: Python, Go']), ('PyTorch', [])]
    >>> [(e.kind, e.line) for e in edited.leadership]
    [('mentoring', '(added by you)')]
    """
    lines = {skill.name: skill.lines for skill in profile.skills}
    names: list[str] = []
    for typed in skills:
        for skill, _, _ in skills_named_in(typed.strip()):
            if skill.name not in names:
                names.append(skill.name)
    evidence = [e for e in profile.leadership if e.kind in leadership]
    evidence += [
        LeadershipEvidence(kind=kind, line="(added by you)")
        for kind in dict.fromkeys(leadership)
        if kind not in {e.kind for e in evidence}
    ]
    return profile.model_copy(
        update={
            "titles": titles,
            "seniority": seniority,
            "years_total": years_total,
            "years_ml": years_ml,
            "people_managed": people_managed,
            "leadership": evidence,
            "skills": [SkillEvidence(name=name, lines=lines.get(name, [])) for name in names],
            "summary": summary,
        }
    )
