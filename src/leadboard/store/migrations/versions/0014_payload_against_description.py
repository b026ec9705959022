"""raw payloads and URLs against their job's, int8 vectors, no canonical_url

A raw payload repeats its job's description (~1.5 KB a posting of the 1.7 KB frame): the
latest payload of each job becomes a zstd frame compressed against the content of the job's
description frame (a raw-content dictionary, ``compact.pack_payload``), marked by the new
``raw_postings.with_description``; older payloads stay frames of their own. The ORM attribute
is ``RawPosting.frame`` (the column keeps its name, ``payload``). ``embeddings.vector``
becomes int8 steps with a scale (``compact.quantize``: 388 bytes for MiniLM's 384 dimensions,
768 as float16). A raw posting's ``url`` is left out (NULL) where it is its job's, ``""``
where it had none (``RawPosting.url`` reads it). ``jobs.canonical_url`` goes: written, never
read (duplicates are found by the URL made canonical in memory, ``store/dedup.py``). Rows are
converted in batches, in the migration's transaction; ``database.migrate`` VACUUMs a SQLite
store after it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 18:40:00

"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
JOB_URL = "(SELECT j.url FROM jobs j WHERE j.id = raw_postings.job_id)"


def _convert(which: str, mark: bool, make: Callable[[bytes, bytes | None], bytes]) -> None:
    """Each raw posting ``which`` selects packed again by ``make(frame, job's description)``
    and marked ``mark``, ``BATCH`` rows at a time, in id order."""
    bind = op.get_bind()
    update = sa.text(
        "UPDATE raw_postings SET payload = :frame, with_description = :mark WHERE id = :key"
    )
    update = update.bindparams(sa.bindparam("frame", type_=sa.LargeBinary()))
    update = update.bindparams(sa.bindparam("mark", type_=sa.Boolean()))
    after = 0
    while True:
        rows = list(
            bind.execute(
                sa.text(
                    "SELECT r.id, r.payload, j.description FROM raw_postings r "
                    f"JOIN jobs j ON j.id = r.job_id WHERE r.id > :after AND {which} "
                    f"ORDER BY r.id LIMIT {BATCH}"
                ),
                {"after": after},
            )
        )
        if not rows:
            return
        values = [
            {
                "key": key,
                "frame": make(bytes(frame), description and bytes(description)),
                "mark": mark,
            }
            for key, frame, description in rows
        ]
        bind.execute(update, values)
        after = rows[-1][0]


def _vectors(make: Callable[[bytes], bytes]) -> None:
    """Each embedding's vector made again by ``make``, ``BATCH`` rows at a time, in key order."""
    bind = op.get_bind()
    update = sa.text("UPDATE embeddings SET vector = :vector WHERE job_id = :key")
    update = update.bindparams(sa.bindparam("vector", type_=sa.LargeBinary()))
    after = ""
    while True:
        rows = list(
            bind.execute(
                sa.text(
                    "SELECT job_id, vector FROM embeddings WHERE job_id > :after "
                    f"ORDER BY job_id LIMIT {BATCH}"
                ),
                {"after": after},
            )
        )
        if not rows:
            return
        bind.execute(update, [{"key": key, "vector": make(bytes(vector))} for key, vector in rows])
        after = rows[-1][0]


def _canonical_urls() -> None:
    """``jobs.canonical_url`` filled again from ``url``, as 0013's writer did."""
    from leadboard.store.dedup import canonical_url

    bind = op.get_bind()
    update = sa.text("UPDATE jobs SET canonical_url = :canonical WHERE id = :key")
    after = ""
    while True:
        rows = list(
            bind.execute(
                sa.text(
                    "SELECT id, url FROM jobs WHERE id > :after AND url IS NOT NULL "
                    f"ORDER BY id LIMIT {BATCH}"
                ),
                {"after": after},
            )
        )
        if not rows:
            return
        bind.execute(update, [{"key": key, "canonical": canonical_url(url)} for key, url in rows])
        after = rows[-1][0]


def upgrade() -> None:
    """Upgrade schema."""
    from leadboard.store import compact

    op.add_column(
        "raw_postings",
        sa.Column("with_description", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    latest = "r.id IN (SELECT MAX(id) FROM raw_postings GROUP BY job_id)"
    _convert(
        latest,
        True,
        lambda frame, description: compact.pack_payload(compact.unpack_json(frame), description),
    )
    # A raw posting's URL left out where it is its job's: NULL now says "the job's", "" none.
    op.execute("UPDATE raw_postings SET url = '' WHERE url IS NULL")
    op.execute(f"UPDATE raw_postings SET url = NULL WHERE url = {JOB_URL}")
    _vectors(lambda vector: compact.quantize(compact.from_half(vector)))
    op.execute("ALTER TABLE jobs DROP COLUMN canonical_url")  # SQLite 3.35+ too: no table copy
    config = op.get_context().config
    if op.get_bind().dialect.name == "sqlite" and config is not None:
        config.attributes["vacuum"] = True  # every job's payload and vector was rewritten


def downgrade() -> None:
    """Downgrade schema."""
    from leadboard.store import compact

    op.add_column("jobs", sa.Column("canonical_url", sa.Text(), nullable=True))
    _canonical_urls()
    _vectors(lambda vector: compact.to_half(compact.dequantize(vector)))
    op.execute(f"UPDATE raw_postings SET url = {JOB_URL} WHERE url IS NULL")
    op.execute("UPDATE raw_postings SET url = NULL WHERE url = ''")
    _convert(
        "r.with_description",
        False,
        lambda frame, description: compact.pack_payload(compact.unpack_payload(frame, description)),
    )
    with op.batch_alter_table("raw_postings") as batch:
        batch.drop_column("with_description")
