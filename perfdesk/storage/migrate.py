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
    """Bring the file to ``revision`` (the newest by default), all or nothing.

    SQLite changes a table's constraints by building a new table and dropping the old one; with
    foreign keys on, that drop would cascade and delete every child row. So, as SQLite's own
    procedure for schema changes prescribes, foreign keys are off while the migrations run (it can
    only be switched outside a transaction), ``foreign_key_check`` must find nothing before the
    commit, and they are on again afterwards.
    """
    config = alembic_config()
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.commit()
        try:
            with connection.begin():
                if new:
                    connection.execute(text(f"PRAGMA application_id = {APPLICATION_ID}"))
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise MigrationError(
                        f"rows without their parent after the upgrade: {broken[:5]}"
                    )
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            connection.commit()


class MigrationError(RuntimeError):
    """A migration left the file inconsistent; it was rolled back (a bug in perfdesk)."""
