"""Creating and upgrading the placement schema (alembic), safely in parallel.

Several API processes may start at once against one database, each with
``sync_on_startup``; :func:`exclusive` serialises them with a lock the
database itself provides (an advisory lock on MySQL and PostgreSQL, a lock
file beside a SQLite file), so that exactly one of them migrates.
"""

import contextlib
import fcntl
import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
import sqlalchemy as sa

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
    """Hold the schema lock; yields a connection that holds it."""
    with engine.connect() as conn:
        dialect = engine.dialect.name
        if dialect == 'mysql':
            got = conn.execute(sa.text('SELECT GET_LOCK(:n, 300)'),
                               {'n': _LOCK_NAME}).scalar()
            if got != 1:
                raise RuntimeError('timed out waiting for the schema lock')
            try:
                yield conn
            finally:
                conn.execute(sa.text('SELECT RELEASE_LOCK(:n)'),
                             {'n': _LOCK_NAME})
        elif dialect == 'postgresql':
            conn.execute(sa.text('SELECT pg_advisory_lock(:k)'),
                         {'k': _PG_LOCK_KEY})
            conn.commit()
            try:
                yield conn
            finally:
                conn.rollback()
                conn.execute(sa.text('SELECT pg_advisory_unlock(:k)'),
                             {'k': _PG_LOCK_KEY})
                conn.commit()
        else:
            with _file_lock(engine.url.database):
                yield conn


@contextlib.contextmanager
def _file_lock(database):
    if not database or database == ':memory:':
        yield
        return
    with open(database + '.lock', 'a') as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
