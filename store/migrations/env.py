"""Alembic environment. Runs on the connection handed over by ``store.migrate.upgrade``;
with none (the ``alembic`` command line), on ``sqlalchemy.url`` from the Alembic config."""

from __future__ import annotations

import importlib
import pkgutil

from alembic import context
from sqlalchemy import Connection, create_engine
from sqlmodel import SQLModel

import store

# Register every table on SQLModel.metadata: each store/*models.py module holds some.
for _module in pkgutil.iter_modules(store.__path__):
    if _module.name.endswith("models"):
        importlib.import_module(f"store.{_module.name}")

config = context.config
target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
