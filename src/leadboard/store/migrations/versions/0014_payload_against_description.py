"""raw payloads packed against their job's description

A raw payload repeats its job's description (~1.5 KB a posting of the 1.7 KB frame): the
latest payload of each job becomes a zstd frame compressed against the content of the job's
description frame (a raw-content dictionary, ``compact.pack_payload``), marked by the new
``raw_postings.with_description``; older payloads stay frames of their own. The ORM attribute
is ``RawPosting.frame`` (the column keeps its name, ``payload``). Rows are converted in
batches, in the migration's transaction; ``database.migrate`` VACUUMs a SQLite store after it.

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
    config = op.get_context().config
    if op.get_bind().dialect.name == "sqlite" and config is not None:
        config.attributes["vacuum"] = True  # every job's payload was rewritten


def downgrade() -> None:
    """Downgrade schema."""
    from leadboard.store import compact

    _convert(
        "r.with_description",
        False,
        lambda frame, description: compact.pack_payload(compact.unpack_payload(frame, description)),
    )
    with op.batch_alter_table("raw_postings") as batch:
        batch.drop_column("with_description")
