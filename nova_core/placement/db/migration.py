"""Creating and upgrading the placement schema (alembic), safely in parallel.

Several API processes may start at once against one database, each with
``sync_on_startup``; :func:`exclusive` serialises them with a lock the
database itself provides (an advisory lock on MySQL and PostgreSQL, a lock
file beside a SQLite file), so that exactly one of them migrates.
"""

import contextlib
import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script

from nova_core.db import migration as db_migration

_LOCK_NAME = 'nova_core_placement_schema'
# Any constant works for pg_advisory_lock; this one spells "placement".
_PG_LOCK_KEY = 0x706c6163656d6e74
_SCRIPT_LOCATION = os.path.join(os.path.dirname(__file__), 'migrations')


def _alembic_config(connection=None):
    cfg = alembic_config.Config()
    cfg.set_main_option('script_location', _SCRIPT_LOCATION)
    cfg.attributes['connection'] = connection
    return cfg


def head_revision():
    """The newest revision this code knows."""
    return alembic_script.ScriptDirectory.from_config(
        _alembic_config()).get_current_head()


def current_revision(connection):
    """The revision the database is at, or None when it has no schema."""
    return alembic_migration.MigrationContext.configure(
        connection).get_current_revision()


def upgrade(connection, revision='head'):
    """Upgrade the schema on *connection* to *revision*."""
    command.upgrade(_alembic_config(connection), revision)


@contextlib.contextmanager
def exclusive(engine):
    """Hold the placement schema lock; yields a connection that holds it."""
    with db_migration.schema_lock(engine, _LOCK_NAME, _PG_LOCK_KEY) as conn:
        yield conn
