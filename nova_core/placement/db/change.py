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
"""

import sqlalchemy as sa

from nova_core.placement.db import base

# Prune every this many versions, keeping this many versions of history.
PRUNE_EVERY = 1000
KEEP_VERSIONS = 20000

_TOUCHED = 'nova_core.placement.touched'
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


def discard(conn):
    """Forget what this (failed) transaction touched."""
    conn.info.pop(_TOUCHED, None)


def flush(conn):
    """Log what the transaction touched; call it last, just before commit."""
    touched = conn.info.pop(_TOUCHED, None)
    if not touched:
        return
    conn.execute(placement_state.update().where(
        placement_state.c.id == 1).values(
            version=placement_state.c.version + 1))
    version = conn.execute(sa.select(placement_state.c.version).where(
        placement_state.c.id == 1)).scalar_one()
    conn.execute(placement_changes.insert(), [
        {'version': version, 'resource_provider_id': rp_id}
        for rp_id in sorted(touched, key=lambda i: -1 if i is None else i)])
    if version % PRUNE_EVERY == 0 and version > KEEP_VERSIONS:
        below = version - KEEP_VERSIONS
        conn.execute(placement_changes.delete().where(
            placement_changes.c.version < below))
        conn.execute(placement_state.update().where(
            placement_state.c.id == 1).values(pruned_below=below))


def current(conn):
    """``(version, pruned_below)`` as committed."""
    return tuple(conn.execute(sa.select(
        placement_state.c.version, placement_state.c.pruned_below).where(
            placement_state.c.id == 1)).one())


def changed_since(conn, version):
    """Provider ids logged after *version* (NAMES among them if names
    changed)."""
    return set(conn.execute(sa.select(
        placement_changes.c.resource_provider_id).distinct().where(
            placement_changes.c.version > version)).scalars())
