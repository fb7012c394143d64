"""Creating and upgrading the API and cell schemas (alembic), safely in parallel.

``which`` names the schema: ``'api'`` (the API database) or ``'main'`` (a
cell database, cell0 included). Several services may start at once against
one database; :func:`exclusive` serialises them with a lock the database
provides (an advisory lock on MySQL and PostgreSQL, a lock file beside a
SQLite file), so that exactly one of them migrates.
"""

import contextlib
import fcntl
import os
import zlib

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
import sqlalchemy as sa

from nova_core import exception

SCHEMAS = ('api', 'main')
SYNC_COMMANDS = {'api': 'nova-core-manage api_db sync',
                 'main': 'nova-core-manage db sync'}
_MIGRATIONS = os.path.join(os.path.dirname(__file__), 'migrations')
# How long a process waits for another one's migration (s).
_LOCK_TIMEOUT = 300


def _alembic_config(which, connection=None):
    if which not in SCHEMAS:
        raise ValueError('no schema %r (one of %s)' % (which, SCHEMAS))
    cfg = alembic_config.Config()
    cfg.set_main_option('script_location', os.path.join(_MIGRATIONS, which))
    cfg.attributes['connection'] = connection
    return cfg


def head_revision(which):
    """The newest revision of schema *which* this code knows."""
    return alembic_script.ScriptDirectory.from_config(
        _alembic_config(which)).get_current_head()


def current_revision(connection):
    """The revision the database is at, or None when it has no schema."""
    return alembic_migration.MigrationContext.configure(
        connection).get_current_revision()


def upgrade(connection, which, revision='head'):
    """Upgrade schema *which* on *connection* to *revision*."""
    command.upgrade(_alembic_config(which, connection), revision)


def sync(database, which):
    """Create or upgrade *database* (an ``engine.Database``) to the head of
    *which*, under the schema lock; returns the revision reached."""
    with exclusive(database.engine, which) as conn:
        database.use_wal(conn)
        upgrade(conn, which)
        conn.commit()
        return current_revision(conn)


def version(database):
    """The revision *database* is at, or None when it has no schema."""
    with database.engine.connect() as conn:
        return current_revision(conn)


def check_schema(database, which):
    """Raise DatabaseNotReady unless *database* is at the head of *which*."""
    found = version(database)
    need = head_revision(which)
    if found != need:
        raise exception.DatabaseNotReady(
            url=database.engine.url.render_as_string(hide_password=True),
            found=found or 'empty', need=need, command=SYNC_COMMANDS[which])


def _lock_name(which):
    return 'nova_core_%s_schema' % which


@contextlib.contextmanager
def exclusive(engine, which):
    """Hold the schema lock of *which*; yields a connection that holds it."""
    name = _lock_name(which)
    with schema_lock(engine, name, zlib.crc32(name.encode())) as conn:
        yield conn


@contextlib.contextmanager
def schema_lock(engine, name, pg_key):
    """Hold the lock *name* the database provides; yields its connection.

    ``GET_LOCK(name)`` on MySQL, ``pg_advisory_lock(pg_key)`` on
    PostgreSQL, an ``flock``ed file beside a SQLite file. Every schema of
    nova_core (placement's too) migrates under one of these.
    """
    with engine.connect() as conn:
        dialect = engine.dialect.name
        if dialect == 'mysql':
            got = conn.execute(sa.text('SELECT GET_LOCK(:n, :t)'),
                               {'n': name, 't': _LOCK_TIMEOUT}).scalar()
            if got != 1:
                raise RuntimeError('timed out waiting for the schema lock')
            try:
                yield conn
            finally:
                conn.execute(sa.text('SELECT RELEASE_LOCK(:n)'), {'n': name})
        elif dialect == 'postgresql':
            conn.execute(sa.text('SELECT pg_advisory_lock(:k)'),
                         {'k': pg_key})
            conn.commit()
            try:
                yield conn
            finally:
                conn.rollback()
                conn.execute(sa.text('SELECT pg_advisory_unlock(:k)'),
                             {'k': pg_key})
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
