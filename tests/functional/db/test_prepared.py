"""db.prepared on every backend: what the driver gets and gives back is what
``Connection.execute`` would have sent and returned, in the same
transaction, with the same error translation."""

import datetime

from oslo_db import exception as db_exc
import pytest
import sqlalchemy as sa

from nova_core import context as nc_context
from nova_core.db import engine as db_engine
from nova_core.db import prepared
from tests import backends

_NOW = datetime.datetime(2026, 11, 22, 3, 4, 5, 678901)

metadata = sa.MetaData()
things = sa.Table(
    'prepared_things', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('uuid', sa.String(36), nullable=False, unique=True),
    sa.Column('generation', sa.Integer, nullable=False),
    sa.Column('ratio', sa.Float, nullable=False, default=1.5),
    sa.Column('created_at', sa.DateTime, default=lambda: _NOW),
    sa.Column('updated_at', sa.DateTime, onupdate=lambda: _NOW),
    mysql_engine='InnoDB')
counter = sa.Table(
    'prepared_counter', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=False),
    sa.Column('version', sa.BigInteger, nullable=False),
    mysql_engine='InnoDB')

_INSERT = prepared.Prepared(things.insert())
_BY_UUIDS = prepared.Prepared(sa.select(
    things.c.id, things.c.uuid, things.c.generation, things.c.ratio,
    things.c.created_at, things.c.updated_at,
).where(things.c.uuid.in_(sa.bindparam('uuids', expanding=True)))
    .order_by(things.c.id))
_BUMP = prepared.Prepared(things.update().where(
    things.c.id == sa.bindparam('b_id'),
    things.c.generation == sa.bindparam('b_generation')).values(
        generation=sa.bindparam('b_new')))
_COUNT = prepared.Prepared(counter.update().where(counter.c.id == 1).values(
    version=counter.c.version + 1))
_VERSION = prepared.Prepared(
    sa.select(counter.c.version).where(counter.c.id == 1))
# Two columns of the same key.
_PAIR = prepared.Prepared(sa.select(
    things.c.uuid, counter.c.id, things.c.id).where(
        things.c.uuid == sa.bindparam('uuid'), counter.c.id == 1))


@pytest.fixture
def database(backend, tmp_path):
    made = backends.Database(backend, str(tmp_path))
    database = db_engine.Database.for_url(made.url)
    metadata.create_all(database.engine)
    with database.writer(_ctx()) as conn:
        conn.execute(counter.insert(), {'id': 1, 'version': 7})
    yield database
    database.dispose()
    made.drop()


def _ctx():
    return nc_context.get_admin_context()


def _stored(backend):
    # MySQL's DATETIME keeps no fraction of a second.
    return _NOW.replace(microsecond=0) if backend == 'mysql' else _NOW


def test_rows_defaults_and_expanding_lists(database, backend):
    with database.writer(_ctx()) as conn:
        first = _INSERT.insert(conn, {'uuid': 'a', 'generation': 1})
        second = _INSERT.insert(conn, {'uuid': 'b', 'generation': 2,
                                       'ratio': 16.0})
        _INSERT.run_many(conn, [{'uuid': 'c', 'generation': 3},
                                {'uuid': 'd', 'generation': 4}])
    assert second != first
    with database.reader(_ctx()) as conn:
        # What SQLAlchemy reads of what the driver wrote.
        written = conn.execute(sa.select(things).order_by(things.c.id)).all()
        rows = _BY_UUIDS.all(conn, {'uuids': ['a', 'b', 'd']})
        one = _BY_UUIDS.first(conn, {'uuids': ['c']})
        none = _BY_UUIDS.first(conn, {'uuids': ['nobody']})
        empty = _BY_UUIDS.all(conn, {'uuids': []})
    now = _stored(backend)
    assert [(r.uuid, r.generation, r.ratio, r.created_at, r.updated_at)
            for r in written] == [
        ('a', 1, 1.5, now, None), ('b', 2, 16.0, now, None),
        ('c', 3, 1.5, now, None), ('d', 4, 1.5, now, None)]
    assert [tuple(row) for row in rows] == [
        tuple(row) for row in written if row.uuid in 'abd']
    assert (rows[0].id, rows[0].uuid, rows[1].id) == (first, 'a', second)
    assert isinstance(rows[0].created_at, datetime.datetime)
    assert one.uuid == 'c' and none is None and empty == []


def test_updates_count_rows_and_carry_their_own_values(database, backend):
    with database.writer(_ctx()) as conn:
        thing = _INSERT.insert(conn, {'uuid': 'a', 'generation': 1})
        assert _BUMP.run(conn, {'b_id': thing, 'b_generation': 1,
                                'b_new': 2}) == 1
        # A swap from a stale generation matches nothing.
        assert _BUMP.run(conn, {'b_id': thing, 'b_generation': 1,
                                'b_new': 2}) == 0
        assert _COUNT.run(conn) == 1
        assert _VERSION.scalar(conn) == 8
        pair = _PAIR.first(conn, {'uuid': 'a'})
    assert tuple(pair) == ('a', 1, thing)
    assert pair.uuid == 'a'
    with database.reader(_ctx()) as conn:
        row = conn.execute(sa.select(things)).one()
    assert (row.generation, row.updated_at) == (2, _stored(backend))


def test_one_transaction_with_conn_execute(database):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with database.writer(_ctx()) as conn:
            _INSERT.insert(conn, {'uuid': 'a', 'generation': 1})
            conn.execute(counter.update().values(version=100))
            assert _VERSION.scalar(conn) == 100
            raise Boom()
    with database.reader(_ctx()) as conn:
        assert _BY_UUIDS.all(conn, {'uuids': ['a']}) == []
        assert _VERSION.scalar(conn) == 7


def test_driver_errors_are_translated_as_for_conn_execute(database):
    with database.writer(_ctx()) as conn:
        _INSERT.insert(conn, {'uuid': 'a', 'generation': 1})
    with pytest.raises(db_exc.DBDuplicateEntry):
        with database.writer(_ctx()) as conn:
            _INSERT.insert(conn, {'uuid': 'a', 'generation': 2})
    # The failed transaction left nothing behind and the pool works on.
    with database.writer(_ctx()) as conn:
        _INSERT.run_many(conn, [{'uuid': 'b', 'generation': 1}])
    with database.reader(_ctx()) as conn:
        assert [r.uuid for r in _BY_UUIDS.all(
            conn, {'uuids': ['a', 'b']})] == ['a', 'b']


def test_misuse_is_refused_before_anything_runs(database):
    with database.writer(_ctx()) as conn:
        _INSERT.insert(conn, {'uuid': 'a', 'generation': 1})
    with database.writer(_ctx()) as conn:
        with pytest.raises(TypeError):
            _BUMP.all(conn, {'b_id': 1, 'b_generation': 1, 'b_new': 2})
        assert _BY_UUIDS.first(conn, {'uuids': ['a']}).generation == 1


def test_values_are_stored_as_conn_execute_stores_them(database):
    # A whole second: SQLite's driver alone would drop the fraction that
    # SQLAlchemy writes, and the two would no longer compare as text.
    whole = datetime.datetime(2026, 11, 22, 3, 4, 5)
    with database.writer(_ctx()) as conn:
        _INSERT.insert(conn, {'uuid': 'a', 'generation': 1,
                              'created_at': whole})
        conn.execute(things.insert(), {'uuid': 'b', 'generation': 1,
                                       'created_at': whole})
    with database.reader(_ctx()) as conn:
        stored = conn.exec_driver_sql(
            'SELECT created_at FROM prepared_things ORDER BY id').all()
    assert stored[0] == stored[1]


def test_a_dialect_s_plans_go_with_it(database):
    # Plans are found by id(dialect). Once a dialect (here MySQL's, of
    # 'format' parameters) is collected, a later one may get its id, and
    # must not be given its SQL: SQLite would read '%s'.
    import gc

    from sqlalchemy.dialects.mysql import pymysql

    statement = prepared.Prepared(counter.update().where(
        counter.c.id == sa.bindparam('c_id')).values(version=5))
    gone = pymysql.dialect()
    ident = id(gone)
    assert '= %s' in statement._plan(gone, {'c_id': 1}, False).sql
    del gone
    gc.collect()
    assert not [key for key in statement._plans if key[0] == ident]
    assert ident not in statement._watched
    with database.writer(_ctx()) as conn:
        assert statement.run(conn, {'c_id': 1}) == 1
    with database.reader(_ctx()) as conn:
        assert _VERSION.scalar(conn) == 5
