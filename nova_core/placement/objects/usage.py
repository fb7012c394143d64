"""Usages: sums of allocations, per provider or per project (and user).

Read-only reports over the allocations table; nothing here writes.
"""

import collections

import sqlalchemy as sa

from nova_core.placement.db import api as db
from nova_core.placement.db.allocation import allocations as alloc_t
from nova_core.placement.db.consumer import consumer_types as ct_t
from nova_core.placement.db.consumer import consumers as consumer_t
from nova_core.placement.db.consumer import projects as project_t
from nova_core.placement.db.consumer import users as user_t
from nova_core.placement.db.inventory import inventories as inv_t
from nova_core.placement.db.resource_class import resource_classes as rc_t
from nova_core.placement.objects import resource_provider as rp_obj

# Consumers written before consumer types existed (1.38) have none; reports
# group them under this name, and ``consumer_type=unknown`` selects them.
UNKNOWN_TYPE = 'unknown'
# ``consumer_type=all``: one group for every consumer, whatever its type.
ALL_TYPES = 'all'

Usage = collections.namedtuple(
    'Usage', 'resource_class usage consumer_type consumer_count',
    defaults=(None, 0))


def for_provider(ctx, uuid):
    """``(provider, usages)``: per class of its inventory, what is allocated.

    Every class the provider has inventory of is reported, 0 if unused.
    """
    with db.reader(ctx) as conn:
        provider = rp_obj.load_by_uuid(conn, uuid)
        rows = conn.execute(
            sa.select(rc_t.c.name, sa.func.coalesce(sa.func.sum(
                alloc_t.c.used), 0))
            .select_from(inv_t.join(
                rc_t, inv_t.c.resource_class_id == rc_t.c.id).outerjoin(
                alloc_t, sa.and_(
                    alloc_t.c.resource_provider_id ==
                    inv_t.c.resource_provider_id,
                    alloc_t.c.resource_class_id ==
                    inv_t.c.resource_class_id)))
            .where(inv_t.c.resource_provider_id == provider.id)
            .group_by(rc_t.c.name).order_by(rc_t.c.name)).all()
    return provider, [Usage(name, int(used)) for name, used in rows]


def _project_allocations(project_id, user_id, *columns):
    """SELECT *columns* over the allocations of a project('s user)."""
    joined = alloc_t.join(
        consumer_t, alloc_t.c.consumer_id == consumer_t.c.uuid).join(
        project_t, consumer_t.c.project_id == project_t.c.id)
    query = sa.select(*columns).where(project_t.c.external_id == project_id)
    if user_id is not None:
        joined = joined.join(user_t, consumer_t.c.user_id == user_t.c.id)
        query = query.where(user_t.c.external_id == user_id)
    return query, joined


def for_project(ctx, project_id, user_id=None):
    """What a project (or one user in it) has allocated, per class."""
    used = sa.func.sum(alloc_t.c.used)
    query, joined = _project_allocations(project_id, user_id,
                                         rc_t.c.name, used)
    query = query.select_from(joined.join(
        rc_t, alloc_t.c.resource_class_id == rc_t.c.id)).group_by(
        rc_t.c.name).order_by(rc_t.c.name)
    with db.reader(ctx) as conn:
        return [Usage(name, int(total)) for name, total in conn.execute(query)]


def by_consumer_type(ctx, project_id, user_id=None, consumer_type=None):
    """Project (user) usages per consumer type, with consumer counts.

    *consumer_type*: None for every type, each in its own group (untyped
    consumers as ``unknown``); a type name for that type only; ``all`` for
    one group of every consumer; ``unknown`` for the untyped ones only.
    """
    # Grouped by the type's name column itself (not an expression of it):
    # PostgreSQL only accepts a GROUP BY it can match to the SELECT list.
    by_type = [] if consumer_type == ALL_TYPES else [ct_t.c.name]
    used = sa.func.sum(alloc_t.c.used)
    consumers = sa.func.count(sa.distinct(alloc_t.c.consumer_id))
    with db.reader(ctx) as conn:
        sums = conn.execute(_by_type(
            project_id, user_id, consumer_type, by_type + [rc_t.c.name],
            [used])).all()
        counts = conn.execute(_by_type(
            project_id, user_id, consumer_type, by_type, [consumers])).all()
    count_of = {_type_key(consumer_type, row[:-1]): row[-1] for row in counts}
    return [Usage(row[-2], int(row[-1]), _type_key(consumer_type, row[:-2]),
                  count_of[_type_key(consumer_type, row[:-2])])
            for row in sums]


def _type_key(consumer_type, type_columns):
    if consumer_type == ALL_TYPES:
        return ALL_TYPES
    return type_columns[0] or UNKNOWN_TYPE


def _by_type(project_id, user_id, consumer_type, group, aggregates):
    """*group* columns and *aggregates* over the project's allocations."""
    query, joined = _project_allocations(project_id, user_id,
                                         *group, *aggregates)
    joined = joined.outerjoin(
        ct_t, consumer_t.c.consumer_type_id == ct_t.c.id).join(
        rc_t, alloc_t.c.resource_class_id == rc_t.c.id)
    if consumer_type == UNKNOWN_TYPE:
        query = query.where(consumer_t.c.consumer_type_id.is_(None))
    elif consumer_type not in (None, ALL_TYPES):
        query = query.where(ct_t.c.name == consumer_type)
    query = query.select_from(joined)
    if group:
        query = query.group_by(*group).order_by(*group)
    return query
