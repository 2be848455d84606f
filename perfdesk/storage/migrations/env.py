"""Alembic environment: migrations run on the connection perfdesk hands over, never on a URL."""

from __future__ import annotations

from alembic import context

from perfdesk.storage.models import Base
from perfdesk.storage.revisions import ensure_tracking

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # pragma: no cover - only `alembic revision --autogenerate` by hand
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
        with engine.connect() as connection:
            context.configure(
                connection=connection, target_metadata=target_metadata, render_as_batch=True
            )
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
        # A migration that rebuilt a table dropped its triggers: put the revision triggers back
        # (the 自评汇总's cache relies on them; see perfdesk.storage.revisions).
        ensure_tracking(connection)


run_migrations_online()
