"""The embedded default's engine: pooled SQLite connections that keep
oslo.db's settings, WAL, and writers that wait instead of failing."""

import sqlite3

import sqlalchemy as sa

from nova_core import context as nc_context
from nova_core.db import engine as db_engine
from nova_core.placement.db import api as db_api
from tests import placement_fixtures


def test_sqlite_file_connections_are_pooled_with_oslo_db_settings(tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'p.sqlite')
    placement_fixtures.migrate(url)
    database = db_api.PlacementDatabase(placement_fixtures.make_conf(url))
    try:
        engine = database.engine
        assert isinstance(engine.pool, sa.pool.QueuePool)
        assert engine.url.query['check_same_thread'] == 'false'
        assert float(engine.url.query['timeout']) >= 30
        with engine.connect() as conn:
            # oslo.db's connect listener survived the pool swap...
            assert conn.exec_driver_sql('PRAGMA foreign_keys').scalar() == 1
            # ...and the file is in WAL mode, set once at start.
            assert conn.exec_driver_sql(
                'PRAGMA journal_mode').scalar() == 'wal'
            first = conn.connection.dbapi_connection
        with engine.connect() as conn:
            assert conn.connection.dbapi_connection is first
    finally:
        database.dispose()


def test_an_operator_timeout_is_kept(tmp_path):
    url = 'sqlite:///%s?timeout=5' % (tmp_path / 'p.sqlite')
    assert '&timeout=60' not in db_api._with_sqlite_timeout(url)
    assert 'timeout=5' in db_api._with_sqlite_timeout(url)


def _locked_for_writers(path):
    """True if another connection cannot take the write lock right now."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute('BEGIN IMMEDIATE')
    except sqlite3.OperationalError as exc:
        assert 'locked' in str(exc)
        return True
    finally:
        other.close()
    return False


def test_writers_take_the_write_lock_at_begin_readers_do_not(tmp_path):
    path = str(tmp_path / 'e.sqlite')
    database = db_engine.Database(url='sqlite:///%s' % path)
    ctx = nc_context.get_admin_context()
    try:
        # BEGIN is sent straight to the driver, once per transaction.
        assert not any(getattr(fn, '__name__', None) == '_sqlite_emit_begin'
                       and fn.__module__.startswith('oslo_db')
                       for fn in database.engine.dispatch.begin)
        with database.writer(ctx) as conn:
            assert _locked_for_writers(path)
            with database.writer(ctx) as joined:
                assert joined is conn
            conn.exec_driver_sql('CREATE TABLE t (id INTEGER)')
        assert not _locked_for_writers(path)
        with database.reader(ctx) as conn:
            conn.exec_driver_sql('SELECT 1').scalar()
            assert not _locked_for_writers(path)
        # A failed writer leaves no transaction open behind it.
        try:
            with database.writer(ctx) as conn:
                conn.exec_driver_sql('INSERT INTO t VALUES (1)')
                raise KeyError('boom')
        except KeyError:
            pass
        assert not _locked_for_writers(path)
        with database.writer(ctx) as conn:
            conn.exec_driver_sql('INSERT INTO t VALUES (2)')
        with database.reader(ctx) as conn:
            assert conn.exec_driver_sql(
                'SELECT id FROM t').scalars().all() == [2]
    finally:
        database.dispose()
