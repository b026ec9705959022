"""skill detail as a frame: enrichments.skill_detail compressed, five unread indexes dropped

``enrichments.skill_detail`` (the skills' evidence, JSON: ~570 bytes a posting) was kept as JSON
so that matching could read ``detail["skills"]`` in SQL; matching reads it whole
(``SearchDocuments.candidates``), so it becomes a zstd frame like ``evidence`` (~220 bytes).
``ix_enrichments_role_family``, ``_seniority`` and ``_is_ml_leadership`` go: no statement
filters enrichments by them (search filters its own columns in memory); so do
``ix_jobs_canonical_url`` (the column is written, never read: duplicates are found in memory,
``store/dedup.py``) and ``ix_jobs_remote`` (only ``Store.stats`` groups by it, over every job
anyway). Rows are converted in
batches, in the migration's transaction; ``database.migrate`` VACUUMs a SQLite store after it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 19:05:00

"""

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
UNREAD = {
    "ix_enrichments_role_family": ("enrichments", "role_family"),
    "ix_enrichments_seniority": ("enrichments", "seniority"),
    "ix_enrichments_is_ml_leadership": ("enrichments", "is_ml_leadership"),
    "ix_jobs_canonical_url": ("jobs", "canonical_url"),
    "ix_jobs_remote": ("jobs", "remote"),
}


def _convert(
    source: str, target: str, kind: sa.types.TypeEngine[Any], make: Callable[..., Any]
) -> None:
    """Fill ``enrichments.target`` from ``source``, ``BATCH`` rows at a time, in key order."""
    bind = op.get_bind()
    update = sa.text(f"UPDATE enrichments SET {target} = :value WHERE job_id = :key")
    update = update.bindparams(sa.bindparam("value", type_=kind))
    after = ""
    while True:
        rows = list(
            bind.execute(
                sa.text(
                    f"SELECT job_id, {source} FROM enrichments WHERE job_id > :after "
                    f"ORDER BY job_id LIMIT {BATCH}"
                ),
                {"after": after},
            )
        )
        if not rows:
            return
        bind.execute(update, [{"key": key, "value": make(value)} for key, value in rows])
        after = rows[-1][0]


def _json(value: Any) -> Any:
    """A JSON column's value: psycopg parses it, SQLite hands the text over."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _replace(new: str, kind: sa.types.TypeEngine[Any], make: Callable[..., Any]) -> None:
    """``skill_detail`` made again as a ``kind`` column from the old one's values."""
    op.add_column("enrichments", sa.Column(new, kind, nullable=True))
    _convert("skill_detail", new, kind, make)
    with op.batch_alter_table("enrichments") as batch:
        batch.drop_column("skill_detail")
        batch.alter_column(new, new_column_name="skill_detail", existing_type=kind, nullable=False)


def upgrade() -> None:
    """Upgrade schema."""
    from leadboard.store import compact

    for name, (table, _) in UNREAD.items():
        op.drop_index(name, table_name=table, if_exists=True)
    _replace("skill_zstd", sa.LargeBinary(), lambda value: compact.pack_json(_json(value) or {}))
    config = op.get_context().config
    if op.get_bind().dialect.name == "sqlite" and config is not None:
        config.attributes["vacuum"] = True  # the table was copied: its old pages are free


def downgrade() -> None:
    """Downgrade schema."""
    from leadboard.store import compact

    _replace("skill_json", sa.JSON(), compact.unpack_json)
    for name, (table, column) in UNREAD.items():
        op.create_index(name, table, [column], if_not_exists=True)
