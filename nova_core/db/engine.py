"""A database handle on oslo.db's enginefacade: engine, transactions, locks.

One :class:`Database` per database a process talks to (placement's, the API
database, each cell's), never a module global. ``reader(ctx)`` and
``writer(ctx)`` yield a SQLAlchemy Core ``Connection``; a nested call with the
same context joins the outer transaction (a call on another database opens
its own). On SQLite a writer begins with ``BEGIN IMMEDIATE`` so that writers
queue instead of failing on lock upgrade; files use WAL and a busy timeout.
"""

import contextlib
import os
import threading

from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

from nova_core.conf import paths

# How deep the writers of the current transaction are nested.
_DEPTH = 'nova_core.db.writer_depth'

# How long a SQLite writer waits for another process's write lock (s).
_SQLITE_BUSY_TIMEOUT = 60
# Pooled connections to a SQLite file: about one per server thread.
_SQLITE_POOL_SIZE = 16
_SQLITE_POOL_OVERFLOW = 64

# enginefacade settings read from an oslo.db-style option group.
_GROUP_SETTINGS = ('slave_connection', 'connection_parameters',
                   'sqlite_synchronous', 'mysql_sql_mode',
                   'connection_recycle_time', 'max_pool_size',
                   'max_overflow', 'pool_timeout', 'max_retries',
                   'retry_interval', 'connection_debug', 'connection_trace')


def with_suffix(connection, suffix):
    """*connection* naming a sibling database: *suffix* appended to the
    database name (``nova`` -> ``nova_cell0``; for a SQLite file, to the
    file name before its extension)."""
    url = sa.engine.make_url(connection)
    if url.get_backend_name() == 'sqlite':
        root, ext = os.path.splitext(url.database or 'nova')
        name = root + suffix + (ext or '.sqlite')
    else:
        name = (url.database or 'nova') + suffix
    return url.set(database=name).render_as_string(hide_password=False)


def sqlite_file(engine):
    """True for an engine on a SQLite file (not in memory): what other
    processes may open too, and what a connection pool may serve."""
    return engine.dialect.name == 'sqlite' and engine.url.database not in (
        None, '', ':memory:')


def with_sqlite_timeout(url):
    """*url*, with pysqlite's busy timeout set unless the operator set one.

    A connect argument rather than a PRAGMA run by a 'connect' listener:
    opening a connection stays cheap.
    """
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != 'sqlite':
        return url
    extra = {'timeout': str(_SQLITE_BUSY_TIMEOUT),
             # Pooled connections move between a server's threads (one
             # thread at a time): see Database._on_engine_create.
             'check_same_thread': 'false'}
    extra.update(parsed.query)
    return parsed.update_query_dict(extra).render_as_string(
        hide_password=False)


def sqlite_url(conf, file_name):
    """The embedded default: a SQLite file under ``[DEFAULT] state_path``."""
    return 'sqlite:///%s' % paths.state_path_def(conf, file_name)


class Database:
    """Engine and transaction factory for one database.

    *conf_group* is an oslo.db-style option group (``conf.database``,
    ``conf.api_database``, ``conf.placement_database``) or None for
    enginefacade's defaults; *url* overrides its ``connection``.
    *embedded* says the URL is the embedded default (the service may create
    its schema on its own).
    """

    def __init__(self, conf_group=None, url=None, embedded=False,
                 max_retries=None):
        url = url or (conf_group.connection if conf_group else None)
        if not url:
            raise ValueError('a Database needs a URL or a connection option')
        self.embedded = embedded
        self.url = with_sqlite_timeout(url)
        self._local = threading.local()
        settings = {}
        if conf_group is not None:
            settings = {name: getattr(conf_group, name)
                        for name in _GROUP_SETTINGS}
        if max_retries is not None:
            settings['max_retries'] = max_retries
            if max_retries == 1:
                # oslo.db sleeps retry_interval after every failed
                # attempt, the last one included.
                settings['retry_interval'] = 0
        self._tcm = enginefacade.transaction_context()
        # thread_checkin: oslo.db's sleep(0) after every connection
        # check-in lets eventlet's green threads take turns; ours are OS
        # threads (the GIL switches them), and the sleep cost a system
        # call per transaction.
        self._tcm.configure(connection=self.url, sqlite_fk=True,
                            thread_checkin=False, **settings)
        self._tcm.append_on_engine_create(self._on_engine_create)
        # Per-database caches of the layers above; a value with a close()
        # method is closed by dispose().
        self.cache = {}

    @classmethod
    def for_url(cls, url, conf_group=None, max_retries=None):
        """A Database on *url* with the pool settings of *conf_group*;
        *max_retries* overrides its connection attempts at first use."""
        return cls(conf_group, url=url, max_retries=max_retries)

    @classmethod
    def from_conf(cls, conf, group_name, default_file):
        """The database of ``[group_name] connection``, or the embedded
        default (SQLite *default_file* under ``state_path``) when unset."""
        group = getattr(conf, group_name)
        if group.connection:
            return cls(group)
        return cls(group, url=sqlite_url(conf, default_file), embedded=True)

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
        # read lock cannot be upgraded. oslo.db emits a plain BEGIN itself
        # (its 'begin' listener, through a whole SQLAlchemy execution, on
        # every transaction); ours replaces it and sends the BEGIN it
        # wants straight to the driver. If oslo.db's listener is not found
        # under its name, it stays, and ours rewrites its statement.
        theirs = [fn for fn in engine.dispatch.begin
                  if getattr(fn, '__name__', None) == '_sqlite_emit_begin']
        if theirs:
            for fn in theirs:
                sa.event.remove(engine, 'begin', fn)
            sa.event.listen(engine, 'begin', self._sqlite_emit_begin)
        else:
            sa.event.listen(engine, 'before_cursor_execute',
                            self._sqlite_begin, retval=True)
        old = engine.pool
        if isinstance(old, sa.pool.NullPool) and sqlite_file(engine):
            # oslo.db opens a new SQLite connection per transaction; that
            # was the most expensive part of a small request. Connections
            # of a file database are pooled instead (pysqlite allows it with
            # check_same_thread off, see with_sqlite_timeout), keeping the
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
        if sqlite_file(self.engine):
            # Outside any transaction: straight to the driver's connection.
            conn.connection.dbapi_connection.execute(
                'PRAGMA journal_mode = WAL')

    def _sqlite_emit_begin(self, conn):
        # oslo.db's marker, which its 'commit' / 'rollback' listeners pop.
        if 'in_transaction' in conn.info:
            return
        statement = ('BEGIN IMMEDIATE' if getattr(
            self._local, 'begin_immediate', False) else 'BEGIN')
        try:
            conn.connection.dbapi_connection.execute(statement)
        except Exception as exc:  # the driver's, translated (raises)
            conn._handle_dbapi_exception(exc, statement, (), None, None)
        conn.info['in_transaction'] = True

    def _sqlite_begin(self, conn, cursor, statement, parameters, context,
                      executemany):
        if statement == 'BEGIN' and getattr(
                self._local, 'begin_immediate', False):
            statement = 'BEGIN IMMEDIATE'
        return statement, parameters

    # -- transactions -----------------------------------------------------------

    def _outer_begin(self, conn):
        """Called when the outermost writer of a transaction starts."""

    def _outer_commit(self, conn):
        """Called as the last statement of the outermost writer's
        transaction, when it ends without error."""

    def _outer_end(self, conn):
        """Called when the outermost writer ends, committed or not."""

    @contextlib.contextmanager
    def writer(self, ctx):
        """A read-write transaction (joined if *ctx* is already in one)."""
        self._local.begin_immediate = True
        try:
            with self._tcm.writer.connection.using(ctx) as conn:
                self._local.begin_immediate = False
                depth = conn.info.get(_DEPTH, 0)
                if depth == 0:
                    self._outer_begin(conn)
                conn.info[_DEPTH] = depth + 1
                try:
                    yield conn
                    if depth == 0:
                        self._outer_commit(conn)
                finally:
                    conn.info[_DEPTH] = depth
                    if depth == 0:
                        self._outer_end(conn)
        finally:
            self._local.begin_immediate = False

    def reader(self, ctx):
        """A read-only transaction (joined if *ctx* is already in one)."""
        return self._tcm.reader.connection.using(ctx)

    def dispose(self):
        for value in list(self.cache.values()):
            close = getattr(value, 'close', None)
            if close is not None:
                close()
        self._tcm.dispose_pool()


def masked_url(url):
    """*url* with its password hidden (a database or transport URL)."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def url_problem(url):
    """Why *url* is no usable SQLAlchemy URL, or None."""
    try:
        sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        return str(exc)
    return None
