"""search state (a change counter for in-memory snapshots) and the visa fact of search documents

The documents' ``visa`` column starts false; ``search/index.py`` changed its document version in
the same release, so the next sync rebuilds every document and fills it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 12:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "search_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # A plain ADD COLUMN (SQLite can): a batch copy of the table would drop its FTS triggers.
    op.add_column(
        "search_documents",
        sa.Column("visa", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column("search_documents", "visa")
    op.drop_table("search_state")
