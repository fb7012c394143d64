"""Allocations: what each consumer uses of each provider's inventory.

A write replaces all allocations of one or several consumers in one
transaction (:func:`replace`, or :func:`write` inside a caller's
transaction). It never trusts what it read earlier to still be true at
COMMIT; instead every provider whose usage it may raise gets its generation
bumped with a compare-and-swap (``UPDATE ... WHERE generation = <read>``)
before the commit, and the generation is read before the usage is.

Why this cannot over-allocate. Every writer that can raise a provider's
usage or lower its capacity (allocations here, inventories in
``objects.inventory``) bumps that provider's generation in its own
transaction. Our generation read G happens before our usage read, so if the
compare-and-swap from G succeeds, no such writer committed between the two
reads and the end of ours, and the usage we checked is the usage we commit
onto; a writer that commits later has to swap from G + 1, which it did not
read before our commit, so it fails. The swap is an UPDATE, which on every
backend reads the latest committed row and holds its lock until COMMIT:

- PostgreSQL (READ COMMITTED): each statement sees the newest commits; the
  UPDATE waits for a concurrent writer's lock, then re-checks ``generation``
  on the committed row and matches nothing if it moved.
- MariaDB / MySQL (REPEATABLE READ): our reads come from one snapshot taken
  at or before the generation read; the UPDATE is a locking "current read"
  of the committed row, so a generation that moved after the snapshot makes
  it match nothing. (MariaDB with ``innodb_snapshot_isolation`` reports the
  same situation as error 1020; we retry it like a lost swap.)
- SQLite: write transactions start with BEGIN IMMEDIATE and so run one at a
  time, across processes too; the swap cannot fail and is kept for symmetry.

Writers to the same provider would thus all but one lose and retry; to
spare them that, a write first locks the rows of the providers it allocates
from (SELECT ... FOR UPDATE, in id order) before reading anything, and so
queues behind the others. The lock is an optimisation, not the proof: the
generation and usage are still read with plain reads and the swap still
checks them (on MySQL a snapshot taken before the lock, by a caller that
read first, would otherwise go unnoticed).

A lost swap is not the client's fault (it sent no provider generation), so
the whole transaction is retried, up to ``[placement]
allocation_conflict_retry_count`` times, as are deadlocks and lost races
creating a consumer, project, user or consumer type. Nothing is kept
between attempts, and process memory holds only ids that never change once
committed (standard resource classes, projects, users, consumer types; see
``objects.consumer``), so any number of API processes may write at once.
Providers whose usage only goes down are not bumped (as upstream): freeing
resources cannot over-allocate.

A committed write tells the process's candidate snapshot
(``objects.allocation_candidate.note_own_write``) its change-log version
and by how much it moved each (provider, class) usage, counted from the
rows it inserted and deleted (a DELETE that removed fewer rows than were
read makes the write an ordinary, opaque change).
"""

import collections
import logging
import random
import time

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core import exception
from nova_core.db import prepared
from nova_core.placement.db import api as db
from nova_core.placement.db import change
from nova_core.placement.db.allocation import allocations as alloc_t
from nova_core.placement.db.consumer import consumers as consumer_t
from nova_core.placement.db.inventory import inventories as inv_t
from nova_core.placement.db.resource_class import resource_classes as rc_t
from nova_core.placement.db.resource_provider import resource_providers as rp_t
from nova_core.placement.objects import allocation_candidate as ac_obj
from nova_core.placement.objects import consumer as consumer_obj
from nova_core.placement.objects import resource_class as rc_obj
from nova_core.placement.objects import resource_provider as rp_obj

LOG = logging.getLogger(__name__)

Allocation = collections.namedtuple('Allocation', [
    'resource_provider_uuid', 'resource_provider_generation',
    'consumer_uuid', 'consumer_generation', 'resource_class', 'used',
    'created_at', 'updated_at'])

# One consumer's part of a write: a consumer.ConsumerRequest and its new
# allocations ``{provider uuid: {resource class: amount}}``; empty
# allocations remove all the consumer has.
ConsumerAllocations = collections.namedtuple(
    'ConsumerAllocations', 'consumer allocations')

# Lost races that a new transaction resolves.
_RETRYABLE = (exception.ResourceProviderConcurrentUpdateDetected,
              exception.ConsumerConcurrentUpdateDetected,
              db_exc.DBDeadlock, db_exc.DBConsistencyError)
# Upper bound (seconds, times the attempt number) of the random pause
# before a retry, so that writers that collided do not collide again.
_BACKOFF = 0.01

_ProviderRow = collections.namedtuple('_ProviderRow', 'id uuid generation')

_READ_QUERY = sa.select(
    rp_t.c.uuid, rp_t.c.generation, alloc_t.c.consumer_id,
    consumer_t.c.generation, rc_t.c.name, alloc_t.c.used,
    alloc_t.c.created_at, alloc_t.c.updated_at,
).select_from(
    alloc_t.join(rp_t, alloc_t.c.resource_provider_id == rp_t.c.id)
    .join(rc_t, alloc_t.c.resource_class_id == rc_t.c.id)
    .join(consumer_t, alloc_t.c.consumer_id == consumer_t.c.uuid)
).order_by(alloc_t.c.id)

# The statements of a write run straight on the driver (db.prepared): a
# claim sends about ten of them, and SQLAlchemy's execution machinery cost
# more than the database did.
_EXISTING = prepared.Prepared(sa.select(
    alloc_t.c.id, alloc_t.c.consumer_id, alloc_t.c.resource_provider_id,
    alloc_t.c.resource_class_id, alloc_t.c.used,
).where(alloc_t.c.consumer_id.in_(sa.bindparam('consumers', expanding=True))))
_DELETE = prepared.Prepared(alloc_t.delete().where(
    alloc_t.c.id.in_(sa.bindparam('ids', expanding=True))))
_INSERT = prepared.Prepared(alloc_t.insert())
_PROVIDER_COLUMNS = (rp_t.c.id, rp_t.c.uuid, rp_t.c.generation)
_PROVIDERS_BY_UUID = prepared.Prepared(sa.select(*_PROVIDER_COLUMNS).where(
    rp_t.c.uuid.in_(sa.bindparam('uuids', expanding=True))))
_PROVIDERS_BY_ID = prepared.Prepared(sa.select(*_PROVIDER_COLUMNS).where(
    rp_t.c.id.in_(sa.bindparam('ids', expanding=True))))
_USAGE = prepared.Prepared(sa.select(
    alloc_t.c.resource_provider_id, alloc_t.c.resource_class_id,
    sa.func.sum(alloc_t.c.used),
).where(
    alloc_t.c.resource_provider_id.in_(
        sa.bindparam('rp_ids', expanding=True)),
    alloc_t.c.resource_class_id.in_(sa.bindparam('rc_ids', expanding=True)),
).group_by(alloc_t.c.resource_provider_id, alloc_t.c.resource_class_id))
# Inventories with their usage (NULL: nothing allocated) in one statement;
# the sum is a correlated subquery on the (provider, class, used) index.
_other = alloc_t.alias('used_of')
_INVENTORY_USAGE = prepared.Prepared(sa.select(
    inv_t.c.resource_provider_id, inv_t.c.resource_class_id, inv_t.c.total,
    inv_t.c.reserved, inv_t.c.min_unit, inv_t.c.max_unit, inv_t.c.step_size,
    inv_t.c.allocation_ratio, sa.select(sa.func.sum(_other.c.used)).where(
        _other.c.resource_provider_id == inv_t.c.resource_provider_id,
        _other.c.resource_class_id == inv_t.c.resource_class_id,
    ).scalar_subquery().label('allocated'),
).where(
    inv_t.c.resource_provider_id.in_(sa.bindparam('rp_ids', expanding=True)),
    inv_t.c.resource_class_id.in_(sa.bindparam('rc_ids', expanding=True))))
_LOCK = prepared.Prepared(sa.select(rp_t.c.id).where(
    rp_t.c.uuid.in_(sa.bindparam('uuids', expanding=True))
).order_by(rp_t.c.id).with_for_update())


# -- reading -------------------------------------------------------------------

def get_by_consumer(ctx, consumer_uuid):
    """``(consumer or None, its allocations)``."""
    with db.reader(ctx) as conn:
        consumer = consumer_obj.find(conn, consumer_uuid)
        if consumer is None:
            return None, []
        return consumer, [Allocation(*row) for row in conn.execute(
            _READ_QUERY.where(alloc_t.c.consumer_id == consumer_uuid))]


def get_by_provider(ctx, provider_uuid):
    """``(provider, allocations against it)``; ResourceProviderNotFound."""
    with db.reader(ctx) as conn:
        provider = rp_obj.load_by_uuid(conn, provider_uuid)
        return provider, [Allocation(*row) for row in conn.execute(
            _READ_QUERY.where(alloc_t.c.resource_provider_id == provider.id))]


# -- writing -------------------------------------------------------------------

def run_write(ctx, work):
    """``work(conn)`` in a write transaction, retried when it lost a race.

    When the retries run out the last race is reported as a
    ConcurrentUpdateDetected (409 placement.concurrent_update).
    """
    retries = ctx.config.placement.allocation_conflict_retry_count
    attempt = 0
    while True:
        committed = {}
        try:
            with db.writer(ctx) as conn:
                change.report_to(conn, committed)
                result = work(conn)
            # Committed (an outermost writer; a joined one leaves it empty).
            if committed.get('usage') is not None:
                ac_obj.note_own_write(ctx, committed['version'],
                                      committed['usage'])
            return result
        except _RETRYABLE as exc:
            if attempt >= retries:
                LOG.warning('Giving up writing allocations after %d '
                            'retries: %s', retries, exc)
                if isinstance(exc, exception.ConcurrentUpdateDetected):
                    raise exception.ResourceProviderConcurrentUpdateDetected()
                raise exception.MaxDBRetriesExceeded(
                    action='an allocation write')
            attempt += 1
            LOG.debug('Retrying allocation write (%d/%d): %s',
                      attempt, retries, exc)
            time.sleep(random.uniform(0, _BACKOFF * attempt))


def replace(ctx, claims, check_generation):
    """Replace the allocations of the consumers of *claims* atomically.

    :param claims: ConsumerAllocations, one per consumer, in request order.
    :param check_generation: compare each consumer's generation with the
        client's (microversion 1.28 and later).
    """
    run_write(ctx, lambda conn: write(conn, ctx.config, claims,
                                      check_generation, ctx.db.cache))


def delete_for_consumer(ctx, consumer_uuid):
    """Delete all allocations of a consumer, and the consumer.

    ConsumerNotFound if it has none.
    """
    run_write(ctx, lambda conn: _delete_for_consumer(conn, consumer_uuid))


def _delete_for_consumer(conn, consumer_uuid):
    consumer = consumer_obj.find(conn, consumer_uuid)
    rows = _EXISTING.all(conn, {'consumers': [consumer_uuid]})
    if not rows:
        raise exception.ConsumerNotFound(uuid=consumer_uuid)
    # No generation bump (as upstream), but the usage changed.
    deltas = collections.Counter()
    _delete(conn, rows, deltas)
    change.touch_usage(conn, {row.resource_provider_id for row in rows},
                       deltas)
    if consumer is not None:
        # Conditional on the generation: a concurrent write to this
        # consumer either committed before (we deleted what it wrote) or
        # fails its own swap on the vanished row and starts over.
        consumer_obj.delete(conn, consumer.id, consumer.generation)


def write(conn, config, claims, check_generation, cache=None):
    """:func:`replace` inside the caller's transaction on *conn*.

    The caller retries the transaction on the races listed in ``_RETRYABLE``
    (see :func:`run_write`). Raises, besides those: ConsumerGenerationConflict,
    ResourceProviderNotFound (a provider of the new allocations),
    ResourceClassNotFound, InvalidInventory and its subclasses. *cache*:
    the database's ``ctx.db.cache`` (ids that never change), or None.
    """
    lock_providers(conn, {rp_uuid for claim in claims
                          for rp_uuid in claim.allocations})
    write_prepared(conn, claims, prepare_consumers(
        conn, config, claims, check_generation, cache), cache)


def prepare_consumers(conn, config, claims, check_generation, cache=None):
    """Check, create or update the consumers of *claims*, in their order.

    Returns what :func:`write_prepared` needs of them
    (``{uuid: consumer.Prepared}``).
    """
    return {claim.consumer.uuid: consumer_obj.prepare(
        conn, config, claim.consumer, check_generation, cache)
        for claim in claims}


def write_prepared(conn, claims, consumers, cache=None):
    """Replace the allocations of *claims*, whose *consumers* are prepared.

    The second half of :func:`write`, for callers (the reshaper) that change
    inventories between the two halves.
    """
    existing = _existing(conn, consumers)
    emptied = {claim.consumer.uuid for claim in claims
               if not claim.allocations}
    # Generations first, usage after: see the module docstring.
    providers = _providers(conn, claims, [
        row.resource_provider_id for row in existing
        if row.consumer_id in emptied])
    wanted, class_names = _wanted(conn, claims, providers, cache)
    pairs = {(rp_id, rc_id) for _c, rp_id, rc_id, _u in wanted}
    inventories, before = _inventories_and_usage(conn, pairs)
    after = before
    deltas = collections.Counter()
    if existing:
        # Providers that only lose usage keep their generation (as
        # upstream), but what they offer changed.
        _delete(conn, existing, deltas)
        after = _usage(conn, pairs)
    _check_capacity(wanted, providers, inventories, before, after,
                    class_names)
    if wanted:
        _INSERT.run_many(conn, [
            {'consumer_id': consumer_uuid, 'resource_provider_id': rp_id,
             'resource_class_id': rc_id, 'used': used}
            for consumer_uuid, rp_id, rc_id, used in wanted])
        for _consumer, rp_id, rc_id, used in wanted:
            deltas[rp_id, rc_id] += used
    # Sorted, so that two writers lock rows in the same order.
    for provider in sorted(providers.values()):
        rp_obj.increment_generation(conn, provider, log=False)
    change.touch_usage(conn, set(providers).union(
        row.resource_provider_id for row in existing), deltas)
    for consumer in sorted(consumers.values()):
        if not consumer.created:
            consumer_obj.increment_generation(conn, consumer.id,
                                              consumer.generation)
    consumer_obj.delete_if_no_allocations(conn, emptied)


def _delete(conn, rows, deltas):
    """Delete the allocation *rows* (of ``_EXISTING``): their usage is
    taken off *deltas* if exactly those rows went, else their providers
    are logged as an opaque change (the caller still logs the deltas)."""
    if _DELETE.run(conn, {'ids': sorted(row.id for row in rows)}) != len(
            rows):
        change.touch(conn, *{row.resource_provider_id for row in rows})
        return
    for row in rows:
        deltas[row.resource_provider_id, row.resource_class_id] -= row.used


def lock_providers(conn, uuids):
    """Make concurrent writers to the same providers wait for each other.

    A row lock (SELECT ... FOR UPDATE, in id order so that writers cannot
    deadlock on each other; a no-op on SQLite, whose writers are serial
    anyway, so the statement is not even sent) taken before anything else
    is read. It spares the losers of a race a retry; safety still rests on
    the generation swap.
    """
    if uuids and conn.dialect.name != 'sqlite':
        _LOCK.all(conn, {'uuids': sorted(uuids)})


def _existing(conn, consumers):
    """The current allocation rows of the consumers ``{uuid: ...}``."""
    if not consumers:
        return []
    return _EXISTING.all(conn, {'consumers': sorted(consumers)})


def _providers(conn, claims, emptied_provider_ids):
    """``{provider id: _ProviderRow}`` of the providers the write bumps.

    Those of the new allocations (ResourceProviderNotFound names the first
    unknown one in request order), and those a consumer with empty new
    allocations leaves.
    """
    uuids = []
    for claim in claims:
        uuids.extend(u for u in claim.allocations if u not in uuids)
    rows = []
    if uuids:
        rows = _PROVIDERS_BY_UUID.all(conn, {'uuids': sorted(uuids)})
    found = {row.uuid for row in rows}
    for uuid in uuids:
        if uuid not in found:
            raise exception.ResourceProviderNotFound(uuid=uuid)
    extra = set(emptied_provider_ids) - {row.id for row in rows}
    if extra:
        rows += _PROVIDERS_BY_ID.all(conn, {'ids': sorted(extra)})
    return {row.id: _ProviderRow(*row) for row in rows}


def _wanted(conn, claims, providers, cache=None):
    """The rows to insert: ``(consumer uuid, provider id, class id, used)``,
    and ``{class id: name}`` of their classes."""
    names = {rc for claim in claims for resources in claim.allocations.values()
             for rc in resources}
    rc_ids = rc_obj.ids_by_name(conn, names, cache)
    rp_ids = {row.uuid: rp_id for rp_id, row in providers.items()}
    return [(claim.consumer.uuid, rp_ids[rp_uuid], rc_ids[rc], used)
            for claim in claims
            for rp_uuid, resources in claim.allocations.items()
            for rc, used in resources.items()], {
                rc_id: name for name, rc_id in rc_ids.items()}


def _usage(conn, pairs):
    """``{(provider id, class id): used}`` over the *pairs*, now."""
    if not pairs:
        return {}
    rows = _USAGE.all(conn, _pair_params(pairs))
    return {(rp_id, rc_id): int(used) for rp_id, rc_id, used in rows}


def _pair_params(pairs):
    return {'rp_ids': sorted({rp_id for rp_id, _rc in pairs}),
            'rc_ids': sorted({rc_id for _rp, rc_id in pairs})}


def _inventories_and_usage(conn, pairs):
    """``({(provider id, class id): inventory row}, {(provider id, class
    id): used})`` over the *pairs* (usage only where there is inventory:
    elsewhere the write fails anyway)."""
    if not pairs:
        return {}, {}
    inventories, usage = {}, {}
    for row in _INVENTORY_USAGE.all(conn, _pair_params(pairs)):
        key = (row.resource_provider_id, row.resource_class_id)
        inventories[key] = row
        if row.allocated is not None:
            usage[key] = int(row.allocated)
    return inventories, usage


def _check_capacity(wanted, providers, inventories, before, after, names):
    """Refuse *wanted* unless every provider's inventory can take it.

    *inventories*: ``{(provider id, class id): inventory row}``; *after*:
    the usage once the consumers' old allocations are deleted (the same as
    *before* when they had none); *names*: ``{class id: name}`` of the
    classes of *wanted*. A provider already over capacity (its inventory
    shrank) may keep or lower its usage: the check fails only if the write
    makes the overage worse than *before* it.
    """
    if not wanted:
        return
    pairs = {(rp_id, rc_id) for _c, rp_id, rc_id, _u in wanted}
    uuid = {rp_id: row.uuid for rp_id, row in providers.items()}
    bare = sorted(uuid[rp_id] for rp_id in {p for p, _rc in pairs}
                  if not any(key[0] == rp_id for key in inventories))
    if bare:
        raise exception.InvalidInventory(
            resource_class=', '.join(sorted({names[rc] for _p, rc in pairs})),
            resource_provider=', '.join(bare))
    asked = collections.Counter()
    for _consumer, rp_id, rc_id, used in wanted:
        asked[rp_id, rc_id] += used
    for _consumer, rp_id, rc_id, used in wanted:
        inv = inventories.get((rp_id, rc_id))
        where = {'resource_class': names[rc_id],
                 'resource_provider': uuid[rp_id]}
        if inv is None:
            raise exception.InvalidInventory(**where)
        if (used < inv.min_unit or used > inv.max_unit or
                used % inv.step_size):
            LOG.warning('Allocation of %s %s on %s violates min_unit %s, '
                        'max_unit %s or step_size %s', used, names[rc_id],
                        uuid[rp_id], inv.min_unit, inv.max_unit,
                        inv.step_size)
            raise exception.InvalidAllocationConstraintsViolated(**where)
        capacity = (inv.total - inv.reserved) * inv.allocation_ratio
        total = after.get((rp_id, rc_id), 0) + asked[rp_id, rc_id]
        if capacity >= total:
            continue
        previous = before.get((rp_id, rc_id))
        if previous is not None and total <= previous:
            LOG.warning('Provider %s stays over capacity for %s (%s of %s) '
                        'but less than before (%s)', uuid[rp_id],
                        names[rc_id], total, capacity, previous)
            continue
        LOG.warning('Over capacity for %s on %s: asked %s, used %s, '
                    'capacity %s', names[rc_id], uuid[rp_id], used,
                    after.get((rp_id, rc_id), 0), capacity)
        raise exception.InvalidAllocationCapacityExceeded(**where)
