"""The placement database handle: engine, transactions, schema readiness.

One :class:`PlacementDatabase` per placement app, never a module global, so
that several apps (tests, an all-in-one) can live in one process. Request
contexts carry it as ``ctx.db``; the objects layer opens transactions with
:func:`reader` and :func:`writer`.
"""

import contextlib
import logging
import threading

from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

from nova_core.conf import paths
from nova_core import exception
from nova_core.placement.db import base
from nova_core.placement.db import change
from nova_core.placement.db import migration

LOG = logging.getLogger(__name__)

SYNC_COMMAND = 'nova-core-manage placement db sync'

# How deep the writers of the current transaction are nested.
_DEPTH = 'nova_core.placement.writer_depth'

# How long a SQLite writer waits for another process's write lock (s).
_SQLITE_BUSY_TIMEOUT = 60
# Pooled connections to a SQLite file: about one per server thread.
_SQLITE_POOL_SIZE = 16
_SQLITE_POOL_OVERFLOW = 64


def _with_sqlite_timeout(url):
    """*url*, with pysqlite's busy timeout set unless the operator set one.

    A connect argument rather than a PRAGMA run by a 'connect' listener:
    opening a connection stays cheap.
    """
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != 'sqlite':
        return url
    extra = {'timeout': str(_SQLITE_BUSY_TIMEOUT),
             # Pooled connections move between the server's threads (one
             # thread at a time): see PlacementDatabase._on_engine_create.
             'check_same_thread': 'false'}
    extra.update(parsed.query)
    return parsed.update_query_dict(extra).render_as_string(
        hide_password=False)


class PlacementDatabase:
    """Engine and transaction factory for one placement database."""

    def __init__(self, conf):
        group = conf.placement_database
        self.embedded = not group.connection
        self.url = _with_sqlite_timeout(
            group.connection or 'sqlite:///%s' % paths.state_path_def(
                conf, 'placement.sqlite'))
        self._local = threading.local()
        self._tcm = enginefacade.transaction_context()
        self._tcm.configure(
            connection=self.url,
            slave_connection=group.slave_connection,
            connection_parameters=group.connection_parameters,
            sqlite_fk=True,
            sqlite_synchronous=group.sqlite_synchronous,
            mysql_sql_mode=group.mysql_sql_mode,
            connection_recycle_time=group.connection_recycle_time,
            max_pool_size=group.max_pool_size,
            max_overflow=group.max_overflow,
            pool_timeout=group.pool_timeout,
            max_retries=group.max_retries,
            retry_interval=group.retry_interval,
            connection_debug=group.connection_debug,
            connection_trace=group.connection_trace,
        )
        self._tcm.append_on_engine_create(self._on_engine_create)
        # Per-database caches of the objects layer (e.g. the standard
        # resource classes); the objects modules own what goes in. A value
        # with a close() method is closed by dispose().
        self.cache = {}

    # -- engine ---------------------------------------------------------------

    @property
    def engine(self):
        return self._tcm.writer.get_engine()

    @property
    def dialect(self):
        return self.engine.dialect.name

    def _on_engine_create(self, engine):
        if engine.dialect.name != 'sqlite':
            return
        # A writer transaction on SQLite takes the write lock at BEGIN, so
        # that two writers wait for each other instead of failing when a
        # read lock cannot be upgraded. oslo.db emits that BEGIN itself (its
        # 'begin' listener); SQLAlchemy ignores insert=True for connection
        # events, so ours cannot run first: the statement is rewritten.
        sa.event.listen(engine, 'before_cursor_execute', self._sqlite_begin,
                        retval=True)
        old = engine.pool
        if isinstance(old, sa.pool.NullPool) and base.sqlite_file(engine):
            # oslo.db opens a new SQLite connection per transaction; that
            # was the most expensive part of a small request. Connections
            # of a file database are pooled instead (pysqlite allows it with
            # check_same_thread off, see _with_sqlite_timeout), keeping the
            # pool's listeners (oslo.db's and ours) as recreate() does.
            engine.pool = sa.pool.QueuePool(
                old._creator, pool_size=_SQLITE_POOL_SIZE,
                max_overflow=_SQLITE_POOL_OVERFLOW, recycle=old._recycle,
                reset_on_return=old._reset_on_return, _dispatch=old.dispatch,
                dialect=old._dialect)

    def use_wal(self, conn):
        """Put a SQLite file in WAL mode (once: the mode stays in the file).

        WAL lets readers run while one writer writes, in any process.
        """
        if base.sqlite_file(self.engine):
            # Outside any transaction: straight to the driver's connection.
            conn.connection.dbapi_connection.execute(
                'PRAGMA journal_mode = WAL')

    def _sqlite_begin(self, conn, cursor, statement, parameters, context,
                      executemany):
        if statement == 'BEGIN' and getattr(
                self._local, 'begin_immediate', False):
            statement = 'BEGIN IMMEDIATE'
        return statement, parameters

    # -- transactions -----------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, ctx):
        """A read-write transaction (joined if *ctx* is already in one).

        When the outermost writer of a transaction ends without error, the
        providers it touched are written to the change log, as the last
        statement before commit (see ``db/change.py``).
        """
        self._local.begin_immediate = True
        try:
            with self._tcm.writer.connection.using(ctx) as conn:
                self._local.begin_immediate = False
                depth = conn.info.get(_DEPTH, 0)
                if depth == 0:
                    change.discard(conn)
                conn.info[_DEPTH] = depth + 1
                try:
                    yield conn
                    if depth == 0:
                        change.flush(conn)
                finally:
                    conn.info[_DEPTH] = depth
                    if depth == 0:
                        change.discard(conn)
        finally:
            self._local.begin_immediate = False

    def reader(self, ctx):
        """A read-only transaction (joined if *ctx* is already in one)."""
        return self._tcm.reader.connection.using(ctx)

    # -- schema ---------------------------------------------------------------

    @contextlib.contextmanager
    def exclusive(self):
        """A connection holding the schema lock (see ``migration``)."""
        with migration.exclusive(self.engine) as conn:
            yield conn

    def check_schema(self, conn):
        """Raise DatabaseNotReady unless the schema is at the head revision."""
        found = migration.current_revision(conn)
        need = migration.head_revision()
        if found != need:
            raise exception.DatabaseNotReady(
                url=self.engine.url.render_as_string(hide_password=True),
                found=found or 'empty', need=need, command=SYNC_COMMAND)

    def dispose(self):
        for value in list(self.cache.values()):
            close = getattr(value, 'close', None)
            if close is not None:
                close()
        self._tcm.dispose_pool()


def writer(ctx):
    """``with writer(ctx) as conn``: a write transaction on ``ctx.db``."""
    return ctx.db.writer(ctx)


def reader(ctx):
    """``with reader(ctx) as conn``: a read transaction on ``ctx.db``."""
    return ctx.db.reader(ctx)
