"""Alembic environment: always run online, on the connection we are given."""

from alembic import context

from nova_core.placement.db import models

config = context.config
connection = config.attributes['connection']
context.configure(connection=connection, target_metadata=models.metadata,
                  render_as_batch=connection.dialect.name == 'sqlite')
with context.begin_transaction():
    context.run_migrations()
