"""Alembic environment of the main database: online, on our connection."""

from alembic import context

from nova_core.db import main_models

config = context.config
connection = config.attributes['connection']
context.configure(connection=connection,
                  target_metadata=main_models.metadata,
                  render_as_batch=connection.dialect.name == 'sqlite')
with context.begin_transaction():
    context.run_migrations()
