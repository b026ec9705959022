"""Ashby public job-board API connector (stub: being written)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from leadboard.models import SourcePosting


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one job record, in the API's own shape, into a SourcePosting."""
    raise NotImplementedError
