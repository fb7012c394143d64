"""Consumers of resources, the projects and users owning them, consumer types.

Projects, users and consumer types are known by external names and created
on first use. A consumer is created by its first allocation write and
deleted when a write leaves it without allocations.

Every function here takes a ``conn`` inside the caller's write transaction.
A lost race (another writer created the same row first, or changed the
consumer's generation) is a ConsumerConcurrentUpdateDetected: the caller
restarts the whole transaction, which then sees the winner's row. A new
transaction is needed because after a failed INSERT PostgreSQL refuses
further statements, and MySQL's repeatable-read snapshot would not show the
winner's row.

Projects, users and consumer types are never deleted or renamed, so the id
of a committed row stands for its name for good, in every process: writers
may pass a per-database ``cache`` dict (``ctx.db.cache``) in which the ids
read from committed rows are remembered. An id the current transaction
inserted itself is not (that transaction may still roll back and the id be
handed out again to another name); a later transaction reads it back.
"""

import collections

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core import exception
from nova_core.db import prepared
from nova_core.placement.db import api as db
from nova_core.placement.db.allocation import allocations as alloc_t
from nova_core.placement.db.consumer import consumer_types as ct_t
from nova_core.placement.db.consumer import consumers as consumer_t
from nova_core.placement.db.consumer import projects as project_t
from nova_core.placement.db.consumer import users as user_t

# The consumer type reported for consumers written before microversion 1.38.
UNKNOWN_TYPE = 'unknown'

Consumer = collections.namedtuple('Consumer', [
    'id', 'uuid', 'generation', 'project_id', 'user_id', 'consumer_type',
    'created_at', 'updated_at',
    # Internal keys, for writes.
    'project_pk', 'user_pk', 'consumer_type_id'])

# What a write asks of one consumer. project_id None means "not given"
# (before 1.8: the configured incomplete project and user); consumer_type
# None leaves an existing consumer's type alone; generation is the client's
# view (None: "a new consumer") and is only checked with check_generation.
ConsumerRequest = collections.namedtuple('ConsumerRequest', [
    'uuid', 'project_id', 'user_id', 'generation', 'consumer_type'])

# What prepare() did for one consumer: its id, its generation (the one read,
# which the write swaps from; for a consumer it created, already the final
# one: created says no swap is due).
Prepared = collections.namedtuple('Prepared', 'id generation created')

# The generation of a consumer once its first write committed.
FIRST_GENERATION = 1

CONSUMER_QUERY = sa.select(
    consumer_t.c.id, consumer_t.c.uuid, consumer_t.c.generation,
    project_t.c.external_id, user_t.c.external_id, ct_t.c.name,
    consumer_t.c.created_at, consumer_t.c.updated_at,
    consumer_t.c.project_id, consumer_t.c.user_id,
    consumer_t.c.consumer_type_id,
).select_from(
    consumer_t.join(project_t, consumer_t.c.project_id == project_t.c.id)
    .join(user_t, consumer_t.c.user_id == user_t.c.id)
    .outerjoin(ct_t, consumer_t.c.consumer_type_id == ct_t.c.id))


# Run on every allocation write: straight on the driver (db.prepared).
_FIND = prepared.Prepared(
    CONSUMER_QUERY.where(consumer_t.c.uuid == sa.bindparam('uuid')))
_INSERT = prepared.Prepared(consumer_t.insert())
_BUMP = prepared.Prepared(consumer_t.update().where(
    consumer_t.c.id == sa.bindparam('b_id'),
    consumer_t.c.generation == sa.bindparam('b_generation')).values(
        generation=sa.bindparam('b_new')))

_CACHE_KEY = 'consumer.external_ids'
_INSERTED = 'nova_core.placement.inserted_names'


def find(conn, uuid):
    """The consumer with *uuid*, or None."""
    row = _FIND.first(conn, {'uuid': uuid})
    return Consumer(*row) if row else None


def get_by_uuid(ctx, uuid):
    """The consumer with *uuid*; ConsumerNotFound if there is none."""
    with db.reader(ctx) as conn:
        consumer = find(conn, uuid)
    if consumer is None:
        raise exception.ConsumerNotFound(uuid=uuid)
    return consumer


def type_name(consumer):
    """The consumer type as the API shows it (``unknown`` when unset)."""
    return consumer.consumer_type or UNKNOWN_TYPE


def _named_statements(table, column):
    return (sa.select(table.c.id).where(
        table.c[column] == sa.bindparam('value')), table.insert())


_NAMED = {table.name: _named_statements(table, column) for table, column in (
    (project_t, 'external_id'), (user_t, 'external_id'), (ct_t, 'name'))}


def _inserted_here(conn):
    """Names this transaction inserted: ``{(table name, value)}``."""
    txn = conn.get_transaction()
    entry = conn.info.get(_INSERTED)
    if entry is None or entry[0] is not txn:
        entry = (txn, set())
        conn.info[_INSERTED] = entry
    return entry[1]


def _ensure_named(conn, table, column, value, cache=None):
    """The id of the row of *table* whose *column* is *value*, created if
    missing. *cache*: see the module docstring."""
    known = None
    if cache is not None:
        known = cache.get(_CACHE_KEY)
        if known is None:
            known = cache.setdefault(_CACHE_KEY, {})
        found = known.get((table.name, value))
        if found is not None:
            return found
    select, insert = _NAMED[table.name]
    found = conn.execute(select, {'value': value}).scalar()
    if found is not None:
        if known is not None and (
                (table.name, value) not in _inserted_here(conn)):
            known[table.name, value] = found
        return found
    try:
        new_id = conn.execute(insert, {column: value}).inserted_primary_key[0]
    except db_exc.DBDuplicateEntry:
        raise exception.ConsumerConcurrentUpdateDetected()
    if known is not None:
        _inserted_here(conn).add((table.name, value))
    return new_id


def ensure_project(conn, external_id, cache=None):
    return _ensure_named(conn, project_t, 'external_id', external_id, cache)


def ensure_user(conn, external_id, cache=None):
    return _ensure_named(conn, user_t, 'external_id', external_id, cache)


def ensure_consumer_type(conn, name, cache=None):
    return _ensure_named(conn, ct_t, 'name', name, cache)


def _check_generation(existing, given):
    """ConsumerGenerationConflict unless *given* is the client's correct view
    (None for a consumer that does not exist yet)."""
    if existing is None:
        if given is not None:
            raise exception.ConsumerGenerationConflict(
                reason='consumer generation conflict - expected null but '
                       'got %s' % given)
    elif existing.generation != given:
        raise exception.ConsumerGenerationConflict(
            reason='consumer generation conflict - expected %s but got %s'
                   % (existing.generation, given))


def prepare(conn, config, request, check_generation, cache=None):
    """Check, create or update the consumer of *request* for a write.

    Returns a :data:`Prepared`. An existing consumer's write ends with
    :func:`increment_generation` from the generation read; its project,
    user and (when given) type are changed to the requested ones here. A
    new consumer is inserted with :data:`FIRST_GENERATION` (what the
    increment would make of it; ``created`` tells the write to skip it):
    a concurrent creator of the same uuid loses on the unique key, and
    nobody can write to it before this transaction commits.
    *cache*: see the module docstring.
    """
    project_id, user_id = request.project_id, request.user_id
    if project_id is None:
        project_id = config.placement.incomplete_consumer_project_id
        user_id = config.placement.incomplete_consumer_user_id
    existing = find(conn, request.uuid)
    if check_generation:
        _check_generation(existing, request.generation)
    values = {'project_id': ensure_project(conn, project_id, cache),
              'user_id': ensure_user(conn, user_id, cache)}
    if request.consumer_type is not None:
        values['consumer_type_id'] = ensure_consumer_type(
            conn, request.consumer_type, cache)
    if existing is None:
        try:
            new_id = _INSERT.insert(conn, dict(
                values, uuid=request.uuid, generation=FIRST_GENERATION))
        except db_exc.DBDuplicateEntry:
            raise exception.ConsumerConcurrentUpdateDetected()
        return Prepared(new_id, FIRST_GENERATION, True)
    current = {'project_id': existing.project_pk,
               'user_id': existing.user_pk,
               'consumer_type_id': existing.consumer_type_id}
    if any(current[key] != value for key, value in values.items()):
        conn.execute(consumer_t.update().where(
            consumer_t.c.id == existing.id).values(**values))
    return Prepared(existing.id, existing.generation, False)


def increment_generation(conn, consumer_id, generation):
    """Compare-and-swap the consumer's generation from *generation*."""
    if _BUMP.run(conn, {'b_id': consumer_id, 'b_generation': generation,
                        'b_new': generation + 1}) != 1:
        raise exception.ConsumerConcurrentUpdateDetected()
    return generation + 1


def delete(conn, consumer_id, generation):
    """Delete a consumer if its generation is still *generation*."""
    result = conn.execute(consumer_t.delete().where(sa.and_(
        consumer_t.c.id == consumer_id,
        consumer_t.c.generation == generation)))
    if result.rowcount != 1:
        raise exception.ConsumerConcurrentUpdateDetected()


def delete_if_no_allocations(conn, uuids):
    """Delete those of the consumers *uuids* that hold no allocation."""
    if not uuids:
        return
    holding = set(conn.execute(sa.select(alloc_t.c.consumer_id).where(
        alloc_t.c.consumer_id.in_(sorted(uuids))).distinct()).scalars())
    empty = sorted(set(uuids) - holding)
    if empty:
        conn.execute(consumer_t.delete().where(consumer_t.c.uuid.in_(empty)))
