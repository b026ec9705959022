"""A posting cut once into sentences and bullets, with character offsets, for every extractor.

Skills, duties and years all read a posting sentence by sentence: a duty is counted per sentence,
a skill's "preferred" is looked for in its sentence, a number of years is read in its clause. One
splitter serves them all (``Enricher`` runs it once per posting and hands the ``Segments`` to each
extractor), so their evidence spans agree on bullets, dashes and headings.

>>> segments = Segments("Requirements: - 5+ years of Python - Go. Benefits: Dental")
>>> [s.text for s in segments.sentences]
['Requirements:', '5+ years of Python', 'Go.', 'Benefits:', 'Dental']
>>> segments.sentence_at(17, 21)
(16, 34)
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    """One sentence or bullet with its character offsets in the text."""

    text: str
    start: int
    end: int


# Verbs that open a responsibility bullet. Dumps that lost their bullet marks run the bullets on
# ("...improve our offering Confidently interact with executives..."); a capitalised verb from this
# list after a lower-case word is taken as the start of a new bullet.
BULLET_VERBS = (
    "Act|Advise|Analy[sz]e|Architect|Assist|Build|Champion|Coach|Collaborate|Communicate|Conduct|"
    "Confidently|Contribute|Coordinate|Create|Define|Deliver|Deploy|Design|Develop|Drive|Educate|"
    "Engage|Ensure|Establish|Evaluate|Execute|Explore|Facilitate|Guide|Help|Identify|Implement|"
    "Improve|Influence|Keep|Lead|Leverage|Maintain|Manage|Mentor|Monitor|Optimi[sz]e|Oversee|Own|"
    "Participate|Partner|Perform|Present|Prototype|Provide|Recruit|Research|Review|Set|Shape|Stay|"
    "Support|Train|Translate|Work|Write"
)
# Words that begin a heading or sentence glued to the word before it ("QualificationsRequired").
_GLUED_STARTERS = (
    "About|Ability|Bachelor|Benefits|Desired|Education|Excellent|Experience|Job|Knowledge|Master|"
    "Minimum|Preferred|Proficiency|Proven|Qualifications|Required|Requirements|Responsibilities|"
    "Skills|Strong|What|Who|You|" + BULLET_VERBS
)
# Glued text: "QualificationsRequired", and bullets run on without marks: "offering Engage".
_GLUED = rf"(?=:?[A-Z])(?<=[a-z)])(?=:?(?:{_GLUED_STARTERS})(?![a-z]))"
_UNMARKED_BULLET = rf"(?<=[a-z]{{3}}|[a-z]{{2}},) (?=[A-Z])(?=(?:{BULLET_VERBS}) )"
# Each alternative starts with its cheapest test, so most positions fail at once.
BOUNDARIES = (
    r"\n+"  # line breaks
    # sentence ends, but not the dots of "e.g.", "M.S.", "Ph.D.", "Sr.", "vs."
    r"|(?<=[.!?])(?<!\b[a-zA-Z]\.)(?<!\b[Pp]h\.)(?<!\b[SsJj]r\.)(?<!\bvs\.)"
    r"\s+(?=[\"“(\[*•·\-]?\s*[A-Z0-9])"
    r"|(?<=;)\s+"  # clauses
    r"|(?<=:)\s+(?=[-•·*]?\s*[A-Z0-9])"  # "Responsibilities: Build ..." (heading, then its text)
    r"|(?<!\d)\s+(?=[-•·▪◦●*]\s)|\s+(?=[•·▪◦●*]\s)"  # bullets in a flattened line, not "3 - 5"
    r"|\s*\*\*\s*"  # markdown bold marks a heading: "**About the Role**"
    r"|(?=[A-Z][a-z])(?<=[a-z)][.!?])"  # glued after a full stop: "customers.Job Description"
    rf"|{_GLUED}|{_UNMARKED_BULLET}"
    r"|(?<=[a-z.\s])['\"]\s*,\s*'"  # Python list reprs in some CSV dumps: "...', '..."
)
# Every boundary starts on one of these characters (a space, "*", ":", a capital, a quote): one
# test of the character first turns away the other positions (lower-case letters, mostly) before
# the ten alternatives are tried there, a third of the cost; it changes no boundary.
_BOUNDARY = re.compile(rf"(?=[\s*:A-Z'\"])(?:{BOUNDARIES})")
_EDGE = "-•·▪◦●*'\"[] \t,;_#"


def split_sentences(text: str) -> list[Sentence]:
    """Sentences and bullets of a posting, with offsets; works on flattened one-line text too.

    >>> [s.text for s in split_sentences("You will: - Build models - Mentor juniors. Benefits")]
    ['You will:', 'Build models', 'Mentor juniors.', 'Benefits']
    """
    sentences: list[Sentence] = []
    position = 0
    for boundary in [*_BOUNDARY.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        sentence = _trimmed(text, position, end)
        if sentence:
            sentences.append(sentence)
        if boundary:
            position = max(boundary.end(), end)
    return sentences


def _trimmed(text: str, start: int, end: int) -> Sentence | None:
    while start < end and (text[start] in _EDGE or text[start] == ":"):
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return Sentence(text[start:end], start, end) if end > start else None


class Segments:
    """One posting's sentences, found once, and where any character of it falls among them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences = split_sentences(text)
        self._starts = [sentence.start for sentence in self.sentences]

    def sentence_at(self, start: int, end: int | None = None) -> tuple[int, int]:
        """The bounds of the sentences holding ``text[start:end]``; where the span starts between
        sentences (on a bullet mark), the span's own start."""
        end = start if end is None else end
        first = bisect_right(self._starts, start) - 1
        last = max(first, bisect_right(self._starts, max(start, end - 1)) - 1)
        left = self.sentences[first].start if first >= 0 else start
        right = self.sentences[last].end if last >= 0 else end
        if first < 0 or start >= self.sentences[first].end:
            left = start  # on a bullet mark between sentences
        return min(left, start), max(right, end)

    def sentence_before(self, position: int) -> Sentence | None:
        """The last sentence that ends at or before ``position``."""
        index = bisect_left(self._starts, position) - 1
        if index >= 0 and self.sentences[index].end > position:
            index -= 1
        return self.sentences[index] if index >= 0 else None

    def sentence_after(self, position: int) -> Sentence | None:
        """The first sentence that starts at or after ``position``."""
        index = bisect_left(self._starts, position)
        return self.sentences[index] if index < len(self.sentences) else None


def sentence_around(text: str, start: int, end: int, reach: int = 300) -> tuple[int, int]:
    """Where the sentence holding ``text[start:end]`` starts and ends, for a text not segmented
    whole (a résumé line, a snippet): the splitter runs on ``reach`` characters either side.

    >>> text = "Skills: - Python. - Rust"
    >>> text[slice(*sentence_around(text, 10, 16))]
    'Python.'
    """
    low = max(0, start - reach)
    left, right = Segments(text[low : min(len(text), end + reach)]).sentence_at(
        start - low, end - low
    )
    return left + low, right + low
