"""the board registry with its crawl state, and honest dates: what confirms a posting open, a
dump's snapshot, staleness, the listing hash; search documents keep only a source's posted date

``search_documents.posted_at`` held "posted, else first seen": it becomes nullable and the search
index's document version moves on, so the next sync rewrites every document with the real date.
Existing jobs are confirmed as of their last sighting, except those only ever read from dumps,
which take their snapshot from the dump's path when it names a date (``linkedin-ds-2018``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 04:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    from leadboard.store.snapshots import snapshot_of_path, snapshot_start

    op.create_table(
        "boards",
        sa.Column("spec", sa.String(300), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False, index=True),
        sa.Column("token", sa.String(260), nullable=False),
        sa.Column("company", sa.String(300)),
        sa.Column("url", sa.Text()),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("ml_heavy", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("last_success_at", sa.DateTime(timezone=True)),
        sa.Column("next_due_at", sa.DateTime(timezone=True), index=True),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("empty_streak", sa.Integer(), nullable=False),
    )
    for column in (
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
        sa.Column("snapshot", sa.String(10)),
        sa.Column("stale_at", sa.DateTime(timezone=True)),
        sa.Column("listing_hash", sa.String(16)),
    ):
        op.add_column("jobs", column)

    bind = op.get_bind()
    bind.execute(sa.text("UPDATE jobs SET confirmed_at = last_seen_at"))
    # Jobs every raw payload of which came from a file: date them by the dump, when it says.
    rows = bind.execute(
        sa.text(
            "SELECT job_id, MAX(origin) FROM raw_postings GROUP BY job_id "
            "HAVING SUM(CASE WHEN origin LIKE '%/%' THEN 0 ELSE 1 END) = 0"
        )
    ).all()
    for job_id, origin in rows:
        snapshot = snapshot_of_path(origin or "")
        if snapshot:
            bind.execute(
                sa.text("UPDATE jobs SET snapshot = :s, confirmed_at = :c WHERE id = :i"),
                {"s": snapshot, "c": snapshot_start(snapshot), "i": job_id},
            )

    # search_documents.posted_at: nullable. SQLite cannot alter a column in place, and a batch
    # copy would drop the full-text triggers: drop and add it back (documents are rebuilt).
    if bind.dialect.name == "sqlite":
        op.drop_index("ix_search_documents_posted", table_name="search_documents")
        op.drop_column("search_documents", "posted_at")
        op.add_column("search_documents", sa.Column("posted_at", sa.DateTime(timezone=True)))
        op.create_index("ix_search_documents_posted", "search_documents", ["posted_at"])
    else:
        op.alter_column("search_documents", "posted_at", nullable=True)


def downgrade() -> None:
    """Downgrade schema."""
    for name in ("listing_hash", "stale_at", "snapshot", "confirmed_at"):
        op.drop_column("jobs", name)
    op.drop_table("boards")
