"""search words: PostgreSQL's per-word scores, where a query's best matches are looked for

PostgreSQL only (SQLite reads its words' BM25 from FTS5: ``search/terms.py``). Ranking every
match of a query with ``ts_rank_cd`` reads each match's whole ``tsvector`` (10 µs a match: a
second at 100k matches), so the engine ranks only a bounded set of candidates
(then ``search/pg_topk.py``): the documents each query word scores best in, found here in one
index range a word. ``search_words`` holds, for each document, the words it counts 3 times or
more (title words count 8, company and skills 3, the text 1): BM25's term part without the IDF.
(Since issue 14's last round ``search/pg_words.py`` reads every word's weights from here into
memory, and PostgreSQL no longer ranks.)
``search/documents.py`` keeps it (``SearchDocuments.save``); a document's rows go with it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 18:30:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As search/documents.py's _PG_WORDS, for every document at once.
WORDS = """
    INSERT INTO search_words (word, document_id, score)
    SELECT lexeme, id, weighted * 2.2 / (weighted + 1.2 * (0.25 + 0.75 * tokens / 290.0))
    FROM (SELECT d.id, u.lexeme,
            (SELECT sum(CASE w WHEN 'A' THEN 8 WHEN 'B' THEN 3 ELSE 1 END)
             FROM unnest(u.weights) AS w) AS weighted,
            sum(cardinality(u.positions)) OVER (PARTITION BY d.id) AS tokens
            FROM search_documents AS d, unnest(d.search_vector) AS u) AS counted
    WHERE weighted >= 3"""


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """CREATE TABLE search_words (
            word TEXT NOT NULL,
            document_id INTEGER NOT NULL REFERENCES search_documents (id) ON DELETE CASCADE,
            score REAL NOT NULL)"""
    )
    op.execute(WORDS)
    op.execute("CREATE INDEX ix_search_words_best ON search_words (word, score DESC, document_id)")
    op.execute("CREATE INDEX ix_search_words_document ON search_words (document_id)")


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE search_words")
