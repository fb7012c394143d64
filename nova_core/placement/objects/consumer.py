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
"""

import collections

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core import exception
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


def find(conn, uuid):
    """The consumer with *uuid*, or None."""
    row = conn.execute(CONSUMER_QUERY.where(consumer_t.c.uuid == uuid)).first()
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


def _ensure_named(conn, table, column, value):
    """The id of the row of *table* whose *column* is *value*, created if
    missing."""
    found = conn.execute(sa.select(table.c.id).where(
        table.c[column] == value)).scalar()
    if found is not None:
        return found
    try:
        return conn.execute(table.insert().values(
            **{column: value})).inserted_primary_key[0]
    except db_exc.DBDuplicateEntry:
        raise exception.ConsumerConcurrentUpdateDetected()


def ensure_project(conn, external_id):
    return _ensure_named(conn, project_t, 'external_id', external_id)


def ensure_user(conn, external_id):
    return _ensure_named(conn, user_t, 'external_id', external_id)


def ensure_consumer_type(conn, name):
    return _ensure_named(conn, ct_t, 'name', name)


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


def prepare(conn, config, request, check_generation):
    """Check, create or update the consumer of *request* for a write.

    Returns ``(consumer id, generation read)``: the write ends with
    :func:`increment_generation` on them. The project, user and (when
    given) type of an existing consumer are changed to the requested ones;
    its generation is not, the write's own increment covers it.
    """
    project_id, user_id = request.project_id, request.user_id
    if project_id is None:
        project_id = config.placement.incomplete_consumer_project_id
        user_id = config.placement.incomplete_consumer_user_id
    existing = find(conn, request.uuid)
    if check_generation:
        _check_generation(existing, request.generation)
    values = {'project_id': ensure_project(conn, project_id),
              'user_id': ensure_user(conn, user_id)}
    if request.consumer_type is not None:
        values['consumer_type_id'] = ensure_consumer_type(
            conn, request.consumer_type)
    if existing is None:
        try:
            new_id = conn.execute(consumer_t.insert().values(
                uuid=request.uuid, generation=0,
                **values)).inserted_primary_key[0]
        except db_exc.DBDuplicateEntry:
            raise exception.ConsumerConcurrentUpdateDetected()
        return new_id, 0
    current = {'project_id': existing.project_pk,
               'user_id': existing.user_pk,
               'consumer_type_id': existing.consumer_type_id}
    if any(current[key] != value for key, value in values.items()):
        conn.execute(consumer_t.update().where(
            consumer_t.c.id == existing.id).values(**values))
    return existing.id, existing.generation


def increment_generation(conn, consumer_id, generation):
    """Compare-and-swap the consumer's generation from *generation*."""
    result = conn.execute(consumer_t.update().where(sa.and_(
        consumer_t.c.id == consumer_id,
        consumer_t.c.generation == generation)).values(
            generation=generation + 1))
    if result.rowcount != 1:
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
