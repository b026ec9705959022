"""compact store: raw payloads, descriptions and enrichment evidence compressed, vectors as float16

``raw_postings.payload`` (JSON) becomes a zstd frame; ``jobs.description_html`` and
``description_text`` become one frame, ``jobs.description``; ``enrichments.detail`` splits into
``skill_detail`` (JSON: what matching reads in SQL) and the compressed rest, ``evidence``;
``embeddings.vector`` is stored as float16 (``store/compact.py`` says how; ``store/schema.py``
reads them back as before). ``ix_raw_postings_job_id`` goes: the unique ``(job_id,
payload_hash)`` index answers the same lookups. Existing rows are converted in batches, in the
migration's transaction; ``database.migrate`` VACUUMs a SQLite store afterwards to give the
space back.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 15:30:00

"""

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def _rows(table: str, key: str, columns: Sequence[str]) -> Iterator[list[sa.Row[Any]]]:
    """A table's rows in key order, ``BATCH`` at a time (the store may not fit in memory)."""
    bind = op.get_bind()
    after: Any = None
    names = ", ".join((key, *columns))
    while True:
        where, params = ("", {}) if after is None else (f"WHERE {key} > :after", {"after": after})
        query = sa.text(f"SELECT {names} FROM {table} {where} ORDER BY {key} LIMIT {BATCH}")
        rows = list(bind.execute(query, params))
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _convert(
    table: str,
    key: str,
    columns: Sequence[str],
    new: Mapping[str, sa.types.TypeEngine[Any]],
    make: Callable[..., tuple[Any, ...]],
) -> None:
    """Fill the ``new`` columns (name: type) from ``columns``: ``make(*old values)`` gives a
    row's new values."""
    bind = op.get_bind()
    sets = ", ".join(f"{name} = :{name}" for name in new)
    update = sa.text(f"UPDATE {table} SET {sets} WHERE {key} = :key")
    update = update.bindparams(*(sa.bindparam(name, type_=t) for name, t in new.items()))
    for rows in _rows(table, key, columns):
        values = [dict(zip(new, make(*row[1:]), strict=True), key=row[0]) for row in rows]
        bind.execute(update, values)


def _json(value: Any) -> Any:
    """A JSON column's value: psycopg parses it, SQLite hands the text over."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def upgrade() -> None:
    """Upgrade schema."""
    from leadboard.store import compact

    op.add_column("raw_postings", sa.Column("payload_zstd", sa.LargeBinary(), nullable=True))
    _convert(
        "raw_postings",
        "id",
        ["payload"],
        {"payload_zstd": sa.LargeBinary()},
        lambda payload: (compact.pack_json(_json(payload)),),
    )
    with op.batch_alter_table("raw_postings") as batch:
        batch.drop_index("ix_raw_postings_job_id")
        batch.drop_column("payload")
        batch.alter_column("payload_zstd", new_column_name="payload", nullable=False)

    op.add_column("jobs", sa.Column("description", sa.LargeBinary(), nullable=True))
    _convert(
        "jobs",
        "id",
        ["description_html", "description_text"],
        {"description": sa.LargeBinary()},
        lambda html, text: (compact.pack_description(html or "", text or ""),),
    )
    # ALTER TABLE … DROP COLUMN, not a batch copy: SQLite would DROP TABLE jobs, which the
    # other tables' foreign keys forbid once there are rows.
    op.drop_column("jobs", "description_html")
    op.drop_column("jobs", "description_text")

    op.add_column("enrichments", sa.Column("skill_detail", sa.JSON(), nullable=True))
    op.add_column("enrichments", sa.Column("evidence", sa.LargeBinary(), nullable=True))

    def split(detail: Any) -> tuple[dict[str, Any], bytes]:
        skills, rest = compact.split_detail(_json(detail) or {})
        return skills, compact.pack_json(rest)

    new: dict[str, sa.types.TypeEngine[Any]] = {
        "skill_detail": sa.JSON(),
        "evidence": sa.LargeBinary(),
    }
    _convert("enrichments", "job_id", ["detail"], new, split)
    with op.batch_alter_table("enrichments") as batch:
        batch.drop_column("detail")
        batch.alter_column("skill_detail", existing_type=sa.JSON(), nullable=False)
        batch.alter_column("evidence", existing_type=sa.LargeBinary(), nullable=False)

    vector = {"vector": sa.LargeBinary()}
    _convert("embeddings", "job_id", ["vector"], vector, lambda v: (compact.to_half(v),))


def downgrade() -> None:
    """Downgrade schema: the old layout, every value restored (vectors as float32 of the
    float16 kept)."""
    from leadboard.store import compact

    vector = {"vector": sa.LargeBinary()}
    _convert("embeddings", "job_id", ["vector"], vector, lambda v: (compact.from_half(v),))

    op.add_column("enrichments", sa.Column("detail", sa.JSON(), nullable=True))
    _convert(
        "enrichments",
        "job_id",
        ["skill_detail", "evidence"],
        {"detail": sa.JSON()},
        lambda skills, evidence: (
            compact.join_detail(_json(skills), compact.unpack_json(evidence)),
        ),
    )
    with op.batch_alter_table("enrichments") as batch:
        batch.drop_column("evidence")
        batch.drop_column("skill_detail")
        batch.alter_column("detail", existing_type=sa.JSON(), nullable=False)

    op.add_column("jobs", sa.Column("description_text", sa.Text(), nullable=True))
    op.add_column("jobs", sa.Column("description_html", sa.Text(), nullable=True))
    _convert(
        "jobs",
        "id",
        ["description"],
        {"description_html": sa.Text(), "description_text": sa.Text()},
        lambda blob: compact.unpack_description(blob),
    )
    op.drop_column("jobs", "description")
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot, short of copying jobs
        op.alter_column("jobs", "description_text", existing_type=sa.Text(), nullable=False)
        op.alter_column("jobs", "description_html", existing_type=sa.Text(), nullable=False)

    op.add_column("raw_postings", sa.Column("payload_json", sa.JSON(), nullable=True))
    _convert(
        "raw_postings",
        "id",
        ["payload"],
        {"payload_json": sa.JSON()},
        lambda blob: (compact.unpack_json(blob),),
    )
    with op.batch_alter_table("raw_postings") as batch:
        batch.drop_column("payload")
        batch.alter_column("payload_json", new_column_name="payload", nullable=False)
        batch.create_index("ix_raw_postings_job_id", ["job_id"])
