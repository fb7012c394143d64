"""The change log: which providers changed, in commit order.

Each API process keeps an in-memory picture of every provider for the
allocation-candidate engine. To keep it fresh at the cost of what changed,
every write transaction that changes what a provider offers records the
provider's id here, under a version number taken from a one-row counter.
The counter row is updated last in the transaction and stays locked until
commit, so versions are handed out in commit order: a reader that sees
version V has seen every change with a version up to V, and re-reads only
the providers logged after the version it last applied.

A NULL provider id means "the names changed" (resource classes, traits).
Old entries are pruned; a reader older than ``pruned_below`` reloads all.

A transaction whose only change to what providers offer is allocations
(:func:`touch_usage` instead of :func:`touch`) also counts, per provider and
resource class, by how much their usage moved. A caller that asked with
:func:`report_to` learns, once the transaction committed, its version and
those exact deltas (None when anything else changed): the process's own
candidate snapshot, if it is at the version just before, applies them
instead of reading the providers again.
"""

import sqlalchemy as sa

from nova_core.db import prepared
from nova_core.placement.db import base

# Prune every this many versions, keeping this many versions of history.
PRUNE_EVERY = 1000
KEEP_VERSIONS = 20000

_TOUCHED = 'nova_core.placement.touched'
_OPAQUE = 'nova_core.placement.touched_opaque'
_USAGE = 'nova_core.placement.usage_deltas'
_SINK = 'nova_core.placement.commit_sink'
NAMES = None  # the provider id logged when names changed

placement_state = sa.Table(
    'placement_state', base.metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=False),
    sa.Column('version', sa.BigInteger, nullable=False),
    sa.Column('pruned_below', sa.BigInteger, nullable=False),
    **base.TABLE_ARGS)

placement_changes = sa.Table(
    'placement_changes', base.metadata,
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
              primary_key=True, autoincrement=True),
    sa.Column('version', sa.BigInteger, nullable=False),
    sa.Column('resource_provider_id', sa.Integer),
    sa.Index('placement_changes_version_idx', 'version'),
    **base.TABLE_ARGS)


def touch(conn, *provider_ids):
    """Record that these providers (or NAMES) change in this transaction."""
    conn.info.setdefault(_TOUCHED, set()).update(provider_ids)
    conn.info[_OPAQUE] = True


def touch_usage(conn, provider_ids, deltas):
    """Record that only the usage of *provider_ids* changes, by *deltas*.

    :param deltas: ``{(provider id, resource class id): amount}`` by which
        the sum of the allocations of each pair moves, exactly (a caller
        that cannot vouch for an amount uses :func:`touch`).
    """
    conn.info.setdefault(_TOUCHED, set()).update(provider_ids)
    usage = conn.info.setdefault(_USAGE, {})
    for key, delta in deltas.items():
        usage[key] = usage.get(key, 0) + delta


def report_to(conn, sink):
    """Have :func:`flush` fill the dict *sink* with ``version`` and
    ``usage`` (the summed deltas of :func:`touch_usage`, or None if the
    transaction also made other changes). Left empty if nothing was
    logged, or if this is not the outermost writer at commit time. Only
    trust it after the transaction committed."""
    conn.info[_SINK] = sink


def discard(conn):
    """Forget what this (failed) transaction touched."""
    for key in (_TOUCHED, _OPAQUE, _USAGE, _SINK):
        conn.info.pop(key, None)


# UPDATE ... RETURNING where the dialect has it (SQLite 3.35+, PostgreSQL);
# MySQL / MariaDB read the counter back with a SELECT. Run by every write
# transaction: straight on the driver (db.prepared).
_BUMP_STATEMENT = placement_state.update().where(
    placement_state.c.id == 1).values(version=placement_state.c.version + 1)
_BUMP = prepared.Prepared(_BUMP_STATEMENT)
_BUMP_RETURNING = prepared.Prepared(
    _BUMP_STATEMENT.returning(placement_state.c.version))
_VERSION = prepared.Prepared(sa.select(placement_state.c.version).where(
    placement_state.c.id == 1))
_LOG = prepared.Prepared(placement_changes.insert())


def flush(conn):
    """Log what the transaction touched; call it last, just before commit."""
    touched = conn.info.pop(_TOUCHED, None)
    opaque = conn.info.pop(_OPAQUE, False)
    usage = conn.info.pop(_USAGE, None)
    sink = conn.info.pop(_SINK, None)
    if not touched:
        return
    if conn.dialect.update_returning:
        version = _BUMP_RETURNING.scalar(conn)
    else:
        _BUMP.run(conn)
        version = _VERSION.scalar(conn)
    _LOG.run_many(conn, [
        {'version': version, 'resource_provider_id': rp_id}
        for rp_id in sorted(touched, key=lambda i: -1 if i is None else i)])
    if version % PRUNE_EVERY == 0 and version > KEEP_VERSIONS:
        below = version - KEEP_VERSIONS
        conn.execute(placement_changes.delete().where(
            placement_changes.c.version < below))
        conn.execute(placement_state.update().where(
            placement_state.c.id == 1).values(pruned_below=below))
    if sink is not None:
        sink['version'] = version
        sink['usage'] = None if opaque else (usage or {})


def current(conn):
    """``(version, pruned_below)`` as committed."""
    return tuple(conn.execute(sa.select(
        placement_state.c.version, placement_state.c.pruned_below).where(
            placement_state.c.id == 1)).one())


class VersionProbe:
    """Reads ``current()`` on a DBAPI connection of its own, cheaply.

    Every candidate request asks for the committed version; through a
    pooled SQLAlchemy transaction that cost more than the search itself.
    The probe keeps one connection, detached from the engine's pool, and
    ends each read with a rollback so that the next one sees every commit
    made since (MySQL's REPEATABLE READ, PostgreSQL); a SQLite SELECT runs
    outside any transaction. Not thread-safe: the caller serialises.
    ``read()`` gives None if the connection failed (it is dropped and
    opened again next time), and the caller takes the ordinary path.
    """

    SQL = ('SELECT version, pruned_below FROM %s WHERE id = 1'
           % placement_state.name)

    def __init__(self, engine):
        self._engine = engine
        self._conn = None

    @staticmethod
    def usable(engine):
        """False for an in-memory SQLite database (one connection, shared
        by the process; nothing else can change it behind our back)."""
        return engine.dialect.name != 'sqlite' or base.sqlite_file(engine)

    def read(self):
        try:
            if self._conn is None:
                conn = self._engine.raw_connection()
                conn.detach()
                self._conn = conn
            cursor = self._conn.cursor()
            try:
                cursor.execute(self.SQL)
                row = cursor.fetchone()
            finally:
                cursor.close()
                self._conn.rollback()
            return (row[0], row[1]) if row else None
        except Exception:  # a lost connection; any error: the slow path
            self.close(broken=True)
            return None

    def close(self, broken=False):
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                if broken:
                    conn.invalidate()  # no rollback on a dead connection
                else:
                    conn.close()
            except Exception:
                pass


def changed_since(conn, version):
    """Provider ids logged after *version* (NAMES among them if names
    changed)."""
    return set(conn.execute(sa.select(
        placement_changes.c.resource_provider_id).distinct().where(
            placement_changes.c.version > version)).scalars())
