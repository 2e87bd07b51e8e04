"""Alembic environment, driven by Flask-Migrate: `feedback db upgrade` runs it."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
_url = db.engine.url.render_as_string(hide_password=False)
config.set_main_option("sqlalchemy.url", _url.replace("%", "%%"))


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=db.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


# The comment search index is the database's own (an FTS5 table on SQLite, a GIN index on
# PostgreSQL), made by migration 0008; models do not describe it, so comparisons skip it.
SEARCH_OBJECTS = ("comment_fts", "ix_comment_search")


def _not_search_index(obj, name, type_, reflected, compare_to) -> bool:
    return not (name or "").startswith(SEARCH_OBJECTS)


def run_migrations_online() -> None:
    def skip_empty(context_, revision, directives):
        # `feedback db migrate` with no model change writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty)
    conf_args.setdefault("include_object", _not_search_index)
    with db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
