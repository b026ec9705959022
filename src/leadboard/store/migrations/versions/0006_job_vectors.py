"""the vector index's table on PostgreSQL (pgvector), made by the migrations rather than by the
first process that opened a vector index

PostgreSQL only, and only where the server has the ``vector`` extension and lets the store's user
create it; elsewhere semantic search says pgvector is not available, as before. The column has no
fixed dimension (the embedding model's is read from its vectors); ``search/vectors.py``
``PgVectorIndex.sync`` makes one HNSW index per dimension it writes. A ``job_vectors`` an older
version made (``vector(384)``) is derived data: it is dropped here and refilled from the stored
embeddings by the next sync.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-09 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOB_VECTORS = """CREATE TABLE job_vectors (
    document_id integer PRIMARY KEY,
    content_hash text NOT NULL,
    model text NOT NULL,
    embedding vector NOT NULL)"""


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
    ).first()
    if available is None:
        return
    try:
        with bind.begin_nested():  # a refusal (no right to create it) leaves the rest intact
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS vector"))
    except sa.exc.DBAPIError:
        return
    op.execute("DROP TABLE IF EXISTS job_vectors")
    op.execute(JOB_VECTORS)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS job_vectors")
