"""Running the Alembic migrations that make and upgrade a database file.

The migration scripts live in ``perfdesk/storage/migrations/versions``; each one ends by writing
its schema version into ``PRAGMA user_version`` so that :func:`perfdesk.storage.database.read_header`
can tell a file's version without SQLAlchemy. A new file also gets perfdesk's ``application_id``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from perfdesk.storage.fileformat import APPLICATION_ID

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def upgrade(engine: Engine, *, path: Path, new: bool, revision: str = "head") -> None:
    """Bring the file to ``revision`` (the newest by default)."""
    config = alembic_config()
    with engine.begin() as connection:
        if new:
            connection.execute(text(f"PRAGMA application_id = {APPLICATION_ID}"))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
