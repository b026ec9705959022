"""Pure functions that turn a ``SourcePosting`` into a ``Job`` (stub: being written)."""

from __future__ import annotations

from leadboard.models import Job, SourcePosting


def normalize_posting(posting: SourcePosting) -> Job:
    """Clean text, locations, salary, dates and title of one posting."""
    raise NotImplementedError
