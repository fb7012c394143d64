"""Resource classes: the standard ones from os-resource-classes, and CUSTOM_*."""

import collections

from oslo_db import exception as db_exc
import os_resource_classes
import sqlalchemy as sa

from nova_core import exception
from nova_core.placement.db import api as db
from nova_core.placement.db import change
from nova_core.placement.db.resource_class import CUSTOM_ID_START
from nova_core.placement.db.resource_class import resource_classes as rc_t
from nova_core.placement.db.allocation import allocations as alloc_t
from nova_core.placement.db.inventory import inventories as inv_t

CUSTOM_PREFIX = 'CUSTOM_'
STANDARDS = frozenset(os_resource_classes.STANDARDS)

ResourceClass = collections.namedtuple(
    'ResourceClass', 'id name created_at updated_at')

_COLUMNS = (rc_t.c.id, rc_t.c.name, rc_t.c.created_at, rc_t.c.updated_at)


def is_custom(name):
    return name.startswith(CUSTOM_PREFIX)


def ensure_standard(conn):
    """Insert the standard classes this os-resource-classes knows, if missing.

    Standard class *i* (0-based, in os-resource-classes order, which only
    ever grows at the end) gets id i + 1.
    """
    have = {row.name for row in conn.execute(
        sa.select(rc_t.c.name).where(rc_t.c.id < CUSTOM_ID_START))}
    missing = [{'id': index + 1, 'name': name}
               for index, name in enumerate(os_resource_classes.STANDARDS)
               if name not in have]
    if missing:
        conn.execute(rc_t.insert(), missing)
        change.touch(conn, change.NAMES)


def get_all(ctx):
    with db.reader(ctx) as conn:
        return [ResourceClass(*row) for row in conn.execute(
            sa.select(*_COLUMNS).order_by(rc_t.c.id))]


def get_by_name(ctx, name):
    with db.reader(ctx) as conn:
        row = conn.execute(sa.select(*_COLUMNS).where(
            rc_t.c.name == name)).first()
    if row is None:
        raise exception.ResourceClassNotFound(name=name)
    return ResourceClass(*row)


_IDS_BY_NAME = sa.select(rc_t.c.name, rc_t.c.id).where(
    rc_t.c.name.in_(sa.bindparam('names', expanding=True)))
_CACHE_KEY = 'resource_class.standard_ids'


def ids_by_name(conn, names, cache=None):
    """``{name: id}`` for *names*; ResourceClassNotFound names the missing.

    *cache*: a per-database dict (``ctx.db.cache``) remembering the ids of
    standard classes, which are never deleted or renamed once their row is
    committed (``ensure_standard`` commits them before the app serves).
    Custom classes are always read: one may be deleted and made again
    under another id, by any process.
    """
    names = set(names)
    if not names:
        return {}
    known = None
    if cache is not None:
        known = cache.get(_CACHE_KEY)
        if known is None:
            known = cache.setdefault(_CACHE_KEY, {})
        if all(name in known for name in names):
            return {name: known[name] for name in names}
    found = dict(conn.execute(_IDS_BY_NAME, {'names': sorted(names)}).all())
    if known is not None:
        known.update((name, rc_id) for name, rc_id in found.items()
                     if rc_id < CUSTOM_ID_START and name in STANDARDS)
    missing = names - set(found)
    if missing:
        raise exception.ResourceClassNotFound(name=', '.join(sorted(missing)))
    return found


def names_by_id(conn):
    """``{id: name}`` of every class (a small table)."""
    return dict(conn.execute(sa.select(rc_t.c.id, rc_t.c.name)).all())


def create(ctx, name):
    """Create custom class *name*; ResourceClassExists if it is there."""
    # Ids of custom classes are max + 1: two creators racing for the same
    # id collide on the primary key and the loser tries again.
    for _attempt in range(10):
        try:
            with db.writer(ctx) as conn:
                if conn.execute(sa.select(rc_t.c.id).where(
                        rc_t.c.name == name)).first():
                    raise exception.ResourceClassExists(resource_class=name)
                top = conn.execute(sa.select(sa.func.max(rc_t.c.id))).scalar()
                new_id = max(top or 0, CUSTOM_ID_START - 1) + 1
                conn.execute(rc_t.insert().values(id=new_id, name=name))
                change.touch(conn, change.NAMES)
                return ResourceClass(*conn.execute(sa.select(*_COLUMNS).where(
                    rc_t.c.id == new_id)).one())
        except db_exc.DBDuplicateEntry as exc:
            if 'name' in (exc.columns or []) or \
                    'uniq_resource_classes0name' in (exc.columns or []):
                raise exception.ResourceClassExists(resource_class=name)
    raise exception.MaxDBRetriesExceeded(
        action='create resource class %s' % name)


def rename(ctx, name, new_name):
    """Rename custom class *name* (microversions 1.2 - 1.6)."""
    if not is_custom(name):
        raise exception.ResourceClassCannotUpdateStandard(resource_class=name)
    try:
        with db.writer(ctx) as conn:
            result = conn.execute(rc_t.update().where(
                rc_t.c.name == name).values(name=new_name))
            if not result.rowcount:
                raise exception.ResourceClassNotFound(name=name)
            change.touch(conn, change.NAMES)
            return ResourceClass(*conn.execute(sa.select(*_COLUMNS).where(
                rc_t.c.name == new_name)).one())
    except db_exc.DBDuplicateEntry:
        raise exception.ResourceClassExists(resource_class=new_name)


def destroy(ctx, name):
    """Delete custom class *name* unless an inventory or allocation uses it."""
    if not is_custom(name):
        raise exception.ResourceClassCannotDeleteStandard(resource_class=name)
    with db.writer(ctx) as conn:
        rc_id = conn.execute(sa.select(rc_t.c.id).where(
            rc_t.c.name == name)).scalar()
        if rc_id is None:
            raise exception.ResourceClassNotFound(name=name)
        for table in (inv_t, alloc_t):
            if conn.execute(sa.select(table.c.id).where(
                    table.c.resource_class_id == rc_id).limit(1)).first():
                raise exception.ResourceClassInUse(resource_class=name)
        conn.execute(rc_t.delete().where(rc_t.c.id == rc_id))
        change.touch(conn, change.NAMES)
