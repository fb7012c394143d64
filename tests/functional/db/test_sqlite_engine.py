"""The embedded default's engine: pooled SQLite connections that keep
oslo.db's settings, WAL, and writers that wait instead of failing."""

import sqlalchemy as sa

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
