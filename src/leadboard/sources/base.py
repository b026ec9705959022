"""What every connector hands back: postings, and the records it had to reject."""

from __future__ import annotations

from dataclasses import dataclass, field

from leadboard.models import SourcePosting


@dataclass
class Reject:
    """A record a connector could not use, and why. The batch goes on without it."""

    source: str  # e.g. "greenhouse:anthropic" or a dump's file path
    where: str  # record id, line number or URL: enough to find the record again
    reason: str
    sample: str | None = None  # the start of the offending record (a few hundred characters)


@dataclass
class BoardFetch:
    """The result of fetching one board (or one career page)."""

    source: str  # greenhouse | lever | ashby | jsonld
    board: str
    postings: list[SourcePosting] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    # True only when the whole listing came back: postings absent from it may then be closed.
    complete: bool = False
    error: str | None = None  # why the board failed, when it did
