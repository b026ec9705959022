"""text once: the search documents keep how much of a job's text they index, not the text

``search_documents.body`` (up to 20,000 characters of the job's description text, a second
copy of it) goes; ``body_chars`` says how many characters of the job's text the full-text index
holds. SQLite: ``search_fts`` becomes a contentless FTS5 table (``content=''``), rebuilt from the
old bodies (which also merges the segments that incremental syncs left: half the bytes), written
by ``search/documents.py`` instead of triggers; to remove a document it needs the text it
indexed, so a job whose description changes after it was indexed leaves its old description in
``search_replaced_text`` (triggers on ``jobs``) until the next sync. PostgreSQL: the generated
``search_vector`` (it read ``body``) becomes a plain ``tsvector`` column that
``SearchDocuments.save`` writes, same weights, same GIN index. Also (docs §9, debt 9):
``enrichments.content_hash`` and ``embeddings.content_hash`` are indexed, for
``Store.done_by_content``. One transaction, as every migration (``database.migrate``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 18:00:00

"""

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
FTS_COLUMNS = "title, company, skills, body"
TOKENIZE = "porter unicode61 remove_diacritics 2"
CONTENTLESS_FTS = (
    f"CREATE VIRTUAL TABLE search_fts USING fts5({FTS_COLUMNS}, content='', tokenize='{TOKENIZE}')"
)
# A job's description replaced after its document was indexed: the old one is what the index
# holds (only the first is kept: INSERT OR IGNORE), until the next sync removes it from the index.
REPLACED = [
    """CREATE TABLE search_replaced_text (
        job_id VARCHAR(400) NOT NULL PRIMARY KEY, description BLOB)""",
    """CREATE TRIGGER jobs_replaced_text_au AFTER UPDATE OF description ON jobs
        WHEN old.description IS NOT new.description
        AND EXISTS (SELECT 1 FROM search_documents WHERE job_id = old.id) BEGIN
        INSERT OR IGNORE INTO search_replaced_text (job_id, description)
        VALUES (old.id, old.description); END""",
    """CREATE TRIGGER jobs_replaced_text_ad AFTER DELETE ON jobs
        WHEN EXISTS (SELECT 1 FROM search_documents WHERE job_id = old.id) BEGIN
        INSERT OR IGNORE INTO search_replaced_text (job_id, description)
        VALUES (old.id, old.description); END""",
]
# 0003's objects, as the downgrade makes them again.
EXTERNAL_FTS = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5({FTS_COLUMNS},
        content='search_documents', content_rowid='id',
        tokenize='{TOKENIZE}')""",
    f"""CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.company, new.skills, new.body); END""",
    f"""CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.company, old.skills, old.body); END""",
    f"""CREATE TRIGGER search_documents_au AFTER UPDATE OF {FTS_COLUMNS} ON search_documents
        BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.company, old.skills, old.body);
        INSERT INTO search_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.company, new.skills, new.body); END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
POSTGRES_VECTOR = """
    setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('english', company || ' ' || skills), 'B')
    || setweight(to_tsvector('english', left(body, 200000)), 'C')"""
CONTENT_HASH_INDEXES = {
    "ix_enrichments_content_hash": "enrichments",
    "ix_embeddings_content_hash": "embeddings",
}


def _documents(columns: str) -> Iterator[list[tuple[Any, ...]]]:
    """``search_documents`` joined to the job's description and its replaced one, in id order,
    ``BATCH`` at a time."""
    bind = op.get_bind()
    after = 0
    replaced = "r.description" if bind.dialect.name == "sqlite" else "NULL"
    join = (
        "LEFT JOIN search_replaced_text r ON r.job_id = d.job_id"
        if bind.dialect.name == "sqlite"
        else ""
    )
    while True:
        rows = [
            tuple(row)
            for row in bind.execute(
                sa.text(
                    f"SELECT d.id, {columns}, j.description, {replaced} FROM search_documents d "
                    f"JOIN jobs j ON j.id = d.job_id {join} WHERE d.id > :after "
                    f"ORDER BY d.id LIMIT {BATCH}"
                ),
                {"after": after},
            )
        ]
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def upgrade() -> None:
    """Upgrade schema."""
    from leadboard.store import compact

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.add_column(
        "search_documents",
        sa.Column("body_chars", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute("UPDATE search_documents SET body_chars = length(body)")
    if sqlite:
        for trigger in ("search_documents_ai", "search_documents_ad", "search_documents_au"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE search_fts")
        op.execute(CONTENTLESS_FTS)
        op.execute(
            f"INSERT INTO search_fts (rowid, {FTS_COLUMNS}) "
            f"SELECT id, {FTS_COLUMNS} FROM search_documents"
        )
        for statement in REPLACED:
            op.execute(statement)
        # A document indexed before its job's text changed (the store not synced since) keeps
        # the text it indexed, as the triggers would have kept it.
        keep = sa.text("INSERT INTO search_replaced_text (job_id, description) VALUES (:j, :d)")
        for rows in _documents("d.job_id, d.body"):
            stale = [
                {"j": job_id, "d": compact.pack_description("", body)}
                for _, job_id, body, description, _ in rows
                if compact.unpack_description(description)[1][: len(body)] != body
            ]
            if stale:
                bind.execute(keep, stale)
    else:
        op.execute("DROP INDEX ix_search_documents_search_vector")
        op.execute("ALTER TABLE search_documents DROP COLUMN search_vector")
        op.execute("ALTER TABLE search_documents ADD COLUMN search_vector tsvector")
        op.execute(f"UPDATE search_documents SET search_vector = {POSTGRES_VECTOR}")
        op.execute(
            "CREATE INDEX ix_search_documents_search_vector ON search_documents "
            "USING gin (search_vector)"
        )
        op.alter_column("search_documents", "body_chars", server_default=None)
    op.drop_column("search_documents", "body")
    config = op.get_context().config
    if sqlite and config is not None:  # rows shrunk in place free no page: migrate VACUUMs
        config.attributes["vacuum"] = True
    for name, table in CONTENT_HASH_INDEXES.items():
        op.create_index(name, table, ["content_hash"])


def downgrade() -> None:
    """Downgrade schema: the body again, from the text each document indexed."""
    from leadboard.store import compact

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    for name, table in CONTENT_HASH_INDEXES.items():
        op.drop_index(name, table_name=table)
    op.add_column(
        "search_documents", sa.Column("body", sa.Text(), nullable=False, server_default="")
    )
    fill = sa.text("UPDATE search_documents SET body = :body WHERE id = :id")
    for rows in _documents("d.body_chars"):
        bodies = [
            {"id": doc_id, "body": compact.unpack_description(replaced or now)[1][:chars]}
            for doc_id, chars, now, replaced in rows
        ]
        bind.execute(fill, bodies)
    if sqlite:
        op.execute("DROP TRIGGER jobs_replaced_text_au")
        op.execute("DROP TRIGGER jobs_replaced_text_ad")
        op.execute("DROP TABLE search_replaced_text")
        op.execute("DROP TABLE search_fts")
        for statement in EXTERNAL_FTS:
            op.execute(statement)
    else:
        op.alter_column("search_documents", "body", server_default=None)
        op.execute("DROP INDEX ix_search_documents_search_vector")
        op.execute("ALTER TABLE search_documents DROP COLUMN search_vector")
        op.execute(
            "ALTER TABLE search_documents ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({POSTGRES_VECTOR}) STORED"
        )
        op.execute(
            "CREATE INDEX ix_search_documents_search_vector ON search_documents "
            "USING gin (search_vector)"
        )
    op.drop_column("search_documents", "body_chars")
