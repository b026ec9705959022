"""search lean: search_tags without a rowid, and two indexes no query reads

SQLite kept each ``search_tags`` row twice: in the table (by a rowid nobody reads) and in its
primary key's index. As a ``WITHOUT ROWID`` table the primary key is the table (~120 bytes a
posting less). ``ix_search_documents_listing`` and ``ix_search_documents_posted`` go on both
backends: filters, facets and orders run over the engine's columns in memory
(``search/columns.py``), and no statement of ``search/documents.py`` filters or orders by those
columns. One transaction, as every migration (``database.migrate``).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 18:50:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNREAD = {
    "ix_search_documents_listing": ["is_head", "is_open", "role_family"],
    "ix_search_documents_posted": ["posted_at"],
}


def _tags_table(rowid: bool) -> None:
    """SQLite: ``search_tags`` made again with (``rowid``) or without a rowid, rows kept."""
    op.execute(
        f"""CREATE TABLE search_tags_new (
            document_id INTEGER NOT NULL,
            kind VARCHAR(10) NOT NULL,
            value VARCHAR(200) NOT NULL,
            PRIMARY KEY (document_id, kind, value),
            FOREIGN KEY(document_id) REFERENCES search_documents (id) ON DELETE CASCADE
        ){"" if rowid else " WITHOUT ROWID"}"""
    )
    op.execute("INSERT INTO search_tags_new SELECT document_id, kind, value FROM search_tags")
    op.execute("DROP TABLE search_tags")  # its index goes with it
    op.execute("ALTER TABLE search_tags_new RENAME TO search_tags")
    op.create_index("ix_search_tags_kind_value", "search_tags", ["kind", "value", "document_id"])


def upgrade() -> None:
    """Upgrade schema."""
    for name in UNREAD:
        op.drop_index(name, table_name="search_documents")
    if op.get_bind().dialect.name == "sqlite":
        _tags_table(rowid=False)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "sqlite":
        _tags_table(rowid=True)
    for name, columns in UNREAD.items():
        op.create_index(name, "search_documents", columns)
