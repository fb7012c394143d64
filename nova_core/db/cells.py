"""Cells v2 plumbing: the database registry, targeting a cell, scatter-gather.

A service that works with cells holds one :class:`CellDatabases` (its
``ctx.db``): the API database plus one ``Database`` per cell database URL,
made on first use. :func:`target_cell` gives a context copy bound to a
cell's database and message queue; :func:`scatter_gather_cells` runs a
function in every cell at once, each in its own thread, and never waits
longer than the timeout: a cell that is down or hangs yields a marker.
"""

import contextlib
import logging
import queue
import threading
import time

from nova_core.conf import database as database_conf
from nova_core.db import cell_mapping
from nova_core.db import engine as db_engine

LOG = logging.getLogger(__name__)

CELL0_UUID = cell_mapping.CELL0_UUID
CELL0_FILE = 'cell0.sqlite'


class _DidNotRespond:
    def __repr__(self):
        return 'DID_NOT_RESPOND'


# The result of a cell that did not answer within the timeout.
DID_NOT_RESPOND = _DidNotRespond()


def is_failure(result):
    """True for a scatter-gather result that is no answer (a timeout or an
    exception the cell raised)."""
    return result is DID_NOT_RESPOND or isinstance(result, BaseException)


def cell0_url(conf):
    """The default cell0 URL: beside ``[database] connection`` with a
    ``_cell0`` suffix, or ``cell0.sqlite`` under state_path when unset."""
    connection = conf.database.connection
    if not connection:
        return db_engine.sqlite_url(conf, CELL0_FILE)
    return db_engine.with_suffix(connection, '_cell0')


class CellDatabases:
    """The API database and the cell databases of one process."""

    def __init__(self, conf):
        self.conf = conf
        self._lock = threading.Lock()
        self._api = None
        self._local = None
        self._by_url = {}

    @property
    def api(self):
        """The API database (``[api_database]``, or the embedded file)."""
        with self._lock:
            if self._api is None:
                self._api = db_engine.Database.from_conf(
                    self.conf, 'api_database', database_conf.DEFAULT_API_FILE)
            return self._api

    @property
    def local(self):
        """This service's own cell database (``[database]``)."""
        with self._lock:
            if self._local is None:
                self._local = db_engine.Database.from_conf(
                    self.conf, 'database', database_conf.DEFAULT_CELL_FILE)
                self._by_url.setdefault(self._local.url, self._local)
            return self._local

    def for_url(self, url):
        """The Database on *url*, one per URL in this process."""
        key = db_engine.with_sqlite_timeout(url)
        with self._lock:
            database = self._by_url.get(key)
            if database is None:
                # One connection attempt at first use, not the start-up
                # retries of [database] (10 x 10 s by default): a cell
                # that is down must cost a scatter-gather its timeout, not
                # hold an engine start (and dispose()) for minutes. The
                # next use tries again.
                database = self._by_url[key] = db_engine.Database.for_url(
                    url, self.conf.database, max_retries=1)
            return database

    def cell_database(self, mapping):
        """The Database of the cell of *mapping* (a cell mapping dict)."""
        return self.for_url(mapping['database_connection'])

    def dispose(self):
        with self._lock:
            databases = set(self._by_url.values()) | {self._api, self._local}
            self._by_url.clear()
            self._api = self._local = None
        for database in databases - {None}:
            database.dispose()


@contextlib.contextmanager
def target_cell(ctx, mapping, cells=None):
    """A copy of *ctx* bound to the cell of *mapping*.

    It carries ``cell_uuid``, ``db_connection`` (the cell's Database, with
    reader/writer) and ``mq_connection`` (the cell's transport URL).
    *cells* defaults to ``ctx.db`` (the service's CellDatabases).
    """
    cells = cells if cells is not None else ctx.db
    cctx = ctx.copy()
    cctx.cell_uuid = mapping['uuid']
    cctx.db_connection = cells.cell_database(mapping)
    cctx.mq_connection = mapping['transport_url']
    yield cctx


def scatter_gather_cells(ctx, cell_mappings, timeout, fn, *args,
                         cells=None, **kwargs):
    """``fn(cell_ctx, *args, **kwargs)`` in every cell at once.

    Returns ``{cell_uuid: result}``, where a result is what *fn* returned,
    the exception it raised, or DID_NOT_RESPOND if it did not finish
    within *timeout* seconds. Threads are daemons: a hung database never
    keeps the caller, nor the process at exit.
    """
    answers = queue.Queue()

    def run(mapping):
        try:
            with target_cell(ctx, mapping, cells=cells) as cctx:
                result = fn(cctx, *args, **kwargs)
        except Exception as exc:  # the caller gets it as the cell's result
            LOG.warning('Cell %s failed: %s', mapping['uuid'], exc)
            result = exc
        answers.put((mapping['uuid'], result))

    results = {mapping['uuid']: DID_NOT_RESPOND for mapping in cell_mappings}
    for mapping in cell_mappings:
        threading.Thread(target=run, args=(mapping,), daemon=True,
                         name='cell-%s' % mapping['uuid'][:8]).start()
    deadline = time.monotonic() + timeout
    for _ in cell_mappings:
        try:
            uuid, result = answers.get(
                timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        results[uuid] = result
    for uuid, result in results.items():
        if result is DID_NOT_RESPOND:
            LOG.warning('Cell %s did not respond within %ss', uuid, timeout)
    return results


def scatter_gather_all_cells(ctx, timeout, fn, *args, cells=None,
                             include_cell0=True, **kwargs):
    """:func:`scatter_gather_cells` over every mapped cell."""
    cells = cells if cells is not None else ctx.db
    with cells.api.reader(ctx) as conn:
        mappings = cell_mapping.get_all(conn)
    if not include_cell0:
        mappings = [m for m in mappings if not cell_mapping.is_cell0(m)]
    return scatter_gather_cells(ctx, mappings, timeout, fn, *args,
                                cells=cells, **kwargs)
