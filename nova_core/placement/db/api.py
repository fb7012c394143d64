"""The placement database handle: engine, transactions, schema readiness.

One :class:`PlacementDatabase` per placement app, never a module global, so
that several apps (tests, an all-in-one) can live in one process. Request
contexts carry it as ``ctx.db``; the objects layer opens transactions with
:func:`reader` and :func:`writer`. The engine and transactions are the
generic ``nova_core.db.engine.Database``; placement adds its change log and
its schema.
"""

import contextlib
import logging

from nova_core.db import engine as db_engine
from nova_core import exception
from nova_core.placement.db import change
from nova_core.placement.db import migration

LOG = logging.getLogger(__name__)

SYNC_COMMAND = 'nova-core-manage placement db sync'

# Kept for callers and tests that knew it here.
_with_sqlite_timeout = db_engine.with_sqlite_timeout


class PlacementDatabase(db_engine.Database):
    """Engine and transaction factory for one placement database."""

    def __init__(self, conf):
        group = conf.placement_database
        embedded = not group.connection
        super().__init__(
            group, url=group.connection or db_engine.sqlite_url(
                conf, 'placement.sqlite'),
            embedded=embedded)

    # -- transactions -----------------------------------------------------------
    # When the outermost writer of a transaction ends without error, the
    # providers it touched are written to the change log, as the last
    # statement before commit (see ``db/change.py``).

    def _outer_begin(self, conn):
        change.discard(conn)

    def _outer_commit(self, conn):
        change.flush(conn)

    def _outer_end(self, conn):
        change.discard(conn)

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


def writer(ctx):
    """``with writer(ctx) as conn``: a write transaction on ``ctx.db``."""
    return ctx.db.writer(ctx)


def reader(ctx):
    """``with reader(ctx) as conn``: a read transaction on ``ctx.db``."""
    return ctx.db.reader(ctx)
