"""`leadboard enrich-spark`: enrich a PostgreSQL store on a Spark cluster (issue 14). Thin, like
``cli.py``: the work is in ``enrich/spark_job.py``; PySpark (the ``spark`` extra) is imported
only when the command runs."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from leadboard.terminal import echo


def enrich_spark(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="postgresql+psycopg://… reachable from every worker "
            "(default: $LEADBOARD_DATABASE_URL).",
        ),
    ] = None,
    master: Annotated[
        str | None,
        typer.Option(
            help="Spark master: spark://host:7077, local-cluster[2,1,1024]… "
            "(default: Spark's configured one, else local[*]).",
        ),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option(min=1, help="Slices of each chunk of jobs (default: the cluster's cores)."),
    ] = None,
    embeddings: Annotated[
        bool, typer.Option("--embeddings/--no-embeddings", help="Also compute embeddings.")
    ] = True,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Jobs a worker enriches and saves at a time.")
    ] = 64,
    conf: Annotated[
        list[str] | None,
        typer.Option(help="More Spark settings, KEY=VALUE (repeatable), as spark-submit's."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Enrich (and embed) the stored jobs that need it on a Spark cluster, then make them
    searchable. The workers need Leadboard installed with the same models, and write to the
    database themselves. Interrupted, it keeps what it finished: run it again for the rest."""
    try:
        import pandas  # noqa: F401 - the extra's packages: a missing one is named at once
        import pyspark  # noqa: F401

        from leadboard.enrich.spark_job import enrich_on_spark
        from leadboard.store.database import database_url as configured_url
    except ImportError as missing:
        echo(f"{missing}: install Leadboard with its Spark extra, leadboard[spark]", err=True)
        raise typer.Exit(1) from None
    if any("=" not in item for item in conf or []):
        echo("--conf takes KEY=VALUE", err=True)
        raise typer.Exit(2)
    settings = dict(item.split("=", 1) for item in conf or [])
    try:
        summary = enrich_on_spark(
            database_url or configured_url(),
            master,
            partitions=partitions,
            embed=embeddings,
            batch_size=batch_size,
            conf=settings,
            say=lambda message: echo(message, err=True),
        )
    except ValueError as error:
        echo(str(error), err=True)
        raise typer.Exit(2) from None
    if as_json:
        echo(json.dumps(summary.as_dict(), indent=2))
        return
    line = f"enriched {summary.enriched} jobs ({summary.version})"
    if summary.embedding_model:
        line += f", embedded {summary.embedded} ({summary.embedding_model})"
    echo(f"{line} on {summary.master}, {summary.partitions} partitions, in {summary.seconds:.1f} s")
    for problem in summary.problems:
        echo(f"  note: {problem}", err=True)
