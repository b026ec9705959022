"""the job seeker's workspace: saved searches, their alert deliveries, saved jobs and the
application tracker's events

One migration for the whole workspace (``workspace/store.py`` ``Workspace`` owns the tables), so
the tracker and the alerts are built on it without another. Every row has an ``owner``, "local"
until per-token users come.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-12 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _owner(index: bool = False) -> sa.Column:
    return sa.Column("owner", sa.String(200), nullable=False, server_default="local", index=index)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _owner(index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("sort", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _owner(),
        sa.Column(
            "saved_search_id",
            sa.Integer(),
            sa.ForeignKey("saved_searches.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("job_id", sa.String(400), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("saved_search_id", "job_id", "channel"),
    )
    op.create_table(
        "saved_jobs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _owner(),
        sa.Column("job_id", sa.String(400), nullable=False, index=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("owner", "job_id"),
    )
    op.create_table(
        "application_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _owner(),
        sa.Column("job_id", sa.String(400), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index(
        "ix_application_events_owner_job", "application_events", ["owner", "job_id", "at"]
    )


def downgrade() -> None:
    """Downgrade schema."""
    for table in ("application_events", "saved_jobs", "alert_deliveries", "saved_searches"):
        op.drop_table(table)
