"""Résumé matching: a résumé file → its text → a ``Profile`` → jobs ranked by fit, explained.

``documents`` reads the file (or says why it cannot), ``profile`` reads the text, ``scoring``
scores and explains, ``matcher`` puts them together. The résumé stays in memory: nothing here
writes it to disk or logs it, and profiles are not stored.
"""

from leadboard.match.documents import MAX_BYTES, ResumeError, resume_text
from leadboard.match.matcher import Matcher, MatchResponse
from leadboard.match.profile import Profile, read_profile

__all__ = [
    "MAX_BYTES",
    "MatchResponse",
    "Matcher",
    "Profile",
    "ResumeError",
    "read_profile",
    "resume_text",
]
