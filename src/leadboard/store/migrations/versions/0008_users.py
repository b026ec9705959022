"""users: one a token, so that a served app's workspace belongs to whoever sends the token

``leadboard users add NAME`` makes a row and prints its token once; only the token's SHA-256 is
kept. A request with ``Authorization: Bearer <token>`` reads and writes the workspace rows whose
``owner`` is that user's name (``web/security.py``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-14 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("users")
