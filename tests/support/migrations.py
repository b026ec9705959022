"""A test store moved to another migration revision, up or down (``leadboard`` itself only ever
migrates up to the newest: ``store.database.migrate``)."""

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from leadboard.store.database import MIGRATIONS


def migrate_to(engine: Engine, revision: str, *, down: bool = False) -> None:
    """Upgrade (or, with ``down``, downgrade) the store to ``revision``, in one transaction."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
